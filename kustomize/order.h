#pragma once
#include <vector>

#include "kustomize/resource.h"

// The order `kustomize build` writes resources in, and so the order `kubectl apply -k` applies
// them: kustomize v5.7's legacy sort, the default without `sortOptions`. Kinds it orders first
// (Namespace, ResourceQuota, StorageClass, CRDs, ServiceAccounts, RBAC, ConfigMaps, Secrets,
// Services, ...), then the rest by group, version and kind, webhook configurations last; within
// a kind, by namespace and name.
namespace kmc::kustomize {

void legacy_sort(std::vector<Resource>* ra);

}  // namespace kmc::kustomize
