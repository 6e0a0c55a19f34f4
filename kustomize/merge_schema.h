#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "schema/api_schema.h"

// What kustomize's strategic merge knows of an object's schema. kustomize v5.7 merges with the
// Kubernetes 1.21.2 schema it embeds, whatever the cluster: a list merges item by item only where
// that schema gives it `x-kubernetes-patch-strategy: merge` (by the list-map keys, else the patch
// merge key, else as a set of scalars), every other list is replaced whole, and a kind 1.21 did
// not serve (a custom resource, autoscaling/v2) has no schema at all: its maps merge and its
// lists are replaced, as in a JSON merge patch. The structure is walked in kmc's embedded
// schema; the strategies and the kinds come from kustomize's (schema_v1_21.cc, generated).
namespace kmc::kustomize {

struct KustomizeMergeKey {
  std::string_view definition, field;  // "io.k8s.api.core.v1.PodSpec", "containers"
  std::string_view strategy;           // "merge", "merge,retainKeys", "retainKeys", "replace"
  std::string_view keys;               // comma-separated: "containerPort,protocol"; "" for none
};
struct KustomizeKind {
  std::string_view group, version, kind;
};
// Sorted by definition and field; by group, version and kind.
std::span<const KustomizeMergeKey> kustomize_merge_keys();
std::span<const KustomizeKind> kustomize_kinds();

// A node's place in the schema: a type of the embedded schema, and the patch strategy of the
// field that holds it. Unknown (the default) where kustomize has no schema.
class MergeSchema {
 public:
  MergeSchema() = default;
  // The schema of an object of this kind, or unknown when kustomize has none for it.
  static MergeSchema of_kind(std::string_view api_version, std::string_view kind);

  bool known() const { return schema_ != nullptr; }
  MergeSchema field(std::string_view name) const;  // a struct's field, a map's value
  MergeSchema elements() const;                    // a list's items
  // A list whose items merge (the strategy includes "merge"), and the keys they merge by (none: a
  // list of scalars, merged as a set).
  bool associative() const;
  std::vector<std::string_view> keys() const;

 private:
  MergeSchema(const api::Schema* schema, uint16_t type) : schema_(schema), type_(type) {}
  const api::Schema* schema_ = nullptr;
  uint16_t type_ = 0;
  const KustomizeMergeKey* strategy_ = nullptr;
};

}  // namespace kmc::kustomize
