// The embedded API schema and the validator: lookups, how values are read, positions, messages,
// custom resources against their CRD, kustomize patches.
#include <algorithm>
#include <tuple>

#include <catch2/catch.hpp>

#include "schema/api_descriptions.h"
#include "schema/api_schema.h"
#include "schema/field_constraints.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

std::vector<const Finding*> of_rule(const Analysis& a, std::string_view rule) {
  std::vector<const Finding*> out;
  for (const Finding& f : a.findings)
    if (f.rule == rule) out.push_back(&f);
  return out;
}

std::string rules_of(const Analysis& a) {
  std::string s;
  for (const Finding& f : a.findings) s += std::string(f.rule) + "@" + std::to_string(f.pos.line) + ":" + std::to_string(f.pos.column) + " ";
  return s;
}

}  // namespace

TEST_CASE("the embedded schema knows every built-in kind, its scope and its fields", "[schema]") {
  const api::Schema& s = api::embedded_schema();
  CHECK(std::string_view(s.release) == "1.36");
  CHECK(s.definitions.size() > 700);
  CHECK(s.kinds.size() > 150);

  const api::Kind* deploy = s.find_kind("apps", "v1", "Deployment");
  REQUIRE(deploy);
  CHECK(deploy->namespaced);
  const api::Kind* pv = s.find_kind("", "v1", "PersistentVolume");
  REQUIRE(pv);
  CHECK_FALSE(pv->namespaced);
  CHECK_FALSE(s.find_kind("extensions", "v1beta1", "Ingress"));
  auto ingress = s.versions_of("Ingress");
  REQUIRE(ingress.size() == 1);
  CHECK(api_version_of(*ingress[0]) == "networking.k8s.io/v1");

  const api::Definition* port = s.find_definition("io.k8s.api.core.v1.ServicePort");
  REQUIRE(port);
  const api::Field* p = s.find_field(*port, "port");
  REQUIRE(p);
  CHECK(p->required);
  CHECK(s.type(p->type).kind == api::TypeKind::Int32);
  const api::Field* target = s.find_field(*port, "targetPort");
  REQUIRE(target);
  CHECK(s.type(target->type).kind == api::TypeKind::IntOrString);
  const api::Field* protocol = s.find_field(*port, "protocol");
  REQUIRE(protocol);
  REQUIRE(s.type(protocol->type).enum_set != api::kNoEnum);
  auto values = s.enum_of(s.type(protocol->type).enum_set);
  CHECK(std::find_if(values.begin(), values.end(), [](const char* v) { return std::string_view(v) == "SCTP"; }) != values.end());
  CHECK_FALSE(s.find_field(*port, "targetport"));
}

TEST_CASE("the schema's tables are sorted as its binary searches need, and every entry is found", "[schema]") {
  const api::Schema& s = api::embedded_schema();
  for (size_t i = 1; i < s.definitions.size(); ++i) CHECK(s.definitions[i - 1].name < s.definitions[i].name);
  for (size_t i = 1; i < s.kinds.size(); ++i) {
    const api::Kind& a = s.kinds[i - 1];
    const api::Kind& b = s.kinds[i];
    CHECK(std::tie(a.kind, a.group, a.version) < std::tie(b.kind, b.group, b.version));
  }
  for (size_t i = 1; i < s.removals.size(); ++i) {
    const api::Removal& a = s.removals[i - 1];
    const api::Removal& b = s.removals[i];
    CHECK(std::tie(a.kind, a.group, a.version) < std::tie(b.kind, b.group, b.version));
  }
  // Each release finds the one form of each field it has, and each kind it serves.
  for (const api::Schema& r : api::embedded_releases()) {
    INFO(r.release);
    size_t fields = 0;
    for (const api::Definition& d : r.definitions) {
      CHECK(r.find_definition(d.name) == &d);
      auto fs = r.fields_of(d);
      for (size_t i = 0; i < fs.size(); ++i) {
        if (i > 0) CHECK(fs[i - 1].name <= fs[i].name);
        if (i > 0 && fs[i - 1].name == fs[i].name) CHECK((fs[i - 1].releases & fs[i].releases) == 0);
        if (r.has(fs[i])) CHECK(r.find_field(d, fs[i].name) == &fs[i]);
        CHECK(fs[i].releases != 0);
        ++fields;
      }
    }
    CHECK(fields == r.fields.size());
    for (const api::Kind& k : r.kinds) CHECK(r.find_kind(k.group, k.version, k.kind) == (r.serves(k) ? &k : nullptr));
    for (const api::Removal& x : r.removals) CHECK(r.find_removal(x.group, x.version, x.kind) == &x);
  }
}

