// kmc must read every real manifest we have without a crash or a hang. ../shared is beside the
// repository on the project's machines and in CI; elsewhere the test says it skipped.
#include <filesystem>

#include <catch2/catch.hpp>

#include "support.h"

namespace fs = std::filesystem;
using namespace kmc;

namespace {
std::string shared(const char* sub) { return test::source_dir() + "/../shared/" + sub; }
}  // namespace

TEST_CASE("the real-world corpus loads and checks without a crash", "[corpus]") {
  std::string root = shared("corpus");
  if (!fs::is_directory(root)) {
    WARN("SKIPPED: " << root << " is not present");
    return;
  }
  LoadOptions options;
  options.jobs = 2;
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

TEST_CASE("the field-complete API fixtures load as objects", "[corpus]") {
  std::string root = shared("k8s/fixtures");
  if (!fs::is_directory(root)) {
    WARN("SKIPPED: " << root << " is not present");
    return;
  }
  Analysis a = analyze(load_inputs({root}, LoadOptions{}), AnalysisOptions{});
  CHECK(a.input.errors.empty());
  CHECK(a.summary.objects == a.summary.files);
  for (const Finding& f : a.findings) {
    INFO(a.input.sources[f.pos.file].path << ":" << f.pos.line << " " << f.rule << " " << f.message);
    CHECK(f.rule.rfind("syntax/", 0) != 0);
  }
}
