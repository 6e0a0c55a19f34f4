// admission/limit-range, quota-requires-resources, quota-exceeded: what the LimitRanger and
// ResourceQuota admission plugins decide from the LimitRanges and ResourceQuotas of a namespace.
// Containers are judged after defaulting, in the API server's order: a request left out is its
// limit (API defaulting), then each LimitRange fills a missing limit from `default` and a missing
// request from `defaultRequest` (which default themselves to `max` and to `default` or `min`).
// CPU and memory only; Pod- and PersistentVolumeClaim-type LimitRange items are not judged.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "schema/quantity.h"

namespace kmc::checks {

namespace {
using schema::Amount;
using schema::LimitRange;
using schema::Quantity;
using schema::ResourceQuota;

constexpr std::string_view kResources[] = {"cpu", "memory"};

// total += q × n, saturating where an input's replicas and amounts would overflow (a hostile
// manifest can ask for 10^18 replicas of 10^20 bytes each).
void add_scaled(Quantity* total, const Quantity& q, int64_t n) {
  constexpr __int128 kMost = (static_cast<__int128>(1) << 120);
  if (n <= 0 || q.nanos <= 0) return;
  if (q.saturated || q.nanos > kMost / n || total->nanos > kMost - q.nanos * n) {
    total->nanos = kMost;
    total->saturated = true;
    return;
  }
  total->nanos += q.nanos * n;
}

std::optional<Quantity> quantity(const schema::Text& t) {
  Quantity q;
  std::string error;
  if (!t.set() || !schema::parse_quantity(t.value(), &q, &error)) return std::nullopt;
  return q;
}

const Amount* find(const std::vector<Amount>& list, std::string_view name) {
  for (const Amount& a : list)
    if (a.name.value() == name) return &a;
  return nullptr;
}

// One Container item of a LimitRange, per resource, after the item's own defaulting.
struct ContainerBounds {
  const Object* range;
  std::optional<Quantity> min, max, default_limit, default_request, ratio;
  const Amount *min_at = nullptr, *max_at = nullptr, *ratio_at = nullptr;
};

ContainerBounds bounds_of(const Object& o, const LimitRange::Item& item, std::string_view r) {
  ContainerBounds b{&o};
  b.min_at = find(item.min, r);
  b.max_at = find(item.max, r);
  b.ratio_at = find(item.max_limit_request_ratio, r);
  if (b.min_at) b.min = quantity(b.min_at->value);
  if (b.max_at) b.max = quantity(b.max_at->value);
  if (b.ratio_at) b.ratio = quantity(b.ratio_at->value);
  if (const Amount* d = find(item.default_limit, r)) b.default_limit = quantity(d->value);
  if (!b.default_limit) b.default_limit = b.max;
  if (const Amount* d = find(item.default_request, r)) b.default_request = quantity(d->value);
  if (!b.default_request) b.default_request = b.default_limit ? b.default_limit : b.min;
  return b;
}

// What admission sees of one container's resource: the values after defaulting, and where each
// was written (unset when a LimitRange filled it in).
struct Effective {
  std::optional<Quantity> request, limit;
  const schema::Text* request_at = nullptr;
  const schema::Text* limit_at = nullptr;
};

// The LimitRanges and ResourceQuotas of one namespace (input and --context).
struct NamespacePolicy {
  std::vector<std::pair<const Object*, const LimitRange::Item*>> container_items;
  std::vector<std::pair<const Object*, const ResourceQuota*>> quotas;
};

std::map<std::string_view, NamespacePolicy> policies(const Model& model) {
  std::map<std::string_view, NamespacePolicy> out;
  for (auto [o, l] : model.of<LimitRange>())
    for (const LimitRange::Item& item : l.limits)
      if (item.type.value() == "Container") out[o.ns].container_items.emplace_back(&o, &item);
  for (auto [o, q] : model.of<ResourceQuota>()) out[o.ns].quotas.emplace_back(&o, &q);
  return out;
}

// A LimitRange or quota governs the pods deployed with it (its directory, or all of them when it
// is in the cluster, from --context): the input's other directories may be other projects', as
// the examples of a documentation site are, each with the namespace "default".
bool governs(const Topology& t, const Object& policy, const Object& pod) { return t.deployed_together(policy, pod); }

// Whether more than one LimitRange governs `pod`. A real namespace rarely has two; a directory
// that has (a tutorial's, whose examples go to a namespace each) cannot say which the pod meets,
// so its pods are not judged against any.
bool ambiguous_ranges(const NamespacePolicy& p, const Topology& t, const Object& pod) {
  const Object* first = nullptr;
  for (const auto& [o, item] : p.container_items)
    if (governs(t, *o, pod)) {
      if (first && first != o) return true;
      first = o;
    }
  return false;
}

Effective effective(const schema::Container& c, std::string_view r, const NamespacePolicy& p, const Topology& t,
                    const Object& pod) {
  Effective e;
  const schema::Text& request = r == "cpu" ? c.cpu_request : c.memory_request;  // a left-out request is its limit
  const schema::Text& limit = r == "cpu" ? c.cpu_limit : c.memory_limit;
  if (request.set()) e = {quantity(request), std::nullopt, &request, nullptr};
  if (limit.set()) {
    e.limit = quantity(limit);
    e.limit_at = &limit;
  }
  for (const auto& [o, item] : p.container_items) {
    if (!governs(t, *o, pod)) continue;
    ContainerBounds b = bounds_of(*o, *item, r);
    if (!e.limit) e.limit = b.default_limit;
    if (!e.request) e.request = b.default_request;
  }
  return e;
}

Position where(const schema::Container& c, const schema::Text* field, const Object& o) {
  if (field) return field->pos();
  return c.name.set() ? c.name.pos() : o.pos();
}

// One container's resource `r` (after defaulting, `e`) against one LimitRange item's bounds.
void judge_bounds(Sink& sink, const PodSource& p, const schema::Container& c, std::string_view r, const Effective& e,
                  const Object& range, const ContainerBounds& b) {
  auto report = [&](const schema::Text* field, const std::string& what, const std::string& refusal, const Amount* bound) {
    Finding* f = sink.report(*p.object, where(c, field, *p.object),
                             fmt::format("{}: container \"{}\" {}; LimitRange \"{}\" of namespace \"{}\" forbids it, so "
                                         "the API server refuses every pod (\"{}\")",
                                         p.object->display(), c.name.value(), what, range.name(), p.ns(), refusal),
                             fmt::format("set resources {} within the LimitRange's bounds", r));
    if (f && bound) f->related.push_back({bound->value.pos(), fmt::format("the LimitRange's bound on {}", r)});
  };
  std::string req = e.request ? e.request->str() : "", lim = e.limit ? e.limit->str() : "";
  if (b.min && e.request && *e.request < *b.min)
    report(e.request_at, fmt::format("requests {} {} (below the minimum {})", req, r, b.min->str()),
           fmt::format("minimum {} usage per Container is {}, but request is {}", r, b.min->str(), req), b.min_at);
  if (b.min && e.limit && *e.limit < *b.min)
    report(e.limit_at, fmt::format("limits {} to {} (below the minimum {})", r, lim, b.min->str()),
           fmt::format("minimum {} usage per Container is {}, but limit is {}", r, b.min->str(), lim), b.min_at);
  if (b.max && e.limit && *e.limit > *b.max)
    report(e.limit_at, fmt::format("limits {} to {} (above the maximum {})", r, lim, b.max->str()),
           fmt::format("maximum {} usage per Container is {}, but limit is {}", r, b.max->str(), lim), b.max_at);
  if (b.max && e.request && *e.request > *b.max)
    report(e.request_at, fmt::format("requests {} {} (above the maximum {})", req, r, b.max->str()),
           fmt::format("maximum {} usage per Container is {}, but request is {}", r, b.max->str(), req), b.max_at);
  // limit / request > ratio, compared as limit > ratio × request without dividing.
  if (b.ratio && e.limit && e.request && e.request->nanos > 0 &&
      static_cast<long double>(e.limit->nanos) * 1e9L >
          static_cast<long double>(b.ratio->nanos) * static_cast<long double>(e.request->nanos))
    report(e.limit_at,
           fmt::format("limits {} to {} for a request of {}, more than maxLimitRequestRatio {} times it", r, lim, req,
                       b.ratio->str()),
           fmt::format("{} max limit to request ratio per Container is {}", r, b.ratio->str()), b.ratio_at);
}

// The namespace policy of a pod kmc can judge: none for a --context pod, a namespace without
// LimitRanges or quotas, or pods that two LimitRanges govern.
const NamespacePolicy* judged_policy(const std::map<std::string_view, NamespacePolicy>& all, const PodSource& p,
                                     const Topology& t) {
  auto it = all.find(p.ns());
  if (p.object->context || it == all.end() || ambiguous_ranges(it->second, t, *p.object)) return nullptr;
  return &it->second;
}

void limit_range(const RuleContext& ctx, Sink& sink) {
  std::map<std::string_view, NamespacePolicy> all = policies(ctx.model);
  for (const PodSource& p : ctx.range.pod_sources()) {
    const NamespacePolicy* policy = judged_policy(all, p, ctx.topology);
    if (!policy) continue;
    for (const schema::Container& c : p.pod().spec.containers)
      for (std::string_view r : kResources) {
        Effective e = effective(c, r, *policy, ctx.topology, *p.object);
        for (const auto& entry : policy->container_items)
          if (governs(ctx.topology, *entry.first, *p.object))
            judge_bounds(sink, p, c, r, e, *entry.first, bounds_of(*entry.first, *entry.second, r));
      }
  }
}

// A quota without scopes counts every pod; scoped ones (BestEffort, Terminating, PriorityClass
// selectors) count only some, which kmc does not model.
bool unscoped(const ResourceQuota& q) { return q.scopes.empty() && !q.scope_selector; }

// The resource and kind ("requests" or "limits") a quota's hard key makes mandatory, for CPU and
// memory: requests.cpu and cpu, limits.memory, ...; empty for other keys.
std::pair<std::string_view, bool> mandatory(std::string_view key) {
  if (key == "cpu" || key == "memory") return {key, false};
  bool limits = key.starts_with("limits.");
  if (!limits && !key.starts_with("requests.")) return {};
  std::string_view r = key.substr(key.find('.') + 1);
  return r == "cpu" || r == "memory" ? std::pair{r, limits} : std::pair{std::string_view(), false};
}

// The containers of `p` that lack what quota `qo`'s hard entry `h` makes mandatory.
void judge_mandatory(Sink& sink, const PodSource& p, const NamespacePolicy& policy, const Topology& t, const Object& qo,
                     const Amount& h) {
  auto [r, limits] = mandatory(h.name.value());
  if (r.empty()) return;
  for (const schema::Container& c : p.pod().spec.containers) {
    Effective e = effective(c, r, policy, t, *p.object);
    if (limits ? e.limit.has_value() : e.request.has_value()) continue;
    Finding* f = sink.report(
        *p.object, c.name.set() ? c.name.pos() : p.object->pos(),
        fmt::format("{}: container \"{}\" has no {} {}, and ResourceQuota \"{}\" of namespace \"{}\" limits {}: the API "
                    "server refuses every pod (\"must specify {}\"), and no LimitRange defaults it",
                    p.object->display(), c.name.value(), r, limits ? "limit" : "request", qo.name(), p.ns(),
                    h.name.value(), h.name.value()),
        fmt::format("set resources.{}.{} on the container, or a LimitRange default for the namespace",
                    limits ? "limits" : "requests", r));
    if (f) f->related.push_back({h.name.pos(), fmt::format("the quota's hard {}", h.name.value())});
  }
}

void quota_requires_resources(const RuleContext& ctx, Sink& sink) {
  std::map<std::string_view, NamespacePolicy> all = policies(ctx.model);
  for (const PodSource& p : ctx.range.pod_sources()) {
    const NamespacePolicy* policy = judged_policy(all, p, ctx.topology);
    if (!policy) continue;
    for (const auto& [qo, q] : policy->quotas)
      if (unscoped(*q) && governs(ctx.topology, *qo, *p.object))
        for (const Amount& h : q->hard) judge_mandatory(sink, p, *policy, ctx.topology, *qo, h);
  }
}

// How many pods a workload keeps running, or nullopt when kmc cannot tell: a DaemonSet's are one
// per node, a CronJob's come and go.
std::optional<int64_t> pods_of(const PodSource& p) {
  std::string_view kind = p.object->kind();
  if (kind == "DaemonSet" || kind == "CronJob" || kind == "PodTemplate") return std::nullopt;
  return p.workload->replicas && p.workload->replicas->node ? p.workload->replicas->value : 1;
}

// One pod's request or limit of `r`: the sum over its app containers, or its largest init
// container's when that is larger (init containers run one at a time, before the others).
std::optional<Quantity> pod_amount(const PodSource& p, std::string_view r, bool limits, const NamespacePolicy& policy,
                                   const Topology& t) {
  Quantity apps, init;
  for (const schema::Container& c : p.pod().spec.containers) {
    Effective e = effective(c, r, policy, t, *p.object);
    const std::optional<Quantity>& q = limits ? e.limit : e.request;
    if (!q) return std::nullopt;  // quota-requires-resources says so
    if (c.init) init = std::max(init, *q);
    else add_scaled(&apps, *q, 1);
  }
  return std::max(apps, init);
}

// Whether `o` is what an object-count quota `count/<resource>[.<group>]` counts: the resource is
// the kind's plural, lower case (deployments.apps, configmaps, ingresses.networking.k8s.io).
bool counted_as(const Object& o, std::string_view resource) {
  std::string plural;
  for (char c : o.kind()) plural += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (plural == "endpoints") {
  } else if (plural.ends_with("s") || plural.ends_with("x")) {
    plural += "es";
  } else if (plural.ends_with("y")) {
    plural.back() = 'i';
    plural += "es";
  } else {
    plural += "s";
  }
  if (!o.group().empty()) plural += "." + std::string(o.group());
  return plural == resource;
}

// How much of an object-count key `o` takes, or nullopt for a key that counts no objects.
std::optional<int64_t> object_count(std::string_view key, const Object& o) {
  const schema::Service* s = o.as<schema::Service>();
  std::string_view type = s ? s->type.value() : std::string_view();
  if (key.starts_with("count/")) return counted_as(o, key.substr(6)) ? 1 : 0;
  if (key == "services") return s ? 1 : 0;
  // Each port of a NodePort or LoadBalancer Service takes a node port.
  if (key == "services.nodeports") return type == "NodePort" || type == "LoadBalancer" ? static_cast<int64_t>(s->ports.size()) : 0;
  if (key == "services.loadbalancers") return type == "LoadBalancer" ? 1 : 0;
  if (key == "configmaps") return o.kind() == "ConfigMap" && o.group().empty() ? 1 : 0;
  if (key == "secrets") return o.kind() == "Secret" && o.group().empty() ? 1 : 0;
  if (key == "persistentvolumeclaims") return o.as<schema::PersistentVolumeClaim>() ? 1 : 0;
  return std::nullopt;
}

// What the objects a quota counts need of one of its hard entries: the objects of its
// namespace, in the input, deployed with it, each once, and written for that namespace (objects
// that name none go wherever `kubectl -n` sends them: a tutorial's directory sends each example
// to a namespace of its own).
class QuotaNeed {
 public:
  QuotaNeed(const Object& quota, const Model& model, const Topology& t, const NamespacePolicy& policy)
      : quota_(quota), model_(model), t_(t), policy_(policy) {}

