// kustomize/ patches: the strategic merge (kyaml's, with kustomize's 1.21 strategies), JSON 6902
// operations, label selectors of patch targets, and inline patches' positions. The differential
// test (tests/integration/kustomize_reference.sh) renders the testdata/kustomize/render-patch-*
// cases with kustomize v5.7.1 beside kmc; these pin the details one by one.
#include <catch2/catch.hpp>

#include "kustomize/inline_yaml.h"
#include "kustomize/json_patch.h"
#include "kustomize/label_selector.h"
#include "kustomize/strategic_merge.h"
#include "kustomize_support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::kustomize;

namespace {

using test::tree;
using test::yaml_of;

const std::string kDeployment =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  finalizers: [a]\nspec:\n  template:\n"
    "    spec:\n      containers:\n      - name: web\n        image: nginx:1\n        env:\n        - name: A\n"
    "          value: base\n      volumes:\n      - name: tmp\n        emptyDir: {}\n      - name: keep\n"
    "        emptyDir: {}\n      tolerations:\n      - key: x\n";

}  // namespace

TEST_CASE("strategic merge: lists with a merge key merge by it, the patch's new items first", "[kustomize][patch]") {
  Arena text(Arena::kHugePage, false);
  RNode target = tree(kDeployment);
  RNode patch = tree(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\n  finalizers: [b]\nspec:\n  template:\n"
      "    spec:\n      containers:\n      - name: proxy\n        image: envoy:1\n      - name: web\n        env:\n"
      "        - name: A\n          value: prod\n      volumes:\n      - name: tmp\n        $patch: delete\n"
      "      tolerations:\n      - key: y\n");
  MergeResult m = strategic_merge(&target, std::move(patch), &text);
  REQUIRE(m.ok);
  CHECK_FALSE(m.deleted);
  CHECK(yaml_of(target) ==
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  finalizers:\n  - b\n  - a\nspec:\n"
        "  template:\n    spec:\n      containers:\n      - name: proxy\n        image: envoy:1\n      - name: web\n"
        "        image: nginx:1\n        env:\n        - name: A\n          value: prod\n      volumes:\n"
        "      - name: keep\n        emptyDir: {}\n      tolerations:\n      - key: y\n");
  // The name stays the target's (kustomize restores it); a value the patch set points at the patch.
  const RNode& web = target.get("spec")->get("template")->get("spec")->get("containers")->kids[1];
  CHECK(web.get("image")->pos.line == 11);  // the target's line
  CHECK(web.get("env")->kids[0].get("value")->pos.line == 15);  // the patch's line
  CHECK(target.get("metadata")->get("name")->pos.line == 4);
}

TEST_CASE("strategic merge: directives, nulls, and kinds kustomize has no schema for", "[kustomize][patch]") {
  Arena text(Arena::kHugePage, false);
  RNode target = tree(kDeployment);
  MergeResult m = strategic_merge(
      &target,
      tree("kind: Deployment\nmetadata:\n  name: web\n  finalizers: null\nspec:\n  template:\n    spec:\n"
           "      containers:\n      - name: web\n        env:\n          $patch: replace\n"),
      &text);
  // `$patch: replace` on a list item's field that is a list: kyaml finds no directive on a map
  // that is not there, and the shapes differ: kustomize fails the merge.
  CHECK_FALSE(m.ok);
  CHECK(m.error.find("wrong node kind") != std::string::npos);

  target = tree(kDeployment);
  m = strategic_merge(&target, tree("kind: Deployment\nmetadata:\n  name: web\n  finalizers: null\n"), &text);
  REQUIRE(m.ok);
  CHECK(target.get("metadata")->get("finalizers") == nullptr);  // a null removes the field

  target = tree(kDeployment);
  m = strategic_merge(&target, tree("kind: Deployment\nmetadata:\n  name: web\n$patch: delete\n"), &text);
  CHECK(m.ok);
  CHECK(m.deleted);

  target = tree(kDeployment);
  m = strategic_merge(&target, tree("kind: Deployment\nspec:\n  template:\n    $patch: bogus\n"), &text);
  CHECK_FALSE(m.ok);
  CHECK(m.error.find("unknown patch strategy 'bogus'") != std::string::npos);

  // A custom resource: kustomize has no schema for it, so its lists are replaced whole.
  RNode widget = tree("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  parts:\n"
                      "  - name: a\n  - name: b\n  settings: {color: red}\n");
  m = strategic_merge(&widget,
                      tree("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  parts:\n"
                           "  - name: c\n  settings: {shape: round}\n"),
                      &text);
  REQUIRE(m.ok);
  CHECK(yaml_of(*widget.get("spec")) == "parts:\n- name: c\nsettings:\n  color: red\n  shape: round\n");
}

