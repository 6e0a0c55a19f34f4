#include "kustomize/resource.h"

#include <algorithm>

namespace kmc::kustomize {

namespace {

struct TypeMeta {
  std::string_view api_version, kind;
};

// kustomize's precomputed namespaceability, the cluster-scoped half (kyaml/openapi,
// precomputedIsNamespaceScoped, v5.7.1). Everything else is namespaced to it.
constexpr TypeMeta kClusterScoped[] = {
    {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
    {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"},
    {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"},
    {"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
    {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"},
    {"apiregistration.k8s.io/v1", "APIService"},
    {"apiregistration.k8s.io/v1beta1", "APIService"},
    {"certificates.k8s.io/v1", "CertificateSigningRequest"},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequest"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"},
    {"networking.k8s.io/v1", "IngressClass"},
    {"networking.k8s.io/v1beta1", "IngressClass"},
    {"node.k8s.io/v1", "RuntimeClass"},
    {"node.k8s.io/v1beta1", "RuntimeClass"},
    {"policy/v1beta1", "PodSecurityPolicy"},
    {"rbac.authorization.k8s.io/v1", "ClusterRole"},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRole"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"},
    {"scheduling.k8s.io/v1", "PriorityClass"},
    {"scheduling.k8s.io/v1beta1", "PriorityClass"},
    {"storage.k8s.io/v1", "CSIDriver"},
    {"storage.k8s.io/v1", "CSINode"},
    {"storage.k8s.io/v1", "StorageClass"},
    {"storage.k8s.io/v1", "VolumeAttachment"},
    {"storage.k8s.io/v1beta1", "CSIDriver"},
    {"storage.k8s.io/v1beta1", "CSINode"},
    {"storage.k8s.io/v1beta1", "StorageClass"},
    {"storage.k8s.io/v1beta1", "VolumeAttachment"},
    {"v1", "ComponentStatus"},
    {"v1", "Namespace"},
    {"v1", "Node"},
    {"v1", "NodeProxyOptions"},
    {"v1", "PersistentVolume"},
};

}  // namespace

bool kustomize_cluster_scoped(std::string_view api_version, std::string_view kind) {
  return std::any_of(std::begin(kClusterScoped), std::end(kClusterScoped),
                     [&](const TypeMeta& t) { return t.api_version == api_version && t.kind == kind; });
}

ResId ResId::of(const RNode& object) {
  ResId id;
  id.api_version = std::string(object.get_text("apiVersion"));
  id.kind = std::string(object.get_text("kind"));
  id.cluster = kustomize_cluster_scoped(id.api_version, id.kind);
  if (const RNode* meta = object.get("metadata")) {
    id.ns = std::string(meta->get_text("namespace"));
    id.name = std::string(meta->get_text("name"));
  }
  return id;
}

GroupVersion split_api_version(std::string_view api_version) {
  size_t slash = api_version.rfind('/');
  if (slash == std::string_view::npos) return {{}, api_version};
  return {api_version.substr(0, slash), api_version.substr(slash + 1)};
}

bool local_config(const RNode& object) {
  const RNode* meta = object.get("metadata");
  const RNode* annotations = meta ? meta->get("annotations") : nullptr;
  const RNode* local = annotations ? annotations->get("config.kubernetes.io/local-config") : nullptr;
  return local && local->text != "false";
}

std::string ResId::group() const { return std::string(split_api_version(api_version).group); }

std::string_view ResId::effective_ns() const {
  if (cluster_scoped()) return "_non_namespaceable_";
  if (ns.empty() || ns == "default") return "default";
  return ns;
}

std::string ResId::key() const {
  std::string k = api_version;
  for (std::string_view part : {std::string_view(kind), effective_ns(), std::string_view(name)}) {
    k += '\0';
    k += part;
  }
  return k;
}

std::string ResId::describe() const {
  GroupVersion gv = split_api_version(api_version);
  std::string group = api_version.find('/') == std::string::npos ? "[noGrp]" : std::string(gv.group);
  return kind + "." + std::string(gv.version) + "." + group + "/" + name + "." + (ns.empty() ? "[noNs]" : ns);
}

}  // namespace kmc::kustomize
