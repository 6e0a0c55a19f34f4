// kmc must read every real manifest we have without a crash or a hang. ../shared is beside the
// repository on the project's machines and in CI; elsewhere the test says it skipped.
#include <filesystem>
#include <set>

#include <catch2/catch.hpp>

#include "support.h"

namespace fs = std::filesystem;
using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {
std::string shared(const char* sub) { return test::source_dir() + "/../shared/" + sub; }
}  // namespace

TEST_CASE("the real-world corpus loads and checks without a crash", "[corpus]") {
  std::string root = shared("corpus");
  if (!fs::is_directory(root)) {
    WARN("SKIPPED: " << root << " is not present");
    return;
  }
  const Workers two(2);
  LoadOptions options;
  options.workers = &two;
  LoadResult input = load_inputs({root}, options);
  CHECK(input.errors.empty());
  CHECK(input.sources.size() > 3000);
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  CHECK(a.summary.objects > 9000);
  for (const Finding& f : a.findings) {
    INFO(a.input.sources[f.pos.file].path << ":" << f.pos.line << " " << f.rule << " " << f.message);
    CHECK(f.pos.valid());
    CHECK(f.pos.line > 0);
    CHECK_FALSE(f.message.empty());
  }
}

// The fixtures are kubernetes/api's round-trip data at HEAD (July 2026), which already has
// fields added after 1.36. Those, and only those, are unknown to a 1.36 API server; kmc must
// report exactly them, and accept every other field of every kind.
TEST_CASE("the field-complete API fixtures: every 1.36 field is known, newer ones are reported", "[corpus]") {
  std::string root = shared("k8s/fixtures");
  if (!fs::is_directory(root)) {
    WARN("SKIPPED: " << root << " is not present");
    return;
  }
  static const std::set<std::string> kAfter136 = {
      "bindMountOptions in VolumeMount",
      "defaultUser in ConfigMapVolumeSource",
      "defaultUser in DownwardAPIVolumeSource",
      "defaultUser in ProjectedVolumeSource",
      "defaultUser in SecretVolumeSource",
      "evictionResponders in PodSpec",
      "healthStatus in PersistentVolumeClaimStatus",
      "mapping in NodeAllocatableResourceClaimStatus",
      "overhead in NodeAllocatableResourceClaimStatus",
      "mode in EmptyDirVolumeSource",
      "mode in GRPCAction",
      "protocol in HTTPGetAction",
      "scheduling in JobSpec",
      "user in ClusterTrustBundleProjection",
      "user in DownwardAPIVolumeFile",
      "user in KeyToPath",
      "user in PodCertificateProjection",
      "user in ServiceAccountTokenProjection",
      "volumeHealth in PodStatus",
  };
  Analysis a = analyze(load_inputs({root}, LoadOptions{}), AnalysisOptions{});
  CHECK(a.input.errors.empty());
  CHECK(a.summary.objects == a.summary.files);
  std::set<std::string> seen;
  for (const Finding& f : a.findings) {
    INFO(a.input.sources[f.pos.file].path << ":" << f.pos.line << " " << f.rule << " " << f.message);
    CHECK(f.rule.rfind("syntax/", 0) != 0);
    CHECK(f.rule != "schema/type");
    CHECK(f.rule != "schema/api-version");
    CHECK(f.rule != "schema/unknown-kind");
    if (f.rule != "schema/unknown-field") continue;
    // `…: unknown field "user" in spec.volumes[0].secret.items[0] (KeyToPath)`
    size_t q1 = f.message.find("unknown field \"") + 15, q2 = f.message.find('"', q1);
    size_t p1 = f.message.rfind('(') + 1, p2 = f.message.rfind(')');
    std::string key = f.message.substr(q1, q2 - q1) + " in " + f.message.substr(p1, p2 - p1);
    CHECK(kAfter136.count(key) == 1);
    seen.insert(key);
  }
  CHECK(seen == kAfter136);
}
