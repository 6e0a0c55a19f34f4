#pragma once
#include "core/arena.h"
#include "parser/node.h"

namespace kmc {

// The model's own copies of the parse-tree nodes it points at, so that the trees (most of a
// large run's memory) can be released once the model is built: analyze() does, region by
// region (LoadResult::node_arenas). A copy keeps the node's text pointer, into the source or the
// load's copied text, which live as long as the run, and its position.
//
// One per decoding thread. Without an arena it copies nothing and hands back the tree's own
// nodes: the decoders that tests call on a bare tree.
class NodeKeeper {
 public:
  explicit NodeKeeper(Arena* arena) : arena_(arena) {}

  // The node alone: a scalar whole; a mapping or sequence with its kind and position but no
  // children (size() 0), which is all a model field that only points at a place needs.
  const Node* node(const Node* n);
  // The node with its children, each kept as by node(): a label map (whose entries are
  // scalars), or a mapping whose keys a rule points at (key_pos).
  const Node* with_children(const Node* n);

 private:
  Node shallow(const Node& n) const;
  Arena* arena_;
};

}  // namespace kmc
