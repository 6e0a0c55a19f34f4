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
#include "checks/object_range.h"
#include "checks/rule.h"
#include "parser/load.h"
#include "render/diagnostics.h"
#include "support.h"

namespace kmc {
namespace {

std::string check_json(const std::string& root, uint32_t objects_per_range, unsigned jobs) {
  LoadOptions load;
  load.jobs = jobs;
  AnalysisOptions options;
  options.jobs = jobs;
  options.objects_per_rule_range = objects_per_range;
  Analysis a = analyze(load_inputs({root}, load), options);
  std::ostringstream out;
  render_json(a, out, 1);
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

TEST_CASE("every rule that runs is either on the whole set or on ranges, never both", "[rules][ranges]") {
  size_t on_range = 0;
  for (const Rule& r : rule_table()) {
    INFO(r.id);
    CHECK_FALSE((r.run_on_set && r.run_on_range));
    on_range += r.run_on_range != nullptr;
    if (r.family() == "syntax") CHECK_FALSE(r.runs());  // the parser's, and suppress.cc's
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

TEST_CASE("ObjectRange: each list of the topology, cut at the range's objects", "[rules][ranges]") {
  Analysis a = test::analyze_text(kSet);
  const Model& m = a.model;
  const Topology& t = a.topology;
  REQUIRE(m.objects.size() == 5);
  REQUIRE(t.services.size() == 2);
  REQUIRE(t.pod_sources.size() == 2);
  REQUIRE(t.variable_uses.size() == 2);
  REQUIRE(t.dns_uses.size() == 1);
  REQUIRE(t.ingress_links.size() == 1);

  ObjectRange all = ObjectRange::all(m);
  CHECK(all.services(t).size() == 2);
  CHECK(all.of<Service>().size() == 2);
  CHECK(all.variable_uses(t).size() == 2);

  // Objects 1-2: Deployment a, Service b.
  ObjectRange middle(m, 1, 3);
  CHECK_FALSE(middle.contains(m.objects[0]));
  CHECK(middle.contains(m.objects[1]));
  CHECK(middle.contains(m.objects[2]));
  CHECK_FALSE(middle.contains(m.objects[3]));
  REQUIRE(middle.services(t).size() == 1);
  CHECK(middle.services(t)[0].object->name() == "b");
  REQUIRE(middle.of<Service>().size() == 1);
  CHECK((*middle.of<Service>().begin()).object.name() == "b");
  REQUIRE(middle.pod_sources(t).size() == 1);
  CHECK(middle.pod_sources(t)[0].object->name() == "a");
  // Deployment a's uses: its variable and its DNS name; b's variable is in another range.
  REQUIRE(middle.variable_uses(t).size() == 1);
  CHECK(middle.variable_uses(t)[0].variable == "B_SERVICE_HOST");
  CHECK(middle.dns_uses(t).size() == 1);
  CHECK(middle.ingress_links(t).empty());

  ObjectRange last(m, 3, 5);
  CHECK(last.services(t).empty());
  CHECK(last.ingress_links(t).size() == 1);
  REQUIRE(last.variable_uses(t).size() == 1);
  CHECK(last.variable_uses(t)[0].variable == "A_SERVICE_HOST");
  CHECK(last.dns_uses(t).empty());

  ObjectRange none(m, 2, 2);
  CHECK(none.services(t).empty());
  CHECK(none.pod_sources(t).empty());
  CHECK(none.of<Workload>().size() == 0);
}

}  // namespace
}  // namespace kmc
