#include "schema/model_arena.h"

namespace kmc {

Node NodeKeeper::shallow(const Node& n) const {
  if (n.is_scalar()) return n;
  return Node::container(n.kind, 0, 0, n.line, n.column, n.file());
}

const Node* NodeKeeper::node(const Node* n) {
  if (!n || !arena_) return n;
  return arena_->make<Node>(shallow(*n));
}

const Node* NodeKeeper::with_children(const Node* n) {
  if (!n || !arena_) return n;
  if (n->is_scalar() || n->size() == 0) return node(n);
  uint32_t count = n->is_map() ? 2 * n->size() : n->size();
  Node* kids = static_cast<Node*>(arena_->allocate(count * sizeof(Node), alignof(Node)));
  for (uint32_t i = 0; i < count; ++i) kids[i] = shallow(n->kids()[i]);
  Node* copy = arena_->make<Node>(*n);
  copy->set_kids(kids);
  return copy;
}

}  // namespace kmc
