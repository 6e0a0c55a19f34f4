#include "kustomize/rnode.h"

#include <new>

namespace kmc::kustomize {

RNode RNode::string(std::string_view text, Position pos) {
  RNode n;
  n.kind = NodeKind::String;
  n.text = text;
  n.pos = pos;
  return n;
}

RNode RNode::container(NodeKind kind, Position pos) {
  RNode n;
  n.kind = kind;
  n.pos = pos;
  return n;
}

RNode* RNode::get(std::string_view key) {
  for (size_t i = 0; i + 1 < kids.size() && is_map(); i += 2)
    if (kids[i].is_scalar() && kids[i].text == key) return &kids[i + 1];
  return nullptr;
}

const RNode* RNode::get(std::string_view key) const { return const_cast<RNode*>(this)->get(key); }

std::string_view RNode::get_text(std::string_view key) const {
  const RNode* v = get(key);
  return v && v->is_scalar() && v->kind != NodeKind::Null ? v->text : std::string_view();
}

RNode& RNode::map_at(std::string_view key, Position pos) {
  RNode* v = get(key);
  if (v && v->is_map()) return *v;
  return set(key, RNode::map(pos), pos);
}

RNode& RNode::set(std::string_view key, RNode value, Position key_pos) {
  if (RNode* v = get(key)) {
    *v = std::move(value);
    return *v;
  }
  kids.push_back(RNode::string(key, key_pos));
  kids.push_back(std::move(value));
  return kids.back();
}

bool RNode::erase(std::string_view key) {
  for (size_t i = 0; i + 1 < kids.size() && is_map(); i += 2)
    if (kids[i].is_scalar() && kids[i].text == key) {
      kids.erase(kids.begin() + static_cast<ptrdiff_t>(i), kids.begin() + static_cast<ptrdiff_t>(i) + 2);
      return true;
    }
  return false;
}

RNode from_node(const Node& n) {
  RNode r;
  r.kind = n.kind;
  r.quoted = n.quoted();
  r.pos = n.pos();
  if (n.is_scalar()) {
    r.text = n.text();
    return r;
  }
  size_t count = n.is_map() ? 2 * size_t{n.size()} : n.size();
  r.kids.reserve(count);
  for (size_t i = 0; i < count; ++i) r.kids.push_back(from_node(n.kids()[i]));
  return r;
}

Node to_node(const RNode& n, Arena* arena) {
  if (n.is_scalar())
    return Node::scalar(n.kind, n.quoted, n.text.data(), static_cast<uint32_t>(n.text.size()), n.pos.line,
                        n.pos.column, n.pos.file);
  Node* kids = nullptr;
  if (!n.kids.empty()) {
    kids = static_cast<Node*>(arena->allocate(n.kids.size() * sizeof(Node), alignof(Node)));
    for (size_t i = 0; i < n.kids.size(); ++i) new (kids + i) Node(to_node(n.kids[i], arena));
  }
  uint32_t len = static_cast<uint32_t>(n.is_map() ? n.kids.size() / 2 : n.kids.size());
  Node out = Node::container(n.kind, 0, len, n.pos.line, n.pos.column, n.pos.file);
  out.set_kids(kids);
  return out;
}

}  // namespace kmc::kustomize
