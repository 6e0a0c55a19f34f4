// Affinity against the known cluster: Nodes passed with --context.
#include <catch2/catch.hpp>

#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

Analysis with_nodes(const std::string& input, const std::string& nodes) {
  LoadResult in;
  load_text(&in, "app/deploy.yaml", input, LoadOptions{});
  load_text(&in, "cluster/nodes.yaml", nodes, LoadOptions{});
  for (RawObject& o : in.objects)
    if (in.sources[o.file].path == "cluster/nodes.yaml") o.context = true;
  return analyze(std::move(in), AnalysisOptions{});
}

std::string node(const char* name, const char* zone) {
  return std::string("---\napiVersion: v1\nkind: Node\nmetadata:\n  name: ") + name +
         "\n  labels:\n    kubernetes.io/hostname: " + name + "\n    topology.kubernetes.io/zone: " + zone + "\n";
}

std::string spread_apart(int replicas, const char* key) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n"
         "      containers: [{name: db, image: x}]\n      affinity:\n        podAntiAffinity:\n"
         "          requiredDuringSchedulingIgnoredDuringExecution:\n            - topologyKey: " +
         key + "\n              labelSelector: {matchLabels: {app: db}}\n";
}

size_t count(const Analysis& a, std::string_view rule) {
  size_t n = 0;
  for (const Finding& f : a.findings) n += f.rule == rule;
  return n;
}

}  // namespace

TEST_CASE("required anti-affinity needs a domain per replica among the known nodes", "[affinity]") {
  std::string nodes = node("n1", "a") + node("n2", "a") + node("n3", "b");
  CHECK(count(with_nodes(spread_apart(3, "kubernetes.io/hostname"), nodes), "affinity/unsatisfiable") == 0);
  Analysis too_many = with_nodes(spread_apart(4, "kubernetes.io/hostname"), nodes);
  REQUIRE(count(too_many, "affinity/unsatisfiable") == 1);
  CHECK(too_many.findings[0].message.find("only 3; 1 pods stay Pending") != std::string::npos);
  // Two zones for three replicas.
  CHECK(count(with_nodes(spread_apart(3, "topology.kubernetes.io/zone"), nodes), "affinity/unsatisfiable") == 1);
  // A node without the key is in a domain nobody knows: nothing is said. The hostname is its name.
  std::string unlabelled = nodes + "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n4\n";
  CHECK(count(with_nodes(spread_apart(3, "topology.kubernetes.io/zone"), unlabelled), "affinity/unsatisfiable") == 0);
  CHECK(count(with_nodes(spread_apart(4, "kubernetes.io/hostname"), unlabelled), "affinity/unsatisfiable") == 0);
  CHECK(count(with_nodes(spread_apart(5, "kubernetes.io/hostname"), unlabelled), "affinity/unsatisfiable") == 1);
  // Without known nodes, nothing is said about node counts.
  CHECK(count(test::analyze_text(spread_apart(40, "kubernetes.io/hostname")), "affinity/unsatisfiable") == 0);
}

TEST_CASE("required node affinity is evaluated on the known nodes", "[affinity]") {
  auto pod = [](const char* expr) {
    return std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n"
                       "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                       "        nodeSelectorTerms:\n          - matchExpressions: [") + expr + "]\n";
  };
  std::string nodes = node("n1", "a") + node("n2", "b");
  CHECK(count(with_nodes(pod("{key: topology.kubernetes.io/zone, operator: In, values: [b]}"), nodes), "affinity/unsatisfiable") == 0);
  CHECK(count(with_nodes(pod("{key: topology.kubernetes.io/zone, operator: In, values: [c]}"), nodes), "affinity/unsatisfiable") == 1);
  CHECK(count(with_nodes(pod("{key: gpu, operator: DoesNotExist}"), nodes), "affinity/unsatisfiable") == 0);
  CHECK(count(with_nodes(pod("{key: gpu, operator: Exists}"), nodes), "affinity/unsatisfiable") == 1);
}

TEST_CASE("the topology records each Service's effective session affinity", "[affinity]") {
  Analysis a = test::analyze_text(R"(apiVersion: v1
kind: Service
metadata: {name: a}
spec: {clusterIP: None, sessionAffinity: ClientIP}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec:
  clusterIP: None
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
---
apiVersion: v1
kind: Service
metadata: {name: c}
spec:
  clusterIP: None
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
)");
  REQUIRE(a.topology.services.size() == 3);
  CHECK(a.topology.services[0].affinity == "ClientIP");
  CHECK(a.topology.services[0].affinity_timeout == 10800);
  CHECK(a.topology.services[1].affinity_timeout == 60);
  CHECK(a.topology.services[2].affinity == "None");  // the config is dropped
  CHECK(a.topology.services[2].affinity_timeout == 0);
}
