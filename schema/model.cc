#include "schema/model.h"

#include <fmt/format.h>

#include "schema/api_schema.h"

namespace kmc::schema {

const Affinity& PodSpec::affinity() const {
  static const Affinity none;
  return affinity_if_set ? *affinity_if_set : none;
}

size_t LabelMap::size() const {
  size_t n = 0;
  for (auto it = begin(); it != end(); ++it) ++n;
  return n;
}

std::optional<std::string_view> LabelMap::find(std::string_view key) const {
  std::optional<std::string_view> found;
  for (Entry e : *this)
    if (e.key() == key) found = e.value();
  return found;
}

bool LabelMap::subset_of(const LabelMap& labels) const {
  for (Entry e : *this) {
    std::optional<std::string_view> v = labels.find(e.key());
    if (!v || *v != e.value()) return false;
  }
  return true;
}

bool LabelSelector::matches(const LabelMap& labels) const {
  if (!match_labels.subset_of(labels)) return false;
  for (const SelectorRequirement& r : match_expressions) {
    std::optional<std::string_view> v = labels.find(r.key.value());
    auto in_values = [&] {
      for (const Text& t : r.values)
        if (v && t.value() == *v) return true;
      return false;
    };
    std::string_view op = r.op.value();
    if (op == "In") {
      if (!v || !in_values()) return false;
    } else if (op == "NotIn") {
      if (v && in_values()) return false;
    } else if (op == "Exists") {
      if (!v) return false;
    } else if (op == "DoesNotExist") {
      if (v) return false;
    } else {
      return false;  // an invalid operator matches nothing, as the API would refuse it
    }
  }
  return true;
}

void Object::set_type(std::string_view api_version, std::string_view kind) {
  size_t slash = api_version.find('/');
  version_at_ = slash == std::string_view::npos ? 0 : static_cast<uint32_t>(slash + 1);  // files < 4 GiB
  api_version_ = api_version;
  kind_ = kind;
}

std::string Object::display() const {
  std::string_view n = name();
  if (n.empty()) n = meta.generate_name.value();
  // `Gateway ""` reads as a name that is empty on purpose; the object has none.
  if (n.empty()) return fmt::format("{} (no name)", kind());
  return fmt::format("{} \"{}\"", kind(), n);
}

bool is_cluster_scoped(std::string_view group, std::string_view kind) {
  // The API's own answer (derived from its paths) for every kind a release serves.
  for (const api::Kind& k : api::embedded_schema().rows_of(kind))
    if (k.group == group) return !k.namespaced;
  // Kinds the API no longer serves, still found in old manifests.
  struct Scoped {
    std::string_view group, kind;
  };
  static constexpr Scoped kClusterScoped[] = {
      {"", "Namespace"},
      {"", "Node"},
      {"", "PersistentVolume"},
      {"", "ComponentStatus"},
      {"storage.k8s.io", "StorageClass"},
      {"storage.k8s.io", "CSIDriver"},
      {"storage.k8s.io", "CSINode"},
      {"storage.k8s.io", "VolumeAttachment"},
      {"storage.k8s.io", "VolumeAttributesClass"},
      {"rbac.authorization.k8s.io", "ClusterRole"},
      {"rbac.authorization.k8s.io", "ClusterRoleBinding"},
      {"apiextensions.k8s.io", "CustomResourceDefinition"},
      {"apiregistration.k8s.io", "APIService"},
      {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
      {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
      {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
      {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"},
      {"admissionregistration.k8s.io", "MutatingAdmissionPolicy"},
      {"admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"},
      {"scheduling.k8s.io", "PriorityClass"},
      {"node.k8s.io", "RuntimeClass"},
      {"networking.k8s.io", "IngressClass"},
      {"networking.k8s.io", "IPAddress"},
      {"networking.k8s.io", "ServiceCIDR"},
      {"policy", "PodSecurityPolicy"},
      {"certificates.k8s.io", "CertificateSigningRequest"},
      {"certificates.k8s.io", "ClusterTrustBundle"},
      {"flowcontrol.apiserver.k8s.io", "FlowSchema"},
      {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
      {"internal.apiserver.k8s.io", "StorageVersion"},
      {"resource.k8s.io", "DeviceClass"},
      {"resource.k8s.io", "ResourceSlice"},
      {"storagemigration.k8s.io", "StorageVersionMigration"},
  };
  for (const Scoped& s : kClusterScoped)
    if (s.group == group && s.kind == kind) return true;
  return false;
}

}  // namespace kmc::schema
