#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/position.h"

static_assert(sizeof(void*) == 8, "kmc assumes a 64-bit target");

namespace kmc::parser {

// Where a scalar's text stands in its file, relative to the node's mark: a plain scalar's text
// starts at the mark, a quoted one's a byte after it. Unknown when the text is not the file's
// bytes (escapes, folded or block scalars) or the line before the mark is not ASCII (mark
// columns count characters). Found while the file is loaded (locate_text), and kept in the
// model's copies of nodes, so that a place inside the text can be found once the file's
// content is gone (Node::position_at).
enum class TextPlace : uint8_t { Unknown = 0, AtMark = 1, AfterMark = 2 };

// What a scalar resolves to, the way Kubernetes' YAML decoder (YAML 1.1 rules of
// sigs.k8s.io/yaml) resolves it; see parser/scalar.h.
enum class NodeKind : uint8_t { Null, Bool, Int, Float, String, Map, Seq };

std::string_view node_kind_name(NodeKind k);  // "null", "boolean", ..., "mapping", "sequence"

// One node of a parsed document, 20 bytes: scalars point at their text, containers at their
// children, which sit contiguously in the owning Document (maps as key, value, key, value…).
// A node reached through an alias is a copy of the anchored node: the tree is a DAG and an
// alias costs one node, never an expansion.
//
// Nodes are most of kmc's memory (six million on the 100 000-object bench tree), so the layout
// is packed by hand: five 32-bit words, no padding. The pointer keeps its low 48 bits, which is
// every user-space address on x86-64 and arm64 Linux (set_pointer() aborts on any other); the
// file number takes what the pointer, the kind and the flags leave (kMaxFiles files a run), the
// column what the text's place leaves, and what a line number cannot reach (kMaxLine).
class Node {
 public:
  enum Flag : uint8_t { QuotedFlag = 1, AliasFlag = 2 };
  static constexpr uint32_t kMaxFiles = (1u << 19) - 1;  // file numbers 0 .. kMaxFiles - 1
  // Lines and columns past these saturate. A file has at most 64 MiB (LoaderLimits), so neither
  // is reached by a file kmc reads: a minified JSON file is one line of up to 2^26 columns.
  static constexpr uint32_t kMaxLine = (1u << 27) - 1;
  static constexpr uint32_t kMaxColumn = (1u << 27) - 1;

 private:
  uint32_t ptr_lo_ = 0;
  uint32_t ptr_hi_ : 16 = 0;
  uint32_t file_hi_ : 11 = kMaxFiles >> 8;

 public:
  NodeKind kind : 3 = NodeKind::Null;
  uint8_t flags : 2 = 0;
  uint32_t len = 0;  // scalar: bytes of text; map: pairs; seq: items
  uint32_t line : 27 = 0;

 private:
  uint32_t column_hi_ : 5 = 0;   // the column's bits above column_lo_'s
  uint32_t column_lo_ : 22 = 0;
  uint32_t place_ : 2 = 0;  // TextPlace
  uint32_t file_lo_ : 8 = kMaxFiles & 0xff;

 public:
  Node() = default;
  // Every field at once: the scanners build millions of nodes, and a node written field by
  // field (bitfields share words) is read back whole by the builder through stalled stores.
  static Node scalar(NodeKind kind, bool quoted, const char* text, uint32_t len, uint32_t line, uint32_t column,
                     uint32_t file) {
    return Node(kind, quoted ? QuotedFlag : 0, reinterpret_cast<uintptr_t>(text), len, line, column, file);
  }
  static Node container(NodeKind kind, uintptr_t kids_offset, uint32_t len, uint32_t line, uint32_t column,
                        uint32_t file) {
    return Node(kind, 0, kids_offset, len, line, column, file);
  }

  // Scalars: the text (in the source or the load's arena). Containers: the first child; while
  // the document is being built, the children's offset in the builder's buffer instead.
  const char* str() const { return reinterpret_cast<const char*>(pointer()); }
  const Node* kids() const { return reinterpret_cast<const Node*>(pointer()); }
  uintptr_t kids_offset() const { return pointer(); }
  void set_kids(const Node* p) { set_pointer(reinterpret_cast<uintptr_t>(p)); }

