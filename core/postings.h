#pragma once
#include <cassert>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/flat_map.h"

namespace kmc {

// Lists of numbers under keys (the pods that carry a label, the pods of a namespace), built
// once: add() in any order, then seal() once. The lists sit back to back in one array, each in the
// order its numbers were added. One std::vector per key costs an allocation each and their growth
// slack (docs/performance.md, "Measurements behind the code"); this costs four arrays.
template <class K, class Hash, class Eq = std::equal_to<K>>
class Postings {
 public:
  void add(const K& key, uint32_t number) {
    assert(!sealed_ && "Postings are built once: add() after seal()");
    uint32_t next = static_cast<uint32_t>(keys_.size());
    uint32_t list = keys_.find_or_insert(key, [&] { return next; }).first->value;
    added_.push_back({list, number});
  }

  // Groups what was added by key (a stable counting sort); find() reads only sealed lists.
  void seal() {
    assert(!sealed_);
    starts_.assign(keys_.size() + 1, 0);
    for (const auto& [list, number] : added_) ++starts_[list + 1];
    for (size_t i = 1; i < starts_.size(); ++i) starts_[i] += starts_[i - 1];
    numbers_.resize(added_.size());
    std::vector<uint32_t> fill(starts_.begin(), starts_.end() - 1);
    for (const auto& [list, number] : added_) numbers_[fill[list]++] = number;
    std::vector<std::pair<uint32_t, uint32_t>>().swap(added_);
    sealed_ = true;
  }

  // The numbers added under `key`, in the order added; empty when none were.
  std::span<const uint32_t> find(const K& key) const {
    const uint32_t* list = keys_.find(key);
    if (!list || !sealed_) return {};
    return std::span<const uint32_t>(numbers_.data() + starts_[*list], starts_[*list + 1] - starts_[*list]);
  }

  size_t keys() const { return keys_.size(); }

 private:
  FlatMap<K, uint32_t, Hash, Eq> keys_;                // key -> list number
  std::vector<std::pair<uint32_t, uint32_t>> added_;   // {list, number} until seal()
  std::vector<uint32_t> starts_;                       // list n is numbers_[starts_[n], starts_[n + 1])
  std::vector<uint32_t> numbers_;
  bool sealed_ = false;
};

}  // namespace kmc
