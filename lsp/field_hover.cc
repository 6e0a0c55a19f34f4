// textDocument/hover on a field: its path, its type in the release the workspace is checked
// against, whether it is required, and its description from the OpenAPI document.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/paths.h"
#include "driver/run.h"
#include "lsp/diagnostics.h"
#include "lsp/requests.h"
#include "lsp/workspace_check.h"
#include "schema/api_descriptions.h"

namespace kmc::lsp {
namespace {
using parser::Node;

bool at_or_before(Position p, uint32_t line, uint32_t column) {
  return p.line < line || (p.line == line && p.column <= column);
}

// The keys from the object's root down to the one on the cursor's line ("[]" for a list item),
// and that key's node; none when the cursor is on no key's line.
struct FieldPath {
  std::vector<std::string_view> keys;
  const Node* key = nullptr;
};

FieldPath field_at(const Node& root, uint32_t line, uint32_t column) {
  FieldPath out;
  const Node* n = &root;
  for (int depth = 0; depth < 256 && n; ++depth) {
    const Node* next = nullptr;
    if (n->is_map()) {
      for (uint32_t i = 0; i < n->size(); ++i)
        if (at_or_before(n->key(i).pos(), line, column)) next = &n->key(i);
      if (!next) break;
      out.keys.push_back(next->text());
      if (next->line == line) {
        out.key = next;
        break;
      }
      next = next + 1;  // its value
    } else if (n->is_seq()) {
      for (uint32_t i = 0; i < n->size(); ++i)
        if (at_or_before(n->item(i).pos(), line, column)) next = &n->item(i);
      if (!next) break;
      out.keys.push_back("[]");
    }
    n = next && !next->is_scalar() ? next : nullptr;
  }
  if (!out.key) out.keys.clear();
  return out;
}

std::string short_name(std::string_view definition) {
  size_t dot = definition.rfind('.');
  return std::string(dot == std::string_view::npos ? definition : definition.substr(dot + 1));
}

std::string type_name(const api::Schema& s, const api::Type& t, int depth = 0) {
  if (depth > 8) return "…";
  switch (t.kind) {
    case api::TypeKind::Any: return "any value (free-form)";
    case api::TypeKind::Struct: return fmt::format("`{}`", short_name(s.definition(t.arg).name));
    case api::TypeKind::Map: return fmt::format("map of string to {}", type_name(s, s.type(t.arg), depth + 1));
    case api::TypeKind::List: return fmt::format("list of {}", type_name(s, s.type(t.arg), depth + 1));
    case api::TypeKind::String: {
      if (t.enum_set == api::kNoEnum) return "string";
      const api::EnumSet& e = s.enums[t.enum_set];
      std::vector<std::string> values;
      for (uint16_t i = 0; i < e.count; ++i) values.push_back(fmt::format("`{}`", s.enum_values[e.first + i]));
      return fmt::format("string, one of {}", fmt::join(values, ", "));
    }
    case api::TypeKind::Bytes: return "bytes (base64 in JSON)";
    case api::TypeKind::Int32: return "integer (int32)";
    case api::TypeKind::Int64: return "integer (int64)";
    case api::TypeKind::Number: return "number";
    case api::TypeKind::Bool: return "boolean";
    case api::TypeKind::IntOrString: return "integer or string";
    case api::TypeKind::Quantity: return "quantity (`500m`, `1Gi`, `2`)";
    case api::TypeKind::Time: return "time (RFC 3339)";
  }
  return "?";
}

// The field's type and the struct that declares it, walking the API schema along the path.
std::optional<std::string> describe(const api::Schema& s, const schema::Object& o, const FieldPath& path) {
  const api::Kind* kind = s.find_kind(o.group(), o.version(), o.kind());
  if (!kind) return std::nullopt;
  api::Type type{api::TypeKind::Struct, kind->definition, api::kNoEnum};
  const api::Field* field = nullptr;
  std::string_view owner;
  for (std::string_view key : path.keys) {
    if (key == "[]") {
      if (type.kind != api::TypeKind::List) return std::nullopt;
      type = s.type(type.arg);
      continue;
    }
    if (type.kind == api::TypeKind::Map) {
      type = s.type(type.arg);
      field = nullptr;
      continue;
    }
    if (type.kind != api::TypeKind::Struct) return std::nullopt;
    owner = s.definition(type.arg).name;
    field = s.find_field(s.definition(type.arg), key);
    if (!field) return std::nullopt;
    type = s.type(field->type);
  }
  std::string dotted;
  for (std::string_view key : path.keys) dotted += key == "[]" ? std::string("[]") : (dotted.empty() ? "" : ".") + std::string(key);
  if (!field) return fmt::format("**{}**: {}", dotted, type_name(s, type));
  std::string text = fmt::format("**{}**: {}\n\nfield of `{}` ({} {}, Kubernetes {}){}", dotted, type_name(s, type),
                                 short_name(owner), o.api_version(), o.kind(), s.release,
                                 field->required ? "; required" : "");
  if (std::string_view description = api::field_description(s, *field); !description.empty())
    text += fmt::format("\n\n{}", description);
  return text;
}

}  // namespace

bool field_hover(const RequestContext& c, LspPosition at, std::string* markdown, LspRange* range) {
  if (!c.check) return false;
  std::string_view line_text = nth_line(c.document.text, at.line);
  size_t byte = std::min(offset_of(line_text, {0, at.character}, c.encoding), line_text.size());
  uint32_t column = 1;
  for (size_t i = 0; i < byte; ++i) column += (static_cast<unsigned char>(line_text[i]) & 0xC0) != 0x80;
  uint32_t line = at.line + 1;
  for (const auto& run : c.check->runs) {
    const checks::Analysis& a = run->analysis;
    const schema::Object* at_cursor = nullptr;
    for (const schema::Object& o : a.model.objects) {
      if (!o.raw || o.raw->rendered || o.raw->patch || !at_or_before(o.pos(), line, column)) continue;
      if (absolute_path(a.input.sources[o.raw->file].path) != c.document.path) continue;
      if (!at_cursor || at_or_before(at_cursor->pos(), o.pos().line, o.pos().column)) at_cursor = &o;
    }
    if (!at_cursor || at_cursor->node().size() == 0) continue;
    FieldPath path = field_at(at_cursor->node(), line, column);
    if (!path.key) continue;
    std::optional<std::string> text = describe(*run->release, *at_cursor, path);
    if (!text) continue;
    *markdown = std::move(*text);
    *range = finding_range(line_text, line, path.key->pos().column, c.encoding);
    return true;
  }
  return false;
}

}  // namespace kmc::lsp
