#pragma once
#include <cstdint>

#include "checks/analysis.h"
#include "checks/rule.h"
#include "core/parallel.h"

namespace kmc::checks {

struct RuleRunOptions {
  const Workers* workers = &Workers::serial();
  // How many consecutive objects the rules about single objects check at a time
  // (checks/object_range.h). About what the rules read of them fits in a core's L2 cache; the
  // findings are the same for any number (tests/rule_ranges_test.cc runs ranges of one object).
  uint32_t objects_per_rule_range = 1024;
  StageTimes* times = nullptr;  // each rule's seconds, when set
  RuleSettings settings;
};

// Runs every rule of the table over the linked set in `a` (model, topology) and joins their
// findings after the input's own (a.input.findings, which it empties) into a.findings, unsorted.
void run_rules(Analysis& a, const RuleRunOptions& options);

}  // namespace kmc::checks
