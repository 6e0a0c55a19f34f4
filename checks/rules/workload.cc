#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "checks/env_from.h"
#include "checks/envvars.h"

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"

namespace kmc::checks {
using schema::Container;
using schema::EnvVar;
using schema::IntOrString;
using schema::LabelMap;
using schema::LabelSelector;
using schema::Object;
using schema::PodTemplate;
using schema::SelectorRequirement;
using schema::Text;
using schema::Workload;

namespace {

// Kinds whose API validation requires the selector to match the template's labels.
bool selector_must_match(const Object& o) {
  std::string_view k = o.kind();
  return k == "Deployment" || k == "StatefulSet" || k == "DaemonSet" || k == "ReplicaSet" ||
         k == "ReplicationController" || k == "Job";
}

// What the selector asks for that the labels lack, as "selects X, but its pod template Y";
// `key`: the label of matchLabels it is about, if it is one.
std::string first_unmet(const LabelSelector& sel, const LabelMap& labels, Position* where, std::string_view* key) {
  for (LabelMap::Entry e : sel.match_labels) {
    std::optional<std::string_view> v = labels.find(e.key());
    *where = e.key_node->pos();
    *key = e.key();
    if (!v) return fmt::format("selects `{}={}`, but its pod template has no label `{}`", e.key(), e.value(), e.key());
    if (*v != e.value()) return fmt::format("selects `{}={}`, but its pod template has `{}={}`", e.key(), e.value(), e.key(), *v);
  }
  for (const SelectorRequirement& r : sel.match_expressions) {
    LabelSelector one;
    one.match_expressions.push_back(r);
    if (!one.matches(labels)) {
      *where = r.node->pos();
      std::string values;
      for (const Text& t : r.values) {
        if (!values.empty()) values += ',';
        values += t.value();
      }
      return fmt::format("selects `{} {} [{}]`, but its pod template's labels ({}) do not satisfy it", r.key.value(),
                         r.op.value(), values, format_labels(labels));
    }
  }
  return {};
}

void selector_mismatch(const RuleContext& ctx, Sink& sink) {
  for (auto [o, w] : ctx.range.of<Workload>()) {
    if (!selector_must_match(o)) continue;
    if (!w.selector.set() || w.selector.empty()) continue;
    const PodTemplate& t = w.pod_template;
    if (!t.node) continue;
    if (w.selector.matches(t.meta.labels)) continue;
    Position where = w.selector.node->pos();
    std::string_view key;
    std::string unmet = first_unmet(w.selector, t.meta.labels, &where, &key);
    Finding* f = sink.report(
        o, where,
        fmt::format("{} {}; the API server rejects a {} whose selector does not match its own template's labels",
                    o.display(), unmet, o.kind()),
        "make spec.selector select the labels in spec.template.metadata.labels (or add the label to the template)");
    if (f) {
      // The template's value of that label, when it has one: in a rendered overlay, the line of
      // the patch that changed it (so that `--only-files` on the patch reports this).
      const parser::Node* labels_node = t.meta.labels.node;
      const parser::Node* value = labels_node && !key.empty() ? labels_node->get(key) : nullptr;
      if (value) {
        f->related.push_back({value->pos(), fmt::format("the pod template's label `{}` is set here", key)});
      } else {
        f->related.push_back({labels_node ? labels_node->pos() : t.node->pos(), "the pod template's labels are here"});
      }
    }
  }
}

// Controllers whose selectors adopt pods (Jobs get a generated controller-uid selector). An
// object with ownerReferences (a Deployment's ReplicaSet in a cluster dump) is managed by its
// owner, which checked the overlap already.
bool is_controller(const Object& o) {
  std::string_view k = o.kind();
  bool kind = k == "Deployment" || k == "StatefulSet" || k == "DaemonSet" || k == "ReplicaSet" ||
              k == "ReplicationController";
  return kind && !o.owned;
}

void overlapping_selectors(const RuleContext& ctx, Sink& sink) {
  // Each unordered pair once, and once per pair of names: the same pair defined in several
  // files of one directory is one problem.
  std::set<std::tuple<std::string_view, std::string_view, std::string_view, std::string_view, std::string_view>> seen;
  for (uint32_t i = 0; i < ctx.topology.pod_sources.size(); ++i) {
    const PodSource& a = ctx.topology.pod_sources[i];
    if (!is_controller(*a.object) || !a.workload->selector.set() || a.workload->selector.empty()) continue;
    for (uint32_t j : ctx.topology.select_together(*a.object, a.workload->selector)) {
      if (j <= i) continue;
      const PodSource& b = ctx.topology.pod_sources[j];
      if (!is_controller(*b.object)) continue;
      // Two definitions of one object are alternatives (schema/duplicate-object), not two controllers.
      if (a.object->kind() == b.object->kind() && a.object->name() == b.object->name()) continue;
      // "Each other's pods": a one-way overlap is a narrower selector inside a broader one,
      // which ControllerRef keeps apart; a mutual one makes the two indistinguishable.
      if (!b.workload->selector.set() || b.workload->selector.empty() ||
          !b.workload->selector.matches(a.pod().meta.labels))
        continue;
      const PodSource& later = b.object->context ? a : b;
      const PodSource& earlier = &later == &a ? b : a;
      std::pair name_a{a.object->kind(), a.object->name()}, name_b{b.object->kind(), b.object->name()};
      if (name_b < name_a) std::swap(name_a, name_b);
      if (!seen.insert({later.ns(), name_a.first, name_a.second, name_b.first, name_b.second}).second) continue;
      Position at = later.workload->selector.node->pos();
      Finding* f = sink.report(
          *later.object, at,
          fmt::format("{} and {} select each other's pods (both select `{}`); the two controllers cannot tell their "
                      "pods apart, so Services, rollouts, autoscalers and disruption budgets count both sets as one",
                      later.object->display(), earlier.object->display(),
                      format_labels(later.workload->selector.match_labels)),
          "give each workload a label the other lacks (e.g. app.kubernetes.io/component) and select on it");
      if (f) f->related.push_back({earlier.workload->selector.node->pos(),
                                   fmt::format("{} selects here", earlier.object->display())});
    }
  }
}

void statefulset_service(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    if (p.object->kind() != "StatefulSet") continue;
    const Text& name = p.workload->service_name;
    if (!name.set() || name.value().empty()) continue;
    const ServiceLinks* s = ctx.topology.service(p.ns(), name.value(), *p.object);
    std::string problem;
    if (!s) {
      problem = fmt::format("no Service \"{}\" exists in namespace \"{}\" (in the input or --context)", name.value(),
                            p.ns());
    } else if (!s->service->headless()) {
      problem = fmt::format("{} is not headless (it has no `clusterIP: None`)", s->object->display());
    } else if (s->service->selector.empty() || !s->service->selector.subset_of(p.pod().meta.labels)) {
      // Read from the labels, not the Service's links: those keep its own directory's pods.
      problem = fmt::format("{} does not select the StatefulSet's pods (it selects `{}`, the pods have {})",
                            s->object->display(), format_labels(s->service->selector),
                            format_labels(p.pod().meta.labels));
    } else {
      continue;
    }
    Finding* f = sink.report(*p.object, name.pos(),
                             fmt::format("{} is governed by serviceName \"{}\", but {}; the stable pod DNS names "
                                         "({}-0.{}.{}.svc...) will not resolve",
                                         p.object->display(), name.value(), problem, p.object->name(), name.value(), p.ns()),
                             fmt::format("add a headless Service \"{}\" (`clusterIP: None`) whose selector matches the "
                                         "pod template's labels",
                                         name.value()));
    if (f && s) f->related.push_back({s->object->pos(), fmt::format("{} is here", s->object->display())});
  }
}

// maxSurge/maxUnavailable of 0 or "0%".
bool is_zero(const IntOrString& v) {
  return v.set() && ((v.is_int && v.int_value == 0) || (!v.is_int && v.str_value == "0%"));
}

void rolling_update(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    if (!p.workload->rolling_update) continue;
    const Workload::RollingUpdate& w = *p.workload->rolling_update;
    std::string_view kind = p.object->kind();
    std::string_view type = w.strategy_type.value();
    bool not_rolling = (kind == "Deployment" && type == "Recreate") ||
                       ((kind == "StatefulSet" || kind == "DaemonSet") && type == "OnDelete");
    if (not_rolling) {
      sink.report(*p.object, (w.key ? w.key : w.node)->pos(),
                  fmt::format("{} sets rollingUpdate with `type: {}`; the API server rejects rollingUpdate unless the "
                              "type is RollingUpdate",
                              p.object->display(), type),
                  fmt::format("remove rollingUpdate, or set `type: RollingUpdate`"));
      continue;
    }
    if ((kind == "Deployment" || kind == "DaemonSet") && is_zero(w.max_surge) && is_zero(w.max_unavailable)) {
      sink.report(*p.object, w.max_unavailable.node->pos(),
                  fmt::format("{} sets both maxSurge and maxUnavailable to 0; a rollout could then never replace a "
                              "pod, so the API server rejects it",
                              p.object->display()),
                  "allow at least one extra pod (maxSurge: 1) or one unavailable pod (maxUnavailable: 1)");
    } else if (kind == "StatefulSet" && is_zero(w.max_unavailable)) {
      sink.report(*p.object, w.max_unavailable.node->pos(),
                  fmt::format("{} sets maxUnavailable to 0; a StatefulSet rollout needs at least one pod it may take "
                              "down, so the API server rejects it",
                              p.object->display()),
                  "set maxUnavailable to 1 or more (or remove it: the default is 1)");
    }
  }
}

