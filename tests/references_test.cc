// checks/references.h: names every cluster has, autoscaler targets, and the nearest existing
// name that the *-not-found rules suggest; core/spelling.h's closest(), which they rest on.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "checks/references.h"
#include "core/spelling.h"
#include "support.h"

using namespace kmc;
using namespace kmc::checks;

namespace {

const Finding* finding_of(const Analysis& a, std::string_view rule) {
  for (const Finding& f : a.findings)
    if (f.rule == rule) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("names every cluster has are built in, their near misses are not", "[references]") {
  CHECK(builtin_name("ConfigMap", "shop", "kube-root-ca.crt"));
  CHECK_FALSE(builtin_name("Secret", "shop", "kube-root-ca.crt"));
  CHECK(builtin_name("ServiceAccount", "shop", "default"));
  CHECK(builtin_name("ClusterRole", "", "view"));
  CHECK(builtin_name("ClusterRole", "", "system:auth-delegator"));
  CHECK_FALSE(builtin_name("ClusterRole", "", "viewer"));
  CHECK(builtin_name("Role", "kube-system", "extension-apiserver-authentication-reader"));
  CHECK_FALSE(builtin_name("Role", "shop", "extension-apiserver-authentication-reader"));
  CHECK(builtin_name("PriorityClass", "", "system-node-critical"));
  CHECK_FALSE(builtin_name("PriorityClass", "", "high"));
}

TEST_CASE("closest compares only candidates within the edit limit of the word's length", "[references]") {
  CHECK(closest("api-confg", {"api-config", "db-config", "api"}) == "api-config");
  CHECK(closest("selectro", {"selector"}) == "selector");  // a transposition costs one
  CHECK(closest("cat", {"cart"}) == "cart");
  CHECK(closest("cat", {"carts"}).empty());  // two edits for a short word
  CHECK(closest(std::string(65, 'a'), {std::string(65, 'a')}).empty());  // longer than any name
  std::string long_name(60, 'x');
  CHECK(closest(long_name + "ab", {long_name + "ba", long_name}) == long_name + "ba");
}

TEST_CASE("a missing name's message and fix name the nearest existing one of its namespace", "[references]") {
  Analysis a = test::analyze_text(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: other}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: worker, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: wroker
      containers: [{name: api, image: x:1, envFrom: [{configMapRef: {name: api-confg}}]}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: apii}
  maxReplicas: 3
)");
  const Finding* cm = finding_of(a, "reference/configmap-not-found");
  REQUIRE(cm);
  CHECK(cm->message.find("(in the input or --context; the nearest is \"api-config\")") != std::string::npos);
  CHECK(cm->fix == "did you mean \"api-config\"?");
  const Finding* sa = finding_of(a, "reference/service-account-not-found");
  REQUIRE(sa);
  CHECK(sa->fix == "did you mean \"worker\"?");
  const Finding* hpa = finding_of(a, "autoscaling/target-not-found");
  REQUIRE(hpa);
  CHECK(hpa->fix == "did you mean \"api\"?");

  // The nearest name comes from the namespace asked about, through the linker's index.
  CHECK(nearest_name(a.model, a.topology, "ConfigMap", "other", "api-confg") == "api-config");
  CHECK(nearest_name(a.model, a.topology, "ConfigMap", "elsewhere", "api-confg").empty());
  CHECK(nearest_name(a.model, a.topology, "ConfigMap", "shop", "something-else").empty());
}

TEST_CASE("the nearest name is looked for among at most kMaxCandidates names", "[references]") {
  std::string yaml;
  for (size_t i = 0; i < kMaxCandidates; ++i) yaml += fmt::format("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: filler-{}}}\n---\n", i);
  yaml += "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api-config}\n";
  Analysis a = test::analyze_text(yaml);
  CHECK(nearest_name(a.model, a.topology, "ConfigMap", "default", "filler-1x") == "filler-1");
  CHECK(nearest_name(a.model, a.topology, "ConfigMap", "default", "api-confg").empty());  // the 257th
}
