#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <tuple>
#include <string>
#include <vector>

#include "checks/rule.h"
#include "core/finding.h"

namespace kmc {
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;

namespace {
FixTexts fix_texts;  // the findings' fix hints, as an Analysis keeps them

// Rule ids are static text (Finding::rule is a view), as the catalogue's are.
Finding at(uint32_t file, uint32_t line, uint32_t column, const char* rule, std::string message) {
  Finding f;
  f.pos = {file, line, column};
  f.rule = rule;
  f.message = std::move(message);
  f.fix = fix_texts.keep("fix of " + f.message);  // travels with its finding
  return f;
}

std::string fmt_pos(const Finding& f) {
  return std::to_string(f.pos.file) + ":" + std::to_string(f.pos.line) + ":" + std::to_string(f.pos.column) + " " + std::string(f.rule) +
         " " + f.message;
}
}  // namespace

TEST_CASE("findings sort by file, line, column, rule, message", "[finding]") {
  std::vector<Finding> v;
  v.push_back(at(1, 1, 1, "a/x", "m"));
  v.push_back(at(0, 9, 1, "a/x", "m"));
  v.push_back(at(0, 2, 5, "b/y", "m"));
  v.push_back(at(0, 2, 5, "a/x", "n"));
  v.push_back(at(0, 2, 5, "a/x", "m"));
  v.push_back(at(0, 2, 1, "z/z", "m"));
  sort_findings(v);
  std::vector<std::string> got;
  for (const Finding& f : v) got.push_back(fmt_pos(f));
  CHECK(got == std::vector<std::string>{"0:2:1 z/z m", "0:2:5 a/x m", "0:2:5 a/x n", "0:2:5 b/y m", "0:9:1 a/x m",
                                        "1:1:1 a/x m"});
  for (const Finding& f : v) CHECK(f.fix == "fix of " + f.message);
}

TEST_CASE("findings sort stably, whole, whatever the permutation", "[finding]") {
  // Equal keys keep their input order (the rule table's order), and every field moves with its
  // finding: checked on shuffles that make long and short cycles.
  std::mt19937 random(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<Finding> v;
    size_t n = 1 + random() % 300;
    for (size_t i = 0; i < n; ++i) {
      static const char* const kRules[] = {"r/0", "r/1"};
      Finding f = at(random() % 3, 1 + random() % 20, 1, kRules[random() % 2], "same");
      f.fix = fix_texts.keep(std::to_string(i));  // its input place
      v.push_back(std::move(f));
    }
    std::vector<Finding> expected = v;
    std::stable_sort(expected.begin(), expected.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.pos, a.rule, a.message) < std::tie(b.pos, b.rule, b.message);
    });
    sort_findings(v);
    REQUIRE(v.size() == expected.size());
    for (size_t i = 0; i < v.size(); ++i) {
      CHECK(v[i].pos == expected[i].pos);
      CHECK(v[i].rule == expected[i].rule);
      CHECK(v[i].fix == expected[i].fix);
    }
  }
}

TEST_CASE("findings: sorting none or one changes nothing", "[finding]") {
  std::vector<Finding> none;
  sort_findings(none);
  CHECK(none.empty());
  std::vector<Finding> one{at(0, 1, 1, "a/b", "m")};
  sort_findings(one);
  CHECK(one[0].rule == "a/b");
}

TEST_CASE("fix texts: one copy of each distinct text, where it stays", "[finding]") {
  auto texts = std::make_unique<FixTexts>();
  std::string_view first = texts->keep("apply the Service first");
  CHECK(texts->keep(std::string("apply the Service first")).data() == first.data());
  CHECK(texts->keep("").empty());
  // The same text again and again (a rule's one fix sentence), and again after another text.
  CHECK(texts->keep("apply the Service first").data() == first.data());
  CHECK(texts->keep("apply the Service later") != first);
  CHECK(texts->keep("apply the Service first").data() == first.data());
  // Many more texts (the set rehashes), long and short (no small-string buffer moves), and the
  // keeper itself moves, as an Analysis's list of them does: the first view still reads the same.
  std::vector<std::string_view> kept;
  for (int i = 0; i < 5000; ++i) kept.push_back(texts->keep(std::string(i % 40, 'x') + std::to_string(i)));
  FixTexts moved = std::move(*texts);
  texts.reset();
  CHECK(first == "apply the Service first");
  for (int i = 0; i < 5000; ++i) CHECK(kept[i] == std::string(i % 40, 'x') + std::to_string(i));
  CHECK(moved.keep("apply the Service first").data() == first.data());
}

TEST_CASE("a rule's finding list: findings stay where they were reported and drain in order", "[finding]") {
  FindingList list;
  std::vector<Finding*> reported;
  const size_t n = 3000;  // several chunks and a part of one
  for (size_t i = 0; i < n; ++i) {
    Finding& f = list.push_back(at(0, static_cast<uint32_t>(i + 1), 1, "a/b", "finding " + std::to_string(i)));
    reported.push_back(&f);
  }
  REQUIRE(list.size() == n);
  // A note added through an early pointer after many more findings lands on its finding.
  reported[7]->related.push_back({Position{0, 1, 1}, "note"});
  CHECK(reported[2999]->message == "finding 2999");

  std::vector<Finding> out;
  list.drain([&](Finding&& f) { out.push_back(std::move(f)); });
  CHECK(list.size() == 0);
  REQUIRE(out.size() == n);
  for (size_t i = 0; i < n; ++i) CHECK(out[i].message == "finding " + std::to_string(i));
  REQUIRE(out[7].related.size() == 1);
  CHECK(out[7].related[0].message == "note");
  // Usable again once drained.
  CHECK(list.push_back(at(0, 1, 1, "a/b", "again")).message == "again");
  CHECK(list.size() == 1);
}

}  // namespace kmc
