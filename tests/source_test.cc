#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "core/source.h"

using namespace kmc;

namespace {

SourceSet sources_of(std::initializer_list<const char*> contents) {
  SourceSet set;
  for (const char* c : contents) {
    set.files.push_back(std::make_unique<SourceFile>());
    set.files.back()->own(c);
  }
  return set;
}

}  // namespace

TEST_CASE("a line cursor reads the lines SourceFile::line_text reads, in any order", "[source]") {
  SourceSet set = sources_of({"a: 1\nb: 2\r\n\n  last", "one\n", "", "x\ny\nz\n"});
  std::vector<std::pair<uint32_t, uint32_t>> asks;
  for (uint32_t f = 0; f < set.size() + 1; ++f)  // one file past the end too
    for (uint32_t line = 0; line <= 6; ++line) asks.push_back({f, line});

  auto expected = [&](uint32_t f, uint32_t line) {
    return f < set.size() ? set[f].line_text(line) : std::string_view();
  };
  SECTION("forwards, as sorted findings ask") {
    LineCursor cursor(set);
    for (auto [f, line] : asks) CHECK(cursor.line_text(f, line) == expected(f, line));
  }
  SECTION("backwards and shuffled") {
    std::reverse(asks.begin(), asks.end());
    LineCursor backwards(set);
    for (auto [f, line] : asks) CHECK(backwards.line_text(f, line) == expected(f, line));
    std::shuffle(asks.begin(), asks.end(), std::mt19937(7));
    LineCursor shuffled(set);
    for (auto [f, line] : asks) CHECK(shuffled.line_text(f, line) == expected(f, line));
  }
  LineCursor cursor(set);
  CHECK(cursor.line_text(0, 2) == "b: 2");  // without the carriage return
  CHECK(cursor.line_text(0, 4) == "  last");
  CHECK(cursor.line_text(0, 5).empty());
  CHECK(cursor.line_text(0, 3).empty());  // an empty line, asked for after a later one
  CHECK(cursor.line_text(3, 3) == "z");
}
