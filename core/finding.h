#pragma once
#include <optional>
#include <string>
#include <string_view>
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
  Severity severity = Severity::Error;
  std::string message;
  Position pos;
  std::vector<Related> related;
  std::optional<ObjectRef> object;
  std::string fix;  // how to fix it, one sentence; may be empty
};

// Findings in the order a person reads them: by file, line, column, then rule.
void sort_findings(std::vector<Finding>& findings);

}  // namespace kmc
