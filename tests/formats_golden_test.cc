// Every output format of `kmc check`, byte for byte, for the runs CI makes: driven by a
// .kmc.yaml from the project's root, and from a subdirectory of it, on file names with ':', a
// space and a non-ASCII letter (testdata/render/formats/). KMC_UPDATE_GOLDEN=1 writes the
// expected files anew, for review in the diff.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "run_kmc.h"
#include "support.h"

namespace fs = std::filesystem;

namespace {

void replace_all(std::string* s, const std::string& from, const std::string& to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) s->replace(at, from.size(), to);
}

// SARIF without tool.driver (every rule's page: tested in render_test.cc), pretty-printed.
std::string sarif_results(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  REQUIRE_FALSE(d.HasParseError());
  d["runs"][0].RemoveMember("tool");
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  d.Accept(w);
  return std::string(buffer.GetString()) + "\n";
}

}  // namespace

TEST_CASE("output formats: golden files for a config-driven run and a run from a subdirectory", "[render][golden]") {
  const fs::path root = fs::path(kmc::test::source_dir()) / "testdata/render/formats";
  const fs::path project = root / "project";
  const bool update = std::getenv("KMC_UPDATE_GOLDEN") != nullptr;
  struct RunIn {
    const char* name;
    fs::path dir;
  };
  for (const RunIn& where : {RunIn{"root", project}, RunIn{"subdirectory", project / "deploy"}}) {
    for (const char* format : {"text", "json", "sarif", "github", "junit"}) {
      std::string name = std::string(where.name) + "." + format;
      DYNAMIC_SECTION(name) {
        // GITHUB_WORKSPACE as Actions sets it: the repository's root, above a subdirectory run.
        std::string command = "GITHUB_WORKSPACE='" + project.string() + "' " + KMC_BINARY +
                              " check --no-color --format " + format;
        kmc::test::Run r = kmc::test::run_in(where.dir.string(), command);
        CHECK(r.status == 1);
        std::string out = std::string(format) == "sarif" ? sarif_results(r.out) : r.out;
        replace_all(&out, fs::canonical(project).string(), "{PROJECT}");
        fs::path expected = root / "expected" / name;
        if (update) {
          fs::create_directories(expected.parent_path());
          std::ofstream(expected, std::ios::binary) << out;
        }
        CHECK(out == kmc::test::slurp(expected));
      }
    }
  }
}
