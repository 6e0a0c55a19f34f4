#include "core/spelling.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace kmc {
namespace {

// Optimal string alignment distance, ignoring case: a transposition (`selectro`) costs one.
// Three rows on the stack: `b` is at most kMaxWord + 3 characters (closest() filters by length
// first), and a hint over many candidates (every name of a namespace) allocates nothing.
constexpr size_t kMaxWord = 64;
size_t edit_distance(std::string_view a, std::string_view b) {
  auto low = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  std::array<size_t, kMaxWord + 4> before{}, previous{}, current{};
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = low(a[i - 1]) == low(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && low(a[i - 1]) == low(b[j - 2]) && low(a[i - 2]) == low(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[b.size()];
}

}  // namespace

std::string_view closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (word.size() > kMaxWord) return {};
  size_t limit = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
  std::string_view best;
  size_t best_d = limit + 1;
  for (std::string_view c : candidates) {
    // Lengths further apart than the limit are further apart in edit distance too.
    if (c.size() > word.size() + limit || word.size() > c.size() + limit) continue;
    size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace kmc
