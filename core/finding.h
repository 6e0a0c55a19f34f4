#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/position.h"

namespace kmc {

enum class Severity : uint8_t { Info = 0, Warning = 1, Error = 2 };

std::string_view severity_name(Severity s);
// Parses "error", "warning", "info"; false for anything else.
bool parse_severity(std::string_view text, Severity* out);

// The object a finding is about, as a person names it. Views into the model (and so the loaded
// sources) the finding was made from: a Finding lives no longer than its Analysis.
struct ObjectRef {
  std::string_view api_version;
  std::string_view kind;
  std::string_view ns;  // empty for cluster-scoped kinds
  std::string_view name;
};

// A secondary place that explains the primary one ("the Service is defined here").
struct Related {
  Position pos;
  std::string message;
};

struct Finding {
  // family/slug, as in the rule catalogue: static text (a literal, or a Rule's id). A large
  // tree has tens of thousands of findings, and a copied id was a heap block for each.
  std::string_view rule;
  std::string message;
  Position pos;
  Severity severity = Severity::Error;  // in the padding after pos: a Finding is 176 bytes
  std::vector<Related> related;
  std::optional<ObjectRef> object;
  // How to fix it, one sentence; may be empty. A literal, or a text a FixTexts keeps as long as
  // the findings: most findings of a rule give the same advice, and a string each costs megabytes
  // on a large tree (docs/performance.md, "Measurements behind the code").
  std::string_view fix;
};

// A large tree has tens of thousands of findings (bench/): their size is a budget.
static_assert(sizeof(Finding) <= 176, "Finding grew: see the fields' order and FindingList's chunks");

// One copy of each distinct fix text a rule gave. Its texts stay where they are as it grows or
// moves (the set's nodes do not move).
class FixTexts {
 public:
  std::string_view keep(std::string text) {
    if (text.empty()) return {};
    // A rule's fix is often one sentence for every finding (21 000 times on the bench tree):
    // compared with the last one kept, it is not hashed again.
    if (text == last_) return last_;
    return last_ = *texts_.insert(std::move(text)).first;
  }

 private:
  std::unordered_set<std::string> texts_;
  std::string_view last_;
};

// Findings in the order a person reads them: by file, line, column, then rule.
void sort_findings(std::vector<Finding>& findings);

// What the input can make kmc report (docs/security.md): a stranger's 28 MB file of 4 million
// duplicate keys made 4 million findings and 700 MB of output, and messages that quote whole
// values made 200 MB of findings from a 130 KB file.
struct FindingLimits {
  // Findings of one rule in one file; the rest become one finding that counts them (0: no limit).
  size_t per_rule_per_file = 100;
  // Findings in all; the rest are counted in the summary, not listed (0: no limit).
  size_t total = 250'000;
};

// A message is at most this long; a longer one keeps its start and its end, around " … ".
inline constexpr size_t kMaxMessageBytes = 1024;
std::string clip_message(std::string message);

// Keeps the first `most` findings of each rule in each file (findings sorted by sort_findings),
// and makes the next one a finding that counts the rest, at its position, with the highest
// severity among them. 0 keeps everything.
void cap_findings_per_file(std::vector<Finding>* findings, size_t most);

}  // namespace kmc
