#include <functional>
#include <string>
#include <vector>

#include "core/rule_catalogue.h"
#include "kustomize/field_spec.h"
#include "kustomize/report.h"
#include "kustomize/transform.h"

// kustomize's name-reference fix-up (api/filters/nameref), after every transformer of a build.
namespace kmc::kustomize {

namespace {

struct NameReference {
  GvkMatch referral;  // the kind named
  FieldSpec referrer;  // where it is named
};

// kustomize v5.7's default name-reference table (nameReferenceFieldSpecs), in its order.
constexpr NameReference kNameReferences[] = {
    {{"", "", "Deployment"}, {{"", "", "HorizontalPodAutoscaler"}, "spec/scaleTargetRef/name"}},
    {{"", "", "ReplicationController"}, {{"", "", "HorizontalPodAutoscaler"}, "spec/scaleTargetRef/name"}},
    {{"", "", "ReplicaSet"}, {{"", "", "HorizontalPodAutoscaler"}, "spec/scaleTargetRef/name"}},
    {{"", "", "StatefulSet"}, {{"", "", "HorizontalPodAutoscaler"}, "spec/scaleTargetRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "v1", "Pod"}, "spec/volumes/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "v1", "Pod"}, "spec/containers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "v1", "Pod"}, "spec/initContainers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "v1", "Pod"}, "spec/containers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "v1", "Pod"}, "spec/initContainers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "v1", "Pod"}, "spec/volumes/projected/sources/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "PodTemplate"}, "template/spec/volumes/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "PodTemplate"}, "template/spec/containers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "PodTemplate"}, "template/spec/initContainers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "PodTemplate"}, "template/spec/containers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "PodTemplate"}, "template/spec/initContainers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "PodTemplate"}, "template/spec/volumes/projected/sources/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Deployment"}, "spec/template/spec/volumes/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Deployment"}, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Deployment"}, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Deployment"}, "spec/template/spec/containers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Deployment"}, "spec/template/spec/initContainers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Deployment"}, "spec/template/spec/volumes/projected/sources/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "ReplicaSet"}, "spec/template/spec/volumes/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "ReplicaSet"}, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "ReplicaSet"}, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "ReplicaSet"}, "spec/template/spec/containers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "ReplicaSet"}, "spec/template/spec/initContainers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "ReplicaSet"}, "spec/template/spec/volumes/projected/sources/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "DaemonSet"}, "spec/template/spec/volumes/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "DaemonSet"}, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "DaemonSet"}, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "DaemonSet"}, "spec/template/spec/containers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "DaemonSet"}, "spec/template/spec/initContainers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "DaemonSet"}, "spec/template/spec/volumes/projected/sources/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "StatefulSet"}, "spec/template/spec/volumes/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "StatefulSet"}, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "StatefulSet"}, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "StatefulSet"}, "spec/template/spec/containers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "StatefulSet"}, "spec/template/spec/initContainers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "StatefulSet"}, "spec/template/spec/volumes/projected/sources/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Job"}, "spec/template/spec/volumes/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Job"}, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Job"}, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Job"}, "spec/template/spec/containers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Job"}, "spec/template/spec/initContainers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Job"}, "spec/template/spec/volumes/projected/sources/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/volumes/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Node"}, "spec/configSource/configMap"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Role"}, "rules/resourceNames"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "ClusterRole"}, "rules/resourceNames"}},
    {{"", "v1", "ConfigMap"}, {{"", "", "Ingress"}, "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap"}},
    {{"", "v1", "Secret"}, {{"", "v1", "Pod"}, "spec/volumes/secret/secretName"}},
    {{"", "v1", "Secret"}, {{"", "v1", "Pod"}, "spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "v1", "Pod"}, "spec/initContainers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "v1", "Pod"}, "spec/containers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "v1", "Pod"}, "spec/initContainers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "v1", "Pod"}, "spec/imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "v1", "Pod"}, "spec/volumes/projected/sources/secret/name"}},
    {{"", "v1", "Secret"}, {{"", "", "PodTemplate"}, "template/spec/volumes/secret/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "PodTemplate"}, "template/spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "PodTemplate"}, "template/spec/initContainers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "PodTemplate"}, "template/spec/containers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "PodTemplate"}, "template/spec/initContainers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "PodTemplate"}, "template/spec/imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "", "PodTemplate"}, "template/spec/volumes/projected/sources/secret/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Deployment"}, "spec/template/spec/volumes/secret/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "Deployment"}, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Deployment"}, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Deployment"}, "spec/template/spec/containers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Deployment"}, "spec/template/spec/initContainers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Deployment"}, "spec/template/spec/imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Deployment"}, "spec/template/spec/volumes/projected/sources/secret/name"}},
    {{"", "v1", "Secret"}, {{"", "", "ReplicaSet"}, "spec/template/spec/volumes/secret/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "ReplicaSet"}, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "ReplicaSet"}, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "ReplicaSet"}, "spec/template/spec/containers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "ReplicaSet"}, "spec/template/spec/initContainers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "ReplicaSet"}, "spec/template/spec/imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "", "ReplicaSet"}, "spec/template/spec/volumes/projected/sources/secret/name"}},
    {{"", "v1", "Secret"}, {{"", "", "DaemonSet"}, "spec/template/spec/volumes/secret/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "DaemonSet"}, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "DaemonSet"}, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "DaemonSet"}, "spec/template/spec/containers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "DaemonSet"}, "spec/template/spec/initContainers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "DaemonSet"}, "spec/template/spec/imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "", "DaemonSet"}, "spec/template/spec/volumes/projected/sources/secret/name"}},
    {{"", "v1", "Secret"}, {{"", "", "StatefulSet"}, "spec/template/spec/volumes/secret/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "StatefulSet"}, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "StatefulSet"}, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "StatefulSet"}, "spec/template/spec/containers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "StatefulSet"}, "spec/template/spec/initContainers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "StatefulSet"}, "spec/template/spec/imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "", "StatefulSet"}, "spec/template/spec/volumes/projected/sources/secret/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Job"}, "spec/template/spec/volumes/secret/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "Job"}, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Job"}, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Job"}, "spec/template/spec/containers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Job"}, "spec/template/spec/initContainers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Job"}, "spec/template/spec/imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Job"}, "spec/template/spec/volumes/projected/sources/secret/name"}},
    {{"", "v1", "Secret"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/volumes/secret/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name"}},
    {{"", "v1", "Secret"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "", "Ingress"}, "spec/tls/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "Ingress"}, "metadata/annotations/ingress.kubernetes.io\\/auth-secret"}},
    {{"", "v1", "Secret"}, {{"", "", "Ingress"}, "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret"}},
    {{"", "v1", "Secret"}, {{"", "", "Ingress"}, "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret"}},
    {{"", "v1", "Secret"}, {{"", "", "Ingress"}, "spec/tls/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "ServiceAccount"}, "imagePullSecrets/name"}},
    {{"", "v1", "Secret"}, {{"", "", "StorageClass"}, "parameters/secretName"}},
    {{"", "v1", "Secret"}, {{"", "", "StorageClass"}, "parameters/adminSecretName"}},
    {{"", "v1", "Secret"}, {{"", "", "StorageClass"}, "parameters/userSecretName"}},
    {{"", "v1", "Secret"}, {{"", "", "StorageClass"}, "parameters/secretRef"}},
    {{"", "v1", "Secret"}, {{"", "", "Role"}, "rules/resourceNames"}},
    {{"", "v1", "Secret"}, {{"", "", "ClusterRole"}, "rules/resourceNames"}},
    {{"", "v1", "Secret"}, {{"serving.knative.dev", "v1", "Service"}, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"}},
    {{"", "v1", "Secret"}, {{"", "", "PersistentVolume"}, "spec/azureFile/secretName"}},
    {{"", "v1", "Service"}, {{"apps", "", "StatefulSet"}, "spec/serviceName"}},
    {{"", "v1", "Service"}, {{"", "", "Ingress"}, "spec/rules/http/paths/backend/serviceName"}},
    {{"", "v1", "Service"}, {{"", "", "Ingress"}, "spec/backend/serviceName"}},
    {{"", "v1", "Service"}, {{"", "", "Ingress"}, "spec/rules/http/paths/backend/service/name"}},
    {{"", "v1", "Service"}, {{"", "", "Ingress"}, "spec/defaultBackend/service/name"}},
    {{"", "v1", "Service"}, {{"apiregistration.k8s.io", "", "APIService"}, "spec/service/name"}},
    {{"", "v1", "Service"}, {{"admissionregistration.k8s.io", "", "ValidatingWebhookConfiguration"}, "webhooks/clientConfig/service"}},
    {{"", "v1", "Service"}, {{"admissionregistration.k8s.io", "", "MutatingWebhookConfiguration"}, "webhooks/clientConfig/service"}},
    {{"rbac.authorization.k8s.io", "", "Role"}, {{"rbac.authorization.k8s.io", "", "RoleBinding"}, "roleRef/name"}},
    {{"rbac.authorization.k8s.io", "", "ClusterRole"}, {{"rbac.authorization.k8s.io", "", "RoleBinding"}, "roleRef/name"}},
    {{"rbac.authorization.k8s.io", "", "ClusterRole"}, {{"rbac.authorization.k8s.io", "", "ClusterRoleBinding"}, "roleRef/name"}},
    {{"", "v1", "ServiceAccount"}, {{"rbac.authorization.k8s.io", "", "RoleBinding"}, "subjects"}},
    {{"", "v1", "ServiceAccount"}, {{"rbac.authorization.k8s.io", "", "ClusterRoleBinding"}, "subjects"}},
    {{"", "v1", "ServiceAccount"}, {{"", "", "Pod"}, "spec/serviceAccountName"}},
    {{"", "v1", "ServiceAccount"}, {{"", "", "StatefulSet"}, "spec/template/spec/serviceAccountName"}},
    {{"", "v1", "ServiceAccount"}, {{"", "", "Deployment"}, "spec/template/spec/serviceAccountName"}},
    {{"", "v1", "ServiceAccount"}, {{"", "", "ReplicationController"}, "spec/template/spec/serviceAccountName"}},
    {{"", "v1", "ServiceAccount"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/serviceAccountName"}},
    {{"", "v1", "ServiceAccount"}, {{"", "", "Job"}, "spec/template/spec/serviceAccountName"}},
    {{"", "v1", "ServiceAccount"}, {{"", "", "DaemonSet"}, "spec/template/spec/serviceAccountName"}},
    {{"", "v1", "PersistentVolumeClaim"}, {{"", "", "Pod"}, "spec/volumes/persistentVolumeClaim/claimName"}},
    {{"", "v1", "PersistentVolumeClaim"}, {{"", "", "StatefulSet"}, "spec/template/spec/volumes/persistentVolumeClaim/claimName"}},
    {{"", "v1", "PersistentVolumeClaim"}, {{"", "", "Deployment"}, "spec/template/spec/volumes/persistentVolumeClaim/claimName"}},
    {{"", "v1", "PersistentVolumeClaim"}, {{"", "", "ReplicationController"}, "spec/template/spec/volumes/persistentVolumeClaim/claimName"}},
    {{"", "v1", "PersistentVolumeClaim"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName"}},
    {{"", "v1", "PersistentVolumeClaim"}, {{"", "", "Job"}, "spec/template/spec/volumes/persistentVolumeClaim/claimName"}},
    {{"", "v1", "PersistentVolumeClaim"}, {{"", "", "DaemonSet"}, "spec/template/spec/volumes/persistentVolumeClaim/claimName"}},
    {{"", "v1", "PersistentVolume"}, {{"", "", "PersistentVolumeClaim"}, "spec/volumeName"}},
    {{"", "v1", "PersistentVolume"}, {{"", "", "ClusterRole"}, "rules/resourceNames"}},
    {{"storage.k8s.io", "v1", "StorageClass"}, {{"", "", "PersistentVolume"}, "spec/storageClassName"}},
    {{"storage.k8s.io", "v1", "StorageClass"}, {{"", "", "PersistentVolumeClaim"}, "spec/storageClassName"}},
    {{"storage.k8s.io", "v1", "StorageClass"}, {{"", "", "StatefulSet"}, "spec/volumeClaimTemplates/spec/storageClassName"}},
    {{"scheduling.k8s.io", "v1", "PriorityClass"}, {{"", "", "Pod"}, "spec/priorityClassName"}},
    {{"scheduling.k8s.io", "v1", "PriorityClass"}, {{"", "", "StatefulSet"}, "spec/template/spec/priorityClassName"}},
    {{"scheduling.k8s.io", "v1", "PriorityClass"}, {{"", "", "Deployment"}, "spec/template/spec/priorityClassName"}},
    {{"scheduling.k8s.io", "v1", "PriorityClass"}, {{"", "", "ReplicationController"}, "spec/template/spec/priorityClassName"}},
    {{"scheduling.k8s.io", "v1", "PriorityClass"}, {{"", "", "CronJob"}, "spec/jobTemplate/spec/template/spec/priorityClassName"}},
    {{"scheduling.k8s.io", "v1", "PriorityClass"}, {{"", "", "Job"}, "spec/template/spec/priorityClassName"}},
    {{"scheduling.k8s.io", "v1", "PriorityClass"}, {{"", "", "DaemonSet"}, "spec/template/spec/priorityClassName"}},
    {{"networking.k8s.io/v1", "v1", "IngressClass"}, {{"", "", "Ingress"}, "spec/ingressClassName"}},
    {{"admissionregistration.k8s.io", "", "ValidatingAdmissionPolicy"}, {{"admissionregistration.k8s.io", "", "ValidatingAdmissionPolicyBinding"}, "spec/policyName"}},
};

// Whether the shorter list is the end of the longer one (kustomize's SameEndingSubSlice).
bool same_ending(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  size_t diff = longer.size() - shorter.size();
  if (shorter.empty()) return diff == 0;
  for (size_t i = 0; i < shorter.size(); ++i)
    if (longer[i + diff] != shorter[i]) return false;
  return true;
}

bool prefixes_suffixes_equal(const Resource& r, const Resource& o, bool allow_empty) {
  if (!allow_empty) return same_ending(r.prefixes, o.prefixes) && same_ending(r.suffixes, o.suffixes);
  bool prefix = r.prefixes.empty() || o.prefixes.empty() || same_ending(r.prefixes, o.prefixes);
  bool suffix = r.suffixes.empty() || o.suffixes.empty() || same_ending(r.suffixes, o.suffixes);
  return prefix && suffix;
}

// Whether the kind `kind` at `api_version` is one `m` selects (an empty part of `m` selects any).
bool gvk_selected(std::string_view api_version, std::string_view kind, const GvkMatch& m) {
  GroupVersion gv = split_api_version(api_version);
  return (m.group.empty() || m.group == gv.group) && (m.version.empty() || m.version == gv.version) &&
         (m.kind.empty() || m.kind == kind);
}

bool gvk_selected(const ResId& id, const GvkMatch& m) { return gvk_selected(id.api_version, id.kind, m); }

class Fixer {
 public:
  // The resources' ids, current and original, do not change while references are fixed (only
  // fields that name other resources do): asked once.
  Fixer(std::vector<Resource>* ra, std::vector<Finding>* findings) : ra_(*ra), findings_(findings) {
    for (const Resource& r : ra_) {
      ids_.push_back(r.id());
      originals_.push_back(r.original());
    }
  }

  bool run() {
    // Which fields of which resources may name what, decided on the ids as read.
    std::vector<std::vector<const NameReference*>> filters(ra_.size());
    for (const NameReference& ref : kNameReferences)
      for (size_t i = 0; i < ra_.size(); ++i)
        if (gvk_selected(originals_[i], ref.referrer.gvk)) filters[i].push_back(&ref);
    for (size_t i = 0; i < ra_.size() && ok_; ++i) {
      if (filters[i].empty()) continue;
      std::vector<size_t> candidates = could_be_referenced_by(i);
      for (const NameReference* ref : filters[i]) {
        Resource& referrer = ra_[i];
        Gvk gvk = Gvk::of(referrer.tree);
        FieldSpec spec = ref->referrer;
        spec.create = false;
        visit_field(referrer.tree, gvk, spec, NodeKind::Null, {}, [&](RNode& n) { set(i, *ref, candidates, n); });
        if (!ok_) break;
      }
    }
    return ok_;
  }

 private:
  // kustomize's SubsetThatCouldBeReferencedByResource, on current ids.
  std::vector<size_t> could_be_referenced_by(size_t referrer) const {
    std::vector<size_t> out;
    const ResId& rid = ids_[referrer];
    std::vector<std::string> binding_namespaces;
    if (rid.kind == "RoleBinding")
      if (const RNode* subjects = ra_[referrer].tree.get("subjects"); subjects && subjects->is_seq())
        for (const RNode& s : subjects->kids)
          if (s.is_map() && s.get_text("kind") == "ServiceAccount" && s.get("namespace"))
            binding_namespaces.emplace_back(s.get_text("namespace"));
    for (size_t j = 0; j < ra_.size(); ++j) {
      const ResId& id = ids_[j];
      bool ok = rid.cluster_scoped() || id.cluster_scoped() || id.effective_ns() == rid.effective_ns() ||
                std::find(binding_namespaces.begin(), binding_namespaces.end(), id.ns) != binding_namespaces.end();
      if (ok) out.push_back(j);
    }
    return out;
  }

  void set(size_t referrer, const NameReference& ref, const std::vector<size_t>& candidates, RNode& n) {
    if (n.kind == NodeKind::Null) return;
    if (n.is_seq()) {
      for (RNode& item : n.kids) {
        if (item.is_map()) set_mapping(referrer, ref, candidates, item);
        else if (item.is_scalar()) set_scalar(referrer, ref, candidates, item);
      }
      return;
    }
    if (n.is_map()) return set_mapping(referrer, ref, candidates, n);
    set_scalar(referrer, ref, candidates, n);
  }

  void set_scalar(size_t referrer, const NameReference& ref, const std::vector<size_t>& candidates, RNode& n) {
    const Resource* referral = select(referrer, ref, std::string(n.text), candidates, false, n.pos);
    if (!referral) return;
    const RNode& name = *referral->tree.get("metadata")->get("name");
    if (name.text != n.text) n = RNode::string(name.text, name.pos);
  }

  void set_mapping(size_t referrer, const NameReference& ref, const std::vector<size_t>& all, RNode& n) {
    RNode* name = n.get("name");
    if (!name) return;  // kustomize: "path config error; no 'name' field in node"
    std::vector<size_t> candidates = all;
    if (const RNode* ns = n.get("namespace")) {
      candidates = by_namespace(all, std::string(ns->text), true);
      if (candidates.empty()) candidates = by_namespace(all, std::string(ns->text), false);
    }
    const Resource* referral = select(referrer, ref, std::string(name->text), candidates, true, name->pos);
    if (!referral) return;
    const RNode& meta = *referral->tree.get("metadata");
    const RNode& new_name = *meta.get("name");
    const RNode* new_ns = meta.get("namespace");
    bool has_ns = new_ns && !new_ns->text.empty();
    if (new_name.text == name->text && !has_ns) return;
    n.set("name", RNode::string(new_name.text, new_name.pos), name->pos);
    if (has_ns) n.set("namespace", RNode::string(new_ns->text, new_ns->pos), new_ns->pos);
  }

  std::vector<size_t> by_namespace(const std::vector<size_t>& all, const std::string& ns, bool original) const {
    std::vector<size_t> out;
    for (size_t j : all) {
      const ResId& id = original ? originals_[j] : ids_[j];
      if (id.cluster_scoped()) continue;
      if (id.effective_ns() == ns) out.push_back(j);
    }
    return out;
  }

  const Resource* select(size_t referrer, const NameReference& ref, const std::string& old_name,
                         std::vector<size_t> candidates, bool with_namespace, Position at) {
    const Resource& r = ra_[referrer];
    auto sieve = [&](const std::function<bool(const Resource&, size_t)>& keep) {
      std::erase_if(candidates, [&](size_t j) { return !keep(ra_[j], j); });
    };
    sieve([&](const Resource& c, size_t) {
      for (const ResId& id : c.previous)
        if (id.name == old_name) return true;
      return false;
    });
    // A previous id keeps the current apiVersion with the kind it had (kustomize's PrevIds).
    sieve([&](const Resource& c, size_t j) {
      for (const ResId& id : c.previous)
        if (gvk_selected(ids_[j].api_version, id.kind, ref.referral)) return true;
      return false;
    });
    if (ref.referrer.path.ends_with("roleRef/name"))
      if (const RNode* role_ref = r.tree.get("roleRef"); role_ref && role_ref->get("apiGroup") && role_ref->get("kind")) {
        GvkMatch by_role{role_ref->get_text("apiGroup"), "", role_ref->get_text("kind")};
        sieve([&](const Resource& c, size_t j) {
          for (const ResId& id : c.previous)
            if (gvk_selected(ids_[j].api_version, id.kind, by_role)) return true;
          return false;
        });
      }
    const ResId& rid = ids_[referrer];
    if (!rid.cluster_scoped())
      sieve([&](const Resource&, size_t j) {
        const ResId& id = ids_[j];
        return id.cluster_scoped() || id.kind == "ServiceAccount" || id.effective_ns() == rid.effective_ns();
      });
    if (candidates.size() == 1) return &ra_[candidates[0]];
    sieve([&](const Resource& c, size_t) { return prefixes_suffixes_equal(c, r, true); });
    if (candidates.size() > 1) sieve([&](const Resource& c, size_t) { return prefixes_suffixes_equal(c, r, false); });
    if (candidates.size() == 1) return &ra_[candidates[0]];
    if (candidates.empty()) return nullptr;
    const ResId& first = ids_[candidates[0]];
    bool identical = true;
    for (size_t j : candidates) {
      const ResId& id = ids_[j];
      identical = identical && id.name == first.name && (!with_namespace || id.ns == first.ns);
    }
    if (identical) return &ra_[candidates[0]];
    std::string names;
    for (size_t j : candidates) names += (names.empty() ? "" : ", ") + ids_[j].describe();
    report(findings_, RuleId::KustomizeInvalid, at,
           "`" + old_name + "` could name any of " + names +
               " after renaming, and kustomize refuses to guess (\"found multiple possible referrals\")",
           "give the resources distinct names, or keep them in kustomizations with their own prefixes");
    ok_ = false;
    return nullptr;
  }

  std::vector<Resource>& ra_;
  std::vector<ResId> ids_, originals_;
  std::vector<Finding>* findings_;
  bool ok_ = true;
};

}  // namespace

bool fix_name_references(std::vector<Resource>* ra, std::vector<Finding>* findings) {
  return Fixer(ra, findings).run();
}

}  // namespace kmc::kustomize