TEST_CASE("releases 1.28 to 1.36 share the tables, each seeing its own fields and kinds", "[schema]") {
  REQUIRE(api::embedded_releases().size() == 9);
  CHECK(std::string_view(api::embedded_schema().release) == "1.36");
  CHECK(api::release_range() == "1.28 to 1.36");
  const api::Schema* v128 = api::find_release("1.28");
  const api::Schema* v131 = api::find_release("v1.31");
  const api::Schema* v132 = api::find_release("1.32");
  REQUIRE(v128);
  REQUIRE(v131);
  REQUIRE(v132);
  CHECK_FALSE(api::find_release("1.27"));
  CHECK_FALSE(api::find_release("1.3"));
  CHECK(api::release_minor("1.30") == 30);
  CHECK(api::release_minor("v1.9") == 9);
  CHECK(api::release_minor("2.0") == -1);
  CHECK(api::release_minor("1.x") == -1);
  // Pod-level resources came in 1.32: a field of 1.32's PodSpec, not of 1.31's.
  const api::Definition* pod = v132->find_definition("io.k8s.api.core.v1.PodSpec");
  REQUIRE(pod);
  CHECK(v132->find_field(*pod, "resources"));
  CHECK_FALSE(v131->find_field(*pod, "resources"));
  CHECK(api::added_after(v131->field_releases(*pod, "resources"), *v131) == v132);
  // workloadRef was in 1.35 only.
  const api::Schema& v136 = api::embedded_schema();
  CHECK_FALSE(v136.find_field(*pod, "workloadRef"));
  CHECK(std::string_view(api::dropped_before(v136.field_releases(*pod, "workloadRef"), v136)->release) == "1.36");
  // flowcontrol v1beta3: served 1.28–1.31, removed in 1.32 (as the removal history says).
  CHECK(v131->find_kind("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema"));
  CHECK_FALSE(v132->find_kind("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema"));
  const api::Kind* beta3 = v132->find_kind_any("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema");
  REQUIRE(beta3);
  CHECK(api::dropped_before(beta3->releases, *v132) == v132);
  CHECK(api::dropped_after(beta3->releases, *v128) == v132);
  const api::Removal* r = v132->find_removal("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema");
  REQUIRE(r);
  CHECK(r->removed == "1.32");
  // ValidatingAdmissionPolicy went GA in 1.30.
  CHECK_FALSE(v128->find_kind("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"));
  CHECK(v128->versions_of("ValidatingAdmissionPolicy").size() == 2);  // v1alpha1, v1beta1
  CHECK(std::string_view(api::added_after(v128->find_kind_any("admissionregistration.k8s.io", "v1",
                                                              "ValidatingAdmissionPolicy")->releases, *v128)->release) == "1.30");
  // Scope holds for kinds of any release.
  CHECK(is_cluster_scoped("flowcontrol.apiserver.k8s.io", "FlowSchema"));
}

TEST_CASE("a field's description is the OpenAPI document's, of the newest release with its form", "[schema]") {
  for (const api::Schema& s : api::embedded_releases()) {
    const api::Definition* port = s.find_definition("io.k8s.api.core.v1.ServicePort");
    REQUIRE(port);
    const api::Field* target = s.find_field(*port, "targetPort");
    REQUIRE(target);
    CHECK(api::field_description(s, *target).starts_with("Number or name of the port to access on the pods targeted"));
  }
  // Every row of the table has its slot; a field without a description has "".
  const api::Schema& s = api::embedded_schema();
  size_t described = 0;
  for (const api::Field& f : s.fields) described += !api::field_description(s, f).empty();
  CHECK(described > s.fields.size() * 9 / 10);
}

