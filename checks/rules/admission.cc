// admission/: would the API server admit it? The Pod Security Standards of the namespace's
// labels (checks/pod_security.h), read from the Namespace object of the input or --context.
#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/pod_security.h"
#include "checks/rules/rules.h"

namespace kmc::checks {

namespace {

// What a violation costs in each mode of the plugin.
std::string consequence(std::string_view mode, const Object& o) {
  if (mode == "enforce")
    return o.kind() == "Pod" ? "the API server refuses the pod"
                             : fmt::format("the API server accepts the {} but forbids every pod it creates (only "
                                           "`kubectl describe` of its controller says why)",
                                           o.kind());
  if (mode == "warn") return "kubectl apply prints a warning for it";
  return "the API server's audit log records it";
}

void pod_security(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    if (p.object->context || p.ns().empty()) continue;
    // The Namespace object's labels, else the project's settings (.kmc.yaml podSecurity).
    const Object* ns = ctx.topology.find("", "Namespace", "", p.ns());
    NamespacePodSecurity policy = ns ? pod_security_of(ns->meta.labels, ctx.settings.kubernetes_minor) : ctx.settings.pod_security;
    if (!policy.any()) continue;
    // Each violation once, in the strictest mode that has it: an enforced one is not also a warning.
    std::set<std::tuple<uint32_t, uint32_t, uint32_t, std::string>> reported;
    for (auto [mode, level] : {std::pair{std::string_view("enforce"), &policy.enforce},
                               std::pair{std::string_view("warn"), &policy.warn},
                               std::pair{std::string_view("audit"), &policy.audit}}) {
      for (PodSecurityViolation& v : evaluate_pod_security(p.pod(), *level)) {
        if (!reported.emplace(v.pos.file, v.pos.line, v.pos.column, v.detail).second) continue;
        Finding* f = sink.report(
            *p.object, mode == "enforce" ? Severity::Error : Severity::Warning, v.pos,
            fmt::format("{} violates PodSecurity \"{}\" ({} of namespace \"{}\"{}): {} ({}); {}", p.object->display(),
                        level->name(), mode, p.ns(), ns ? "" : ", from podSecurity in .kmc.yaml", v.reason, v.detail,
                        consequence(mode, *p.object)),
            v.fix);
        if (f && ns)
          f->related.push_back({ns->pos(), fmt::format("namespace \"{}\" labels pod-security.kubernetes.io/{}: {}", p.ns(),
                                                       mode, level_name(level->level))});
      }
    }
  }
}

// Whether container `c` declares a port that Service port `p` targets (by name or number).
bool serves(const schema::Container& c, const ServicePort& p) {
  for (const schema::ContainerPort& cp : c.ports) {
    if (p.targets_own_port() ? cp.container_port.value == p.port.value
        : p.target_port.is_int ? cp.container_port.value == p.target_port.int_value
                               : cp.name.value() == p.target_port.str_value)
      return true;
  }
  return false;
}

// The containers of `pod` that a Service's traffic reaches: those declaring a port it targets;
// without any, the only app container (a pod of several that declare no port says nothing).
std::vector<const schema::Container*> serving_containers(const schema::PodSpec& pod, const ServiceLinks& l) {
  std::vector<const schema::Container*> out, app;
  for (const schema::Container& c : pod.containers) {
    if (c.init) continue;
    app.push_back(&c);
    for (const ServicePort& p : l.service->ports)
      if (serves(c, p)) {
        out.push_back(&c);
        break;
      }
  }
  if (out.empty() && app.size() == 1) out = app;
  return out;
}

// Pods that serve a Service's traffic: the Service's endpoints take a pod as soon as its
// containers run, unless a readiness probe says when it is ready. A pod with any readiness probe
// has a gate (kmc cannot tell which container must pass it); a Service that publishes not-ready
// addresses (a StatefulSet's peer discovery) does not wait for readiness anyway.
void readiness_missing(const RuleContext& ctx, Sink& sink) {
  const Topology& t = ctx.topology;
  std::vector<const ServiceLinks*> serving(t.pod_sources.size(), nullptr);
  for (const ServiceLinks& l : t.services)
    if (!l.service->publish_not_ready_addresses && !l.object->context)
      for (uint32_t i : l.selected) {
        // The Service deployed with the pods names it best (another project's may select them too).
        const Object& pod = *t.pod_sources[i].object;
        if (!serving[i] || (!t.deployed_together(*serving[i]->object, pod) && t.deployed_together(*l.object, pod)))
          serving[i] = &l;
      }
  for (uint32_t i = 0; i < serving.size(); ++i) {
    const PodSource& p = t.pod_sources[i];
    std::string_view kind = p.object->kind();
    if (!serving[i] || p.object->context || kind == "Job" || kind == "CronJob") continue;
    const schema::PodSpec& pod = p.pod().spec;
    if (std::any_of(pod.containers.begin(), pod.containers.end(), [](const schema::Container& c) { return c.readiness_probe; }))
      continue;
    for (const schema::Container* c : serving_containers(pod, *serving[i]))
      sink.report(*p.object, c->name.set() ? c->name.pos() : p.object->pos(),
                  fmt::format("{}: container \"{}\" has no readiness probe, and {} sends it traffic: the pod joins the "
                              "Service's endpoints as soon as its containers start, before the process listens, so "
                              "the first requests of every rollout and restart fail",
                              p.object->display(), c->name.value(), serving[i]->object->display()),
                  "add a readinessProbe (httpGet on a health path, or tcpSocket on the serving port)");
  }
}

}  // namespace

void add_admission_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::AdmissionPodSecurity, RuleScope::ObjectAndLinks, pod_security});
  t->push_back({RuleId::AdmissionReadinessMissing, RuleScope::Set, readiness_missing});
}

}  // namespace kmc::checks
