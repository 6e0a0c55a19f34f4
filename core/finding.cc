#include "core/finding.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <tuple>

namespace kmc {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

bool parse_severity(std::string_view text, Severity* out) {
  if (text == "info") *out = Severity::Info;
  else if (text == "warning") *out = Severity::Warning;
  else if (text == "error") *out = Severity::Error;
  else return false;
  return true;
}

void sort_findings(std::vector<Finding>& findings) {
  // A Finding is 176 bytes: std::stable_sort on the list moved each one several times through
  // a buffer of half the list. Sorting their numbers and then moving each finding once along
  // the permutation's cycles costs 4 bytes a finding instead.
  std::vector<uint32_t> order(findings.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const Finding& a = findings[x];
    const Finding& b = findings[y];
    return std::tie(a.pos, a.rule, a.message) < std::tie(b.pos, b.rule, b.message);
  });
  // Place i receives the finding at order[i]; a place is done once order[place] == place.
  for (uint32_t i = 0; i < order.size(); ++i) {
    if (order[i] == i) continue;
    Finding first = std::move(findings[i]);
    uint32_t place = i;
    while (true) {
      uint32_t from = order[place];
      order[place] = place;
      if (from == i) {
        findings[place] = std::move(first);
        break;
      }
      findings[place] = std::move(findings[from]);
      place = from;
    }
  }
}

}  // namespace kmc