  // nullopt for an entry kmc does not total.
  std::optional<Quantity> of(std::string_view key) const {
    if (key == "pods") return pods();
    if (key == "requests.storage") return storage();
    auto [r, limits] = mandatory(key);
    if (!r.empty()) return compute(r, limits);
    if (key.starts_with("requests.") || key.starts_with("limits.")) return std::nullopt;  // other resources
    return objects(key);
  }

 private:
  static constexpr __int128 kOne = 1'000'000'000;  // a count, in Quantity's units

  bool counted(const Object& o) const {
    return !o.context && o.ns == quota_.ns && o.meta.ns.set() && governs(t_, quota_, o) && t_.object_index.first(o) == &o;
  }

  Quantity compute(std::string_view r, bool limits) const {
    Quantity total;
    for (uint32_t i : t_.pods_by_namespace.find(quota_.ns)) {
      const PodSource& p = t_.pod_sources[i];
      std::optional<int64_t> pods = pods_of(p);
      if (!pods || !counted(*p.object) || ambiguous_ranges(policy_, t_, *p.object)) continue;
      if (std::optional<Quantity> each = pod_amount(p, r, limits, policy_, t_)) add_scaled(&total, *each, *pods);
    }
    return total;
  }

  Quantity pods() const {
    Quantity total;
    for (uint32_t i : t_.pods_by_namespace.find(quota_.ns)) {
      const PodSource& p = t_.pod_sources[i];
      if (std::optional<int64_t> pods = pods_of(p); pods && counted(*p.object)) add_scaled(&total, Quantity{kOne}, *pods);
    }
    return total;
  }

