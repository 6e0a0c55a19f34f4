// Rules about single objects run range by range (checks/object_range.h). How the objects are cut
// into ranges must never show: a rule that compared objects with each other, or kept state from
// one object to the next, would lose or repeat findings at the ranges' edges. Ranges of one
// object are the harshest cut.
#include <climits>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "checks/analysis.h"
#include "driver/pipeline.h"
#include "checks/object_range.h"
#include "checks/rule.h"
#include "parser/load.h"
#include "render/diagnostics.h"
#include "support.h"

namespace kmc {
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
using namespace kmc::render;
namespace {

std::string check_json(const std::string& root, uint32_t objects_per_range, unsigned jobs) {
  const Workers workers(jobs);
  LoadOptions load;
  load.workers = &workers;
  AnalysisOptions options;
  options.workers = &workers;
  options.objects_per_rule_range = objects_per_range;
  Analysis a = analyze(load_inputs({root}, load), options);
  std::ostringstream out;
  render_json(a, out);
  return out.str();
}

TEST_CASE("findings do not depend on how the objects are cut into ranges", "[rules][ranges]") {
  for (std::string dir : {"/testdata", "/examples", "/../shared/corpus"}) {
    std::string root = test::source_dir() + dir;
    if (!std::filesystem::is_directory(root)) {
      WARN("SKIPPED: " << root << " is not present");
      continue;
    }
    INFO(root);
    // One range of all the objects (the largest count, which must not overflow the count of ranges).
    std::string whole = check_json(root, UINT32_MAX, 1);
    CHECK(whole.find("\"rule\"") != std::string::npos);  // findings to compare: the comparison means something
    CHECK(check_json(root, 1, 1) == whole);
    CHECK(check_json(root, 1, 2) == whole);
    CHECK(check_json(root, 7, 2) == whole);
  }
}

TEST_CASE("every rule outside syntax/ and kustomize/ has a check, and most check single objects range by range",
          "[rules][ranges]") {
  size_t on_range = 0;
  for (const Rule& r : rule_table()) {
    INFO(r.id());
    on_range += r.runs() && r.scope != RuleScope::Set;
    // The parser's, suppress.cc's, and the kustomize renderer's.
    if (r.family() == "syntax" || r.family() == "kustomize") CHECK_FALSE(r.runs());
    else CHECK(r.runs());
  }
  CHECK(on_range > 20);  // the rules about single objects are most of the table
}

constexpr const char* kSet = R"Y(apiVersion: v1
kind: Service
metadata: {name: a}
spec: {selector: {app: a}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers:
        - name: c
          image: x
          env: [{name: X, value: "$(B_SERVICE_HOST) b.default.svc"}]
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {selector: {app: b}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec:
  defaultBackend: {service: {name: a, port: {number: 80}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b}
spec:
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers:
        - name: c
          image: x
          env: [{name: Y, value: "$(A_SERVICE_HOST)"}]
)Y";

TEST_CASE("ObjectRanges: each list of the topology, cut at the ranges' objects", "[rules][ranges]") {
  Analysis a = test::analyze_text(kSet);
  const Model& m = a.model;
  const Topology& t = a.topology;
  REQUIRE(m.objects.size() == 5);
  REQUIRE(t.services.size() == 2);
  REQUIRE(t.pod_sources.size() == 2);
  REQUIRE(t.variable_uses.size() == 2);
  REQUIRE(t.dns_uses.size() == 1);
  REQUIRE(t.ingress_links.size() == 1);

  ObjectRanges whole(m, t, UINT32_MAX);
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].end() == 5);
  CHECK(whole[0].services().size() == 2);
  CHECK(whole[0].of<Service>().size() == 2);
  CHECK(whole[0].variable_uses().size() == 2);

  // [Service a, Deployment a], [Service b, Ingress i], [Deployment b].
  ObjectRanges pairs(m, t, 2);
  REQUIRE(pairs.size() == 3);
  const ObjectRange& first = pairs[0];
  const ObjectRange& middle = pairs[1];
  const ObjectRange& last = pairs[2];
  CHECK(last.begin() == 4);
  CHECK(last.end() == 5);
  CHECK(middle.begin() == 2);
  CHECK(middle.end() == 4);

  REQUIRE(first.services().size() == 1);
  CHECK(first.services()[0].object->name() == "a");
  REQUIRE(first.pod_sources().size() == 1);
  CHECK(first.pod_sources()[0].object->name() == "a");
  // Deployment a's uses: its variable and its DNS name; b's variable is in the last range.
  REQUIRE(first.variable_uses().size() == 1);
  CHECK(first.variable_uses()[0].variable == "B_SERVICE_HOST");
  CHECK(first.dns_uses().size() == 1);
  CHECK(first.ingress_links().empty());

  REQUIRE(middle.of<Service>().size() == 1);
  CHECK((*middle.of<Service>().begin()).object.name() == "b");
  CHECK(middle.of<Workload>().size() == 0);
  CHECK(middle.pod_sources().empty());
  CHECK(middle.variable_uses().empty());
  CHECK(middle.dns_uses().empty());
  CHECK(middle.ingress_links().size() == 1);

  CHECK(last.services().empty());
  CHECK(last.of<Workload>().size() == 1);
  REQUIRE(last.variable_uses().size() == 1);
  CHECK(last.variable_uses()[0].variable == "A_SERVICE_HOST");
  CHECK(last.dns_uses().empty());

  // The range a rule of the whole set reads, for any cut.
  const ObjectRange& all = pairs.whole();
  CHECK(all.begin() == 0);
  CHECK(all.end() == 5);
  CHECK(all.services().size() == 2);
  CHECK(all.pod_sources().size() == 2);
  CHECK(all.of<Workload>().size() == 2);
  CHECK(all.variable_uses().size() == 2);
  CHECK(all.dns_uses().size() == 1);
  CHECK(all.ingress_links().size() == 1);

  CHECK(ObjectRanges(Model{}, t, 1024).size() == 0);
}

}  // namespace
}  // namespace kmc
