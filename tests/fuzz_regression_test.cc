// Inputs that once crashed the pipeline (found by `make fuzz`), and the fuzzer's own seeds
// (fuzz/seeds/, inputs cut into files): each must now go through
// loading, validation, linking, every rule and every renderer without a crash, both ways the
// fuzz target reads it: whole, and cut into files read from disk (tests/fuzz_input.h). This
// suite also runs under ASan and UBSan.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "fuzz_input.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
namespace fs = std::filesystem;

TEST_CASE("fuzz regressions and seeds go through the whole pipeline", "[fuzz]") {
  test::TempDir dir("kmc-fuzz-regressions");
  size_t n = 0;
  std::vector<fs::path> inputs;
  for (const char* folder : {"testdata/fuzz", "fuzz/seeds"})
    for (const auto& entry : fs::directory_iterator(fs::path(test::source_dir()) / folder)) inputs.push_back(entry.path());
  for (const fs::path& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    INFO(path.string());
    std::ostringstream whole, files;
    LoadResult input;
    load_text(&input, path.filename().string(), text.str(), LoadOptions{});
    test::render_everything(analyze(std::move(input), test::fuzz_analysis_options(text.str().size())), whole);
    CHECK_FALSE(whole.str().empty());
    test::write_fuzz_files(dir.path, test::split_fuzz_files(text.str()));
    test::render_everything(test::load_and_analyze({dir.path.string()}), files);
    CHECK_FALSE(files.str().empty());
    ++n;
  }
  CHECK(n >= 3);
}

TEST_CASE("a fuzz input is cut into files at its #%file lines", "[fuzz]") {
  std::vector<test::FuzzFile> files = test::split_fuzz_files(
      "a: 1\n#%file base/kustomization.yaml\nresources: [x.yaml]\n#%file base/x.yaml\r\nkind: X\n"
      "#%file ../escape.yaml\nb: 2\n#%file base/x.yaml\nc: 3\n#%file /abs\n#%file a/b/c.yaml\n#%file .hidden\n");
  REQUIRE(files.size() == 8);
  CHECK(files[0].path == "input.yaml");
  CHECK(files[0].text == "a: 1\n");
  CHECK(files[1].path == "base/kustomization.yaml");
  CHECK(files[1].text == "resources: [x.yaml]\n");
  CHECK(files[2].path == "base/x.yaml");  // the CR of the line's end is not the path's
  CHECK(files[2].text == "kind: X\n");
  // Out of the directory, taken, absolute, too deep, hidden: renamed.
  CHECK(files[3].path == "part3.yaml");
  CHECK(files[3].text == "b: 2\n");
  CHECK(files[4].path == "part4.yaml");
  CHECK(files[5].path == "part5.yaml");
  CHECK(files[6].path == "part6.yaml");
  CHECK(files[7].path == "part7.yaml");
  CHECK(test::split_fuzz_files("").size() == 1);

  std::string many;
  for (int i = 0; i < 40; ++i) many += "#%file f" + std::to_string(i) + ".yaml\nk: v\n";
  std::vector<test::FuzzFile> capped = test::split_fuzz_files(many);
  CHECK(capped.size() == 16);  // the rest stays in the last file, markers and all
  CHECK(capped.back().text.find("#%file f39.yaml") != std::string::npos);
}

TEST_CASE("a fuzz input in files is read as a directory: a CR before its CRD, a patch before its kustomization",
          "[fuzz][builder]") {
  test::TempDir dir("kmc-fuzz-files");
  std::string input = std::string("#%file a-widget.yaml\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
                                  "spec: {size: big}\n#%file z-crd.yaml\n") +
                      test::kWidgetCrd;
  test::write_fuzz_files(dir.path, test::split_fuzz_files(input));
  Analysis a = test::load_and_analyze({dir.path.string()});
  bool type_error = false;
  for (const Finding& f : a.findings) type_error = type_error || f.rule == "schema/type";
  CHECK(type_error);  // validated against the CRD read after it
  REQUIRE(a.input.sources.size() == 3);  // and input.yaml, empty
  CHECK(test::released_files(a) == 2);
}
