// The PV binder on the manifests: smallest fit, classes and defaults, reservations, StatefulSet
// claims, context, and directories that are not applied together.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

const StorageClaim* claim(const Analysis& a, std::string_view name) {
  for (const StorageClaim& c : a.topology.storage.claims)
    if (c.name == name) return &c;
  return nullptr;
}

std::string bound_volume(const Analysis& a, std::string_view name) {
  const StorageClaim* c = claim(a, name);
  if (!c || c->outcome != ClaimOutcome::Bound) return "-";
  return std::string(a.topology.storage.volumes[c->volume].object->name());
}

std::string pv(const char* name, const char* cls, const char* size, const char* modes = "[ReadWriteOnce]",
               const char* extra = "") {
  return fmt::format(
      "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: {}}}\nspec:\n  storageClassName: \"{}\"\n"
      "  capacity: {{storage: {}}}\n  accessModes: {}\n  hostPath: {{path: /d/{}}}\n{}",
      name, cls, size, modes, name, extra);
}

std::string pvc(const char* name, const char* cls, const char* size, const char* extra = "") {
  std::string class_line = cls ? fmt::format("  storageClassName: \"{}\"\n", cls) : "";
  return fmt::format(
      "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {}}}\nspec:\n{}  accessModes: [ReadWriteOnce]\n"
      "  resources: {{requests: {{storage: {}}}}}\n{}",
      name, class_line, size, extra);
}

}  // namespace

TEST_CASE("each claim takes the smallest volume that fits, in apply order", "[binder]") {
  Analysis a = test::analyze_text(pv("big", "m", "10Gi") + pv("small", "m", "2Gi") + pv("mid", "m", "5Gi") +
                                  pvc("a", "m", "1Gi") + pvc("b", "m", "4Gi") + pvc("c", "m", "6Gi"));
  CHECK(bound_volume(a, "a") == "small");
  CHECK(bound_volume(a, "b") == "mid");
  CHECK(bound_volume(a, "c") == "big");
  CHECK(a.findings.empty());
}

TEST_CASE("capacities compare exactly across binary and decimal units", "[binder]") {
  Analysis a = test::analyze_text(pv("gib", "m", "1Gi") + pv("gb", "m", "1G") + pvc("wants-gib", "m", "1Gi") +
                                  pvc("wants-1073741824", "m", "1073741824"));
  CHECK(bound_volume(a, "wants-gib") == "gib");  // 1G (10^9) is less than 1Gi
  const StorageClaim* c = claim(a, "wants-1073741824");
  REQUIRE(c);
  CHECK(c->outcome == ClaimOutcome::Pending);
  CHECK(c->contended_by >= 0);  // only "gib" fits, and "wants-gib" has it
}

TEST_CASE("\"\" asks for no class, unset takes the default class when one is in sight", "[binder]") {
  std::string default_class =
      "---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: std\n  annotations:\n"
      "    storageclass.kubernetes.io/is-default-class: \"true\"\nprovisioner: csi.example.com\n";
  SECTION("with a default class") {
    Analysis a = test::analyze_text(default_class + pv("plain", "", "5Gi") + pvc("empty", "", "1Gi") + pvc("unset", nullptr, "1Gi"));
    CHECK(bound_volume(a, "empty") == "plain");
    const StorageClaim* unset = claim(a, "unset");
    REQUIRE(unset);
    CHECK(unset->class_defaulted);
    CHECK(unset->class_name == "std");
    CHECK(unset->outcome == ClaimOutcome::Provisioned);
  }
  SECTION("without one, an unset claim is left to the cluster") {
    Analysis a = test::analyze_text(pvc("unset", nullptr, "1Gi") + pvc("empty", "", "1Gi"));
    CHECK(claim(a, "unset")->outcome == ClaimOutcome::Deferred);
    CHECK(claim(a, "empty")->outcome == ClaimOutcome::Pending);  // "" is never provisioned
    REQUIRE(a.findings.size() == 1);
    CHECK(a.findings[0].rule == "storage/claim-unbound");
    CHECK(a.findings[0].severity == Severity::Error);
  }
}

