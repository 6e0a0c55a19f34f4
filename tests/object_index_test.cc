#include <catch2/catch.hpp>

#include "checks/object_index.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

TEST_CASE("the object index finds the first object of an identity", "[link][index]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: other}
---
apiVersion: example.com/v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: cfg, namespace: shop}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: example.com/disk
)Y");
  const std::vector<Object>& o = a.model.objects;
  REQUIRE(o.size() == 6);
  const ObjectIndex& index = a.topology.object_index;
  for (const Object& each : o) {
    const Object* first = &each == &o[1] ? &o[0] : &each;
    CHECK(index.find(ObjectIdentity::of(each)) == first);
    CHECK(index.first(each) == first);
  }
  CHECK(index.find({"", "ConfigMap", "shop", "cfg"}) == &o[0]);
  CHECK(index.find({"example.com", "ConfigMap", "shop", "cfg"}) == &o[3]);  // the group tells them apart
  CHECK(index.find({"", "ConfigMap", "default", "cfg"}) == nullptr);
  CHECK(index.find({"", "ConfigMap", "shop", "cf"}) == nullptr);
  CHECK(a.topology.find("storage.k8s.io", "StorageClass", "", "fast") == &o[5]);
  CHECK(a.topology.find("", "StorageClass", "", "fast") == nullptr);
  CHECK(ObjectIndex().find({"", "ConfigMap", "shop", "cfg"}) == nullptr);
  CHECK(index.repeats() == std::vector<uint32_t>{1});  // only the second ConfigMap "cfg" of "shop"
  // Which firsts are repeated: only the ConfigMap "cfg" of "shop".
  CHECK(index.repeated(o[0]));
  for (size_t i = 2; i < o.size(); ++i) CHECK_FALSE(index.repeated(o[i]));
}

TEST_CASE("the object index lists every repetition in model order", "[link][index]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: v1
kind: Secret
metadata: {name: s, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: shop}
)Y");
  REQUIRE(a.model.objects.size() == 5);
  CHECK(a.topology.object_index.repeats() == std::vector<uint32_t>{2, 3, 4});
  CHECK(ObjectIndex().repeats().empty());
}

TEST_CASE("the object index stays valid when its model moves", "[link][index]") {
  Analysis a = test::analyze_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
  Analysis moved = std::move(a);
  const Object* ns = moved.topology.find("", "Namespace", "", "shop");
  REQUIRE(ns != nullptr);
  CHECK(ns == &moved.model.objects[0]);
}

TEST_CASE("duplicate-object compares input objects only, even when the cluster has the object first",
          "[rules][index]") {
  const char* cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\n";
  auto duplicates = [&](int copies) {
    LoadResult input;
    load_text(&input, "cluster.yaml", cm, LoadOptions{}, /*context=*/true);
    std::string text;
    for (int i = 0; i < copies; ++i) text += std::string(i ? "---\n" : "") + cm;
    load_text(&input, "app.yaml", text, LoadOptions{});
    // Context objects are loaded first here, so the index's first object is the cluster's.
    Analysis a = analyze(std::move(input), AnalysisOptions{});
    REQUIRE(a.model.objects.front().context);
    std::vector<uint32_t> lines;
    for (const Finding& f : a.findings)
      if (f.rule == "schema/duplicate-object") lines.push_back(f.pos.line);
    return lines;
  };
  CHECK(duplicates(1).empty());
  CHECK(duplicates(2) == std::vector<uint32_t>{7});  // the second copy's name
  CHECK(duplicates(3) == std::vector<uint32_t>{7, 11});
}