TEST_CASE("strategic merge: Service ports merge by port and protocol", "[kustomize][patch]") {
  Arena text(Arena::kHugePage, false);
  RNode svc = tree("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 53\n"
                   "    protocol: UDP\n    name: dns\n  - port: 80\n    name: http\n");
  MergeResult m = strategic_merge(
      &svc, tree("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 53\n"
                 "    protocol: TCP\n    name: dns-tcp\n  - port: 80\n    targetPort: 8080\n"),
      &text);
  REQUIRE(m.ok);
  // kustomize v5.7.1's order, checked with it: port 80's key values ([80, ""]) match no other
  // item's, and kyaml sets the target's items back in its own order after the patch's first.
  CHECK(yaml_of(*svc.get("spec")) ==
        "ports:\n- port: 53\n  protocol: TCP\n  name: dns-tcp\n- port: 53\n  protocol: UDP\n  name: dns\n"
        "- port: 80\n  name: http\n  targetPort: 8080\n");
}

TEST_CASE("JSON 6902 operations apply as evanphx/json-patch v4 applies them", "[kustomize][patch]") {
  Arena text(Arena::kHugePage, false);
  RNode doc = tree("metadata:\n  name: x\n  labels: {a/b: one}\nspec:\n  args: [a, b]\n");
  JsonPatchError e = json_patch(
      &doc,
      tree("- {op: add, path: /spec/args/-, value: c}\n- {op: add, path: /spec/args/0, value: z}\n"
           "- {op: remove, path: /spec/args/-1}\n- {op: replace, path: /spec/replicas, value: 3}\n"
           "- {op: copy, from: /metadata/labels/a~1b, path: /metadata/labels/copy}\n"
           "- {op: move, from: /metadata/name, path: /metadata/title}\n- {op: test, path: /spec/args/1, value: a}\n"),
      &text);
  CHECK(e.message.empty());
  CHECK(yaml_of(doc) ==
        "metadata:\n  labels:\n    a/b: one\n    copy: one\n  title: x\nspec:\n  args:\n  - z\n  - a\n  - b\n"
        "  replicas: 3\n");

  e = json_patch(&doc, tree("- op: test\n  path: /spec/replicas\n  value: 4\n"), &text);
  CHECK(e.message == "testing value /spec/replicas failed");
  CHECK(e.pos.line == 1);
  e = json_patch(&doc, tree("- {op: add, path: /spec/args/9, value: x}\n"), &text);
  CHECK(e.message == "Unable to access invalid index: 9");
  e = json_patch(&doc, tree("- {op: remove, path: /status/x}\n"), &text);
  CHECK(e.message.find("doc is missing path") != std::string::npos);
  e = json_patch(&doc, tree("- {op: remove, path: /spec/missing}\n"), &text);
  CHECK(e.message == "Unable to remove nonexistent key: missing: missing value");
  e = json_patch(&doc, tree("- {op: frobnicate, path: /spec}\n"), &text);
  CHECK(e.message == "Unexpected kind: frobnicate");
}

TEST_CASE("label selectors of patch targets, as kubectl -l reads them", "[kustomize][patch]") {
  std::string error;
  auto s = parse_label_selector("app=web, tier in (front,back),!canary,env!=dev", &error);
  REQUIRE(s);
  CHECK(s->size() == 4);
  auto labels = [](std::map<std::string, std::string> m) {
    return [m](std::string_view k) -> std::optional<std::string_view> {
      auto it = m.find(std::string(k));
      if (it == m.end()) return std::nullopt;
      return std::string_view(it->second);
    };
  };
  CHECK(selector_matches(*s, labels({{"app", "web"}, {"tier", "front"}})));
  CHECK_FALSE(selector_matches(*s, labels({{"app", "web"}, {"tier", "front"}, {"canary", "1"}})));
  CHECK_FALSE(selector_matches(*s, labels({{"app", "web"}, {"tier", "db"}})));
  CHECK_FALSE(selector_matches(*s, labels({{"app", "web"}, {"tier", "back"}, {"env", "dev"}})));
  CHECK(parse_label_selector("", &error)->empty());
  CHECK_FALSE(parse_label_selector("a in b", &error));
  CHECK_FALSE(parse_label_selector("a=b c=d", &error));
}

TEST_CASE("an inline patch written as a literal block keeps the kustomization's lines", "[kustomize][patch]") {
  const std::string k =
      "patches:\n- target: {kind: Deployment}\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n"
      "      value: 3\n- patch: \"- {op: remove, path: /x}\"\n";
  LoadResult input = test::load_string(k);
  const Node& root = input.documents.at(0)->root;
  Arena arena(Arena::kHugePage, false);
  std::vector<Finding> findings;
  std::vector<RNode> block =
      parse_inline_yaml(*root.get("patches")->item(0).get("patch"), input.sources[0], 0, &arena, &findings);
  REQUIRE(block.size() == 1);
  CHECK(findings.empty());
  const RNode& op = block[0].kids.at(0);
  CHECK(op.get("value")->pos == Position{0, 6, 14});
  CHECK(op.get("path")->pos == Position{0, 5, 13});
  // Quoted: the text is not the file's, so every node points at the string.
  const Node& quoted = *root.get("patches")->item(1).get("patch");
  std::vector<RNode> flow = parse_inline_yaml(quoted, input.sources[0], 0, &arena, &findings);
  REQUIRE(flow.size() == 1);
  CHECK(flow[0].kids.at(0).get("path")->pos == quoted.pos());
}
