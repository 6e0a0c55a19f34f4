#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/source.h"
#include "parser/line_cursor.h"

using namespace kmc;
using namespace kmc::parser;

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

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_CASE("a released file keeps the right lines however long the lines between them", "[source]") {
  // Lines are passed 64 bytes at a time where a block holds fewer newlines than are left to pass:
  // lines of every length around a block's, and kept lines at and around block edges.
  for (size_t width : {0u, 1u, 7u, 62u, 63u, 64u, 65u, 130u}) {
    CAPTURE(width);
    std::string text;
    std::vector<std::string> lines;
    for (int i = 0; i < 300; ++i) {
      lines.push_back(std::to_string(i) + std::string(width * static_cast<size_t>(i % 3), 'x'));
      text += lines.back() + "\n";
    }
    text += "last";  // no newline at the end
    lines.push_back("last");
    Arena arena;
    SourceFile f;
    f.content = std::string_view(arena.copy_text(text.data(), text.size()), text.size());
    std::vector<uint32_t> keep = {1, 2, 3, 64, 65, 66, 128, 200, 299, 300, 301, 302};
    f.release_content(keep, &arena);
    for (uint32_t line : keep) {
      CAPTURE(line);
      CHECK(f.line_text(line) == (line <= lines.size() ? lines[line - 1] : ""));
    }
    CHECK(f.kept_lines().size() == 11);  // line 302 is past the end
  }
}

TEST_CASE("a released file keeps the lines asked for, a cursor reads the file again", "[source]") {
  const std::string text = "a: 1\nb: 2\r\nc: 3\n";
  std::string path = write_temp("kmc-released", text);
  Arena arena;
  SourceSet set;
  set.files.push_back(std::make_unique<SourceFile>());
  SourceFile& f = *set.files.back();
  f.path = path;
  f.content = std::string_view(arena.copy_text(text.data(), text.size()), text.size());
  CHECK(f.line_text(2) == "b: 2");  // indexed before: the index goes too

  f.release_content({3, 2, 3, 9}, &arena);  // any order, repeats, a line past the end
  CHECK(f.released());
  CHECK(f.content.empty());
  CHECK(f.released_size() == text.size());
  CHECK(f.line_text(1).empty());
  CHECK(f.line_text(2) == "b: 2");
  CHECK(f.line_text(3) == "c: 3");
  CHECK(f.line_text(9).empty());
  REQUIRE(f.kept_lines().size() == 2);
  CHECK(f.kept_lines()[0].line == 2);

  SECTION("the file as it was: every line") {
    LineCursor cursor(set);
    CHECK(cursor.line_text(0, 1) == "a: 1");
    CHECK(cursor.line_text(0, 2) == "b: 2");
    CHECK(cursor.line_text(0, 3) == "c: 3");
    CHECK(cursor.line_text(0, 1) == "a: 1");  // backwards: from the start of what was read
  }
  SECTION("the file changed since: only the kept lines, never the new text") {
    write_temp("kmc-released", "a: 1\nb: 2222\nc: 3\n");
    LineCursor cursor(set);
    CHECK(cursor.line_text(0, 1).empty());
    CHECK(cursor.line_text(0, 2) == "b: 2");
  }
  SECTION("the file is gone: the kept lines") {
    std::filesystem::remove(path);
    LineCursor cursor(set);
    CHECK(cursor.line_text(0, 3) == "c: 3");
    CHECK(cursor.line_text(0, 1).empty());
  }
  std::filesystem::remove(path);
}
