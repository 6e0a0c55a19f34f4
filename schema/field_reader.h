#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "parser/node.h"
#include "schema/fields.h"
#include "schema/model_arena.h"

// Reads the fields of parser nodes into the model's field types, leniently: a field whose node
// has the wrong shape is left unset (schema/* rules report it). Every node it stores is the
// keeper's copy. The decoders of schema/decode*.cc share it.
namespace kmc::schema {
using parser::Node;

class FieldReader {
 public:
  explicit FieldReader(NodeKeeper* keep) : keep_(*keep) {}

  Text text_of(const Node* n) {
    if (!n || !n->is_scalar() || n->is_null()) return {};
    return {keep_.node(n)};
  }
  Text text_at(const Node& parent, std::string_view key) { return text_of(parent.get(key)); }

  Int int_at(const Node& parent, std::string_view key) {
    const Node* n = parent.get(key);
    int64_t v;
    if (n && n->as_int(&v)) return {v, keep_.node(n)};
    return {};
  }

  std::optional<bool> bool_at(const Node& parent, std::string_view key) {
    const Node* n = parent.get(key);
    bool v;
    if (n && n->as_bool(&v)) return v;
    return std::nullopt;
  }

  // The key node of `key` in mapping `parent`, kept; nullptr when absent.
  const Node* key_of(const Node& parent, std::string_view key) { return keep_.node(parent.key_node(key)); }

  const Node* map_at(const Node& parent, std::string_view key) {
    const Node* n = parent.get(key);
    return n && n->is_map() ? n : nullptr;
  }

  // Iterates the mapping items of a sequence field, skipping items of the wrong shape.
  template <class F> void each_map(const Node& parent, std::string_view key, F&& f) {
    const Node* n = parent.get(key);
    if (!n || !n->is_seq()) return;
    for (uint32_t i = 0; i < n->size(); ++i)
      if (n->item(i).is_map()) f(n->item(i));
  }

  // The same, for a callback that appends to `into`: room for every item is made first (the
  // model is a million small vectors on a large tree; growing each one by doubling costs
  // allocations and leaves slack).
  template <class T, class F> void each_map(const Node& parent, std::string_view key, std::vector<T>& into, F&& f) {
    const Node* n = parent.get(key);
    if (!n || !n->is_seq()) return;
    size_t needed = into.size() + n->size();
    if (into.capacity() < needed) into.reserve(std::max(needed, 2 * into.capacity()));  // nested calls stay linear
    for (uint32_t i = 0; i < n->size(); ++i)
      if (n->item(i).is_map()) f(n->item(i));
  }

  std::vector<Text> texts_at(const Node& parent, std::string_view key) {
    std::vector<Text> out;
    const Node* n = parent.get(key);
    if (!n || !n->is_seq()) return out;
    out.reserve(n->size());
    for (uint32_t i = 0; i < n->size(); ++i) {
      Text t = text_of(&n->item(i));
      if (t.set()) out.push_back(t);
    }
    return out;
  }

  IntOrString int_or_string_at(const Node& parent, std::string_view key) {
    IntOrString out;
    const Node* n = parent.get(key);
    if (!n || !n->is_scalar() || n->is_null()) return out;
    out.node = keep_.node(n);
    int64_t v;
    if (n->as_int(&v)) {
      out.is_int = true;
      out.int_value = v;
    } else {
      out.str_value = out.node->text();
    }
    return out;
  }

  LabelMap label_map(const Node* n) {
    LabelMap m;
    if (n && n->is_map()) m.node = keep_.with_children(n);
    return m;
  }

  SelectorRequirement requirement(const Node& n) {
    SelectorRequirement r;
    r.node = keep_.node(&n);
    r.key = text_at(n, "key");
    r.op = text_at(n, "operator");
    r.values = texts_at(n, "values");
    return r;
  }

  LabelSelector label_selector(const Node* n) {
    LabelSelector s;
    if (!n || !n->is_map()) return s;
    s.node = keep_.node(n);
    s.match_labels = label_map(n->get("matchLabels"));
    each_map(*n, "matchExpressions", s.match_expressions, [&](const Node& r) { s.match_expressions.push_back(requirement(r)); });
    return s;
  }

 protected:
  NodeKeeper& keep_;
};

}  // namespace kmc::schema