TEST_CASE("reservations: claimRef skips the class, volumeName checks it", "[binder]") {
  Analysis a = test::analyze_text(
      pv("kept", "archive", "5Gi", "[ReadWriteOnce]", "  claimRef: {namespace: default, name: restore}\n") +
      pv("named", "gold", "5Gi") + pvc("restore", "", "5Gi") + pvc("by-name", "silver", "1Gi", "  volumeName: named\n") +
      pvc("greedy", "archive", "1Gi"));
  CHECK(bound_volume(a, "restore") == "kept");
  const StorageClaim* by_name = claim(a, "by-name");
  REQUIRE(by_name);
  CHECK(by_name->outcome == ClaimOutcome::Pending);
  REQUIRE(by_name->nearest.size() == 1);
  CHECK(by_name->nearest[0].reason.find("class \"gold\"") != std::string::npos);
  // "kept" is reserved for "restore": a claim of its class cannot take it.
  CHECK(bound_volume(a, "greedy") == "-");
}

TEST_CASE("StatefulSet claims are named per ordinal and adopt existing claims", "[binder]") {
  Analysis a = test::analyze_text(pvc("data-db-1", "m", "1Gi") + pv("v1", "m", "1Gi") + pv("v2", "m", "1Gi") + pv("v3", "m", "1Gi") + R"(---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  ordinals: {start: 1}
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:17}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        storageClassName: m
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
)");
  std::vector<std::string> names;
  for (const StorageClaim& c : a.topology.storage.claims) names.push_back(c.name + (c.from_template ? "*" : ""));
  CHECK(names == std::vector<std::string>{"data-db-1", "data-db-2*", "data-db-3*"});
  for (const char* n : {"data-db-1", "data-db-2", "data-db-3"}) CHECK(bound_volume(a, n) != "-");
}

TEST_CASE("a huge StatefulSet expands a bounded number of claims", "[binder]") {
  Analysis a = test::analyze_text(R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: wide}
spec:
  replicas: 1000000000
  serviceName: wide
  selector: {matchLabels: {app: wide}}
  template:
    metadata: {labels: {app: wide}}
    spec: {containers: [{name: c, image: x}]}
  volumeClaimTemplates:
    - metadata: {name: d}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)");
  CHECK(a.topology.storage.claims.size() == static_cast<size_t>(Storage::kMaxClaimsPerTemplate));
}

TEST_CASE("claims in the cluster (--context) hold their volumes first", "[binder]") {
  LoadResult input;
  load_text(&input, "app/claims.yaml", pvc("new", "m", "1Gi"), LoadOptions{});
  std::string cluster = pv("only", "m", "1Gi") + pvc("old", "m", "1Gi");
  load_text(&input, "cluster/state.yaml", cluster, LoadOptions{});
  for (RawObject& o : input.objects)
    if (input.sources[o.file].path == "cluster/state.yaml") o.context = true;
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  CHECK(bound_volume(a, "old") == "only");
  CHECK(claim(a, "new")->outcome == ClaimOutcome::Pending);
  CHECK(claim(a, "new")->contended_by >= 0);
}

TEST_CASE("claims of different directories do not compete for a volume", "[binder]") {
  LoadResult input;
  load_text(&input, "example-a/app.yaml", pv("shared", "m", "1Gi") + pvc("a", "m", "1Gi"), LoadOptions{});
  load_text(&input, "example-b/app.yaml", pvc("b", "m", "1Gi"), LoadOptions{});
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  CHECK(bound_volume(a, "a") == "shared");
  CHECK(bound_volume(a, "b") == "shared");  // another directory: its own simulation
  CHECK(a.findings.empty());
}

TEST_CASE("a claimRef reserves for the claim of its own directory, or of any when it has none", "[binder]") {
  std::string reserved = "  claimRef: {namespace: default, name: data}\n";
  SECTION("a folder of volumes reserves for the claim wherever it is") {
    LoadResult input;
    load_text(&input, "volumes/pv.yaml", pv("kept", "slow", "1Gi", "[ReadWriteOnce]", reserved.c_str()), LoadOptions{});
    load_text(&input, "app/claim.yaml", pvc("data", "fast", "1Gi"), LoadOptions{});
    Analysis a = analyze(std::move(input), AnalysisOptions{});
    CHECK(bound_volume(a, "data") == "kept");  // claimRef skips the class
  }
  SECTION("another project's claim of the name is not the one reserved") {
    LoadResult input;
    load_text(&input, "archive/all.yaml", pv("kept", "", "1Gi", "[ReadWriteOnce]", reserved.c_str()) + pvc("data", "", "1Gi"),
              LoadOptions{});
    load_text(&input, "media/all.yaml", pvc("data", "", "1Gi"), LoadOptions{});
    Analysis a = analyze(std::move(input), AnalysisOptions{});
    REQUIRE(a.topology.storage.claims.size() == 2);
    const StorageClaim& archive = a.topology.storage.claims[0];
    const StorageClaim& media = a.topology.storage.claims[1];
    CHECK(archive.outcome == ClaimOutcome::Bound);
    // The media claim may not take the archive's reserved volume, and no other serves it.
    CHECK(media.outcome == ClaimOutcome::Pending);
    REQUIRE(media.nearest.size() == 1);
    CHECK(media.nearest[0].reason.find("its own directory") != std::string::npos);
  }
}

