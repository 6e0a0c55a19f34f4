// kustomize/: the kustomization reader, the mutable trees, the transformers' details and the
// output order, each against what kustomize v5.7.1 does (the differential test,
// tests/integration/kustomize_reference.sh, compares whole builds).
#include <catch2/catch.hpp>

#include "kustomize/kustomization.h"
#include "kustomize/order.h"
#include "kustomize/rnode.h"
#include "kustomize/transform.h"
#include "render/yaml_emit.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::kustomize;

namespace {

const Node& root_of(const LoadResult& input) { return input.documents.at(0)->root; }

Kustomization read(const std::string& yaml, std::vector<Finding>* findings, bool* ok) {
  static std::vector<LoadResult> kept;  // the kustomization's views point into its load
  kept.push_back(test::load_string(yaml));
  return read_kustomization(root_of(kept.back()), 0, "app", findings, ok);
}

Resource resource(const std::string& yaml) {
  static std::vector<LoadResult> kept;
  kept.push_back(test::load_string(yaml));
  return Resource{from_node(root_of(kept.back())), 0, {}, {}, {}};
}

std::vector<std::string> rules(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(std::string(f.rule) + "@" + std::to_string(f.pos.line));
  return out;
}

}  // namespace

TEST_CASE("a kustomization is read as kustomize decodes it: strictly, Go's types, case-insensitive keys",
          "[kustomize]") {
  std::vector<Finding> findings;
  bool ok = false;
  Kustomization k = read("Resources: [a.yaml]\nnamePrefix: p-\nimages: [{name: nginx, newTag: \"1.27\"}]\n"
                         "replicas: [{name: web, count: 3}]\n",
                         &findings, &ok);
  CHECK(ok);
  CHECK(findings.empty());
  REQUIRE(k.resources.size() == 1);  // `Resources` matches `resources`, as Go's decoder matches fields
  CHECK(k.resources[0].text == "a.yaml");
  CHECK(k.name_prefix.text == "p-");
  REQUIRE(k.images.size() == 1);
  CHECK(k.images[0].new_tag.text == "1.27");
  REQUIRE(k.replicas.size() == 1);
  CHECK(k.replicas[0].value == 3);

  findings.clear();
  read("namespace: 1\nresource: [a.yaml]\nimages: [{name: x, newTag: 1.27}]\nlabels: [{pairs: {a: b}, bogus: 1}]\n",
       &findings, &ok);
  CHECK_FALSE(ok);
  CHECK(rules(findings) == std::vector<std::string>{"kustomize/invalid@1", "kustomize/invalid@2",
                                                    "kustomize/invalid@3", "kustomize/invalid@4"});
  findings.clear();
  read("{}\n", &findings, &ok);
  CHECK_FALSE(ok);  // kustomize refuses an empty kustomization
  findings.clear();
  read("kind: Component\napiVersion: kustomize.config.k8s.io/v1beta1\nresources: [a.yaml]\n", &findings, &ok);
  CHECK_FALSE(ok);  // a Component's apiVersion is v1alpha1
}

TEST_CASE("deprecated fields are infos, what kmc never renders and what it does not yet are told apart",
          "[kustomize]") {
  std::vector<Finding> findings;
  bool ok = false;
  Kustomization k = read("bases: [../base]\ncommonLabels: {a: b}\nvars: []\nhelmCharts: [{name: x}]\n",
                         &findings, &ok);
  CHECK(ok);
  CHECK(rules(findings) ==
        std::vector<std::string>{"kustomize/deprecated@1", "kustomize/deprecated@2", "kustomize/deprecated@3"});
  REQUIRE(k.resources.size() == 1);  // `bases` joins `resources`
  REQUIRE(k.labels.size() == 1);
  CHECK(k.labels[0].selectors);
  REQUIRE(k.unsupported.size() == 1);
  CHECK(k.unsupported[0].text == "helmCharts");
  REQUIRE(k.not_yet.size() == 1);
  CHECK(k.not_yet[0].text == "vars");
}

TEST_CASE("a tree survives the round trip to parser nodes, positions and all", "[kustomize]") {
  Resource r = resource("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  list: [1, two]\n");
  RNode& meta = *r.tree.get("metadata");
  meta.set("namespace", RNode::string("prod", Position{7, 3, 12}), Position{7, 3, 1});
  Arena arena(Arena::kHugePage, false);
  Node n = to_node(r.tree, &arena);
  CHECK(n.get("metadata")->get_text("namespace") == "prod");
  CHECK(n.get("metadata")->get("namespace")->pos() == Position{7, 3, 12});
  CHECK(n.get("metadata")->get("name")->pos() == Position{0, 4, 9});
  std::string yaml;
  render::emit_yaml(n, &yaml);
  CHECK(yaml == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: prod\ndata:\n  list:\n  - 1\n  - two\n");
}

TEST_CASE("the YAML written back reads as the same values", "[kustomize][render]") {
  LoadResult input = test::load_string(
      "a: \"true\"\nb: \"1.0\"\nc: \"\"\nd: \"x: y\"\ne: |\n  line one\n  line two\nf: \"-x\"\ng: yes\nh: 0x1f\n"
      "i: \"a\\tb\"\nj: {}\nk: []\n");
  std::string yaml;
  render::emit_yaml(root_of(input), &yaml);
  LoadResult again = test::load_string(yaml);
  const Node& a = root_of(input);
  const Node& b = root_of(again);
  REQUIRE(a.size() == b.size());
  for (uint32_t i = 0; i < a.size(); ++i) {
    INFO(yaml);
    CHECK(a.key(i).text() == b.key(i).text());
    CHECK(a.value(i).kind == b.value(i).kind);
    CHECK(a.value(i).text() == b.value(i).text());
  }
}

TEST_CASE("kustomize's legacy order: its kinds first, webhooks last, the rest by group, version and kind",
          "[kustomize]") {
  std::vector<Resource> ra;
  for (const char* yaml : {"apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: v}\n",
                           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n",
                           "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n",
                           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n",
                           "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
                           "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n",
                           "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\n"})
    ra.push_back(resource(yaml));
  legacy_sort(&ra);
  std::vector<std::string> order;
  for (const Resource& r : ra) order.push_back(r.id().kind + "/" + r.id().name);
  CHECK(order == std::vector<std::string>{"Namespace/n", "Service/s", "Deployment/a", "Deployment/b", "DaemonSet/d",
                                          "Job/j", "ValidatingWebhookConfiguration/v"});
}

TEST_CASE("kustomize's namespaceability is its Kubernetes 1.21 schema's", "[kustomize]") {
  CHECK(kustomize_cluster_scoped("v1", "Namespace"));
  CHECK(kustomize_cluster_scoped("rbac.authorization.k8s.io/v1", "ClusterRole"));
  // Cluster-scoped since 1.26, unknown to kustomize's schema: it sets a namespace on it.
  CHECK_FALSE(kustomize_cluster_scoped("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"));
  CHECK_FALSE(kustomize_cluster_scoped("example.com/v1", "ClusterWidget"));
}
