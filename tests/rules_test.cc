// The rule catalogue stays honest: every registered rule has a documentation page, a failing
// golden case and a passing near miss (clang-tidy's discipline: one check, one doc, one test).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "checks/rule.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("every rule has an id family/slug from the known families", "[rules]") {
  static const char* kFamilies[] = {"syntax", "schema", "service", "endpoints", "discovery",
                                    "storage", "ingress", "workload", "affinity", "kustomize", "reference", "disruption", "autoscaling",
                                    "admission", "practice", "version", "network-policy", "gateway"};
  for (const Rule& r : rule_table()) {
    INFO(r.id());
    CHECK(std::count(r.id().begin(), r.id().end(), '/') == 1);
    CHECK(std::find(std::begin(kFamilies), std::end(kFamilies), r.family()) != std::end(kFamilies));
    CHECK_FALSE(r.summary().empty());
    CHECK(find_rule(r.id()) == &r);
  }
}

TEST_CASE("every rule has a documentation page, a failing case and a near miss", "[rules]") {
  fs::path root(test::source_dir());
  for (const Rule& r : rule_table()) {
    std::string family(r.family());
    std::string slug(r.id().substr(family.size() + 1));
    std::string id(r.id());
    INFO(id);
    fs::path doc = root / "docs/rules" / family / (slug + ".md");
    REQUIRE(fs::exists(doc));
    std::string page = slug.empty() ? "" : slurp(doc);
    CHECK(page.find("# " + id) == 0);
    CHECK(page.find("## Example") != std::string::npos);
    CHECK(page.find("## Suppressing it") != std::string::npos);

    std::string expect = std::string("expect: ") + std::string(severity_name(r.severity())) + " " + id;
    bool failing = false, near_miss = false;
    fs::path dir = root / "testdata" / family;
    REQUIRE(fs::is_directory(dir));
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (name.rfind(slug, 0) != 0) continue;
      // A `*.case` directory is one cross-file case: its files are read together.
      std::string text;
      if (entry.is_directory()) {
        for (const auto& f : fs::recursive_directory_iterator(entry.path()))
          if (f.is_regular_file()) text += slurp(f.path());
      } else {
        text = slurp(entry.path());
      }
      if (name.find("near-miss") != std::string::npos) {
        near_miss = true;
        for (const char* sev : {"error", "warning", "info"})  // a near miss expects nothing of its rule
          CHECK(text.find(std::string("expect: ") + sev + " " + id) == std::string::npos);
      } else if (text.find(expect) != std::string::npos) {
        failing = true;
      }
    }
    CHECK(failing);
    CHECK(near_miss);
  }
}

TEST_CASE("the rule table binds every row of the catalogue, in its order", "[rules]") {
  std::span<const RuleRow> rows = rule_catalogue();
  REQUIRE(rule_table().size() == rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i].id);
    CHECK(rule_table()[i].row == &rows[i]);
    CHECK(rule_row(rows[i].rule).id == rows[i].id);
    CHECK(find_rule_row(rows[i].id) == &rows[i]);
    // The parser's rules (syntax/*) and the renderer's (kustomize/*) have no function; every
    // other rule has one.
    CHECK(rule_table()[i].runs() == (rows[i].family() != "syntax" && rows[i].family() != "kustomize"));
  }
}

TEST_CASE("every finding on the golden inputs has a severity its row allows", "[rules]") {
  // Without .kmc.yaml, which may change severities: what the parser, the schema and the rules
  // report themselves (debug builds also assert it where they report).
  LoadResult input = load_inputs({test::source_dir() + "/testdata"}, LoadOptions{});
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  REQUIRE(a.findings.size() > 100);
  for (const Finding& f : a.findings) {
    const RuleRow* row = find_rule_row(f.rule);
    INFO(f.rule << " " << severity_name(f.severity) << " " << f.message);
    REQUIRE(row);
    CHECK(row->allows(f.severity));
  }
}

TEST_CASE("a misspelt rule id gets the nearest one, in suppressions and in .kmc.yaml", "[rules]") {
  CHECK(nearest_rule_name("storage/claim-unbond") == "storage/claim-unbound");
  CHECK(nearest_rule_name("storge/*") == "storage/*");
  CHECK(nearest_rule_name("frobnicate") == "");
  CHECK(names_rules("storage/*"));
  CHECK_FALSE(names_rules("storage"));  // a bare family only in .kmc.yaml
  CHECK(is_rule_family("storage"));
  Analysis a = test::analyze_text(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x  # kmc:ignore[schema/unknown-feild]\n");
  bool found = false;
  for (const Finding& f : a.findings)
    found |= f.rule == "syntax/bad-suppression" && f.message.find("did you mean schema/unknown-field?") != std::string::npos;
  CHECK(found);
}

TEST_CASE("every rule page has the catalogue's headings, in order, and names its severities", "[rules]") {
  // # id, **Severity:** default (and when it is another), then these sections in this order;
  // only "Scope and limits" may be left out.
  static const std::vector<std::string> kSections = {"Why it matters", "Scope and limits", "Example", "Suppressing it"};
  for (const RuleRow& row : rule_catalogue()) {
    std::string family(row.family());
    fs::path doc = fs::path(test::source_dir()) / "docs/rules" / family / (std::string(row.id.substr(family.size() + 1)) + ".md");
    INFO(row.id);
    std::istringstream page(slurp(doc));
    std::string line, severity_line;
    std::vector<std::string> sections;
    std::getline(page, line);
    CHECK(line == "# " + std::string(row.id));
    while (std::getline(page, line)) {
      if (line.starts_with("**Severity:** ")) severity_line = line.substr(14);
      if (line.starts_with("## ")) sections.push_back(line.substr(3));
    }
    CHECK(severity_line.starts_with(severity_name(row.severity)));
    for (Severity s : {Severity::Error, Severity::Warning, Severity::Info})
      if (row.allows(s)) CHECK(severity_line.find(severity_name(s)) != std::string::npos);
    std::vector<std::string> expected = kSections;
    if (std::find(sections.begin(), sections.end(), "Scope and limits") == sections.end())
      expected.erase(expected.begin() + 1);
    CHECK(sections == expected);
  }
}
