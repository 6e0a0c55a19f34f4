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

namespace {

// The start of the UTF-8 character that holds byte `at` of `s`.
size_t character_start(std::string_view s, size_t at) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xc0) == 0x80) --at;
  return at;
}

}  // namespace

std::string clip_message(std::string message) {
  if (message.size() <= kMaxMessageBytes) return message;
  // The start says what is wrong, the end why Kubernetes cares; a quoted value in between goes.
  constexpr size_t kHead = kMaxMessageBytes * 5 / 8, kTail = kMaxMessageBytes * 3 / 8 - 8;
  size_t head = character_start(message, kHead);
  size_t tail = character_start(message, message.size() - kTail);
  return message.substr(0, head) + " … " + message.substr(tail);
}

void cap_findings_per_file(std::vector<Finding>* findings, size_t most) {
  if (most == 0) return;
  std::vector<Finding>& f = *findings;
  struct Count {
    std::string_view rule;
    size_t seen = 0;
    size_t overflow = 0;  // where the finding that counts the rest is (once seen > most)
    Severity worst = Severity::Info;
  };
  std::vector<Count> counts;  // a file's rules: a handful, so a list
  size_t kept = 0;
  for (size_t begin = 0; begin < f.size();) {
    const bool valid = f[begin].pos.valid();
    const uint32_t file = f[begin].pos.file;
    counts.clear();
    size_t end = begin;
    for (; end < f.size() && f[end].pos.valid() == valid && f[end].pos.file == file; ++end) {
      auto it = std::find_if(counts.begin(), counts.end(), [&](const Count& c) { return c.rule == f[end].rule; });
      if (it == counts.end()) it = counts.insert(counts.end(), Count{f[end].rule});
      ++it->seen;
      if (it->seen > most) it->worst = std::max(it->worst, f[end].severity);
      if (it->seen > most + 1) continue;
      if (it->seen == most + 1) it->overflow = kept;
      if (kept != end) f[kept] = std::move(f[end]);
      ++kept;
    }
    for (const Count& c : counts) {
      if (c.seen <= most) continue;
      Finding& summary = f[c.overflow];
      summary.severity = c.worst;
      summary.message = "and " + std::to_string(c.seen - most) + " more findings of this rule in this file, not shown: kmc " +
                        "reports at most " + std::to_string(most) + " of a rule in one file (--max-findings-per-file)";
      summary.related.clear();
      summary.object.reset();
      summary.fix = "fix the findings above, then run kmc again to see the rest";
    }
    begin = end;
  }
  f.erase(f.begin() + static_cast<std::ptrdiff_t>(kept), f.end());
}

}  // namespace kmc
