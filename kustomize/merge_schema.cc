#include "kustomize/merge_schema.h"

#include <algorithm>
#include <tuple>

#include "kustomize/resource.h"

namespace kmc::kustomize {
using api::TypeKind;

namespace {

bool kustomize_knows(std::string_view group, std::string_view version, std::string_view kind) {
  std::span<const KustomizeKind> kinds = kustomize_kinds();
  auto key = std::tie(group, version, kind);
  auto it = std::lower_bound(kinds.begin(), kinds.end(), key, [](const KustomizeKind& k, const auto& want) {
    return std::tie(k.group, k.version, k.kind) < want;
  });
  return it != kinds.end() && std::tie(it->group, it->version, it->kind) == key;
}

const KustomizeMergeKey* merge_key(std::string_view definition, std::string_view field) {
  std::span<const KustomizeMergeKey> table = kustomize_merge_keys();
  auto key = std::tie(definition, field);
  auto it = std::lower_bound(table.begin(), table.end(), key, [](const KustomizeMergeKey& m, const auto& want) {
    return std::tie(m.definition, m.field) < want;
  });
  return it != table.end() && std::tie(it->definition, it->field) == key ? &*it : nullptr;
}

}  // namespace

MergeSchema MergeSchema::of_kind(std::string_view api_version, std::string_view kind) {
  GroupVersion gv = split_api_version(api_version);
  if (!kustomize_knows(gv.group, gv.version, kind)) return {};
  const api::Schema& schema = api::embedded_schema();
  const api::Kind* k = schema.find_kind(gv.group, gv.version, kind);
  if (k == nullptr) {
    // Served by 1.21, removed since (extensions/v1beta1 Deployment): its successor's structure,
    // whose pod template and containers are the same definitions.
    std::vector<const api::Kind*> now = schema.versions_of(kind);
    if (now.empty()) return {};
    k = now.front();
  }
  // A type that is the definition: the first Struct type whose arg is it.
  for (uint16_t t = 0; t < schema.types.size(); ++t)
    if (schema.types[t].kind == TypeKind::Struct && schema.types[t].arg == k->definition) return {&schema, t};
  return {};
}

MergeSchema MergeSchema::field(std::string_view name) const {
  if (!known()) return {};
  const api::Type& t = schema_->type(type_);
  if (t.kind == TypeKind::Map) return {schema_, t.arg};
  if (t.kind != TypeKind::Struct) return {};
  const api::Definition& d = schema_->definition(t.arg);
  const api::Field* f = schema_->find_field(d, name);
  if (f == nullptr) return {};
  MergeSchema out(schema_, f->type);
  out.strategy_ = merge_key(d.name, name);
  return out;
}

MergeSchema MergeSchema::elements() const {
  if (!known() || schema_->type(type_).kind != TypeKind::List) return {};
  return {schema_, schema_->type(type_).arg};
}

bool MergeSchema::associative() const {
  if (strategy_ == nullptr) return false;
  std::string_view s = strategy_->strategy;
  while (!s.empty()) {
    size_t comma = s.find(',');
    if (s.substr(0, comma) == "merge") return true;
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
  }
  return false;
}

std::vector<std::string_view> MergeSchema::keys() const {
  std::vector<std::string_view> out;
  std::string_view s = strategy_ ? strategy_->keys : std::string_view();
  while (!s.empty()) {
    size_t comma = s.find(',');
    out.push_back(s.substr(0, comma));
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
  }
  return out;
}

}  // namespace kmc::kustomize
