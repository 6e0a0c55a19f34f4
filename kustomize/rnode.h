#pragma once
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/position.h"
#include "parser/node.h"

// A rendered object's tree. kustomize edits trees (patches merge into them, transformers set
// names, labels and images), which the parser's packed, read-only nodes are not built for. Every
// node keeps the position of the YAML node its value came from, so that a finding on a rendered
// object points at the base line, the patch line or the kustomization entry that set it.
namespace kmc::kustomize {
using parser::Node;
using parser::NodeKind;

struct RNode {
  NodeKind kind = NodeKind::Null;
  bool quoted = false;
  std::string_view text;  // a scalar's text: in a source file, the load's arena or the render's
  Position pos;           // where the value came from
  std::vector<RNode> kids;  // a sequence's items; a mapping's keys and values, alternating

  static RNode string(std::string_view text, Position pos);
  static RNode map(Position pos) { return container(NodeKind::Map, pos); }
  static RNode seq(Position pos) { return container(NodeKind::Seq, pos); }

  bool is_map() const { return kind == NodeKind::Map; }
  bool is_seq() const { return kind == NodeKind::Seq; }
  bool is_scalar() const { return !is_map() && !is_seq(); }
  bool is_null() const { return kind == NodeKind::Null; }
  size_t pairs() const { return is_map() ? kids.size() / 2 : 0; }
  const RNode& key(size_t i) const { return kids[2 * i]; }
  RNode& value(size_t i) { return kids[2 * i + 1]; }
  const RNode& value(size_t i) const { return kids[2 * i + 1]; }

  // The value under a key of a mapping, or nullptr (also for other nodes).
  RNode* get(std::string_view key);
  const RNode* get(std::string_view key) const;
  // get(key) when it is a non-null scalar; otherwise empty.
  std::string_view get_text(std::string_view key) const;
  // The mapping under `key`, made (empty, at `pos`) when missing or not a mapping.
  RNode& map_at(std::string_view key, Position pos);
  // Sets `key` to `value`: in place when present (the key keeps its position), else appended.
  RNode& set(std::string_view key, RNode value, Position key_pos);
  bool erase(std::string_view key);

 private:
  static RNode container(NodeKind kind, Position pos);
};

// A deep copy of a parsed tree (scalars keep pointing at their text).
RNode from_node(const Node& n);
// The tree as parser nodes, children contiguous in `arena`, which also holds what they point at
// unless it is already there or in a source file that outlives the run.
Node to_node(const RNode& n, Arena* arena);

}  // namespace kmc::kustomize
