// --kubernetes-version and --upgrade-to: the version/* rules at release boundaries, the rules
// whose facts change between releases, the upgrade report, and the flags and config key.
#include <string>

#include <catch2/catch.hpp>

#include "checks/pod_security.h"
#include "driver/config.h"
#include "run_kmc.h"
#include "schema/api_schema.h"
#include "schema/crd_catalog.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

Analysis at_release(const std::string& yaml, const char* release, const char* upgrade_to = nullptr) {
  LoadResult input;
  load_text(&input, "test.yaml", yaml, LoadOptions{});
  AnalysisOptions options;
  options.model.release = api::find_release(release);
  REQUIRE(options.model.release);
  if (upgrade_to) options.model.upgrade_to = api::find_release(upgrade_to);
  return analyze(std::move(input), options);
}

// "rule@line" for each finding of the version family and of `also`.
std::string verdicts(const Analysis& a, std::string_view also = "version/") {
  std::string s;
  for (const Finding& f : a.findings)
    if (f.rule.starts_with("version/") || f.rule.starts_with(also))
      s += std::string(f.rule) + "@" + std::to_string(f.pos.line) + " ";
  return s;
}

const Finding* first_of(const Analysis& a, std::string_view rule) {
  for (const Finding& f : a.findings)
    if (f.rule == rule) return &f;
  return nullptr;
}

const char* const kFlowSchemas = R"(apiVersion: flowcontrol.apiserver.k8s.io/v1beta2
kind: FlowSchema
metadata: {name: a}
spec: {priorityLevelConfiguration: {name: x}}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata: {name: b}
spec: {priorityLevelConfiguration: {name: x}}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: c}
spec: {priorityLevelConfiguration: {name: x}}
)";

const char* const kPodWithResources = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resources:
    requests: {cpu: 100m}
  containers: [{name: c, image: nginx:1.27}]
)";

}  // namespace

TEST_CASE("flowcontrol v1beta2 and v1beta3 across 1.28, 1.29, 1.31 and 1.32", "[versions]") {
  // 1.28: v1beta2 deprecated since 1.26 and removed in 1.29; v1beta3 is not deprecated until 1.29.
  // v1 is served from 1.29.
  Analysis a = at_release(kFlowSchemas, "1.28");
  CHECK(verdicts(a) == "version/deprecated@1 version/removed@11 ");
  CHECK(first_of(a, "version/deprecated")->message.find("removed in Kubernetes 1.29") != std::string::npos);
  // 1.29: v1beta2 is gone; v1beta3 deprecated (removed in 1.32); v1 new.
  a = at_release(kFlowSchemas, "1.29");
  CHECK(verdicts(a) == "version/removed@1 version/deprecated@6 ");
  CHECK(first_of(a, "version/removed")->message.find("Kubernetes 1.29 removed flowcontrol.apiserver.k8s.io/v1beta2") != std::string::npos);
  CHECK(first_of(a, "version/removed")->fix == "use flowcontrol.apiserver.k8s.io/v1");
  a = at_release(kFlowSchemas, "1.31");
  CHECK(verdicts(a) == "version/removed@1 version/deprecated@6 ");
  a = at_release(kFlowSchemas, "1.32");
  CHECK(verdicts(a) == "version/removed@1 version/removed@6 ");
  // v1 is not served before 1.29: not yet, not removed.
  a = at_release(R"(apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: x}
spec: {type: Exempt}
)", "1.28");
  CHECK(verdicts(a) == "version/removed@1 ");
  CHECK(first_of(a, "version/removed")->message.find("does not serve flowcontrol.apiserver.k8s.io/v1 "
                                                     "PriorityLevelConfiguration yet: it is served from 1.29") != std::string::npos);
  CHECK(first_of(a, "version/removed")->fix.find("use flowcontrol.apiserver.k8s.io/v1beta3 on 1.28") == 0);
}