TEST_CASE("scope comes from the API for every kind it serves", "[schema]") {
  CHECK(is_cluster_scoped("storage.k8s.io", "CSIDriver"));
  CHECK(is_cluster_scoped("resource.k8s.io", "DeviceClass"));
  CHECK_FALSE(is_cluster_scoped("", "ConfigMap"));
  CHECK(is_cluster_scoped("policy", "PodSecurityPolicy"));  // removed, still known
}

TEST_CASE("unknown fields point at the key and suggest the closest field or the right place", "[schema]") {
  Analysis a = test::analyze_text(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: x
      imagePullpolicy: Always
      runAsNonRoot: true
  restartpolcy: Never
)");
  auto f = of_rule(a, "schema/unknown-field");
  REQUIRE(f.size() == 3);
  CHECK(f[0]->pos.line == 8);
  CHECK(f[0]->pos.column == 7);
  CHECK(f[0]->fix == "did you mean \"imagePullPolicy\"?");
  CHECK(f[1]->fix.find("belongs under spec.containers[0].securityContext") != std::string::npos);
  CHECK(f[2]->fix == "did you mean \"restartPolicy\"?");
  CHECK(f[2]->message.find("Pod \"p\": unknown field \"restartpolcy\" in spec (PodSpec)") == 0);
}

TEST_CASE("values are typed the way kubectl's YAML-to-JSON conversion reads them", "[schema]") {
  Analysis a = test::analyze_text(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  terminationGracePeriodSeconds: 30.0
  activeDeadlineSeconds: 1e3
  priority: 3000000000
  hostNetwork: "true"
  containers:
    - name: c
      image: x
      env:
        - {name: A, value: on}
        - {name: B, value: "on"}
        - {name: C, value: 1.5}
        - {name: D, value: ~}
      ports:
        - {containerPort: 80.5}
      livenessProbe:
        httpGet: {port: true}
)");
  std::string all = rules_of(a);
  INFO(all);
  auto types = of_rule(a, "schema/type");
  std::vector<uint32_t> lines;
  for (const Finding* f : types) lines.push_back(f->pos.line);
  // 30.0 and 1e3 are integers once in JSON; "on" quoted is a string; ~ is null (unset).
  CHECK(lines == std::vector<uint32_t>{7, 8, 13, 15, 18, 20});
  CHECK(types[0]->message.find("does not fit the API's 32-bit integer") != std::string::npos);
  CHECK(types[1]->fix == "remove the quotes: true");
  CHECK(types[2]->message.find("the boolean on") != std::string::npos);
  CHECK(types[2]->fix.find("quote it: \"on\"") == 0);
}

TEST_CASE("status is decoded but not validated: nothing is required there", "[schema]") {
  Analysis a = test::analyze_text(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: x}]
status:
  phase: Weird
  containerStatuses:
    - name: c
  bogus: 1
)");
  CHECK(of_rule(a, "schema/required").empty());
  CHECK(of_rule(a, "schema/enum").empty());
  REQUIRE(of_rule(a, "schema/unknown-field").size() == 1);  // the decoder still rejects it
  CHECK(of_rule(a, "schema/unknown-field")[0]->pos.line == 10);
}

TEST_CASE("what the API server's validation adds to the schema: by kind, by default, by condition", "[schema]") {
  // A Job's restartPolicy defaults to Always, which Jobs may not have: required, with the reason.
  Analysis job = test::analyze_text(R"(apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      containers: [{name: c, image: x}]
)");
  REQUIRE(of_rule(job, "schema/required").size() == 1);
  const Finding& missing = *of_rule(job, "schema/required")[0];
  CHECK(missing.pos.line == 6);  // the pod template's `spec:`
  CHECK(missing.message.find("defaults to Always") != std::string::npos);
  CHECK(std::string(missing.fix).find("restartPolicy: Never") != std::string::npos);

  // A template value or a kustomize patch is not judged.
  Analysis templated = test::analyze_text(R"(apiVersion: v1
kind: Service
metadata: {name: edge}
spec:
  type: "{{ .Values.type }}"
  clusterIP: None
)");
  CHECK(of_rule(templated, "schema/invalid-value").empty());
  CHECK(of_rule(templated, "schema/required").empty());
  Analysis patch = test::analyze_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n  template:\n"
                                      "    spec: {containers: [{name: c, image: x}]}\n",
                                      "overlays/prod/patch-job.yaml");
  CHECK(rules_of(patch).empty());
}

