// disruption/: PodDisruptionBudgets against the pods they cover. What a budget selects comes
// from the linker's label index (Topology::select), as a Service's pods do.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "core/flat_map.h"

namespace kmc::checks {

namespace {
using schema::Autoscaler;

struct NumberHash {
  uint64_t operator()(uint32_t n) const noexcept { return hash_mix(n, 0); }
};
using schema::DisruptionBudget;
using schema::IntOrString;

bool judged(const Object& o, const DisruptionBudget& b, const Topology& t) {
  // An empty or absent selector is all the namespace's pods (policy/v1) or none (v1beta1):
  // neither says which workload the budget is for. An operator's namespace has pods kmc cannot see.
  return !b.selector.empty() && !t.operator_namespace(o.ns);
}

void no_matching_pods(const RuleContext& ctx, Sink& sink) {
  for (auto [o, b] : ctx.range.of<DisruptionBudget>()) {
    if (!judged(o, b, ctx.topology) || !ctx.topology.select(o.ns, b.selector).empty()) continue;
    sink.report(o, b.selector.node ? b.selector.node->pos() : o.pos(),
                fmt::format("{} selects no pod template in namespace \"{}\" (in the input or --context): it protects "
                            "nothing during node drains",
                            o.display(), o.ns),
                "make the selector match the labels of the pod template it is for");
  }
}

// The autoscalers by the identity of what they scale (kind, namespace, name), each with the
// replicas it keeps at least: its minReplicas (1 when unset).
using Autoscaled = FlatMap<NameKey, std::vector<std::pair<const Object*, int64_t>>, NameKeyHash>;
Autoscaled autoscalers_by_target(const Model& model) {
  Autoscaled out;
  for (auto [o, a] : model.of<Autoscaler>()) {
    auto [at, fresh] = out.try_emplace(NameKey{a.target_kind.value(), o.ns, a.target_name.value()}, {});
    at->value.emplace_back(&o, a.min_replicas.set() ? a.min_replicas.value : 1);
  }
  return out;
}

// The pods of `pods` deployed with `budget`, when any are (a budget is for the workloads of its
// own directory, as a Service is), else all of them.
std::vector<uint32_t> own_pods(std::vector<uint32_t> pods, const Object& budget, const Topology& t) {
  std::vector<uint32_t> together;
  for (uint32_t i : pods)
    if (t.deployed_together(*t.pod_sources[i].object, budget)) together.push_back(i);
  return together.empty() ? pods : together;
}

// The replicas a budget's pods number, or -1 when kmc cannot tell (a DaemonSet's pods are one
// per node; a Job's or CronJob's come and go). An autoscaled workload counts its autoscaler's
// minimum, where an eviction is hardest.
int64_t covered_replicas(const std::vector<uint32_t>& pods, const Topology& t, const Autoscaled& autoscaled) {
  int64_t total = 0;
  for (uint32_t i : pods) {
    const PodSource& p = t.pod_sources[i];
    std::string_view kind = p.object->kind();
    if (kind == "DaemonSet" || kind == "Job" || kind == "CronJob" || kind == "PodTemplate") return -1;
    if (t.object_index.first(*p.object) != p.object) continue;  // defined again: the same workload
    int64_t replicas = p.workload->replicas ? p.workload->replicas->value : 1;
    int64_t scaled_min = -1;  // the largest minimum of its autoscalers (alternatives side by side)
    if (const auto* hpas = autoscaled.find(NameKey{kind, p.ns(), p.object->name()}))
      for (auto [hpa, min] : *hpas)
        if (t.deployed_together(*hpa, *p.object)) scaled_min = std::max(scaled_min, min);
    total += scaled_min >= 0 ? scaled_min : replicas;
  }
  return total;
}

// Kubernetes' scaling of a budget's int-or-percent against the replicas, rounding up.
int64_t scaled(const IntOrString& v, int64_t replicas, bool* ok) {
  *ok = true;
  if (v.is_int) return v.int_value;
  std::string_view s = v.str_value;
  if (s.empty() || s.back() != '%') {
    *ok = false;
    return 0;
  }
  int64_t pct = 0;
  for (char c : s.substr(0, s.size() - 1)) {
    if (c < '0' || c > '9') {
      *ok = false;
      return 0;
    }
    pct = pct * 10 + (c - '0');
  }
  return (replicas * pct + 99) / 100;
}

void blocks_eviction(const RuleContext& ctx, Sink& sink) {
  Autoscaled autoscaled = autoscalers_by_target(ctx.model);
  for (auto [o, b] : ctx.range.of<DisruptionBudget>()) {
    bool ok = false;
    if (b.max_unavailable.set()) {
      if (scaled(b.max_unavailable, 100, &ok) != 0 || !ok) continue;
      sink.report(o, b.max_unavailable.node->pos(),
                  fmt::format("{} allows no unavailable pod (maxUnavailable: {}): the eviction API refuses every "
                              "voluntary eviction of its pods, so node drains and cluster upgrades hang on them",
                              o.display(), b.max_unavailable.node->text()),
                  "allow at least one pod to be unavailable (maxUnavailable: 1), and run enough replicas to stay up");
      continue;
    }
    if (!b.min_available.set() || !judged(o, b, ctx.topology)) continue;
    std::vector<uint32_t> pods = own_pods(ctx.topology.select(o.ns, b.selector), o, ctx.topology);
    int64_t replicas = pods.empty() ? -1 : covered_replicas(pods, ctx.topology, autoscaled);
    if (replicas <= 0) continue;
    int64_t min = scaled(b.min_available, replicas, &ok);
    if (!ok || min < replicas) continue;
    Finding* f = sink.report(
        o, b.min_available.node->pos(),
        fmt::format("{} requires {} pod{} available (minAvailable: {}) of the {} replica{} it covers: the eviction API "
                    "refuses every voluntary eviction, so node drains and cluster upgrades hang on these pods",
                    o.display(), min, min == 1 ? "" : "s", b.min_available.node->text(), replicas,
                    replicas == 1 ? "" : "s"),
        fmt::format("run more replicas than minAvailable, or use maxUnavailable: 1 (with {} replica{}, minAvailable at "
                    "most {})",
                    replicas, replicas == 1 ? "" : "s", replicas - 1));
    if (f) f->related.push_back({ctx.topology.pod_sources[pods.front()].object->pos(),
                                 fmt::format("{} is here", ctx.topology.pod_sources[pods.front()].object->display())});
  }
}

// Two budgets deployed together that select one pod template: the eviction API refuses to evict
// a pod that more than one budget covers.
void overlapping(const RuleContext& ctx, Sink& sink) {
  FlatMap<uint32_t, const Object*, NumberHash> first_budget;  // pod source: the first budget covering it
  for (auto [o, b] : ctx.model.of<DisruptionBudget>()) {
    if (o.context || !judged(o, b, ctx.topology)) continue;
    for (uint32_t i : own_pods(ctx.topology.select(o.ns, b.selector), o, ctx.topology)) {
      auto [at, fresh] = first_budget.try_emplace(i, &o);
      if (fresh || !ctx.topology.deployed_together(*at->value, o)) continue;
      const PodSource& p = ctx.topology.pod_sources[i];
      Finding* f = sink.report(
          o, b.selector.node ? b.selector.node->pos() : o.pos(),
          fmt::format("{} and {} both select the pods of {}: the eviction API refuses to evict a pod that more than "
                      "one budget covers (\"This pod has more than one PodDisruptionBudget\"), so drains hang on them",
                      at->value->display(), o.display(), p.object->display()),
          "keep one budget per workload: narrow one of the selectors, or remove one budget");
      if (f) f->related.push_back({at->value->pos(), fmt::format("{} is here", at->value->display())});
      break;  // one finding a budget
    }
  }
}

}  // namespace

void add_disruption_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::DisruptionNoMatchingPods, RuleScope::ObjectAndLinks, no_matching_pods});
  // Of the whole set: the autoscalers' minimums are gathered once.
  t->push_back({RuleId::DisruptionBlocksEviction, RuleScope::Set, blocks_eviction});
  t->push_back({RuleId::DisruptionOverlapping, RuleScope::Set, overlapping});
}

}  // namespace kmc::checks