TEST_CASE("a field added in 1.32 is version/field-unknown before, and a field dropped after", "[versions]") {
  Analysis a = at_release(kPodWithResources, "1.31");
  CHECK(verdicts(a, "schema/unknown-field") == "version/field-unknown@5 ");
  const Finding* f = first_of(a, "version/field-unknown");
  CHECK(f->message == "Pod \"p\": spec.resources is not a field of Kubernetes 1.31: it was added in 1.32, and the API server of "
                      "1.31 rejects it as an unknown field (or drops it, with field validation off)");
  CHECK(f->fix == "remove it, or target Kubernetes 1.32 or later (--kubernetes-version)");
  CHECK(verdicts(at_release(kPodWithResources, "1.32"), "schema/unknown-field").empty());
  // workloadRef was a field of 1.35's PodSpec only.
  std::string ref = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  workloadRef: {name: w, podGroup: g}
  containers: [{name: c, image: nginx:1.27}]
)";
  CHECK(verdicts(at_release(ref, "1.35"), "schema/").empty());
  a = at_release(ref, "1.36");
  CHECK(verdicts(a, "schema/unknown-field") == "version/field-unknown@5 ");
  CHECK(first_of(a, "version/field-unknown")->message.find("1.36 removed it") != std::string::npos);
  // A field no release has stays schema/unknown-field, with its suggestion.
  a = at_release(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resorces: {}
  containers: [{name: c, image: nginx:1.27}]
)", "1.32");
  CHECK(verdicts(a, "schema/unknown-field") == "schema/unknown-field@5 ");
  CHECK(first_of(a, "schema/unknown-field")->fix == "did you mean \"resources\"?");
}

TEST_CASE("required is as the newest release that has the field says", "[versions]") {
  // StatefulSet spec.serviceName is marked required in the documents before 1.33, which only
  // corrected the mark: no API server ever refused a StatefulSet without it.
  std::string sts = R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec:
  selector: {matchLabels: {app: s}}
  template:
    metadata: {labels: {app: s}}
    spec: {containers: [{name: c, image: nginx:1.27}]}
)";
  CHECK(verdicts(at_release(sts, "1.28"), "schema/required").empty());
  CHECK(verdicts(at_release(sts, "1.36"), "schema/required").empty());
  // A field required in every release stays required in each.
  std::string svc = R"(apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports: [{name: web}]
)";
  CHECK(verdicts(at_release(svc, "1.28"), "schema/required") == "schema/required@5 ");
}

TEST_CASE("an upgrade report (--upgrade-to) adds what the later release refuses, once", "[versions]") {
  std::string yaml = std::string(kFlowSchemas) + "---\n" + kPodWithResources;
  // From 1.29 to 1.33: v1beta3 is removed on the way (its deprecation warning gives way to the
  // removal); the pod's resources field becomes known, so nothing of it is reported by the
  // upgrade, and the target's own findings stay.
  Analysis a = at_release(yaml, "1.29", "1.33");
  CHECK(verdicts(a) == "version/removed@1 version/removed@6 version/field-unknown@20 ");
  const Finding* removed = nullptr;
  for (const Finding& f : a.findings)
    if (f.rule == "version/removed" && f.pos.line == 6) removed = &f;
  REQUIRE(removed);
  CHECK(removed->message.find("FlowSchema \"b\": upgrading from 1.29 to 1.33: Kubernetes 1.32 removed "
                              "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema") == 0);
  // Without the flag the same run has only the target's findings.
  CHECK(verdicts(at_release(yaml, "1.29")) == "version/removed@1 version/deprecated@6 version/field-unknown@20 ");
}

TEST_CASE("rules whose facts changed follow the target release", "[versions]") {
  std::string endpoints = R"(apiVersion: v1
kind: Endpoints
metadata: {name: legacy}
subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: legacy}
spec: {ports: [{port: 80}]}
)";
  CHECK(first_of(at_release(endpoints, "1.33"), "endpoints/deprecated-api"));
  CHECK_FALSE(first_of(at_release(endpoints, "1.32"), "endpoints/deprecated-api"));
  // Pod Security "latest" is the API server's release: on 1.30 a pinned v1.35 is 1.30's checks.
  NamespacePodSecurity p = pod_security_of(std::vector<std::pair<std::string, std::string>>{
                                               {"enforce", "restricted"}, {"warn", "baseline"}, {"warn-version", "v1.35"}},
                                           30);
  CHECK(p.enforce.minor == 30);
  CHECK(p.enforce.latest);
  CHECK(p.warn.minor == 30);
  CHECK(p.warn.pinned == 35);
}

