#include "render/yaml_emit.h"

#include <fmt/format.h>

#include "parser/scalar.h"

namespace kmc::render {
using parser::NodeKind;
using parser::resolve_plain_scalar;

namespace {

void indent(int n, std::string* out) { out->append(static_cast<size_t>(n), ' '); }

bool plain_safe(std::string_view s) {
  if (s.empty() || resolve_plain_scalar(s) != NodeKind::String) return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@` ").find(s.front()) != std::string_view::npos) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
  }
  return true;
}

void quoted(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (c < 0x20 || c == 0x7f) out->append(fmt::format("\\x{:02x}", c));
        else out->push_back(ch);
    }
  }
  out->push_back('"');
}

// A literal block (`|`) reads back exactly when no line has trailing or leading-tab trouble.
bool literal_safe(std::string_view s) {
  if (s.find('\n') == std::string_view::npos || s.front() == ' ' || s.front() == '\n') return false;
  size_t line_start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != '\n') {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
      continue;
    }
    std::string_view line = s.substr(line_start, i - line_start);
    if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return false;
    line_start = i + 1;
  }
  return true;
}

void literal(std::string_view s, int at, std::string* out) {
  size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  out->append(trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+");
  std::string_view body = s.substr(0, s.size() - trailing);
  size_t start = 0;
  while (start <= body.size()) {
    size_t nl = body.find('\n', start);
    std::string_view line = body.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    out->push_back('\n');
    if (!line.empty()) {
      indent(at, out);
      out->append(line);
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  for (size_t i = 1; i < trailing; ++i) out->push_back('\n');
}

void scalar(const Node& n, int at, std::string* out) {
  std::string_view text = n.text();
  switch (n.kind) {
    case NodeKind::Null: out->append("null"); return;
    case NodeKind::String:
      if (plain_safe(text)) out->append(text);
      else if (literal_safe(text)) literal(text, at, out);
      else quoted(text, out);
      return;
    default:
      // A number or boolean keeps its text when that reads back as the same kind.
      if (!n.quoted() && resolve_plain_scalar(text) == n.kind) out->append(text);
      else out->append(text.empty() ? "null" : std::string(text));
      return;
  }
}

bool empty_container(const Node& n) { return !n.is_scalar() && n.size() == 0; }

void value(const Node& n, int at, std::string* out);

void key(const Node& k, std::string* out) {
  if (k.is_scalar() && k.kind == NodeKind::String && plain_safe(k.text())) out->append(k.text());
  else if (k.is_scalar()) quoted(k.text(), out);
  else out->append("\"\"");
}

void map_body(const Node& n, int at, bool first_inline, std::string* out) {
  for (uint32_t i = 0; i < n.size(); ++i) {
    if (i > 0 || !first_inline) indent(at, out);
    key(n.key(i), out);
    out->push_back(':');
    const Node& v = n.value(i);
    if (!v.is_scalar() && !empty_container(v)) {
      out->push_back('\n');
      value(v, v.is_seq() ? at : at + 2, out);
      continue;
    }
    out->push_back(' ');
    value(v, at + 2, out);
    out->push_back('\n');
  }
}

void seq_body(const Node& n, int at, std::string* out) {
  for (uint32_t i = 0; i < n.size(); ++i) {
    indent(at, out);
    out->append("- ");
    const Node& item = n.item(i);
    if (item.is_map() && item.size() > 0) {
      map_body(item, at + 2, true, out);
    } else if (item.is_seq() && item.size() > 0) {
      out->push_back('\n');
      seq_body(item, at + 2, out);
    } else {
      value(item, at + 2, out);
      out->push_back('\n');
    }
  }
}

void value(const Node& n, int at, std::string* out) {
  if (n.is_map()) {
    if (n.size() == 0) out->append("{}");
    else map_body(n, at, false, out);
  } else if (n.is_seq()) {
    if (n.size() == 0) out->append("[]");
    else seq_body(n, at, out);
  } else {
    scalar(n, at, out);
  }
}

}  // namespace

void emit_yaml(const Node& root, std::string* out) {
  if (root.is_map() && root.size() > 0) return map_body(root, 0, false, out);
  value(root, 0, out);
  out->push_back('\n');
}

}  // namespace kmc::render
