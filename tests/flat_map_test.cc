#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "checks/topology.h"
#include "core/flat_map.h"

namespace kmc {
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;

TEST_CASE("flat map: insert, find, first insertion wins, order kept across growth", "[flat-map]") {
  FlatMap<std::string_view, int, StringHash> m;
  CHECK(m.find("a") == nullptr);  // empty: no slots yet
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("key-" + std::to_string(i));
  for (int i = 0; i < 5000; ++i) {
    auto [entry, inserted] = m.try_emplace(keys[i], i);
    CHECK(inserted);
    CHECK(entry->value == i);
  }
  auto [again, inserted] = m.try_emplace(keys[42], -1);
  CHECK_FALSE(inserted);
  CHECK(again->value == 42);  // try_emplace never overwrites
  REQUIRE(m.size() == 5000);
  for (int i = 0; i < 5000; ++i) {
    const int* v = m.find(keys[i]);
    REQUIRE(v);
    CHECK(*v == i);
  }
  CHECK(m.find("key-5000") == nullptr);
  CHECK_FALSE(m.contains(""));
  int expected = 0;
  for (const auto& e : m) CHECK(e.value == expected++);  // insertion order, whatever the hashes
}

TEST_CASE("flat map: operator[] default-constructs, reserve keeps what is there", "[flat-map]") {
  FlatMap<std::string_view, std::vector<uint32_t>, StringHash> m;
  m["ns"].push_back(1);
  m.reserve(1000);
  m["ns"].push_back(2);
  m["other"].push_back(3);
  REQUIRE(m.find("ns"));
  CHECK(*m.find("ns") == std::vector<uint32_t>{1, 2});
  CHECK(*m.find("other") == std::vector<uint32_t>{3});
  CHECK(m.size() == 2);
}

TEST_CASE("flat map: pointer keys spread over the slots", "[flat-map]") {
  // Objects 64 bytes apart, as an array of structs lays them out: their addresses share their
  // low six bits, which pick FlatMap's slot.
  std::vector<char> block(64 * 1024);
  std::set<uint64_t> slots;
  for (size_t i = 0; i < 1024; ++i) slots.insert(PointerHash()(block.data() + 64 * i) & 1023);
  CHECK(slots.size() > 600);  // a random spread fills ~647 of 1024; the addresses themselves, 16
  FlatMap<const char*, size_t, PointerHash> index;
  for (size_t i = 0; i < 1024; ++i) index.try_emplace(block.data() + 64 * i, i);
  for (size_t i = 0; i < 1024; ++i) CHECK(*index.find(block.data() + 64 * i) == i);
}

TEST_CASE("flat map: keys whose hashes collide are still told apart", "[flat-map]") {
  struct Collide {
    uint64_t operator()(std::string_view) const { return 7; }  // every key in one probe chain
  };
  std::vector<std::string> keys;
  for (int i = 0; i < 200; ++i) keys.push_back(std::to_string(i));
  FlatMap<std::string_view, int, Collide> all;
  for (int i = 0; i < 200; ++i) all.try_emplace(keys[i], i);
  CHECK(all.size() == 200);
  for (int i = 0; i < 200; ++i) CHECK(*all.find(keys[i]) == i);
  CHECK(all.find("200") == nullptr);
}

TEST_CASE("string hash: every byte and the length count, name keys keep their boundaries", "[flat-map]") {
  std::set<uint64_t> seen;
  std::string s;
  for (int n = 0; n < 40; ++n) {  // "", "a", "aa", …: lengths across the 8-byte steps
    CHECK(seen.insert(hash_string(s)).second);
    s += 'a';
  }
  CHECK(hash_string(std::string_view("a\0", 2)) != hash_string("a"));  // the tail is zero-padded
  CHECK(hash_string("abcdefgh1") != hash_string("abcdefgh2"));
  CHECK(hash_string("x", 1) != hash_string("x", 2));
  NameKeyHash h;
  CHECK(h(NameKey{"a", "bc", ""}) != h(NameKey{"ab", "c", ""}));
  CHECK(h(NameKey{"ns", "web", ""}) != h(NameKey{"web", "ns", ""}));
}

}  // namespace kmc