TEST_CASE("kubernetesVersion in .kmc.yaml, and the flags' errors", "[versions]") {
  Config c;
  std::vector<std::string> errors;
  CHECK(parse_config(".kmc.yaml", "kubernetesVersion: 1.30\n", &c, &errors));
  CHECK(c.kubernetes_version == "1.30");
  CHECK_FALSE(parse_config(".kmc.yaml", "kubernetesVersion: 1.3\n", &c, &errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == ".kmc.yaml:1:20: `kubernetesVersion` is a Kubernetes release kmc embeds: 1.28 to 1.36");
  errors.clear();
  CHECK_FALSE(parse_config(".kmc.yaml", "kubernetesVersion: [1.30]\n", &c, &errors));

  std::string pod = kmc::test::source_dir() + "/testdata/version/field-unknown.case/pod.yaml";
  kmc::test::Run r = kmc::test::run("check --no-config --kubernetes-version 1.27 " + pod);
  CHECK(r.status == 2);
  CHECK(r.out.find("--kubernetes-version 1.27 is not a release kmc knows: use one of 1.28 to 1.36") != std::string::npos);
  r = kmc::test::run("check --no-config --kubernetes-version 1.33 --upgrade-to 1.30 " + pod);
  CHECK(r.status == 2);
  CHECK(r.out.find("--upgrade-to 1.30 is not a release after 1.33") != std::string::npos);
  r = kmc::test::run("check --no-config -q --kubernetes-version 1.31 " + pod);
  CHECK(r.status == 1);
  CHECK(r.out.find("error[version/field-unknown]") != std::string::npos);
  r = kmc::test::run("check --no-config -q --kubernetes-version v1.32 " + pod);
  CHECK(r.status == 0);
}

TEST_CASE("crds (--crds) reads CRD manifests and catalogue schemas, as schemas only", "[versions]") {
  std::string catalog = kmc::test::source_dir() + "/tests/data/crd-catalog";
  schema::CrdCatalog c;
  std::vector<std::string> errors;
  c.load({catalog}, &errors);
  CHECK(errors.empty());
  REQUIRE(c.crds().size() == 3);  // certificate_v1.json, Widget, Gadget
  CHECK(c.crds()[0].group == "cert-manager.io");
  CHECK(c.crds()[0].kind == "certificate");
  CHECK(c.crds()[0].kind_from_file_name);
  REQUIRE(c.crds()[0].versions.size() == 1);
  CHECK(c.crds()[0].versions[0].name == "v1");
  const schema::CrdDefinition& widget = c.crds()[1];
  CHECK(widget.kind == "Widget");
  REQUIRE(widget.versions.size() == 3);
  CHECK(widget.versions[1].deprecated);
  CHECK_FALSE(widget.versions[2].served);
  CHECK(c.crds()[2].preserve_unknown);  // apiextensions v1beta1
  // A file named on its own that holds no CRD is an error; a missing path too. In a directory,
  // other files are passed over.
  schema::CrdCatalog bad;
  bad.load({kmc::test::source_dir() + "/testdata/version/removed.yaml", "/nonexistent/crds"}, &errors);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find("removed.yaml: neither a CustomResourceDefinition nor a catalogue schema") != std::string::npos);
  CHECK(errors[1] == "/nonexistent/crds: no such file or directory");
  errors.clear();
  schema::CrdCatalog mixed;
  mixed.load({kmc::test::source_dir() + "/testdata/version/crds-catalog.case"}, &errors);
  CHECK(errors.empty());
  CHECK(mixed.crds().empty());

  // The CRDs are never objects of the run: nothing is reported about them, and the summary
  // counts only the input's objects.
  std::string app = kmc::test::source_dir() + "/testdata/version/crds-catalog.case/app.yaml";
  kmc::test::Run r = kmc::test::run("check --no-config --format json --crds " + catalog + " " + app);
  CHECK(r.status == 1);
  CHECK(r.out.find("\"objects\": 4") != std::string::npos);
  CHECK(r.out.find("widgets.yaml\"") == std::string::npos);
  CHECK(r.out.find("\"unchecked\"") == std::string::npos);
  // Without them, the summary says what stayed unchecked, by kind.
  r = kmc::test::run("check --no-config " + app);
  CHECK(r.out.find("4 objects unchecked for want of a schema (Widget 3, Certificate 1): pass their CRDs with --crds") !=
        std::string::npos);
  r = kmc::test::run("check --no-config --format json " + app);
  CHECK(r.out.find("\"unchecked\": {\n      \"Widget\": 3,\n      \"Certificate\": 1\n    }") != std::string::npos);
}
