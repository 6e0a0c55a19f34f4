#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/position.h"
#include "schema/pod_spec.h"

// The Pod Security Standards as the PodSecurity admission plugin evaluates them: the controls
// of the baseline and restricted levels, each as of the policy version a namespace pins. kmc
// follows pod-security-admission v0.36.2 (Kubernetes 1.36), policy/check_*.go; docs/rules/
// admission/pod-security.md lists the controls and the versions where they changed.
namespace kmc::checks {

enum class PodSecurityLevel : uint8_t { Privileged, Baseline, Restricted };
std::string_view level_name(PodSecurityLevel l);

// A level and the policy version it is evaluated at: the minor of 1.x ("latest" is kLatest).
struct PodSecurityPolicy {
  static constexpr int kLatest = 36;
  PodSecurityLevel level = PodSecurityLevel::Privileged;
  int minor = kLatest;   // the checks of this version (a newer one pinned gets the newest checks)
  int pinned = kLatest;  // the version as written, for messages
  bool latest = true;    // written "latest" (or not at all): shown so in messages
  std::string name() const;  // "restricted:latest", "baseline:v1.30"
};

// What a namespace's labels ask of each mode, as PolicyToEvaluate reads them: an invalid
// enforce level is restricted (fail closed), an invalid warn or audit level privileged; an
// invalid version is latest; warn defaults to a stricter enforce level. Latest, and any newer
// version, is the API server's release: `server_minor` (--kubernetes-version).
struct NamespacePodSecurity {
  PodSecurityPolicy enforce, warn, audit;
  bool any() const;
};
NamespacePodSecurity pod_security_of(const schema::LabelMap& namespace_labels, int server_minor = PodSecurityPolicy::kLatest);
// The same for labels given as pairs (`podSecurity:` of .kmc.yaml, with the labels' keys
// less their prefix: enforce, enforce-version, warn, ...).
NamespacePodSecurity pod_security_of(const std::vector<std::pair<std::string, std::string>>& settings,
                                     int server_minor = PodSecurityPolicy::kLatest);
// Whether `value` is a level, or a version ("latest", "v1.30"), as the plugin accepts them.
bool valid_pod_security_level(std::string_view value);
bool valid_pod_security_version(std::string_view value);

// One control a pod spec fails: the reason as the plugin words it ("allowPrivilegeEscalation
// != false"), the detail for the field or container at `pos`, and how to fix it.
struct PodSecurityViolation {
  std::string_view control;  // the plugin's check id: "allowPrivilegeEscalation"
  std::string reason, detail, fix;
  Position pos;
};

// The controls of `policy` that the pod template fails, in the plugin's order of checks.
std::vector<PodSecurityViolation> evaluate_pod_security(const schema::PodTemplate& pod, const PodSecurityPolicy& policy);

}  // namespace kmc::checks
