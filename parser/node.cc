#include "parser/node.h"

#include <cstring>

#include "parser/scalar.h"

namespace kmc {

std::string_view node_kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::Null: return "null";
    case NodeKind::Bool: return "boolean";
    case NodeKind::Int: return "integer";
    case NodeKind::Float: return "number";
    case NodeKind::String: return "string";
    case NodeKind::Map: return "mapping";
    case NodeKind::Seq: return "sequence";
  }
  return "?";
}

const Node* Node::get(std::string_view k) const {
  if (kind != NodeKind::Map) return nullptr;
  for (uint32_t i = 0; i < len; ++i) {
    const Node& kn = kids[2 * i];
    if (kn.is_scalar() && kn.text() == k) return &kids[2 * i + 1];
  }
  return nullptr;
}

std::string_view Node::get_text(std::string_view k) const {
  const Node* v = get(k);
  if (!v || !v->is_scalar() || v->is_null()) return {};
  return v->text();
}

bool Node::as_int(int64_t* out) const {
  if (kind != NodeKind::Int) return false;
  return parse_yaml_int(text(), out);
}

bool Node::as_bool(bool* out) const {
  if (kind != NodeKind::Bool) return false;
  return parse_yaml_bool(text(), out);
}

const char* Document::copy_text(const char* data, size_t len) {
  if (len == 0) return "";
  if (block_used_ + len > block_size_) {
    size_t size = len > 16384 ? len : 16384;
    text_blocks_.push_back(std::make_unique<char[]>(size));
    block_size_ = size;
    block_used_ = 0;
  }
  char* dst = text_blocks_.back().get() + block_used_;
  std::memcpy(dst, data, len);
  block_used_ += len;
  return dst;
}

}  // namespace kmc