void duplicate_env(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources())
    for (const Container& c : p.pod().spec.containers) {
      std::unordered_map<std::string_view, const EnvVar*> seen;
      for (const EnvVar& e : c.env) {
        if (!e.name.set()) continue;
        auto [it, fresh] = seen.emplace(e.name.value(), &e);
        if (fresh) continue;
        Finding* f = sink.report(*p.object, e.name.pos(),
                                 fmt::format("container \"{}\" of {} defines {} twice; the last one wins and the "
                                             "first is silently ignored",
                                             c.name.value(), p.object->display(), e.name.value()),
                                 "remove one of the two definitions");
        if (f) f->related.push_back({it->second->name.pos(), "the first definition"});
      }
    }
}

// Whether $(name) may be set by something other than the container's env list: one of its
// envFrom sources, or the kubelet's service variables (which the discovery rules judge).
bool set_outside_env(const Topology& t, const PodSource& p, const EnvFromNames& from_env_from, std::string_view name) {
  if (from_env_from.defines(name)) return true;
  ServiceVariableName svc;
  return parse_service_variable(name, &svc) && (svc.strong || t.service(p.ns(), svc.service) || svc.service == "kubernetes");
}

// The references of one container's env values to variables declared later, or never.
void env_forward_references(const Topology& t, const PodSource& p, const Container& c, Sink& sink) {
  EnvFromNames from_env_from = env_from_names(t, c, p.ns());
  std::unordered_map<std::string_view, size_t> declared;  // name -> first index
  for (size_t i = 0; i < c.env.size(); ++i) declared.emplace(c.env[i].name.value(), i);
  for (size_t i = 0; i < c.env.size(); ++i) {
    const EnvVar& e = c.env[i];
    if (!e.value.set()) continue;
    for (const VariableRef& r : kubelet_refs(e.value.value())) {
      if (set_outside_env(t, p, from_env_from, r.name)) continue;
      auto it = declared.find(r.name);
      if (it != declared.end() && it->second < i) continue;
      Position at = position_in(sink.sources(), e.value.node, r.offset, r.name);
      if (it != declared.end()) {
        Finding* f = sink.report(
            *p.object, at,
            fmt::format("{} in container \"{}\" uses $({}) before {} is declared (later in env); the kubelet "
                        "expands only variables declared earlier and leaves the literal text \"$({})\"",
                        e.name.value(), c.name.value(), r.name, r.name, r.name),
            fmt::format("move {} above {} in the env list", r.name, e.name.value()));
        if (f) f->related.push_back({c.env[it->second].name.pos(), fmt::format("{} is declared here", r.name)});
      } else if (!from_env_from.open) {
        sink.report(*p.object, at,
                    fmt::format("{} in container \"{}\" uses $({}), but no variable {} is defined for it; the "
                                "kubelet leaves the literal text \"$({})\"",
                                e.name.value(), c.name.value(), r.name, r.name, r.name),
                    fmt::format("declare {} earlier in env, or write $$({}) for a literal", r.name, r.name));
      }
    }
  }
}

void env_forward_reference(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources())
    for (const Container& c : p.pod().spec.containers) env_forward_references(ctx.topology, p, c, sink);
}

}  // namespace

void add_workload_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::WorkloadSelectorMismatch, RuleScope::Object, selector_mismatch});
  t->push_back({RuleId::WorkloadOverlappingSelectors, RuleScope::Set, overlapping_selectors});
  t->push_back({RuleId::WorkloadStatefulsetService, RuleScope::ObjectAndLinks, statefulset_service});
  t->push_back({RuleId::WorkloadRollingUpdate, RuleScope::Object, rolling_update});
  t->push_back({RuleId::WorkloadDuplicateEnv, RuleScope::Object, duplicate_env});
  // Reads the envFrom ConfigMaps and Secrets through the topology: a change to one of them can
  // make (or clear) a finding on the pod.
  t->push_back({RuleId::WorkloadEnvForwardReference, RuleScope::ObjectAndLinks, env_forward_reference});
}

}  // namespace kmc::checks
