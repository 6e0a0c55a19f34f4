#include "parser/node.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "parser/scalar.h"

namespace kmc::parser {

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

namespace {

// The hottest loop of decoding and validation: the length and the first byte settle almost
// every key before a memcmp call is made. Inlined into both callers, so that get() pays no call.
[[gnu::always_inline]] inline const Node* find_key(const Node& map, std::string_view k) {
  if (map.kind != NodeKind::Map) return nullptr;
  const Node* pairs = map.kids();
  for (uint32_t i = 0; i < map.len; ++i) {
    const Node& kn = pairs[2 * i];
    if (kn.len != k.size() || !kn.is_scalar()) continue;
    const char* text = kn.str();
    if (k.empty() || (text[0] == k[0] && std::memcmp(text, k.data(), k.size()) == 0)) return &kn;
  }
  return nullptr;
}

}  // namespace

const Node* Node::get(std::string_view k) const {
  const Node* key = find_key(*this, k);
  return key ? key + 1 : nullptr;  // a mapping's kids are key, value, key, value…
}

const Node* Node::key_node(std::string_view k) const { return find_key(*this, k); }

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

bool Node::bool_at(std::string_view key, bool otherwise) const {
  const Node* n = get(key);
  bool b = otherwise;
  return n && n->as_bool(&b) ? b : otherwise;
}

TextPlace locate_text(std::string_view content, const Node& n) {
  auto address = [](const char* p) { return reinterpret_cast<uintptr_t>(p); };
  const char* text = n.str();
  if (!n.is_scalar() || !text || address(text) < address(content.data()) ||
      address(text) > address(content.data()) + content.size())
    return TextPlace::Unknown;
  size_t start = static_cast<size_t>(text - content.data());
  for (TextPlace place : {TextPlace::AtMark, TextPlace::AfterMark}) {
    size_t before = n.column() - (place == TextPlace::AtMark ? 1 : 0);  // bytes of the line before the text
    if ((place == TextPlace::AtMark && n.column() == 0) || before > start) continue;
    size_t line_start = start - before;
    if (line_start > 0 && content[line_start - 1] != '\n') continue;
    if (content.substr(line_start, before).find('\n') != std::string_view::npos) continue;
    return place;
  }
  return TextPlace::Unknown;
}

std::optional<Position> Node::position_at(size_t at) const {
  TextPlace place = text_place();
  if (place == TextPlace::Unknown || !is_scalar()) return std::nullopt;
  std::string_view t = text().substr(0, at);
  size_t newlines = static_cast<size_t>(std::count(t.begin(), t.end(), '\n'));
  if (newlines == 0) return Position{file(), line, column() + (place == TextPlace::AfterMark ? 1u : 0u) + static_cast<uint32_t>(at)};
  return Position{file(), line + static_cast<uint32_t>(newlines), static_cast<uint32_t>(at - t.rfind('\n'))};
}

void Node::pointer_out_of_range(uintptr_t p) {
  std::fprintf(stderr, "kmc: address %#zx does not fit a parse-tree node (48 bits); this platform is not supported\n",
               static_cast<size_t>(p));
  std::abort();
}

}  // namespace kmc::parser
static_assert(sizeof(kmc::parser::Node) == 20 && alignof(kmc::parser::Node) == 4, "Node grew: memory per node is a budget (see bench/)");
