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

// The object a finding is about, as a person names it.
struct ObjectRef {
  std::string api_version;
  std::string kind;
  std::string ns;  // empty for cluster-scoped kinds
  std::string name;
};

// A secondary place that explains the primary one ("the Service is defined here").
struct Related {
  Position pos;
  std::string message;
};

struct Finding {
  std::string rule;  // family/slug, as in the rule catalogue
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
