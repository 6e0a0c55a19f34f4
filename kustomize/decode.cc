#include "kustomize/decode.h"

#include "core/rule_catalogue.h"
#include "kustomize/report.h"

namespace kmc::kustomize {
using parser::NodeKind;

namespace {

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Go's encoding/json matches a key to a field exactly, else ignoring case.
const FieldShape* find_field(std::span<const FieldShape> fields, std::string_view key) {
  for (const FieldShape& f : fields)
    if (f.name == key) return &f;
  for (const FieldShape& f : fields)
    if (ascii_iequal(f.name, key)) return &f;
  return nullptr;
}

}  // namespace

bool is_string(const Node& n) { return n.kind == NodeKind::String; }

void Decoder::invalid(const Node& at, std::string message, std::string_view fix) {
  ok_ = false;
  report(findings_, RuleId::KustomizeInvalid, at.pos(), std::move(message), fix);
}

void Decoder::check(const Node& n, const FieldShape& shape, const std::string& what) {
  if (n.is_null()) return;  // JSON null leaves a Go field at its zero value
  switch (shape.shape) {
    case Shape::String:
      if (!is_string(n)) wrong_type(n, what, "a string");
      return;
    case Shape::Bool:
      if (n.kind != NodeKind::Bool) wrong_type(n, what, "true or false");
      return;
    case Shape::Int:
      if (n.kind != NodeKind::Int) wrong_type(n, what, "an integer");
      return;
    case Shape::Strings:
      if (!n.is_seq()) return wrong_type(n, what, "a list of strings");
      for (uint32_t i = 0; i < n.size(); ++i)
        if (!is_string(n.item(i))) wrong_type(n.item(i), what + " entry", "a string");
      return;
    case Shape::StringMap:
    case Shape::BoolMap:
      check_scalar_map(n, shape.shape == Shape::BoolMap, what);
      return;
    case Shape::Struct:
      check_struct(n, shape.fields, what);
      return;
    case Shape::StructList:
      if (!n.is_seq()) return wrong_type(n, what, "a list");
      for (uint32_t i = 0; i < n.size(); ++i) check_struct(n.item(i), shape.fields, what + " entry");
      return;
    case Shape::Any:
      return;
  }
}

void Decoder::check_struct(const Node& n, std::span<const FieldShape> fields, const std::string& what) {
  if (n.is_null()) return;
  if (!n.is_map()) return wrong_type(n, what, "a mapping");
  for (uint32_t i = 0; i < n.size(); ++i) {
    const Node& key = n.key(i);
    const FieldShape* f = key.is_scalar() ? find_field(fields, key.text()) : nullptr;
    if (f) {
      check(n.value(i), *f, "`" + std::string(f->name) + "`");
    } else if (strict_) {
      invalid(key, "kustomize does not know the field `" + std::string(key.text()) + "` of " + what +
                       ", and refuses the kustomization (it decodes it strictly)",
              "remove the field, or correct its name (kustomize's fields are listed at "
              "https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/)");
    }
  }
}

void Decoder::wrong_type(const Node& n, const std::string& what, std::string_view expected) {
  std::string_view got = parser::node_kind_name(n.kind);
  std::string article = got.front() == 'i' ? "an " : "a ";
  invalid(n, what + " must be " + std::string(expected) + ", not " + article + std::string(got) +
                 ": kustomize refuses the kustomization",
          n.is_scalar() ? "quote the value if it is meant as text (\"1.0\", \"true\")" : std::string_view());
}

void Decoder::check_scalar_map(const Node& n, bool bools, const std::string& what) {
  if (!n.is_map()) return wrong_type(n, what, bools ? "a mapping of booleans" : "a mapping of strings");
  for (uint32_t i = 0; i < n.size(); ++i) {
    const Node& v = n.value(i);
    if (v.is_null()) continue;
    if (bools ? v.kind != NodeKind::Bool : !is_string(v))
      wrong_type(v, what + " value of `" + std::string(n.key(i).text()) + "`", bools ? "true or false" : "a string");
  }
}

Entry entry(const Node* n) { return n && is_string(*n) ? Entry{n->text(), n->pos()} : Entry{}; }

std::vector<Entry> entries(const Node* list) {
  std::vector<Entry> out;
  if (!list || !list->is_seq()) return out;
  for (uint32_t i = 0; i < list->size(); ++i)
    if (is_string(list->item(i))) out.push_back(entry(&list->item(i)));
  return out;
}

std::vector<std::pair<Entry, Entry>> pairs(const Node* map) {
  std::vector<std::pair<Entry, Entry>> out;
  if (!map || !map->is_map()) return out;
  for (uint32_t i = 0; i < map->size(); ++i) {
    const Node& v = map->value(i);
    // A null value is the empty string, as Go decodes it into a map[string]string.
    Entry value = v.is_null() ? Entry{std::string_view(), v.pos()} : entry(&v);
    out.emplace_back(Entry{map->key(i).text(), map->key(i).pos()}, value);
  }
  return out;
}

// The value under a field, matched as Go's decoding matches it.
const Node* field(const Node& map, std::string_view name) {
  if (const Node* v = map.get(name)) return v;
  for (uint32_t i = 0; i < map.size(); ++i)
    if (map.key(i).is_scalar() && ascii_iequal(map.key(i).text(), name)) return &map.value(i);
  return nullptr;
}

std::optional<Kustomization::Selector> selector(const Node* n) {
  if (!n || !n->is_map()) return std::nullopt;
  return Kustomization::Selector{entry(field(*n, "group")),     entry(field(*n, "version")),
                                 entry(field(*n, "kind")),      entry(field(*n, "name")),
                                 entry(field(*n, "namespace")), entry(field(*n, "labelSelector")),
                                 entry(field(*n, "annotationSelector")), n->pos()};
}

bool flag(const Node& map, std::string_view name) {
  bool b = false;
  const Node* n = field(map, name);
  return n && n->as_bool(&b) && b;
}

}  // namespace kmc::kustomize