  // Claims' requests, and a StatefulSet's claim templates once for each replica.
  Quantity storage() const {
    Quantity total;
    for (const Object& o : model_.objects) {
      if (!counted(o)) continue;
      if (const schema::PersistentVolumeClaim* c = o.as<schema::PersistentVolumeClaim>())
        if (std::optional<Quantity> q = quantity(c->spec.storage_request)) add_scaled(&total, *q, 1);
      const schema::Workload* w = o.as<schema::Workload>();
      if (!w || o.kind() != "StatefulSet") continue;
      for (const schema::Workload::ClaimTemplate& ct : w->volume_claim_templates)
        if (std::optional<Quantity> q = quantity(ct.spec.storage_request))
          add_scaled(&total, *q, w->replicas && w->replicas->node ? w->replicas->value : 1);
    }
    return total;
  }

  // Whether `key` counts objects at all depends on the key alone: the quota itself says.
  std::optional<Quantity> objects(std::string_view key) const {
    if (!object_count(key, quota_)) return std::nullopt;
    Quantity total;
    for (const Object& o : model_.objects)
      if (counted(o)) add_scaled(&total, Quantity{kOne}, *object_count(key, o));
    return total;
  }

  const Object& quota_;
  const Model& model_;
  const Topology& t_;
  const NamespacePolicy& policy_;
};

// QuotaNeed::of once for each namespace, directory and key, however many quotas ask: a namespace of
// many quotas costs one pass over its pods (or the objects) per key it names.
class Needs {
 public:
  Needs(const Model& model, const Topology& t) : model_(model), t_(t) {}
  std::optional<Quantity> of(std::string_view key, const Object& quota, const NamespacePolicy& policy) {
    auto [it, fresh] = memo_.try_emplace({quota.ns, t_.scope(quota), key});
    if (fresh) it->second = QuotaNeed(quota, model_, t_, policy).of(key);
    return it->second;
  }

