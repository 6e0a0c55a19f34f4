#include "kustomize/json_patch.h"

#include <charconv>
#include <optional>
#include <vector>

namespace kmc::kustomize {

namespace {

// RFC 6901: `~1` is `/`, then `~0` is `~`.
std::string decode_token(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '1' || token[i + 1] == '0')) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// Go's strconv.Atoi: an optional sign and decimal digits.
std::optional<long> parse_index(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

RNode* child(RNode* node, const std::string& key) {
  if (node->is_map()) return node->get(key);
  if (!node->is_seq()) return nullptr;
  std::optional<long> i = parse_index(key);
  if (!i || *i < 0 || *i >= static_cast<long>(node->kids.size())) return nullptr;
  return &node->kids[static_cast<size_t>(*i)];
}

// The container a path's last token is in, and that token; nullptr when a step is missing.
RNode* find_object(RNode* doc, std::string_view path, std::string* key) {
  size_t slash = path.find('/');
  if (slash == std::string_view::npos) return nullptr;
  std::vector<std::string> tokens;
  for (size_t start = slash + 1;;) {
    size_t next = path.find('/', start);
    tokens.push_back(decode_token(path.substr(start, next == std::string_view::npos ? next : next - start)));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  RNode* at = doc;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    at = child(at, tokens[i]);
    if (at == nullptr || !(at->is_map() || at->is_seq())) return nullptr;
  }
  *key = tokens.back();
  return at;
}

bool equal(const RNode& a, const RNode& b) {
  if (a.is_map() != b.is_map() || a.is_seq() != b.is_seq()) return false;
  if (a.is_scalar()) return a.kind == b.kind && (a.kind == NodeKind::Null || a.text == b.text);
  if (a.kids.size() != b.kids.size()) return false;
  if (a.is_seq()) {
    for (size_t i = 0; i < a.kids.size(); ++i)
      if (!equal(a.kids[i], b.kids[i])) return false;
    return true;
  }
  for (size_t i = 0; i < a.pairs(); ++i) {
    const RNode* other = b.get(a.key(i).text);
    if (other == nullptr || !equal(a.value(i), *other)) return false;
  }
  return true;
}

class Applier {
 public:
  Applier(RNode* doc, Arena* text) : doc_(doc), text_(text) {}
  std::string apply(const RNode& op);

 private:
  std::string at_path(const RNode& op, const std::string& kind, const std::string& path);
  std::string from_path(const RNode& op, const std::string& kind, const std::string& path);
  std::string add(RNode* container, const std::string& key, RNode value);
  std::string remove(RNode* container, const std::string& key, RNode* removed);
  std::string_view keep(const std::string& s) {
    return s.empty() ? std::string_view() : std::string_view(text_->copy_text(s.data(), s.size()), s.size());
  }
  RNode* doc_;
  Arena* text_;
};

std::string Applier::add(RNode* container, const std::string& key, RNode value) {
  if (container->is_map()) {
    Position pos = value.pos;
    container->set(keep(key), std::move(value), pos);
    return "";
  }
  if (key == "-") {
    container->kids.push_back(std::move(value));
    return "";
  }
  std::optional<long> i = parse_index(key);
  long size = static_cast<long>(container->kids.size()) + 1;
  if (!i) return "value was not a proper array index: '" + key + "'";
  if (*i >= size || *i < -size) return "Unable to access invalid index: " + std::to_string(*i);
  long at = *i < 0 ? *i + size : *i;
  container->kids.insert(container->kids.begin() + at, std::move(value));
  return "";
}

std::string Applier::remove(RNode* container, const std::string& key, RNode* removed) {
  if (container->is_map()) {
    RNode* v = container->get(key);
    if (v == nullptr) return "Unable to remove nonexistent key: " + key + ": missing value";
    if (removed) *removed = std::move(*v);
    container->erase(key);
    return "";
  }
  std::optional<long> i = parse_index(key);
  long size = static_cast<long>(container->kids.size());
  if (!i) return "value was not a proper array index: '" + key + "'";
  if (*i >= size || *i < -size) return "Unable to access invalid index: " + std::to_string(*i);
  long at = *i < 0 ? *i + size : *i;
  if (removed) *removed = std::move(container->kids[static_cast<size_t>(at)]);
  container->kids.erase(container->kids.begin() + at);
  return "";
}

std::string Applier::apply(const RNode& op) {
  if (!op.is_map()) return "an operation must be a mapping with `op` and `path`";
  std::string kind(op.get_text("op"));
  const RNode* path_node = op.get("path");
  if (path_node == nullptr || !path_node->is_scalar() || path_node->is_null())
    return kind + " operation failed to decode path: the operation has no `path`";
  std::string path(path_node->text);
  if (kind == "add" || kind == "replace" || kind == "remove" || kind == "test") return at_path(op, kind, path);
  if (kind == "move" || kind == "copy") return from_path(op, kind, path);
  return "Unexpected kind: " + (kind.empty() ? std::string("unknown") : kind);
}

// add, replace, remove and test: the operations on one path.
std::string Applier::at_path(const RNode& op, const std::string& kind, const std::string& path) {
  const RNode* value_node = op.get("value");
  RNode value = value_node ? *value_node : RNode();
  if (!value_node) value.pos = op.pos;
  std::string key;
  RNode* container = find_object(doc_, path, &key);
  if (container == nullptr) return kind + " operation does not apply: doc is missing path: \"" + path + "\"";
  if (kind == "add") return add(container, key, std::move(value));
  if (kind == "remove") return remove(container, key, nullptr);
  RNode* current = container->is_map() ? container->get(key) : child(container, key);
  if (kind == "test") {
    bool same = current ? equal(*current, value) : value.is_null();
    return same ? "" : "testing value " + path + " failed";
  }
  if (current == nullptr && container->is_seq()) return "replace operation does not apply: doc is missing key: " + path;
  if (current == nullptr) return add(container, key, std::move(value));  // the library's replace adds a key
  *current = std::move(value);
  return "";
}

// move and copy: a value taken from `from`, added at `path`.
std::string Applier::from_path(const RNode& op, const std::string& kind, const std::string& path) {
  if (op.get("from") == nullptr) return kind + " operation failed to decode from: the operation has no `from`";
  std::string from(op.get_text("from"));
  std::string key;
  RNode* container = find_object(doc_, from, &key);
  if (container == nullptr) return kind + " operation does not apply: doc is missing from path: " + from;
  RNode moved;
  if (kind == "move") {
    std::string error = remove(container, key, &moved);
    if (!error.empty()) return error;
  } else {
    RNode* current = container->is_map() ? container->get(key) : child(container, key);
    if (current == nullptr) return "error in copy for from: '" + from + "': it is missing";
    moved = *current;
  }
  container = find_object(doc_, path, &key);
  if (container == nullptr) return kind + " operation does not apply: doc is missing destination path: " + path;
  return add(container, key, std::move(moved));
}

}  // namespace

JsonPatchError json_patch(RNode* target, const RNode& ops, Arena* text) {
  if (!ops.is_seq()) return {"a JSON patch is a list of operations", ops.pos};
  Applier applier(target, text);
  for (const RNode& op : ops.kids) {
    std::string error = applier.apply(op);
    if (!error.empty()) return {error, op.pos};
  }
  return {};
}

}  // namespace kmc::kustomize
