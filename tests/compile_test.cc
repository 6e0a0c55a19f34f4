#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "checks/apply_order.h"
#include "render/compile.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
using namespace kmc::render;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string compile(const Analysis& a, bool explain) {
  std::ostringstream out;
  CompileOptions options;
  options.explain = explain;
  render_compiled_stream(a.input.sources, a.model, safe_apply_order(a.model, a.topology), options, out);
  return out.str();
}

size_t count(const std::vector<Finding>& findings, std::string_view rule) {
  size_t n = 0;
  for (const Finding& f : findings) n += f.rule == rule;
  return n;
}

}  // namespace

TEST_CASE("compile: golden stream for testdata/render/compile", "[compile]") {
  std::string dir = test::source_dir() + "/testdata/render/compile/";
  Analysis a = test::analyze_text_keeping_trees(slurp(dir + "input.yaml"), "input.yaml");
  REQUIRE(count(a.findings, "discovery/service-after-consumer") == 2);
  std::string expected = slurp(dir + "expected.yaml");
  std::string header_end = "depend on nothing.\n";
  std::string body = expected.substr(expected.find(header_end) + header_end.size());
  CHECK(compile(a, true) == body);
}

TEST_CASE("compile: the compiled stream has no ordering findings and keeps every object", "[compile]") {
  std::string dir = test::source_dir() + "/testdata/render/compile/";
  Analysis a = test::analyze_text_keeping_trees(slurp(dir + "input.yaml"), "input.yaml");
  std::string stream = compile(a, false);
  Analysis again = test::analyze_text_keeping_trees(stream, "compiled.yaml");
  CHECK(count(again.findings, "discovery/service-after-consumer") == 0);
  CHECK(again.findings.empty());
  CHECK(again.summary.objects == a.summary.objects);
  // Byte for byte: the comment inside the Deployment survives.
  CHECK(stream.find("# the cache address comes from the kubelet's service variables") != std::string::npos);
  CHECK(stream.find("# source: input.yaml:2\n") != std::string::npos);
}

TEST_CASE("compile: stages order namespaces, configuration, services, workloads, stable within", "[compile]") {
  Analysis a = test::analyze_text_keeping_trees(R"Y(
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b}
spec: {template: {spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec: {template: {spec: {containers: [{name: c}]}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
---
apiVersion: v1
kind: Secret
metadata: {name: s}
---
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns}
)Y");
  std::vector<Placement> order = safe_apply_order(a.model, a.topology);
  std::vector<std::string> names;
  for (const Placement& p : order) names.push_back(std::string(p.object->kind()) + "/" + std::string(p.object->name()));
  CHECK(names == std::vector<std::string>{"Namespace/ns", "StorageClass/fast", "Secret/s", "PersistentVolumeClaim/data",
                                          "Service/web", "Deployment/b", "Deployment/a", "Ingress/web"});
}

TEST_CASE("compile: a block-style List item is cut out and dedented, a flow one stays valid", "[compile]") {
  Analysis a = test::analyze_text_keeping_trees(R"Y(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a   # kept
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
)Y");
  std::string stream = compile(a, false);
  CHECK(stream.find("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a   # kept\n") != std::string::npos);
  Analysis again = test::analyze_text_keeping_trees(stream);
  CHECK(again.summary.objects == 2);
  CHECK(again.findings.empty());
}

TEST_CASE("compile: context objects are linked but not emitted", "[compile]") {
  LoadResult input;
  load_text(&input, "app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", LoadOptions{});
  load_paths(&input, {test::source_dir() + "/testdata/discovery/never-injected-near-miss.yaml"}, LoadOptions{}, true);
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  CHECK(a.model.objects.size() == 4);
  CHECK(a.summary.objects == 1);
  CHECK(a.summary.files == 1);
  CHECK(safe_apply_order(a.model, a.topology).size() == 1);
}

TEST_CASE("compile: file names are numbered in order and safe", "[compile]") {
  Analysis a = test::analyze_text_keeping_trees("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web/x}\n");
  CHECK(compiled_file_name(3, a.model.objects[0]) == "0003-deployment-web_x.yaml");
}