  // Position::kNoFile for a node built by hand; the loader refuses files past kMaxFiles
  // (LoaderLimits::max_files), so every parsed node has its own.
  uint32_t file() const {
    uint32_t f = (uint32_t{file_hi_} << 8) | file_lo_;
    return f == kMaxFiles ? Position::kNoFile : f;
  }

  uint32_t column() const { return (uint32_t{column_hi_} << 22) | column_lo_; }
  Position pos() const { return {file(), line, column()}; }
  bool is_map() const { return kind == NodeKind::Map; }
  bool is_seq() const { return kind == NodeKind::Seq; }
  bool is_scalar() const { return kind != NodeKind::Map && kind != NodeKind::Seq; }
  bool is_null() const { return kind == NodeKind::Null; }
  bool is_string() const { return kind == NodeKind::String; }
  bool quoted() const { return flags & QuotedFlag; }
  TextPlace text_place() const { return static_cast<TextPlace>(place_); }
  void set_text_place(TextPlace p) { place_ = static_cast<uint32_t>(p); }
  // The position of byte `at` of a scalar's text, computed from the text alone when its place
  // in the file is known; nullopt otherwise.
  std::optional<Position> position_at(size_t at) const;

  // The source text of a scalar (after YAML unescaping); empty for containers.
  std::string_view text() const { return is_scalar() ? std::string_view(str(), len) : std::string_view(); }

  uint32_t size() const { return is_scalar() ? 0 : len; }
  const Node& key(uint32_t i) const { return kids()[2 * i]; }
  const Node& value(uint32_t i) const { return kids()[2 * i + 1]; }
  const Node& item(uint32_t i) const { return kids()[i]; }

  // The value under a string key of a map, or nullptr (also for non-maps).
  const Node* get(std::string_view key) const;
  // The key node itself, to point at `key:` rather than at its value; nullptr likewise.
  const Node* key_node(std::string_view key) const;
  // get(key) when the value is a non-null string-like scalar; otherwise empty.
  std::string_view get_text(std::string_view key) const;

  // Integer value of an Int scalar (YAML 1.1 forms: 0x, 0o/0 octal, 0b, `_` separators).
  bool as_int(int64_t* out) const;
  bool as_bool(bool* out) const;
  // A mapping's boolean under `key`; `otherwise` when absent or not a boolean.
  bool bool_at(std::string_view key, bool otherwise) const;

 private:
  Node(NodeKind k, uint8_t f, uintptr_t p, uint32_t n, uint32_t l, uint32_t c, uint32_t file)
      : ptr_lo_(static_cast<uint32_t>(p)),
        ptr_hi_(static_cast<uint32_t>(p >> 32)),
        file_hi_(std::min(file, kMaxFiles) >> 8),
        kind(k),
        flags(f),
        len(n),
        line(std::min(l, kMaxLine)),
        column_hi_(std::min(c, kMaxColumn) >> 22),
        column_lo_(std::min(c, kMaxColumn) & ((1u << 22) - 1)),
        file_lo_(std::min(file, kMaxFiles) & 0xff) {
    if (p >> 48) pointer_out_of_range(p);
  }
  uintptr_t pointer() const { return (uintptr_t{ptr_hi_} << 32) | ptr_lo_; }
  void set_pointer(uintptr_t p) {
    if (p >> 48) pointer_out_of_range(p);
    ptr_lo_ = static_cast<uint32_t>(p);
    ptr_hi_ = static_cast<uint32_t>(p >> 32);
  }
  [[noreturn]] static void pointer_out_of_range(uintptr_t p);
};

// Where `n`'s text stands in `content`, its file's bytes (see TextPlace).
TextPlace locate_text(std::string_view content, const Node& n);

// A parsed YAML document. It and its copied text live in the load's arenas (LoadResult::arenas),
// its nodes in LoadMemory::nodes, so a Document is a plain value and never owns memory.
// Once the model is built, the trees are released (driver/model_builder.h) and roots dangle.
struct Document {
  Node root;
  uint32_t file = Position::kNoFile;
  uint32_t index_in_file = 0;  // 0-based document number in its file
  uint32_t start_line = 0;     // 1-based line of the document's first token
  uint32_t end_line = 0;       // 1-based line where the next document (or the stream) starts
  uint64_t node_count = 0;
};

}  // namespace kmc::parser
