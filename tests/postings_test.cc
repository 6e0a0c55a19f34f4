#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "core/postings.h"

namespace kmc {

namespace {
std::vector<uint32_t> list(std::span<const uint32_t> s) { return {s.begin(), s.end()}; }
}  // namespace

TEST_CASE("postings: lists per key in the order added, keys interleaved", "[postings]") {
  Postings<std::string_view, StringHash> p;
  CHECK(p.find("a").empty());  // nothing added
  p.add("a", 3);
  p.add("b", 1);
  p.add("a", 7);
  p.add("c", 0);
  p.add("a", 2);  // lists keep the order added, not numeric order
  p.seal();
  CHECK(list(p.find("a")) == std::vector<uint32_t>{3, 7, 2});
  CHECK(list(p.find("b")) == std::vector<uint32_t>{1});
  CHECK(list(p.find("c")) == std::vector<uint32_t>{0});
  CHECK(p.find("d").empty());
  CHECK(p.keys() == 3);
}

TEST_CASE("postings: agree with a map of vectors on many keys", "[postings]") {
  Postings<std::string_view, StringHash> p;
  std::map<std::string, std::vector<uint32_t>> expected;
  std::vector<std::string> keys;
  for (int k = 0; k < 700; ++k) keys.push_back("label-" + std::to_string(k));
  for (uint32_t n = 0; n < 20000; ++n) {
    const std::string& key = keys[(n * 7919u) % keys.size()];
    p.add(key, n);
    expected[key].push_back(n);
  }
  p.seal();
  for (const auto& [key, numbers] : expected) CHECK(list(p.find(key)) == numbers);
}

TEST_CASE("postings: nothing is found before seal(), empty keys are sealed too", "[postings]") {
  Postings<std::string_view, StringHash> p;
  p.add("x", 1);
  CHECK(p.find("x").empty());  // a half-built index is never read
  p.add("", 4);
  p.seal();
  CHECK(list(p.find("x")) == std::vector<uint32_t>{1});
  CHECK(list(p.find("")) == std::vector<uint32_t>{4});
}

TEST_CASE("postings: sealed with nothing added", "[postings]") {
  Postings<std::string_view, StringHash> p;
  p.seal();
  CHECK(p.find("x").empty());
  CHECK(p.keys() == 0);
}

}  // namespace kmc
