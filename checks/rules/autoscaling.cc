// autoscaling/: HorizontalPodAutoscalers against what they scale. The target is found through
// the object index by group, kind, namespace and name; its pod template says what the pods
// request.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/object_range.h"
#include "checks/references.h"
#include "checks/rules/rules.h"
#include "parser/scalar.h"

namespace kmc::checks {

namespace {
using parser::is_template_text;
using schema::Autoscaler;

bool judged(const Autoscaler& a) {
  std::string_view name = a.target_name.value();
  return a.target_kind.set() && !name.empty() && !is_template_text(name) && !is_template_text(a.target_kind.value());
}

void target_not_found(const RuleContext& ctx, Sink& sink) {
  for (auto [o, a] : ctx.range.of<Autoscaler>()) {
    if (!judged(a) || scale_target(ctx.topology, o, a)) continue;
    std::string what = fmt::format("{} scales {} \"{}\"", o.display(), a.target_kind.value(), a.target_name.value());
    if (!ctx.topology.namespace_has(a.target_kind.value(), o.ns, o) || ctx.topology.operator_namespace(o.ns)) {
      sink.report(o, Severity::Info, a.target_name.pos(),
                  fmt::format("{}, and neither its directory nor --context holds any {} of namespace \"{}\", so kmc "
                              "cannot tell whether it exists",
                              what, a.target_kind.value(), o.ns),
                  "pass the workload with --context to check the name");
      continue;
    }
    std::string_view near = nearest_name(ctx.model, ctx.topology, a.target_kind.value(), o.ns, a.target_name.value());
    sink.report(o, a.target_name.pos(),
                fmt::format("{}, but namespace \"{}\" has no {} of that name (in the input or --context{}); the "
                            "autoscaler scales nothing (\"the HPA was unable to compute the replica count\")",
                            what, o.ns, a.target_kind.value(),
                            near.empty() ? std::string() : fmt::format("; the nearest is \"{}\"", near)),
                near.empty() ? std::string("correct scaleTargetRef (apiVersion, kind and name of the workload)")
                             : fmt::format("did you mean \"{}\"?", near));
  }
}

std::string_view request_of(const schema::Container& c, std::string_view resource) {
  const schema::Text& t = resource == "cpu" ? c.cpu_request : c.memory_request;
  return t.set() ? t.value() : std::string_view();
}

// The containers a utilization metric on `m.resource` needs a request from, that have none.
std::vector<std::string_view> without_request(const Workload& w, const Autoscaler::ResourceMetric& m) {
  std::vector<std::string_view> missing;
  for (const schema::Container& c : w.pod_template.spec.containers) {
    if (c.init) continue;  // utilization is computed over the app containers
    if (m.container.set() && c.name.value() != m.container.value()) continue;
    if (request_of(c, m.resource).empty()) missing.push_back(c.name.value());
  }
  return missing;
}

void missing_requests(const RuleContext& ctx, Sink& sink) {
  for (auto [o, a] : ctx.range.of<Autoscaler>()) {
    if (!judged(a)) continue;
    const Object* target = scale_target(ctx.topology, o, a);
    const Workload* w = target ? target->as<Workload>() : nullptr;
    // A LimitRange of the namespace may give the containers default requests at admission.
    if (!w || ctx.topology.namespace_has("LimitRange", target->ns, *target)) continue;
    for (const Autoscaler::ResourceMetric& m : a.metrics) {
      if (!m.utilization || (m.resource != "cpu" && m.resource != "memory")) continue;
      std::vector<std::string_view> missing = without_request(*w, m);
      if (missing.empty()) continue;
      bool by_default = m.node == a.spec;
      Finding* f = sink.report(
          o, m.node ? m.node->pos() : o.pos(),
          fmt::format("{} scales {} on {} utilization{}, but container{} \"{}\" request{} no {}: the autoscaler cannot "
                      "compute the utilization (\"missing request for {}\") and never scales",
                      o.display(), target->display(), m.resource,
                      by_default ? " (no metrics: the default, 80 % CPU)" : "", missing.size() > 1 ? "s" : "",
                      fmt::join(missing, "\", \""), missing.size() > 1 ? "" : "s", m.resource, m.resource),
          fmt::format("set resources.requests.{} on every container of {}'s pod template", m.resource, target->display()));
      if (f) f->related.push_back({target->pos(), fmt::format("{} is here", target->display())});
    }
  }
}

void replicas_conflict(const RuleContext& ctx, Sink& sink) {
  for (auto [o, a] : ctx.range.of<Autoscaler>()) {
    if (!judged(a)) continue;
    const Object* target = scale_target(ctx.topology, o, a);
    const Workload* w = target ? target->as<Workload>() : nullptr;
    if (!w || !w->replicas || !w->replicas->set()) continue;
    Finding* f = sink.report(
        *target, w->replicas->node->pos(),
        fmt::format("{} sets spec.replicas: {}, and {} scales it: every apply resets the replicas to {}, undoing what "
                    "the autoscaler chose, until it scales them again",
                    target->display(), w->replicas->value, o.display(), w->replicas->value),
        "remove spec.replicas from the manifest and let the autoscaler own it (minReplicas sets the floor)");
    if (f) f->related.push_back({o.pos(), fmt::format("{} is here", o.display())});
  }
}

void bounds(const RuleContext& ctx, Sink& sink) {
  for (auto [o, a] : ctx.range.of<Autoscaler>()) {
    if (a.min_replicas.set() && a.min_replicas.value == 0) {
      sink.report(o, a.min_replicas.node->pos(),
                  fmt::format("{} has minReplicas: 0, which the API server accepts only with the alpha feature gate "
                              "HPAScaleToZero (off by default): it rejects the autoscaler",
                              o.display()),
                  "set minReplicas to 1 or more (or leave it out: it defaults to 1)");
      continue;
    }
    int64_t min = a.min_replicas.set() ? a.min_replicas.value : 1;
    if (a.max_replicas.set() && min > a.max_replicas.value)
      sink.report(o, a.min_replicas.set() ? a.min_replicas.node->pos() : a.max_replicas.node->pos(),
                  fmt::format("{} has minReplicas {} above maxReplicas {}; the API server rejects it (\"must be "
                              "greater than or equal to minReplicas\")",
                              o.display(), min, a.max_replicas.value),
                  "make maxReplicas at least minReplicas");
  }
}

}  // namespace

void add_autoscaling_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::AutoscalingTargetNotFound, RuleScope::ObjectAndLinks, target_not_found});
  t->push_back({RuleId::AutoscalingMissingRequests, RuleScope::ObjectAndLinks, missing_requests});
  t->push_back({RuleId::AutoscalingReplicasConflict, RuleScope::ObjectAndLinks, replicas_conflict});
  t->push_back({RuleId::AutoscalingBounds, RuleScope::Object, bounds});
}

}  // namespace kmc::checks