 private:
  const Model& model_;
  const Topology& t_;
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, std::optional<Quantity>> memo_;
};

// An amount as a message shows it: bytes are whole (the API server rounds a fraction up).
std::string shown(Quantity q, std::string_view key) {
  constexpr __int128 kNano = 1'000'000'000;
  bool bytes = key.find("memory") != std::string_view::npos || key.find("storage") != std::string_view::npos;
  if (bytes && !q.saturated && q.nanos % kNano != 0) q.nanos += kNano - q.nanos % kNano;
  return q.str();
}

// The quotas' totals against what the namespace's workloads need together (replicas ×
// requests), with replicas as written: a rolling update's surge and an autoscaler's scale-out
// need more, so a quota kmc finds just enough can still refuse them.
void quota_exceeded(const RuleContext& ctx, Sink& sink) {
  std::map<std::string_view, NamespacePolicy> all = policies(ctx.model);
  Needs needs(ctx.model, ctx.topology);
  for (const auto& [ns, policy] : all)
    for (const auto& [qo, q] : policy.quotas) {
      if (qo->context || !unscoped(*q) || !qo->meta.ns.set()) continue;
      for (const Amount& h : q->hard) {
        std::optional<Quantity> hard = quantity(h.value);
        std::optional<Quantity> need = hard ? needs.of(h.name.value(), *qo, policy) : std::nullopt;
        if (!need || *need <= *hard) continue;
        sink.report(*qo, h.value.pos(),
                    fmt::format("{} allows {} {} in namespace \"{}\", and its workloads and objects in the input need "
                                "{}: the API server refuses what goes over (\"exceeded quota\"), so some pods or "
                                "objects are never created",
                                qo->display(), h.name.value(), hard->str(), ns, shown(*need, h.name.value())),
                    fmt::format("raise hard {} to at least {}, or lower the replicas or requests", h.name.value(),
                                shown(*need, h.name.value())));
      }
    }
}

}  // namespace

void add_resource_admission_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::AdmissionQuotaRequiresResources, RuleScope::ObjectAndLinks, quota_requires_resources});
  t->push_back({RuleId::AdmissionQuotaExceeded, RuleScope::Set, quota_exceeded});
  t->push_back({RuleId::AdmissionLimitRange, RuleScope::ObjectAndLinks, limit_range});
}

}  // namespace kmc::checks
