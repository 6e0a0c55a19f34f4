#pragma once
#include <string_view>
#include <vector>

namespace kmc {

// The closest of `candidates` to `word` by edit distance (ignoring case, a transposition costing
// one), or empty when none is close: one edit for words up to 4 characters, two up to 8, three
// beyond. What "did you mean" hints are made of: a misspelt field, kind, rule id or command.
std::string_view closest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace kmc
