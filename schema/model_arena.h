#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/flat_map.h"
#include "core/source.h"
#include "parser/node.h"

namespace kmc::schema {
using parser::Node;

// The model's own copies of the parse-tree nodes it points at, so that the trees and the files'
// bytes (most of a large run's memory) can be released as the model is built: the model builder
// does, region by region (driver/model_builder.h; LoadMemory::nodes, source). A copy keeps the node's position,
// and its text is copied too, with where it stood in the file (TextPlace), so that a place
// inside it is still found without the file.
//
// One per decoding thread. Without an arena it copies nothing and hands back the tree's own
// nodes: the decoders that tests call on a bare tree. Without sources it copies nodes but not
// their text, which then stays in the files' bytes (analysis that keeps them: `kmc compile`).
class NodeKeeper {
 public:
  explicit NodeKeeper(Arena* arena, const SourceSet* sources = nullptr);

  // The node alone: a scalar whole; a mapping or sequence with its kind and position but no
  // children (size() 0), which is all a model field that only points at a place needs.
  const Node* node(const Node* n);
  // The node with its children, each kept as by node(): a label map (whose entries are
  // scalars), or a mapping whose keys a rule points at (key_pos).
  const Node* with_children(const Node* n);
  void set_sources(const SourceSet* sources) { sources_ = sources; }  // the same files, moved
  // The node and everything below it, text included: a tree that must outlive its region and
  // file for a while (an object validated later). Aliases are copied out, as a walk sees them.
  const Node* whole(const Node* n);
  // The model's copy of the text that names a type (apiVersion, kind).
  std::string_view type_name(std::string_view text);

  // Lines of a file that a copied scalar's position may still be looked up in (its text did not
  // stand verbatim in the file: escapes, block scalars): the file keeps them when its content goes.
  struct Lines {
    uint32_t file, first, last;
  };
  std::vector<Lines> take_lines() { return std::move(lines_); }

 private:
  Node shallow(const Node& n);
  Node copy_whole(const Node& n);
  const char* copy_text(std::string_view text);
  Arena* arena_;
  const SourceSet* sources_;
  // The copies of short texts by hash, one a slot (a cache, not a set: a collision copies again).
  struct Interned {
    static constexpr size_t kLongest = 52;  // a slot is a cache line
    const char* copy = nullptr;
    uint32_t len = UINT32_MAX;
    char text[kLongest];
  };
  static_assert(sizeof(Interned) == 64);
  static constexpr size_t kMostSlots = size_t{1} << 15;
  std::vector<Interned> interned_;  // a power of two of slots, or none yet
  size_t interned_asks_ = 0;
  std::vector<Lines> lines_;
};

}  // namespace kmc::schema
