// checks/pod_security.h: the namespace labels as the PodSecurity plugin reads them, and its
// controls at the policy versions where they changed; podSecurity of .kmc.yaml.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "checks/pod_security.h"
#include "driver/config.h"
#include "support.h"

using namespace kmc;
using namespace kmc::checks;
using namespace kmc::driver;
using namespace kmc::parser;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The reasons of the violations of the first pod template of `yaml` under `level` at `version`.
std::vector<std::string> reasons(const std::string& yaml, PodSecurityLevel level, int minor = PodSecurityPolicy::kLatest) {
  Analysis a = test::analyze_text(yaml);
  REQUIRE_FALSE(a.topology.pod_sources.empty());
  PodSecurityPolicy policy{level, minor, minor, minor == PodSecurityPolicy::kLatest};
  std::vector<std::string> out;
  for (const PodSecurityViolation& v : evaluate_pod_security(a.topology.pod_sources[0].pod(), policy))
    out.push_back(v.reason);
  return out;
}

bool has(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("pod security labels are read as the admission plugin reads them", "[pod-security]") {
  NamespacePodSecurity p = pod_security_of(Pairs{{"enforce", "baseline"}, {"enforce-version", "v1.30"}});
  CHECK(p.enforce.level == PodSecurityLevel::Baseline);
  CHECK(p.enforce.name() == "baseline:v1.30");
  // warn defaults to a stricter enforce level, with its version.
  CHECK(p.warn.level == PodSecurityLevel::Baseline);
  CHECK(p.warn.name() == "baseline:v1.30");
  CHECK(p.audit.level == PodSecurityLevel::Privileged);
  // An invalid enforce level fails closed; an invalid warn level fails open; a bad version is latest.
  p = pod_security_of(Pairs{{"enforce", "strict"}, {"warn", "loud"}, {"warn-version", "v1.030"}});
  CHECK(p.enforce.level == PodSecurityLevel::Restricted);
  CHECK(p.warn.level == PodSecurityLevel::Privileged);
  CHECK(p.warn.latest);
  // A version newer than the plugin's is evaluated with its newest checks, named as written.
  p = pod_security_of(Pairs{{"enforce", "restricted"}, {"enforce-version", "v1.40"}});
  CHECK(p.enforce.minor == PodSecurityPolicy::kLatest);
  CHECK(p.enforce.name() == "restricted:v1.40");
  CHECK_FALSE(pod_security_of(Pairs{}).any());
  CHECK(valid_pod_security_version("latest"));
  CHECK(valid_pod_security_version("v1.0"));
  CHECK_FALSE(valid_pod_security_version("1.30"));
  CHECK_FALSE(valid_pod_security_version("v1.x"));
  CHECK(valid_pod_security_level("privileged"));
  CHECK_FALSE(valid_pod_security_level("Baseline"));
}

TEST_CASE("pod security controls follow the pinned policy version", "[pod-security]") {
  const std::string probe_and_sysctl = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    sysctls: [{name: net.ipv4.tcp_keepalive_time, value: "600"}]
  containers:
    - name: app
      image: x:1
      readinessProbe: {httpGet: {host: example.com, port: 80}}
      securityContext: {seLinuxOptions: {type: container_engine_t}}
)";
  CHECK(reasons(probe_and_sysctl, PodSecurityLevel::Baseline).size() == 1);  // the probe host, from v1.34
  CHECK(has(reasons(probe_and_sysctl, PodSecurityLevel::Baseline), "probe or lifecycle host"));
  CHECK(reasons(probe_and_sysctl, PodSecurityLevel::Baseline, 33).empty());
  std::vector<std::string> v28 = reasons(probe_and_sysctl, PodSecurityLevel::Baseline, 28);
  CHECK(has(v28, "forbidden sysctls"));  // tcp_keepalive_time is safe from v1.29
  CHECK(has(v28, "seLinuxOptions"));     // container_engine_t from v1.31

  const std::string root_in_user_namespace = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostUsers: false
  securityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: app
      image: x:1
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, procMount: Unmasked}
)";
  std::vector<std::string> latest = reasons(root_in_user_namespace, PodSecurityLevel::Restricted);
  CHECK(latest == std::vector<std::string>{"procMount"});  // restricted keeps procMount whatever hostUsers says
  CHECK(reasons(root_in_user_namespace, PodSecurityLevel::Baseline).empty());
  std::vector<std::string> v34 = reasons(root_in_user_namespace, PodSecurityLevel::Restricted, 34);
  CHECK(has(v34, "runAsUser=0"));
  CHECK(has(v34, "runAsNonRoot != true"));
  CHECK(has(reasons(root_in_user_namespace, PodSecurityLevel::Baseline, 34), "procMount"));
}

TEST_CASE("podSecurity of .kmc.yaml applies where no Namespace object says otherwise", "[pod-security][config]") {
  Config c;
  std::vector<std::string> errors;
  CHECK_FALSE(parse_config(".kmc.yaml", "podSecurity: {enforce: baseline, warn: loud, enforce-version: 1.30, colour: x}\n",
                           &c, &errors));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].find("`podSecurity.warn` is privileged, baseline or restricted") != std::string::npos);
  CHECK(errors[1].find("`podSecurity.enforce-version` is latest or a version like v1.30") != std::string::npos);
  CHECK(errors[2].find("unknown key `podSecurity.colour`") != std::string::npos);

  Config ok;
  REQUIRE(parse_config(".kmc.yaml", "podSecurity: {enforce: baseline}\n", &ok, &errors));
  LoadResult input;
  load_text(&input, "deploy.yaml", R"(apiVersion: v1
kind: Namespace
metadata: {name: open}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: open}
spec: {hostNetwork: true, containers: [{name: a, image: x:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: unlabelled}
spec: {hostNetwork: true, containers: [{name: b, image: x:1}]}
)",
            LoadOptions{});
  AnalysisOptions options;
  options.config = ok;
  Analysis a = analyze(std::move(input), options);
  std::vector<std::string> objects;
  for (const Finding& f : a.findings)
    if (f.rule == "admission/pod-security") objects.emplace_back(f.object->name);
  // Namespace "open" has an object without labels: it enforces nothing, whatever the config says.
  CHECK(objects == std::vector<std::string>{"b"});
}
