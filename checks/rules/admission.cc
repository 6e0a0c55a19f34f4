// admission/: would the API server admit it? The Pod Security Standards of the namespace's
// labels (checks/pod_security.h), read from the Namespace object of the input or --context.
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
    NamespacePodSecurity policy = ns ? pod_security_of(ns->meta.labels) : ctx.settings.pod_security;
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

}  // namespace

void add_admission_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::AdmissionPodSecurity, RuleScope::ObjectAndLinks, pod_security});
}

}  // namespace kmc::checks
