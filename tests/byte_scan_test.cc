#include <string>

#include <catch2/catch.hpp>

#include "parser/byte_scan.h"

using namespace kmc;
using namespace kmc::parser;

TEST_CASE("all_ascii finds a high byte anywhere, in a block or in the tail", "[parser][byte-scan]") {
  for (size_t size : {0, 1, 63, 64, 65, 200}) {
    std::string s(size, 'a');
    CHECK(all_ascii(s));
    for (size_t at = 0; at < size; ++at) {
      std::string t = s;
      t[at] = '\xC3';
      INFO("size " << size << " at " << at);
      CHECK_FALSE(all_ascii(t));
    }
  }
}

TEST_CASE("first_control_byte: tab, LF and CR pass, other controls and DEL are found", "[parser][byte-scan]") {
  std::string text(130, 'x');
  for (size_t i = 0; i < text.size(); i += 7) text[i] = "\t\n\r"[i % 3];
  CHECK(first_control_byte(text, 0) == std::string_view::npos);
  for (char c : {'\0', '\x01', '\x1B', '\x1F', '\x7F'}) {
    for (size_t at : {0, 5, 63, 64, 100, 129}) {
      std::string t = text;
      t[at] = c;
      INFO("byte " << int(c) << " at " << at);
      CHECK(first_control_byte(t, 0) == at);
      CHECK(first_control_byte(t, at) == at);
      CHECK(first_control_byte(t, at + 1) == std::string_view::npos);
    }
  }
  std::string two = text;
  two[70] = '\x02';
  two[3] = '\x03';
  CHECK(first_control_byte(two, 0) == 3);
  CHECK(first_control_byte(two, 4) == 70);
}
