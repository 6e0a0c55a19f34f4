#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace kmc {

// A hash of a short string (names, namespaces, label keys and values), 8 bytes a step, mixed
// by 128-bit multiplication. The indexes of a large tree hash every name a few times; libstdc++'s
// std::hash<string_view> (murmur2, byte-oriented tail) showed in a whole `kmc check` there
// (docs/performance.md, "Measurements behind the code").
// Not for adversarial keys: a run's keys come from its own input.
inline uint64_t hash_mix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a ^ 0x9e3779b97f4a7c15ULL) * (b ^ 0xd6e8feb86659fd93ULL);
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t hash_string(std::string_view s, uint64_t seed = 0) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = hash_mix(seed, n);
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = hash_mix(h, w);
  }
  if (n) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = hash_mix(h, w);
  }
  return h;
}

struct StringHash {
  uint64_t operator()(std::string_view s) const noexcept { return hash_string(s); }
};

// For pointer keys. std::hash of a pointer is the address itself, whose low bits are zero for
// aligned objects: FlatMap's slot is the hash's low bits, so those keys would crowd into a
// fraction of the slots and probe long runs.
struct PointerHash {
  uint64_t operator()(const void* p) const noexcept { return hash_mix(reinterpret_cast<uintptr_t>(p), 0); }
};

// An open-addressing hash map for indexes built once and read many times: entries sit in one
// vector in insertion order (iteration is deterministic), slots hold a hash fragment and an
// entry number. Compared with std::unordered_map it makes no allocation per entry, which on a
// 100 000-object tree is what building the indexes cost. There is no erase.
// Pointers returned by find() and try_emplace() are valid until the next insertion.
template <class K, class V, class Hash, class Eq = std::equal_to<K>>
class FlatMap {
 public:
  struct Entry {
    K key;
    V value;
  };

  void reserve(size_t n) {
    entries_.reserve(n);
    if (n * 2 > slots_.size()) rehash(n * 2);
  }

  // The entry of `key`, inserting {key, make()} when it is absent; true when inserted.
  template <class Make> std::pair<Entry*, bool> find_or_insert(const K& key, Make&& make) {
    if ((entries_.size() + 1) * 2 > slots_.size()) rehash(std::max<size_t>(16, slots_.size() * 2));
    uint64_t h = Hash()(key);
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.entry == 0) {
        entries_.push_back(Entry{key, make()});
        s = {tag, static_cast<uint32_t>(entries_.size())};
        return {&entries_.back(), true};
      }
      if (s.tag == tag && Eq()(entries_[s.entry - 1].key, key)) return {&entries_[s.entry - 1], false};
    }
  }
  std::pair<Entry*, bool> try_emplace(const K& key, V value) {
    return find_or_insert(key, [&] { return std::move(value); });
  }
  // The value of `key`, default-constructed when it is absent (std::map's operator[]).
  V& operator[](const K& key) {
    return find_or_insert(key, [] { return V(); }).first->value;
  }

  const V* find(const K& key) const {
    if (entries_.empty()) return nullptr;
    uint64_t h = Hash()(key);
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.entry == 0) return nullptr;
      if (s.tag == tag && Eq()(entries_[s.entry - 1].key, key)) return &entries_[s.entry - 1].value;
    }
  }
  bool contains(const K& key) const { return find(key) != nullptr; }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  struct Slot {
    uint32_t tag;    // high half of the hash: most mismatches end here, without touching the entry
    uint32_t entry;  // entry number + 1; 0 for an empty slot
  };

  void rehash(size_t at_least) {
    size_t n = 16;
    while (n < at_least) n *= 2;
    slots_.assign(n, Slot{0, 0});
    mask_ = n - 1;
    for (uint32_t e = 0; e < entries_.size(); ++e) {
      uint64_t h = Hash()(entries_[e].key);
      size_t i = h & mask_;
      while (slots_[i].entry != 0) i = (i + 1) & mask_;
      slots_[i] = {static_cast<uint32_t>(h >> 32), e + 1};
    }
  }

  std::vector<Entry> entries_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace kmc
