// Validation of custom resources against a CRD's structural schema (apiextensions.k8s.io/v1
// openAPIV3Schema), read straight from the CRD's parsed nodes. What the API server enforces on
// create: types, enum values, required fields, and no unknown fields except where the schema
// preserves them (x-kubernetes-preserve-unknown-fields, additionalProperties, embedded objects).
#include <fmt/format.h>

#include "parser/scalar.h"
#include "schema/walker.h"

namespace kmc::schema {
using parser::Node;
using parser::NodeKind;
using parser::is_template_text;

namespace {

bool integral(const Node& n) {
  if (n.kind == NodeKind::Int) return true;
  if (n.kind != NodeKind::Float) return false;
  std::string_view t = n.text();
  size_t dot = t.find('.');
  if (dot == std::string_view::npos) return false;
  for (char c : t.substr(dot + 1))
    if (c != '0') return false;
  return true;
}

std::string_view crd_type_words(std::string_view type) {
  if (type == "object") return "a mapping";
  if (type == "array") return "a list";
  if (type == "string") return "a string";
  if (type == "integer") return "an integer";
  if (type == "number") return "a number";
  if (type == "boolean") return "a boolean (true or false)";
  return "a value";
}

}  // namespace

void SchemaWalker::crd_value(const Node& n, const Node& schema) {
  if (n.is_null() || !schema.is_map()) return;
  if (n.is_scalar() && is_template_text(n.text())) return;
  if (schema.bool_at("x-kubernetes-int-or-string", false)) {
    if (n.kind != NodeKind::String && !integral(n)) crd_mismatch(n, "an integer or a string");
    return;
  }
  std::string_view type = schema.get_text("type");
  if (type == "object" || (type.empty() && schema.get("properties"))) {
    if (n.is_map()) crd_object(n, schema);
    else if (!type.empty()) crd_mismatch(n, "a mapping");
    return;
  }
  if (type == "array") {
    if (!n.is_seq()) return crd_mismatch(n, "a list");
    const Node* items = schema.get("items");
    if (!items) return;
    for (uint32_t i = 0; i < n.size(); ++i) {
      push(int64_t(i));
      crd_value(n.item(i), *items);
      pop();
    }
    return;
  }
  if (!type.empty()) crd_scalar(n, schema, type);  // no type: any value (x-kubernetes-preserve-unknown-fields)
}

void SchemaWalker::crd_mismatch(const Node& n, std::string_view expected) {
  issue(RuleId::SchemaType, n.pos(),
        fmt::format("{} is {}, but the CustomResourceDefinition's schema expects {}", path(), describe_node(n), expected));
}

void SchemaWalker::crd_object(const Node& n, const Node& schema) {
  const Node* properties = schema.get("properties");
  const Node* additional = schema.get("additionalProperties");
  bool additional_any = false;
  if (additional && additional->kind == NodeKind::Bool) additional->as_bool(&additional_any);
  bool preserve = preserve_unknown_ || schema.bool_at("x-kubernetes-preserve-unknown-fields", false);
  bool embedded = schema.bool_at("x-kubernetes-embedded-resource", false);
  for (uint32_t i = 0; i < n.size(); ++i) {
    const Node& key = n.key(i);
    const Node* sub = properties ? properties->get(key.text()) : nullptr;
    if (!sub && additional && additional->is_map()) sub = additional;
    if (sub) {
      push(key.text(), &key);
      crd_value(n.value(i), *sub);
      pop();
      continue;
    }
    if (additional_any || preserve || is_template_text(key.text())) continue;
    if (embedded && (key.text() == "apiVersion" || key.text() == "kind" || key.text() == "metadata")) continue;
    std::vector<std::string_view> names;
    if (properties && properties->is_map())
      for (uint32_t j = 0; j < properties->size(); ++j) names.push_back(properties->key(j).text());
    std::string_view guess = closest(key.text(), names);
    std::string where = path() == "the object" ? std::string("at the top level") : fmt::format("in {}", path());
    issue(RuleId::SchemaUnknownField, key.pos(),
          fmt::format("unknown field \"{}\" {}: the CustomResourceDefinition's schema does not define it", key.text(), where),
          guess.empty() ? "remove it, or add it to the CRD's openAPIV3Schema" : fmt::format("did you mean \"{}\"?", guess));
  }
  const Node* required = schema.get("required");
  if (!required || !required->is_seq() || !checks_required()) return;
  for (uint32_t i = 0; i < required->size(); ++i) {
    std::string_view name = required->item(i).text();
    const Node* v = n.get(name);
    if (v && !v->is_null()) continue;
    issue(RuleId::SchemaRequired, missing_pos(n), fmt::format("{} is missing the required field \"{}\"", path(), name),
          fmt::format("add {}", path_with(name)));
  }
}

void SchemaWalker::crd_scalar(const Node& n, const Node& schema, std::string_view type) {
  bool ok = (type == "string" && n.kind == NodeKind::String) || (type == "integer" && integral(n)) ||
            (type == "number" && (n.kind == NodeKind::Int || n.kind == NodeKind::Float)) ||
            (type == "boolean" && n.kind == NodeKind::Bool);
  if (!ok) {
    if (type == "string" || type == "integer" || type == "number" || type == "boolean") crd_mismatch(n, crd_type_words(type));
    return;
  }
  const Node* values = schema.get("enum");
  if (!checks_values() || !values || !values->is_seq() || values->size() == 0) return;
  std::vector<std::string_view> allowed;
  for (uint32_t i = 0; i < values->size(); ++i) {
    if (values->item(i).text() == n.text()) return;
    allowed.push_back(values->item(i).text());
  }
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  std::string_view guess = closest(n.text(), allowed);
  issue(RuleId::SchemaEnum, n.pos(), fmt::format("{} is \"{}\", which is not one of: {}", path(), n.text(), list),
        guess.empty() ? "use one of the listed values" : fmt::format("did you mean \"{}\"?", guess));
}

void SchemaWalker::custom_resource(const Node& root, const Node& schema) {
  const Node* properties = schema.get("properties");
  const api::Definition* meta = schema_.find_definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  // apiVersion, kind and metadata are the API server's, whatever the CRD's schema says of them.
  for (uint32_t i = 0; i < root.size(); ++i) {
    std::string_view key = root.key(i).text();
    if (key == "apiVersion" || key == "kind") continue;
    push(key, &root.key(i));
    if (key == "metadata") {
      if (root.value(i).is_map() && meta) structure(root.value(i), *meta);
    } else if (const Node* sub = properties ? properties->get(key) : nullptr) {
      in_status_ += key == "status";
      crd_value(root.value(i), *sub);
      in_status_ -= key == "status";
    } else if (!preserve_unknown_ && !schema.bool_at("x-kubernetes-preserve-unknown-fields", false) && !is_template_text(key)) {
      std::vector<std::string_view> names;
      if (properties && properties->is_map())
        for (uint32_t j = 0; j < properties->size(); ++j) names.push_back(properties->key(j).text());
      std::string_view guess = closest(key, names);
      pop();
      issue(RuleId::SchemaUnknownField, root.key(i).pos(),
            fmt::format("unknown field \"{}\" at the top level: the CustomResourceDefinition's schema does not define it", key),
            guess.empty() ? "remove it, or add it to the CRD's openAPIV3Schema" : fmt::format("did you mean \"{}\"?", guess));
      continue;
    }
    pop();
  }
  if (const Node* required = schema.get("required"); required && required->is_seq() && checks_required())
    for (uint32_t i = 0; i < required->size(); ++i) {
      std::string_view name = required->item(i).text();
      if (name == "apiVersion" || name == "kind" || name == "metadata") continue;
      const Node* v = root.get(name);
      if (v && !v->is_null()) continue;
      issue(RuleId::SchemaRequired, root.pos(), fmt::format("the object is missing the required field \"{}\"", name),
            fmt::format("add {}", name));
    }
}

}  // namespace kmc::schema
