#include "schema/model_arena.h"

#include <algorithm>
#include <cstring>

namespace kmc::schema {
using parser::Node;
using parser::TextPlace;
using parser::locate_text;

NodeKeeper::NodeKeeper(Arena* arena, const SourceSet* sources) : arena_(arena), sources_(sources) {}

Node NodeKeeper::shallow(const Node& n) {
  if (!n.is_scalar()) return Node::container(n.kind, 0, 0, n.line, n.column(), n.file());
  if (!sources_) return n;
  if (n.len == 0) return Node::scalar(n.kind, n.quoted(), "", 0, n.line, n.column(), n.file());
  Node copy = Node::scalar(n.kind, n.quoted(), copy_text(std::string_view(n.str(), n.len)), n.len, n.line, n.column(),
                           n.file());
  copy.flags = n.flags;
  uint32_t file = n.file();
  if (file >= sources_->size()) return copy;
  copy.set_text_place(locate_text((*sources_)[file].content, n));
  if (copy.text_place() == TextPlace::Unknown) {
    // A position inside it is looked for on the lines it spans, and the one below (a block
    // scalar's text starts there): checks/topology.h, position_in.
    auto newlines = static_cast<uint32_t>(std::count(n.str(), n.str() + n.len, '\n'));
    lines_.push_back({file, n.line, n.line + newlines + 1});
  }
  return copy;
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

// Manifests repeat most of their short text: label keys and values (a workload's selector, its
// template's labels and its Service's selector say the same), names, images, port names. On
// the bench tree kept text is mostly repeats (docs/performance.md, "Measurements behind the code"). A long text (a script, a
// certificate) is copied as it is: it rarely repeats, and would cost a hash of its every byte.
const char* NodeKeeper::copy_text(std::string_view text) {
  if (text.size() > Interned::kLongest) return arena_->copy_text(text.data(), text.size());
  // The table grows with the run, to 2 MiB: a slot for every 16 texts asked for (an object keeps
  // ~18, most of them repeats); growing starts it over, which only copies some texts again.
  if (++interned_asks_ > 16 * interned_.size() && interned_.size() < kMostSlots)
    interned_.assign(std::clamp<size_t>(interned_.size() * 4, 1024, kMostSlots), Interned{});
  uint64_t h = hash_string(text);
  // The text sits in the slot as well as in the arena: a probe reads one slot, not the copy too.
  Interned& slot = interned_[h & (interned_.size() - 1)];
  if (slot.len == text.size() && std::memcmp(slot.text, text.data(), text.size()) == 0) return slot.copy;
  slot.copy = arena_->copy_text(text.data(), text.size());
  slot.len = static_cast<uint32_t>(text.size());
  std::memcpy(slot.text, text.data(), text.size());
  return slot.copy;
}

Node NodeKeeper::copy_whole(const Node& n) {
  if (n.is_scalar() || n.size() == 0) return shallow(n);
  uint32_t count = n.is_map() ? 2 * n.size() : n.size();
  Node* kids = static_cast<Node*>(arena_->allocate(count * sizeof(Node), alignof(Node)));
  for (uint32_t i = 0; i < count; ++i) kids[i] = copy_whole(n.kids()[i]);
  Node copy = n;
  copy.set_kids(kids);
  return copy;
}

const Node* NodeKeeper::whole(const Node* n) {
  if (!n || !arena_) return n;
  return arena_->make<Node>(copy_whole(*n));
}

std::string_view NodeKeeper::type_name(std::string_view text) {
  if (!sources_ || !arena_ || text.empty()) return text;
  return std::string_view(copy_text(text), text.size());
}

}  // namespace kmc::schema
