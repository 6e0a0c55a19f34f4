#pragma once
#include <string_view>
#include <vector>

#include "kustomize/resource.h"

// The order `kustomize build` writes resources in, and so the order `kubectl apply -k` applies
// them: kustomize v5.7's legacy sort, the default without `sortOptions`. Kinds it orders first
// (Namespace, ResourceQuota, StorageClass, CRDs, ServiceAccounts, RBAC, ConfigMaps, Secrets,
// Services, ...), then the rest by group, version and kind, webhook configurations last; within
// a kind, by namespace and name.
namespace kmc::kustomize {

// The kinds ordered first and last; `sortOptions.legacySortOptions` replaces the default lists.
struct KindOrder {
  std::vector<std::string_view> first, last;
};
const KindOrder& default_kind_order();

void legacy_sort(std::vector<Resource>* ra, const KindOrder& order = default_kind_order());

}  // namespace kmc::kustomize