TEST_CASE("every field constraint names a field of the embedded schema", "[schema]") {
  const std::vector<uint8_t>& table = field_constraint_table(api::embedded_schema());
  CHECK(static_cast<size_t>(std::count_if(table.begin(), table.end(), [](uint8_t c) { return c != 0; })) ==
        field_constraints_declared());
}

TEST_CASE("removed and misspelt API versions say what serves the kind today", "[schema]") {
  Analysis a = test::analyze_text(R"(apiVersion: apps/v1beta2
kind: Deployment
metadata: {name: a}
---
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata: {name: b}
---
apiVersion: v1
kind: Sevice
metadata: {name: c}
---
apiVersion: v1
kind: DeploymentConfig
metadata: {name: d}
)");
  // Removed APIs are version/removed's, with the release that removed them and the replacement.
  auto removed = of_rule(a, "version/removed");
  REQUIRE(removed.size() == 2);
  CHECK(removed[0]->message.find("Kubernetes 1.16 removed apps/v1beta2 Deployment (deprecated since 1.9)") != std::string::npos);
  CHECK(removed[0]->fix == "use apps/v1");
  CHECK(removed[1]->message.find("Kubernetes 1.25 removed policy/v1beta1 PodSecurityPolicy") != std::string::npos);
  CHECK(removed[1]->fix.find("no replacement API") == 0);
  auto f = of_rule(a, "schema/api-version");
  REQUIRE(f.size() == 1);
  CHECK(f[0]->fix == "did you mean Service?");
  // Not a typo of a core kind: another API server (OpenShift's legacy v1) may serve it.
  REQUIRE(of_rule(a, "schema/unknown-kind").size() == 1);
  CHECK(of_rule(a, "schema/unknown-kind")[0]->pos.line == 14);
}

TEST_CASE("custom resources are validated against a CRD in the same run", "[schema]") {
  Analysis a = test::analyze_text(R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: dbs.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Database, plural: dbs}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [engine]
              properties:
                engine: {type: string, enum: [postgres, mysql]}
                replicas: {type: integer}
                port: {x-kubernetes-int-or-string: true}
                tags: {type: object, additionalProperties: {type: string}}
                template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
    - name: v0
      served: false
      storage: false
---
apiVersion: example.com/v1
kind: Database
metadata: {name: ok}
spec:
  engine: postgres
  replicas: 2
  port: http
  tags: {team: a}
  template: {apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {}}
  extra: {anything: [1, 2]}
---
apiVersion: example.com/v1
kind: Database
metadata: {name: bad}
spec:
  engin: postgres
  replicas: "2"
  port: true
  tags: {team: 1}
---
apiVersion: example.com/v1
kind: Database
metadata: {name: wrong-enum}
spec:
  engine: Postgres
---
apiVersion: example.com/v0
kind: Database
metadata: {name: old}
)");
  INFO(rules_of(a));
  auto unknown = of_rule(a, "schema/unknown-field");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0]->pos.line == 45);
  CHECK(unknown[0]->fix == "did you mean \"engine\"?");
  REQUIRE(unknown[0]->related.size() == 1);
  CHECK(unknown[0]->related[0].pos.line == 1);  // the CRD
  REQUIRE(of_rule(a, "schema/required").size() == 1);
  CHECK(of_rule(a, "schema/required")[0]->pos.line == 44);
  auto types = of_rule(a, "schema/type");
  REQUIRE(types.size() == 3);
  CHECK(types[0]->pos.line == 46);
  CHECK(types[1]->pos.line == 47);
  CHECK(types[2]->pos.line == 48);
  REQUIRE(of_rule(a, "schema/enum").size() == 1);
  CHECK(of_rule(a, "schema/enum")[0]->fix == "did you mean \"postgres\"?");
  // v0 is listed `served: false`: no longer served (version/removed), not a version the CRD
  // never had (schema/api-version).
  REQUIRE(of_rule(a, "version/removed").size() == 1);
  CHECK(of_rule(a, "version/removed")[0]->pos.line == 56);
  CHECK(of_rule(a, "schema/api-version").empty());
  CHECK(of_rule(a, "schema/unknown-kind").empty());
}

