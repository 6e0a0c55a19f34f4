#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/position.h"

static_assert(sizeof(void*) == 8, "kmc assumes a 64-bit target");

namespace kmc {

// What a scalar resolves to, the way Kubernetes' YAML decoder (YAML 1.1 rules of
// sigs.k8s.io/yaml) resolves it; see parser/scalar.h.
enum class NodeKind : uint8_t { Null, Bool, Int, Float, String, Map, Seq };

std::string_view node_kind_name(NodeKind k);  // "null", "boolean", ..., "mapping", "sequence"

// One node of a parsed document, 24 bytes: scalars point at their text, containers at their
// children, which sit contiguously in the owning Document (maps as key, value, key, value…).
// A node reached through an alias is a copy of the anchored node: the tree is a DAG and an
// alias costs one node, never an expansion.
struct Node {
  enum Flag : uint8_t { kQuoted = 1, kAlias = 2 };

  union {
    const char* str;
    const Node* kids;
    uintptr_t kids_offset;  // while the document is being built
  };
  uint32_t len = 0;  // scalar: bytes of text; map: pairs; seq: items
  uint32_t line = 0;
  uint32_t file = Position::kNoFile;
  uint32_t column : 24 = 0;  // saturates at 16M (a minified one-line file)
  NodeKind kind : 4 = NodeKind::Null;
  uint8_t flags : 4 = 0;

  Node() : str(nullptr) {}

  Position pos() const { return {file, line, column}; }
  bool is_map() const { return kind == NodeKind::Map; }
  bool is_seq() const { return kind == NodeKind::Seq; }
  bool is_scalar() const { return kind != NodeKind::Map && kind != NodeKind::Seq; }
  bool is_null() const { return kind == NodeKind::Null; }
  bool is_string() const { return kind == NodeKind::String; }
  bool quoted() const { return flags & kQuoted; }

  // The source text of a scalar (after YAML unescaping); empty for containers.
  std::string_view text() const { return is_scalar() ? std::string_view(str, len) : std::string_view(); }

  uint32_t size() const { return is_scalar() ? 0 : len; }
  const Node& key(uint32_t i) const { return kids[2 * i]; }
  const Node& value(uint32_t i) const { return kids[2 * i + 1]; }
  const Node& item(uint32_t i) const { return kids[i]; }

  // The value under a string key of a map, or nullptr (also for non-maps).
  const Node* get(std::string_view key) const;
  // get(key) when the value is a non-null string-like scalar; otherwise empty.
  std::string_view get_text(std::string_view key) const;

  // Integer value of an Int scalar (YAML 1.1 forms: 0x, 0o/0 octal, 0b, `_` separators).
  bool as_int(int64_t* out) const;
  bool as_bool(bool* out) const;
};

// A parsed YAML document. Its nodes and copied text live in the Arena of the load
// (LoadResult::arenas), so a Document is a plain value and never owns memory.
struct Document {
  Node root;
  uint32_t file = Position::kNoFile;
  uint32_t index_in_file = 0;  // 0-based document number in its file
  uint32_t start_line = 0;     // 1-based line of the document's first token
  uint32_t end_line = 0;       // 1-based line where the next document (or the stream) starts
  uint64_t node_count = 0;
};

}  // namespace kmc
