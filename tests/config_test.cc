// .kmc.yaml: reading, positions of mistakes, rule switches and severities, the known cluster;
// suppressions written in manifests.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "checks/config.h"
#include "support.h"

using namespace kmc;
namespace fs = std::filesystem;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  fs::path dir = fs::temp_directory_path() / ("kmc-config-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

size_t count(const Analysis& a, std::string_view rule) {
  size_t n = 0;
  for (const Finding& f : a.findings) n += f.rule == rule;
  return n;
}

const char* kTwoProblems = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80}]
)";

}  // namespace

TEST_CASE("a config is read with positions for its mistakes", "[config]") {
  std::string path = write_temp(".kmc.yaml", R"(paths: [deploy]
exclude: ["*_test.yaml"]
namespace: shop
fail-on: error
rules:
  disable: [affinity, service/no-such]
  severity: {service/no-matching-pods: error}
  enable: [affinity/unsatisfiable]
colour: blue
)");
  Config c;
  std::vector<std::string> errors;
  CHECK_FALSE(load_config(path, &c, &errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find(".kmc.yaml:6:23: `service/no-such` is not a rule") != std::string::npos);
  CHECK(errors[1].find(".kmc.yaml:9:1: unknown key `colour`") != std::string::npos);
  CHECK(c.ns == "shop");
  CHECK(c.fail_on == "error");
  REQUIRE(c.paths.size() == 1);
  CHECK(c.paths[0] == (fs::path(path).parent_path() / "deploy").string());  // relative to the config
  CHECK_FALSE(rule_enabled(c, "affinity/no-anti-affinity"));
  CHECK(rule_enabled(c, "affinity/unsatisfiable"));  // the id is more specific than the family
  CHECK(rule_enabled(c, "storage/claim-unbound"));
}

TEST_CASE("disabled rules and severity overrides apply to the findings", "[config]") {
  AnalysisOptions options;
  options.config.disable = {"affinity/*"};
  options.config.severity["service/no-matching-pods"] = Severity::Error;
  LoadResult input;
  load_text(&input, "app.yaml", kTwoProblems, LoadOptions{});
  Analysis a = analyze(std::move(input), options);
  CHECK(count(a, "affinity/no-anti-affinity") == 0);
  REQUIRE(count(a, "service/no-matching-pods") == 1);
  CHECK(a.summary.errors == 1);
}

TEST_CASE("cluster nodes in the config are the known cluster", "[config]") {
  std::string path = write_temp("cluster.kmc.yaml", R"(cluster:
  nodes:
    - name: n1
    - name: n2
  storageClasses:
    - {name: fast, provisioner: ebs.csi.aws.com, default: true}
)");
  Config c;
  std::vector<std::string> errors;
  REQUIRE(load_config(path, &c, &errors));
  LoadResult input;
  load_text(&input, "app.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: x}]
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: db}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)", LoadOptions{});
  load_text(&input, "cluster", c.cluster_manifests, LoadOptions{}, true);
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  CHECK(count(a, "affinity/unsatisfiable") == 1);  // 3 replicas, 2 nodes
  CHECK(a.topology.storage.claims[0].class_name == "fast");  // the default class of the cluster
  CHECK(a.topology.storage.claims[0].outcome == ClaimOutcome::Provisioned);
  CHECK(a.summary.objects == 2);  // the cluster is context: not counted, not reported
}

TEST_CASE("suppressions: comment on the line or above, annotation on the object, families", "[config]") {
  Analysis a = test::analyze_text(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: {kmc.dev/ignore: "affinity/*"}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  # kmc:ignore[service/no-matching-pods, schema/type]
  selector: {app: api}
  ports: [{port: 80}]
)");
  CHECK(count(a, "affinity/no-anti-affinity") == 0);
  CHECK(count(a, "service/no-matching-pods") == 0);
  REQUIRE(count(a, "syntax/unused-suppression") == 1);  // schema/type: nothing to silence
  for (const Finding& f : a.findings)
    if (f.rule == "syntax/unused-suppression") CHECK(f.message.find("schema/type") != std::string::npos);
}
