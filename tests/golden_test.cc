// The golden runner: every file under testdata/ (except render/, whose goldens are outputs)
// is checked on its own, and its findings must equal its inline expectations exactly:
//   `# expect: error rule/id` at the end of the line the finding points at, or alone on a
//   line, for the next line that is not a comment. Several findings on one line:
//   `# expect: error a/b, warning c/d`. A missing and an unexpected finding both fail.
// Known gaps are written down where they are, so that closing one shows:
//   `# todo: warning rule/id`     a finding kmc should report here but does not yet (a false
//                                 negative): it must stay absent; once kmc reports it, the test
//                                 fails and asks for `# expect:` instead;
//   `# todo-not: warning rule/id` a finding kmc reports here but should not (a false positive):
//                                 it must stay present; once it is gone, the test asks for the
//                                 marker's removal.
// A directory named `*.case` is one run over all its files (for cross-file cases).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "driver/config.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

struct Expectation {
  std::string file;
  uint32_t line;
  std::string severity, rule;
  bool operator<(const Expectation& o) const {
    return std::tie(file, line, rule, severity) < std::tie(o.file, o.line, o.rule, o.severity);
  }
  bool operator==(const Expectation& o) const = default;
  std::string str() const { return fmt::format("{}:{}: {} {}", file, line, severity, rule); }
};

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The findings a marker (`# expect:`, `# todo:`, `# todo-not:`) lists in a file.
void parse_expectations(const std::string& path, std::string_view marker, std::vector<Expectation>* out) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  uint32_t number = 0;
  std::vector<std::pair<std::string, std::string>> pending;  // from comment-only lines
  while (std::getline(in, line)) {
    ++number;
    std::string t = trim(line);
    bool comment_only = !t.empty() && t[0] == '#';
    size_t at = line.find(marker);
    std::vector<std::pair<std::string, std::string>> here;
    if (at != std::string::npos) {
      std::stringstream items(line.substr(at + marker.size()));
      std::string item;
      while (std::getline(items, item, ',')) {
        std::stringstream words(item);
        std::string sev, rule;
        words >> sev >> rule;
        if (!sev.empty()) here.emplace_back(sev, rule);
      }
    }
    if (comment_only) {
      pending.insert(pending.end(), here.begin(), here.end());
      continue;
    }
    here.insert(here.end(), pending.begin(), pending.end());
    pending.clear();
    for (auto& [sev, rule] : here) out->push_back({path, number, sev, rule});
  }
}

bool is_manifest(const fs::path& p) {
  auto e = p.extension();
  return e == ".yaml" || e == ".yml" || e == ".json";
}

std::vector<fs::path> cases() {
  std::vector<fs::path> out;
  fs::path root = fs::path(test::source_dir()) / "testdata";
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& p = it->path();
    // render/ has golden outputs, fuzz/ crash inputs (tests/fuzz_regression_test.cc).
    if (it->is_directory() && (p.filename() == "render" || p.filename() == "fuzz")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory() && p.extension() == ".case") {
      out.push_back(p);
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && is_manifest(p)) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("golden: testdata findings match their inline expectations", "[golden]") {
  std::vector<fs::path> all = cases();
  REQUIRE(all.size() >= 10);
  for (const fs::path& c : all) {
    DYNAMIC_SECTION(c.lexically_relative(test::source_dir()).string()) {
      // As `kmc check` reads them: a batch a file, built as they are read. A case directory
      // may hold the project's `.kmc.yaml` (a rule off by default, enabled).
      AnalysisOptions options;
      if (fs::exists(c / ".kmc.yaml")) {
        std::vector<std::string> errors;
        REQUIRE(load_config((c / ".kmc.yaml").string(), &options.config, &errors));
        if (options.config.kubernetes_version) options.model.release = api::find_release(*options.config.kubernetes_version);
      }
      CrdCatalog catalog;  // crds: of the case's .kmc.yaml, as --crds reads them
      if (!options.config.crds.empty()) {
        std::vector<std::string> errors;
        catalog.load(options.config.crds, &errors);
        REQUIRE(errors.empty());
        options.crds = &catalog;
      }
      Analysis a = test::load_and_analyze({c.string()}, {}, options);
      REQUIRE(a.input.errors.empty());
      std::vector<Expectation> expected, todo, todo_not;
      for (const auto& src : a.input.sources.files) {
        parse_expectations(src->path, "# expect:", &expected);
        parse_expectations(src->path, "# todo:", &todo);
        parse_expectations(src->path, "# todo-not:", &todo_not);
      }
      // A known false positive is reported all the same, until it is fixed.
      expected.insert(expected.end(), todo_not.begin(), todo_not.end());
      std::vector<Expectation> actual;
      for (const Finding& f : a.findings)
        actual.push_back({a.input.sources[f.pos.file].path, f.pos.line, std::string(severity_name(f.severity)), std::string(f.rule)});
      std::sort(expected.begin(), expected.end());
      std::sort(actual.begin(), actual.end());
      std::sort(todo.begin(), todo.end());
      std::sort(todo_not.begin(), todo_not.end());
      std::vector<Expectation> missing, unexpected, closed, gone;
      std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
      std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(unexpected));
      // A todo that kmc now reports, and a todo-not it no longer reports: the gap is closed.
      std::set_intersection(unexpected.begin(), unexpected.end(), todo.begin(), todo.end(), std::back_inserter(closed));
      std::set_intersection(missing.begin(), missing.end(), todo_not.begin(), todo_not.end(), std::back_inserter(gone));
      std::string report;
      for (const auto& c : closed) report += "todo done:  " + c.str() + " (now reported: write `# expect:`)\n";
      for (const auto& g : gone) report += "todo-not done: " + g.str() + " (no longer reported: remove the marker)\n";
      for (const auto& m : missing) report += "missing:    " + m.str() + "\n";
      for (const auto& u : unexpected) {
        report += "unexpected: " + u.str() + "\n";
        for (const Finding& f : a.findings)
          if (f.rule == u.rule && f.pos.line == u.line) report += "            " + f.message + "\n";
      }
      INFO(report);
      CHECK(missing.empty());
      CHECK(unexpected.empty());
    }
  }
}
