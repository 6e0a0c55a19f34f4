#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "kustomize/kustomization.h"
#include "parser/node.h"

// How kustomize's Go decoding sees a YAML node: the shapes of the Go types it decodes
// kustomizations and replacement files into, a checker that refuses what that decoding refuses
// (a value of the wrong type; a field the type lacks, when the decoding is strict), and the
// lookups that match keys as encoding/json does (exactly, else ignoring case).
namespace kmc::kustomize {

enum class Shape : uint8_t { String, Strings, StringMap, BoolMap, Bool, Int, Struct, StructList, Any };

struct FieldShape {
  std::string_view name;
  Shape shape;
  std::span<const FieldShape> fields = {};  // Struct, StructList
};

// Checks nodes against shapes; each refusal is a kustomize/invalid finding at the node.
class Decoder {
 public:
  // `strict`: a field the type does not have is refused (kustomize decodes kustomizations so,
  // and replacement files leniently).
  Decoder(std::vector<Finding>* findings, bool strict) : findings_(findings), strict_(strict) {}
  bool ok() const { return ok_; }

  void invalid(const Node& at, std::string message, std::string_view fix);
  // Checks `n` against `shape`; `what` names it in messages.
  void check(const Node& n, const FieldShape& shape, const std::string& what);
  void check_struct(const Node& n, std::span<const FieldShape> fields, const std::string& what);

 private:
  void wrong_type(const Node& n, const std::string& what, std::string_view expected);
  void check_scalar_map(const Node& n, bool bools, const std::string& what);

  std::vector<Finding>* findings_;
  bool strict_;
  bool ok_ = true;
};

bool is_string(const Node& n);
// A string value as written; empty (no position) for anything else.
Entry entry(const Node* n);
// The strings of a list.
std::vector<Entry> entries(const Node* list);
// A mapping of strings (a null value is "", as Go decodes it into a map[string]string).
std::vector<std::pair<Entry, Entry>> pairs(const Node* map);
// The value under a field, matched as Go's decoding matches it.
const Node* field(const Node& map, std::string_view name);
// A target selector (group, version, kind, name, namespace, label and annotation selectors).
std::optional<Kustomization::Selector> selector(const Node* n);
// A boolean field's value, false when absent or not a boolean.
bool flag(const Node& map, std::string_view name);

}  // namespace kmc::kustomize
