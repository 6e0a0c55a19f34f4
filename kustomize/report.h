#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "core/rule_catalogue.h"

// How kustomize/ reports: a finding of a kustomize/* row, at its default severity.
namespace kmc::kustomize {

inline void report(std::vector<Finding>* findings, RuleId rule, Position pos, std::string message,
                   std::string_view fix) {
  Finding f;
  f.rule = rule_name(rule);
  f.severity = rule_row(rule).severity;
  f.pos = pos;
  f.message = std::move(message);
  f.fix = fix;
  findings->push_back(std::move(f));
}

}  // namespace kmc::kustomize
