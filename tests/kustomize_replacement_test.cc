// kustomize/replacement: kyaml's field paths as replacements read them (a source's exact
// [key=value], a target's regular expression, `*`, made fields), the typing of a copied scalar,
// and delimiters. The differential test renders testdata/kustomize/render-replacements.case
// with kustomize v5.7.1 beside kmc; these pin the details one by one.
#include <catch2/catch.hpp>

#include "kustomize/replacement.h"
#include "kustomize_support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::kustomize;

namespace {

using test::tree;

// The tree as YAML without its spaces, which the checks below need not count.
std::string yaml_of(const RNode& n) {
  std::string out = test::yaml_of(n);
  std::erase(out, ' ');
  return out;
}

Entry e(std::string_view text) { return Entry{text, Position{}}; }

Kustomization::Selector select(std::string_view kind, std::string_view name = {}) {
  Kustomization::Selector s;
  s.kind = e(kind);
  s.name = e(name);
  return s;
}

Kustomization::Replacement replacement(Kustomization::Selector source, std::string_view field_path,
                                       Kustomization::Replacement::Target target) {
  Kustomization::Replacement r;
  r.source = source;
  r.field_path = e(field_path);
  r.targets.emplace().push_back(std::move(target));
  return r;
}

Kustomization::Replacement::Target target(Kustomization::Selector s, std::vector<Entry> paths) {
  Kustomization::Replacement::Target t;
  t.select = s;
  t.field_paths = std::move(paths);
  return t;
}

const std::string kWeb =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n"
    "      containers:\n      - name: web\n        image: example/web:1.0\n        args: [--port, \"80\"]\n"
    "      - name: web-proxy\n        image: proxy:1\n";
const std::string kSettings =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  tag: \"2.1\"\n  replicas: \"4\"\n"
    "  host: api.example.com\n";

std::vector<Resource> resources() {
  std::vector<Resource> ra;
  ra.push_back(Resource{tree(kWeb), 0, {}, {}, {}});
  ra.push_back(Resource{tree(kSettings), 0, {}, {}, {}});
  return ra;
}

}  // namespace

TEST_CASE("field paths split as kyaml's SmarterPathSplitter splits them", "[kustomize][replacement]") {
  using V = std::vector<std::string>;
  CHECK(split_field_path("spec.template.spec") == V{"spec", "template", "spec"});
  CHECK(split_field_path("a.[name=x.y].b") == V{"a", "[name=x.y]", "b"});
  CHECK(split_field_path("metadata.labels.[app.kubernetes.io/name]") == V{"metadata", "labels", "app.kubernetes.io/name"});
  CHECK(split_field_path("a\\.b.c") == V{"a.b", "c"});
  CHECK(split_field_path(".a.b") == V{"a", "b"});
  CHECK(split_field_path("args.3 ") == V{"args", "3"});
}

TEST_CASE("a target's [key=value] is an unanchored regular expression, a source's is exact", "[kustomize][replacement]") {
  Arena text(Arena::kHugePage, false);
  std::vector<Finding> findings;
  Replacer replacer(&text, &findings);
  std::vector<Resource> ra = resources();
  // Both containers' names contain "web": both images are set.
  REQUIRE(replacer.apply(replacement(select("ConfigMap"), "data.host",
                                     target(select("Deployment"), {e("spec.template.spec.containers.[name=web].image")})),
                         &ra));
  std::string out = yaml_of(ra[0].tree);
  INFO(out);
  CHECK(out.find("image:api.example.com\nargs") != std::string::npos);
  CHECK(out.find("name:web-proxy\nimage:api.example.com") != std::string::npos);
  // The source matches exactly: [name=we] finds no container.
  REQUIRE_FALSE(replacer.apply(replacement(select("Deployment"), "spec.template.spec.containers.[name=we].image",
                                           target(select("ConfigMap"), {e("data.host")})),
                               &ra));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message.find("is not in the replacement's source") != std::string::npos);
}

TEST_CASE("a copied scalar keeps a string a string, a made field takes the type its text reads as",
          "[kustomize][replacement]") {
  Arena text(Arena::kHugePage, false);
  std::vector<Finding> findings;
  Replacer replacer(&text, &findings);
  std::vector<Resource> ra = resources();
  auto t = target(select("Deployment"), {e("spec.replicas"), e("spec.template.spec.containers.0.args.1"),
                                         e("metadata.annotations.replicas")});
  t.options.create = true;
  REQUIRE(replacer.apply(replacement(select("ConfigMap"), "data.replicas", t), &ra));
  std::string out = yaml_of(ra[0].tree);
  INFO(out);
  CHECK(out.find("replicas:4\n") != std::string::npos);       // an integer stays an integer
  CHECK(out.find("args:\n-\"--port\"\n-\"4\"") != std::string::npos);  // a string stays a string
  CHECK(out.find("annotations:\nreplicas:4\n") != std::string::npos);  // made: read as an integer
}

TEST_CASE("delimiters split the source and splice into the target", "[kustomize][replacement]") {
  Arena text(Arena::kHugePage, false);
  std::vector<Finding> findings;
  Replacer replacer(&text, &findings);
  std::vector<Resource> ra = resources();
  auto r = replacement(select("ConfigMap"), "data.host",
                       target(select("Deployment"), {e("spec.template.spec.containers.[name=web$].image")}));
  r.source_options.delimiter = e(".");
  r.source_options.index = 0;
  r.targets->front().options.delimiter = e(":");
  r.targets->front().options.index = 1;
  REQUIRE(replacer.apply(r, &ra));
  CHECK(yaml_of(ra[0].tree).find("image:example/web:api\n") != std::string::npos);
  r.targets->front().options.index = -1;  // before the first piece
  REQUIRE(replacer.apply(r, &ra));
  CHECK(yaml_of(ra[0].tree).find("image:api:example/web:api\n") != std::string::npos);
  r.source_options.index = 3;  // api, example, com: no fourth piece
  REQUIRE_FALSE(replacer.apply(r, &ra));
  CHECK(findings.back().message.find("out of bounds") != std::string::npos);
}

TEST_CASE("`*` visits every list item, a target missing the field fails unless made", "[kustomize][replacement]") {
  Arena text(Arena::kHugePage, false);
  std::vector<Finding> findings;
  Replacer replacer(&text, &findings);
  std::vector<Resource> ra = resources();
  auto t = target(select("Deployment"), {e("spec.template.spec.containers.*.env.[name=HOST].value")});
  REQUIRE_FALSE(replacer.apply(replacement(select("ConfigMap"), "data.host", t), &ra));
  CHECK(findings.back().message.find("cannot find `spec.template.spec.containers.*.env.[name=HOST].value`") !=
        std::string::npos);
  t.options.create = true;
  REQUIRE(replacer.apply(replacement(select("ConfigMap"), "data.host", t), &ra));
  std::string out = yaml_of(ra[0].tree);
  size_t first = out.find("env:\n-name:HOST\nvalue:api.example.com");
  CHECK(first != std::string::npos);
  CHECK(out.find("env:\n-name:HOST\nvalue:api.example.com", first + 1) != std::string::npos);
}
