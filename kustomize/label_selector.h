#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kustomize/rnode.h"

// A label selector in the string syntax of `kubectl -l` and of kustomize's patch targets
// (`labelSelector`, `annotationSelector`): requirements joined by commas, each `key=value`,
// `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key`, `!key`, `key>1`, `key<1`.
namespace kmc::kustomize {

struct Requirement {
  enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist, GreaterThan, LessThan };
  std::string key;
  Op op = Op::Exists;
  std::vector<std::string> values;
};

// nullopt, with the reason in `error`, when `text` is not a selector.
std::optional<std::vector<Requirement>> parse_label_selector(std::string_view text, std::string* error);

// Whether labels (looked up by key; nullopt: absent) satisfy every requirement.
bool selector_matches(const std::vector<Requirement>& selector,
                      const std::function<std::optional<std::string_view>(std::string_view)>& label);

// A resource's metadata.labels or metadata.annotations value under `key` (`map` names which),
// nullopt when absent, "" when null: what the selectors above read.
std::optional<std::string_view> metadata_value(const RNode& tree, std::string_view map, std::string_view key);

}  // namespace kmc::kustomize