TEST_CASE("a finding per object is bounded", "[schema]") {
  std::string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n";
  for (int i = 0; i < 500; ++i) yaml += "field" + std::to_string(i) + ": 1\n";
  // The schema stage stops at 200 findings of an object ...
  LoadResult input;
  load_text(&input, "test.yaml", yaml, LoadOptions{});
  AnalysisOptions unlimited;
  unlimited.limits.per_rule_per_file = 0;
  Analysis all = analyze(std::move(input), unlimited);
  CHECK(of_rule(all, "schema/unknown-field").size() == 200);
  // ... and a file lists 100 of a rule, then one finding that counts the rest.
  Analysis a = test::analyze_text(yaml);
  std::vector<const Finding*> listed = of_rule(a, "schema/unknown-field");
  REQUIRE(listed.size() == 101);
  CHECK(listed.back()->message.starts_with("and 100 more findings of this rule in this file, not shown"));
}

TEST_CASE("the API server's size limits: annotations 256 KiB, a ConfigMap's or Secret's data 1 MiB", "[schema]") {
  // Copies: the findings die with their analysis at the end of the call.
  auto invalid = [](const std::string& yaml) {
    Analysis a = test::analyze_text(yaml);
    std::vector<Finding> out;
    for (const Finding* f : of_rule(a, "schema/invalid-value")) out.push_back(*f);
    return out;
  };
  std::string big(600 << 10, 'a');
  std::string half(300 << 10, 'b');
  // Annotations count keys and values, of the object and of its pod template.
  auto many = invalid("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n  annotations: {a: \"" + half + "\"}\n");
  REQUIRE(many.size() == 1);
  CHECK(many[0].pos.line == 5);
  CHECK(many[0].message.find("metadata.annotations hold 307201 bytes") != std::string::npos);
  CHECK(invalid("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n  annotations: {a: \"" + std::string(200 << 10, 'c') +
                "\"}\n")
            .empty());
  auto templated = invalid("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: "
                           "{app: d}}\n  template:\n    metadata:\n      labels: {app: d}\n      annotations: {x: \"" +
                           half + "\"}\n    spec: {containers: [{name: c, image: \"i:1\"}]}\n");
  REQUIRE(templated.size() == 1);
  CHECK(templated[0].message.find("spec.template.metadata.annotations") != std::string::npos);

  // A ConfigMap: data and binaryData values (decoded), over 1 MiB in all.
  auto config = invalid("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: \"" + big + "\"\n  b: \"" + big +
                        "\"\n");
  REQUIRE(config.size() == 1);
  CHECK(config[0].pos.line == 4);
  CHECK(config[0].message.find("holds 1228800 bytes of data") != std::string::npos);
  CHECK(invalid("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: \"" + big + "\"\n").empty());
  // A Secret's data counts decoded: 1.2 MB of base64 is 0.9 MB, which fits.
  std::string base64(1'200'000, 'Q');
  CHECK(invalid("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: " + base64 + "\n").empty());
  auto secret = invalid("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: " + base64 + "\nstringData:\n  b: \"" +
                        half + "\"\n");
  REQUIRE(secret.size() == 1);
  CHECK(secret[0].message.find("the Secret holds 1207200 bytes of data") != std::string::npos);
  // stringData replaces the data of its key: counted once.
  CHECK(invalid("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: " + base64 + "\nstringData:\n  a: \"" + half +
                "\"\n")
            .empty());
}
