// .kmc.yaml: reading, positions of mistakes, rule switches and severities, the known cluster;
// suppressions written in manifests.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "driver/config.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
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
  disable: [affinity, service/no-such, service/node-prot]
  severity: {service/no-matching-pods: error}
  enable: [affinity/unsatisfiable]
colour: blue
)");
  Config c;
  std::vector<std::string> errors;
  CHECK_FALSE(load_config(path, &c, &errors));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].find(".kmc.yaml:6:23: `service/no-such` is not a rule") != std::string::npos);
  CHECK(errors[1].find("`service/node-prot` is not a rule or family of kmc (did you mean service/node-port?") !=
        std::string::npos);
  CHECK(errors[2].find(".kmc.yaml:9:1: unknown key `colour`") != std::string::npos);
  CHECK(c.ns == "shop");
  CHECK(c.fail_on == "error");
  REQUIRE(c.paths.size() == 1);
  CHECK(c.paths[0] == (fs::path(path).parent_path() / "deploy").string());  // relative to the config
  CHECK_FALSE(rule_enabled(c, "affinity/no-anti-affinity"));
  CHECK(rule_enabled(c, "affinity/unsatisfiable"));  // the id is more specific than the family
  CHECK(rule_enabled(c, "storage/claim-unbound"));
  // practice/ is off by default: on with its family or its id, as a family-wide disable would be.
  CHECK_FALSE(rule_enabled(c, "practice/image-tag"));
  Config practice;
  practice.enable = {"practice/resources"};
  CHECK(rule_enabled(practice, "practice/resources"));
  CHECK_FALSE(rule_enabled(practice, "practice/image-tag"));
  practice.enable = {"practice"};
  practice.disable = {"practice/image-tag"};
  CHECK(rule_enabled(practice, "practice/resources"));
  CHECK_FALSE(rule_enabled(practice, "practice/image-tag"));
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

TEST_CASE("suppressions hold only in their own file and on their own object, with any number of threads", "[config]") {
  // Forty files, their Services on the same lines: the even ones silence theirs. Two Deployments
  // of one name in two namespaces: one silences its own.
  auto run = [](unsigned jobs) {
    LoadResult input;
    for (int i = 0; i < 40; ++i)
      load_text(&input, fmt::format("svc-{}.yaml", i),
                fmt::format("apiVersion: v1\nkind: Service\nmetadata: {{name: api-{}}}\nspec:\n{}  selector: {{app: "
                            "api-{}}}\n  ports: [{{port: 80}}]\n",
                            i, i % 2 == 0 ? "  # kmc:ignore[service/no-matching-pods]\n" : "  # nothing here\n", i),
                LoadOptions{});
    for (const char* ns : {"a", "b"})
      load_text(&input, fmt::format("web-{}.yaml", ns),
                fmt::format("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: {}\n{}spec:\n"
                            "  replicas: 3\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: "
                            "{{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: nginx:1.27}}]}}\n",
                            ns, std::string_view(ns) == "a" ? "  annotations: {kmc.dev/ignore: \"affinity/*\"}\n" : ""),
                LoadOptions{});
    const Workers workers(jobs);
    AnalysisOptions options;
    options.workers = &workers;
    return analyze(std::move(input), options);
  };
  Analysis one = run(1);
  CHECK(count(one, "service/no-matching-pods") == 20);
  for (const Finding& f : one.findings)
    if (f.rule == "service/no-matching-pods") {
      const std::string& path = one.input.sources[f.pos.file].path;  // svc-<n>.yaml
      CHECK(std::stoi(path.substr(4)) % 2 == 1);
    }
  REQUIRE(count(one, "affinity/no-anti-affinity") == 1);
  for (const Finding& f : one.findings)
    if (f.rule == "affinity/no-anti-affinity") CHECK(f.object->ns == "b");
  CHECK(count(one, "syntax/unused-suppression") == 0);
  Analysis four = run(4);
  REQUIRE(four.findings.size() == one.findings.size());
  for (size_t i = 0; i < one.findings.size(); ++i) {
    CHECK(four.findings[i].rule == one.findings[i].rule);
    CHECK(four.findings[i].pos == one.findings[i].pos);
    CHECK(four.findings[i].message == one.findings[i].message);
  }
}
