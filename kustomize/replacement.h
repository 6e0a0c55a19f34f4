#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/arena.h"
#include "core/finding.h"
#include "kustomize/kustomization.h"
#include "kustomize/resource.h"

// kustomize v5.7's replacements, the last transformer of a kustomization: each replacement
// reads one value (`sourceValue`, or a field of the one resource its `source` selects) and
// copies it into fields of the resources its targets select. Field paths are kyaml's: fields
// split on dots, `[key=value]` for the list item whose key has that value, `[=value]` for a
// scalar item, an index, and in targets `*` for every item. A source matches `[key=value]`
// exactly, a target as an unanchored regular expression, as kustomize does.
//
// A value copied into a scalar keeps the position of the field it came from (the source's
// field, or the `sourceValue` entry), so a finding on it points where the value is written.
// What kustomize refuses (a source that selects nothing or several resources, a path that is
// not there) is a kustomize/invalid finding at the entry, and the root is not rendered.
namespace kmc::kustomize {

class Replacer {
 public:
  Replacer(Arena* text, std::vector<Finding>* findings) : text_(text), findings_(findings) {}
  // False when kustomize would fail the build.
  bool apply(const Kustomization::Replacement& r, std::vector<Resource>* ra);

 private:
  struct Value;
  bool source_value(const Kustomization::Replacement& r, const std::vector<Resource>& ra, Value* out);
  bool copy_to(Resource* target, const Value& value, const Kustomization::Replacement::Target& t);
  bool set_field(RNode* field, bool made, const Value& value, const Kustomization::FieldOptions& o, std::string* error);
  std::optional<std::vector<Resource*>> selected(const Kustomization::Replacement::Target& t, std::vector<Resource>* ra);
  void fail(Position pos, std::string message, std::string_view fix);

  Arena* text_;
  std::vector<Finding>* findings_;
};

// kyaml's SmarterPathSplitter: `a.b.[name=x.y].c` is a, b, [name=x.y], c; a backslash escapes
// a dot; `[a.b]` (brackets without `=`) is the one field a.b.
std::vector<std::string> split_field_path(std::string_view path);

}  // namespace kmc::kustomize