TEST_CASE("a default StorageClass serves the claims of its directory, the newest wins", "[binder]") {
  auto default_class = [](const char* name, const char* provisioner) {
    return fmt::format(
        "---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: {}\n  annotations:\n"
        "    storageclass.kubernetes.io/is-default-class: \"true\"\nprovisioner: {}\n",
        name, provisioner);
  };
  LoadResult input;
  load_text(&input, "a/all.yaml", default_class("old", "csi.example.com") + default_class("new", "csi.example.com") + pvc("a", nullptr, "1Gi"),
            LoadOptions{});
  load_text(&input, "b/all.yaml", pvc("b", nullptr, "1Gi"), LoadOptions{});
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  const StorageClaim* in_a = claim(a, "a");
  const StorageClaim* in_b = claim(a, "b");
  REQUIRE(in_a);
  REQUIRE(in_b);
  CHECK(in_a->class_name == "new");  // the DefaultStorageClass plugin picks the newest default
  CHECK(in_a->outcome == ClaimOutcome::Provisioned);
  CHECK_FALSE(in_b->class_defaulted);  // b's cluster has a default of its own, kmc cannot know it
  CHECK(in_b->outcome == ClaimOutcome::Deferred);
}

TEST_CASE("a volume taken in many directories is contended only within each", "[binder]") {
  // The smallest volume of its size is taken by the first claim of every directory; the second
  // claim of a directory must see its own directory's holder, not another one's.
  LoadResult input;
  load_text(&input, "volumes/pv.yaml", pv("first", "m", "1Gi") + pv("second", "m", "1Gi"), LoadOptions{});
  for (int d = 0; d < 50; ++d) {
    std::string dir = fmt::format("team-{}/claims.yaml", d);
    std::string a = fmt::format("a{}", d), b = fmt::format("b{}", d);
    load_text(&input, dir, pvc(a.c_str(), "m", "1Gi") + pvc(b.c_str(), "m", "1Gi"), LoadOptions{});
  }
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  for (int d = 0; d < 50; ++d) {
    CHECK(bound_volume(a, fmt::format("a{}", d)) == "first");
    CHECK(bound_volume(a, fmt::format("b{}", d)) == "second");  // "first" is its directory's a<d>'s
  }
}

TEST_CASE("a claim in the cluster contends with every holder, a pending claim names its nearest volumes", "[binder]") {
  LoadResult input;
  std::string volumes;
  for (int i = 0; i < 10; ++i) volumes += pv(("small-" + std::to_string(i)).c_str(), "m", "1Gi");
  load_text(&input, "app/all.yaml", volumes + pv("other-class", "x", "100Gi") + pvc("big", "m", "5Gi"), LoadOptions{});
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  const StorageClaim* big = claim(a, "big");
  REQUIRE(big);
  CHECK(big->outcome == ClaimOutcome::Pending);
  // Three volumes, the first ones of the claim's class that are too small; no other class.
  REQUIRE(big->nearest.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(a.topology.storage.volumes[big->nearest[i].volume].object->name() == "small-" + std::to_string(i));
    CHECK(big->nearest[i].reason == "1Gi < 5Gi requested");
  }
}

TEST_CASE("mounts link pod volumes to claims", "[binder]") {
  Analysis a = test::analyze_text(pvc("data", nullptr, "1Gi") + R"(---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: x}]
  volumes:
    - {name: d, persistentVolumeClaim: {claimName: data}}
    - {name: e, persistentVolumeClaim: {claimName: missing}}
)");
  const auto& mounts = a.topology.storage.mounts;
  REQUIRE(mounts.size() == 2);
  CHECK(mounts[0].claim >= 0);
  CHECK(mounts[1].claim == -1);
}
