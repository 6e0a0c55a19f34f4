#include "kustomize/order.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace kmc::kustomize {

namespace {

constexpr std::string_view kOrderFirst[] = {
    "Namespace",      "ResourceQuota",  "StorageClass",          "CustomResourceDefinition",
    "ServiceAccount", "PodSecurityPolicy", "Role",               "ClusterRole",
    "RoleBinding",    "ClusterRoleBinding", "ConfigMap",         "Secret",
    "Endpoints",      "Service",        "LimitRange",            "PriorityClass",
    "PersistentVolume", "PersistentVolumeClaim", "Deployment",   "StatefulSet",
    "CronJob",        "PodDisruptionBudget",
};
constexpr std::string_view kOrderLast[] = {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"};

// A kind's place: negative for the kinds ordered first, positive for those ordered last.
int type_order(std::string_view kind, const KindOrder& order) {
  const int first = static_cast<int>(order.first.size());
  for (int i = 0; i < first; ++i)
    if (order.first[i] == kind) return i - first;
  for (int i = 0; i < static_cast<int>(order.last.size()); ++i)
    if (order.last[i] == kind) return i + 1;
  return 0;
}

struct SortKey {
  std::string group, version, kind;
  int type;
  std::string gvk;  // group_version_kind, ~G/~V/~K for an empty part
  std::string id;   // kind.version.group|namespace|name, with kustomize's placeholders
};

SortKey key_of(const Resource& r, const KindOrder& order) {
  ResId id = r.id();
  SortKey k;
  GroupVersion gv = split_api_version(id.api_version);
  k.group = std::string(gv.group);
  k.version = std::string(gv.version);
  k.kind = id.kind;
  k.type = type_order(k.kind, order);
  k.gvk = (k.group.empty() ? "~G" : k.group) + "_" + (k.version.empty() ? "~V" : k.version) + "_" +
          (k.kind.empty() ? "~K" : k.kind);
  std::string gvk_string = (k.kind.empty() ? "[noKind]" : k.kind) + "." + (k.version.empty() ? "[noVer]" : k.version) +
                           "." + (k.group.empty() ? "[noGrp]" : k.group);
  k.id = gvk_string + "|" + (id.ns.empty() ? "~X" : id.ns) + "|" + (id.name.empty() ? "~N" : id.name);
  return k;
}

bool less(const SortKey& a, const SortKey& b) {
  bool same_gvk = a.group == b.group && a.version == b.version && a.kind == b.kind;
  if (!same_gvk) {
    if (a.type != b.type) return a.type < b.type;
    // Namespaces of the core group come first among Namespaces (kustomize compares them reversed).
    if (a.kind == "Namespace" && b.kind == "Namespace" && (a.group.empty() || b.group.empty())) return a.gvk > b.gvk;
    return a.gvk < b.gvk;
  }
  return a.id < b.id;
}

}  // namespace

const KindOrder& default_kind_order() {
  static const KindOrder defaults{{std::begin(kOrderFirst), std::end(kOrderFirst)},
                                  {std::begin(kOrderLast), std::end(kOrderLast)}};
  return defaults;
}

void legacy_sort(std::vector<Resource>* ra, const KindOrder& order) {
  std::vector<std::pair<SortKey, size_t>> keys;
  keys.reserve(ra->size());
  for (size_t i = 0; i < ra->size(); ++i) keys.emplace_back(key_of((*ra)[i], order), i);
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return less(a.first, b.first); });
  std::vector<Resource> sorted;
  sorted.reserve(ra->size());
  for (auto& [key, i] : keys) sorted.push_back(std::move((*ra)[i]));
  *ra = std::move(sorted);
}

}  // namespace kmc::kustomize
