#include "core/rule_catalogue.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/spelling.h"

namespace kmc {
namespace {

constexpr Severities kE = severity_bit(Severity::Error);
constexpr Severities kW = severity_bit(Severity::Warning);
constexpr Severities kI = severity_bit(Severity::Info);

constexpr RuleRow kRows[] = {
    {RuleId::SyntaxYaml, "syntax/yaml", Severity::Error, kE,
     "a document is not valid YAML or JSON"},
    {RuleId::SyntaxDuplicateKey, "syntax/duplicate-key", Severity::Error, kE,
     "a mapping repeats a key"},
    {RuleId::SyntaxNotAnObject, "syntax/not-an-object", Severity::Error, kE,
     "a document is not a mapping with apiVersion and kind"},
    {RuleId::SyntaxLimit, "syntax/limit", Severity::Error, kE,
     "nesting depth, alias expansion, document count or file size exceeds a safety limit"},
    {RuleId::SyntaxBadSuppression, "syntax/bad-suppression", Severity::Error, kE,
     "a kmc:ignore comment or kmc.dev/ignore annotation names no rule, or a rule kmc does not have"},
    {RuleId::SyntaxUnusedSuppression, "syntax/unused-suppression", Severity::Info, kI,
     "a suppression that silences nothing"},
    {RuleId::SyntaxEmptyInput, "syntax/empty-input", Severity::Warning, kW,
     "the input yields no Kubernetes object at all (an empty stdin, a directory without manifests)"},
    {RuleId::SchemaUnknownField, "schema/unknown-field", Severity::Error, kE,
     "a field the API does not define (names the closest valid field)"},
    {RuleId::SchemaType, "schema/type", Severity::Error, kE,
     "a value of the wrong type (a quoted number, a list for a mapping)"},
    {RuleId::SchemaEnum, "schema/enum", Severity::Error, kE,
     "a value outside the field's allowed values"},
    {RuleId::SchemaRequired, "schema/required", Severity::Error, kE,
     "a required field is missing"},
    {RuleId::SchemaName, "schema/name", Severity::Error, kE,
     "metadata.name or another DNS name breaks the RFC 1123/1035 rules"},
    {RuleId::SchemaLabel, "schema/label", Severity::Error, kE,
     "a label, selector or annotation key or value breaks the label syntax"},
    {RuleId::SchemaQuantity, "schema/quantity", Severity::Error, kE,
     "a resource quantity does not parse"},
    {RuleId::SchemaInvalidValue, "schema/invalid-value", Severity::Error, kE,
     "a value or combination of fields that the API server's validation rejects beyond the schema (a headless NodePort Service, a Deployment whose progress deadline is not above minReadySeconds)"},
    {RuleId::SchemaApiVersion, "schema/api-version", Severity::Error, kE,
     "a kind under an apiVersion Kubernetes never served (misspelt group, version or kind)"},
    {RuleId::SchemaUnknownKind, "schema/unknown-kind", Severity::Info, kI,
     "apiVersion/kind has no schema in kmc or in a CRD of the input"},
    {RuleId::SchemaDuplicateObject, "schema/duplicate-object", Severity::Error, kE,
     "the same kind/namespace/name appears twice"},
    {RuleId::VersionRemoved, "version/removed", Severity::Error, kE,
     "the apiVersion/kind is not served by the target Kubernetes release (removed, or not yet served): names "
     "the release that removed or adds it and the replacement"},
    {RuleId::VersionDeprecated, "version/deprecated", Severity::Warning, kW,
     "the apiVersion/kind is served by the target release but deprecated, naming the release that removes it"},
    {RuleId::VersionFieldUnknown, "version/field-unknown", Severity::Error, kE,
     "a field the target Kubernetes release does not have, naming the release that added (or removed) it"},
    {RuleId::ServiceNoMatchingPods, "service/no-matching-pods", Severity::Warning, kW,
     "a Service's selector matches no pod template"},
    {RuleId::ServiceTargetPortNotFound, "service/target-port-not-found", Severity::Error, kE,
     "a named targetPort is not a port name of any selected container"},
    {RuleId::ServiceTargetPortNotExposed, "service/target-port-not-exposed", Severity::Info, kI,
     "a numeric targetPort is not a declared containerPort of the selected pods"},
    {RuleId::ServicePortNames, "service/port-names", Severity::Error, kE,
     "a multi-port Service has an unnamed port, a repeated name or a repeated port/protocol"},
    {RuleId::ServiceNodePort, "service/node-port", Severity::Error, kE,
     "a nodePort outside 30000-32767, on a ClusterIP Service, or used twice"},
    {RuleId::ServiceSelectorlessWithoutEndpoints, "service/selectorless-without-endpoints", Severity::Warning, kW,
     "a selector-less Service with no Endpoints or EndpointSlice of its name"},
    {RuleId::ServiceExternalName, "service/external-name", Severity::Error, kE | kW,
     "an ExternalName Service without a valid DNS name, or with fields it ignores"},
    {RuleId::EndpointsOrphan, "endpoints/orphan", Severity::Warning, kW,
     "Endpoints or an EndpointSlice whose Service does not exist"},
    {RuleId::EndpointsOverwritten, "endpoints/overwritten", Severity::Error, kE,
     "manual Endpoints for a Service with a selector, which the controller overwrites"},
    {RuleId::EndpointsPortMismatch, "endpoints/port-mismatch", Severity::Error, kE,
     "a selector-less Service port with no endpoint port of the same name"},
    {RuleId::EndpointsInvalidAddress, "endpoints/invalid-address", Severity::Error, kE,
     "an endpoint address that is not an IP, or is loopback, link-local or unspecified"},
    {RuleId::EndpointsDeprecatedApi, "endpoints/deprecated-api", Severity::Info, kI,
     "v1 Endpoints, deprecated since 1.33"},
    {RuleId::DiscoveryServiceAfterConsumer, "discovery/service-after-consumer", Severity::Error, kE,
     "a pod uses a Service's variables but the Service is applied after it"},
    {RuleId::DiscoveryUnknownService, "discovery/unknown-service", Severity::Warning, kW,
     "a service variable names no Service in the pod's namespace"},
    {RuleId::DiscoveryNeverInjected, "discovery/never-injected", Severity::Error, kE,
     "a service variable that the kubelet never sets for this pod"},
    {RuleId::DiscoveryShadowed, "discovery/shadowed", Severity::Warning, kW,
     "a container defines a variable with a name the kubelet generates for a Service"},
    {RuleId::DiscoveryUnknownDnsName, "discovery/unknown-dns-name", Severity::Warning, kW | kI,
     "an in-cluster DNS name (or a short name one typo from a Service) that nothing provides, or a port its Service lacks"},
    {RuleId::StorageClaimUnbound, "storage/claim-unbound", Severity::Error, kE | kW,
     "no PV satisfies a claim and dynamic provisioning cannot serve it (lists the nearest PVs)"},
    {RuleId::StorageVolumeContention, "storage/volume-contention", Severity::Error, kE,
     "binding claims smallest-fit leaves a claim without a PV because another claim took it"},
    {RuleId::StorageClaimNotFound, "storage/claim-not-found", Severity::Error, kE,
     "a pod volume names a PVC that is neither defined nor produced by a StatefulSet template"},
    {RuleId::StorageStatefulsetClaims, "storage/statefulset-claims", Severity::Error, kE | kW,
     "volumeClaimTemplates x replicas needs more matching PVs than exist, with no provisioner"},
    {RuleId::StorageSelectorWithProvisioning, "storage/selector-with-provisioning", Severity::Error, kE,
     "a claim has a selector and relies on dynamic provisioning, which ignores selectors"},
    {RuleId::StorageRwoShared, "storage/rwo-shared", Severity::Warning, kW,
     "a ReadWriteOnce/ReadWriteOncePod claim is mounted by a workload with more than one replica"},
    {RuleId::StorageReclaimRecycle, "storage/reclaim-recycle", Severity::Warning, kW,
     "persistentVolumeReclaimPolicy Recycle (deprecated; only NFS and HostPath supported it)"},
    {RuleId::StoragePvSource, "storage/pv-source", Severity::Error, kE,
     "a PV with no volume source or more than one"},
    {RuleId::StorageMultipleDefaults, "storage/multiple-defaults", Severity::Warning, kW,
     "more than one StorageClass is marked default"},
    {RuleId::IngressBackendNotFound, "ingress/backend-not-found", Severity::Error, kE | kW,
     "an Ingress backend names a Service or port that does not exist"},
    {RuleId::WorkloadSelectorMismatch, "workload/selector-mismatch", Severity::Error, kE,
     "a workload's selector does not match its own pod template labels"},
    {RuleId::WorkloadOverlappingSelectors, "workload/overlapping-selectors", Severity::Warning, kW,
     "two controllers in one namespace select each other's pods"},
    {RuleId::WorkloadStatefulsetService, "workload/statefulset-service", Severity::Warning, kW,
     "a StatefulSet's serviceName is missing, not headless, or does not select its pods"},
    {RuleId::WorkloadRollingUpdate, "workload/rolling-update", Severity::Error, kE,
     "maxSurge and maxUnavailable both 0, or rollingUpdate with a non-rolling strategy"},
    {RuleId::WorkloadDuplicateEnv, "workload/duplicate-env", Severity::Warning, kW,
     "a container defines the same variable twice"},
    {RuleId::WorkloadEnvForwardReference, "workload/env-forward-reference", Severity::Warning, kW,
     "an env value uses $(VAR) before VAR is declared, or VAR is never declared"},
    {RuleId::AffinitySessionConfig, "affinity/session-config", Severity::Error, kE | kW,
     "sessionAffinityConfig timeout outside 1-86400 (error), or a config the API server drops (warning)"},
    {RuleId::AffinitySessionIneffective, "affinity/session-ineffective", Severity::Warning, kW,
     "sessionAffinity: ClientIP on a headless or ExternalName Service, where no proxy applies it"},
    {RuleId::AffinityOperator, "affinity/operator", Severity::Error, kE,
     "a selector requirement breaks operator rules (values for In/NotIn, none for Exists, one integer for Gt/Lt)"},
    {RuleId::AffinityTopologyKey, "affinity/topology-key", Severity::Error, kE,
     "a pod (anti-)affinity term without a valid topologyKey, or a preferred weight outside 1-100"},
    {RuleId::AffinityUnsatisfiable, "affinity/unsatisfiable", Severity::Error, kE,
     "a required affinity term no pod, node or node count of the set can ever satisfy"},
    {RuleId::AffinityNoAntiAffinity, "affinity/no-anti-affinity", Severity::Info, kI,
     "a workload with more than one replica and neither pod anti-affinity nor topology spread constraints"},
    {RuleId::AffinityTopologySpread, "affinity/topology-spread", Severity::Error, kE | kW,
     "a topology spread constraint is invalid (maxSkew < 1, empty topologyKey) or spreads nothing (warning)"},
    {RuleId::KustomizeMissingResource, "kustomize/missing-resource", Severity::Error, kE,
     "a resources/components/patch/generator path does not exist (kustomize fails the build)"},
    {RuleId::KustomizeLoadRestriction, "kustomize/load-restriction", Severity::Error, kE,
     "a path leaves the kustomization's root (kustomize refuses files outside it)"},
    {RuleId::KustomizePatchNoTarget, "kustomize/patch-no-target", Severity::Error, kE,
     "a patch matches no resource (kustomize fails the build)"},
    {RuleId::KustomizeIdConflict, "kustomize/id-conflict", Severity::Error, kE,
     "two resources end up with the same kind/namespace/name (kustomize: \"already registered id\")"},
    {RuleId::KustomizeInvalid, "kustomize/invalid", Severity::Error, kE,
     "a kustomization field of the wrong type or unknown, a cycle of kustomizations, a malformed patch or "
     "replacement"},
    {RuleId::KustomizeUnsupported, "kustomize/unsupported", Severity::Warning, kW,
     "something kmc does not render (remote resources, helmCharts, plugins): the root is checked file by file"},
    {RuleId::KustomizeDeprecated, "kustomize/deprecated", Severity::Info, kI,
     "a field kustomize v5 deprecates (bases, commonLabels, patchesStrategicMerge, vars...), with its replacement"},
    {RuleId::ReferenceConfigmapNotFound, "reference/configmap-not-found", Severity::Warning, kW | kI,
     "a pod names a ConfigMap absent from its namespace, without optional: true (it sticks in "
     "CreateContainerConfigError or ContainerCreating)"},
    {RuleId::ReferenceConfigmapKeyNotFound, "reference/configmap-key-not-found", Severity::Error, kE,
     "the ConfigMap is in the input but has no such key in data or binaryData (env key, volume items[].key)"},
    {RuleId::ReferenceSecretNotFound, "reference/secret-not-found", Severity::Warning, kW | kI,
     "the same for Secrets, also imagePullSecrets"},
    {RuleId::ReferenceSecretKeyNotFound, "reference/secret-key-not-found", Severity::Error, kE,
     "the Secret is in the input but has no such key in data or stringData"},
    {RuleId::ReferenceServiceAccountNotFound, "reference/service-account-not-found", Severity::Warning, kW | kI,
     "serviceAccountName or a binding's ServiceAccount subject names no ServiceAccount (the pods are never created)"},
    {RuleId::ReferenceRoleNotFound, "reference/role-not-found", Severity::Warning, kE | kW | kI,
     "a RoleBinding/ClusterRoleBinding roleRef names no Role/ClusterRole; a ClusterRoleBinding to a Role is an error"},
    {RuleId::ReferencePriorityClassNotFound, "reference/priority-class-not-found", Severity::Error, kE | kI,
     "priorityClassName names no PriorityClass (admission rejects the pod)"},
    {RuleId::ReferenceVolumeMountUndefined, "reference/volume-mount-undefined", Severity::Error, kE,
     "a volumeMounts[].name (or volumeDevices) names no volume of the pod (the API server rejects it)"},
    {RuleId::ReferenceProbePortNotFound, "reference/probe-port-not-found", Severity::Error, kE,
     "a probe's or lifecycle hook's named port is not a port name of its container (the probe always fails)"},
    {RuleId::DisruptionNoMatchingPods, "disruption/no-matching-pods", Severity::Warning, kW,
     "a PDB selects no pod template in its namespace (closed world)"},
    {RuleId::DisruptionBlocksEviction, "disruption/blocks-eviction", Severity::Warning, kW,
     "minAvailable >= the replicas it covers, or maxUnavailable 0/0%: every voluntary eviction is refused, so node "
     "drains hang"},
    {RuleId::DisruptionOverlapping, "disruption/overlapping", Severity::Warning, kW,
     "two PDBs select the same pods (the eviction API refuses to evict them)"},
    {RuleId::AutoscalingTargetNotFound, "autoscaling/target-not-found", Severity::Warning, kW | kI,
     "scaleTargetRef names no workload (closed world)"},
    {RuleId::AutoscalingMissingRequests, "autoscaling/missing-requests", Severity::Error, kE,
     "a Resource/ContainerResource metric with Utilization on a resource some container does not request: the HPA "
     "cannot compute it and does not scale"},
    {RuleId::AutoscalingReplicasConflict, "autoscaling/replicas-conflict", Severity::Info, kI,
     "the target also sets spec.replicas: every apply resets what the HPA chose"},
    {RuleId::AutoscalingBounds, "autoscaling/bounds", Severity::Error, kE,
     "minReplicas > maxReplicas, or minReplicas 0 without the alpha gate"},
    {RuleId::AdmissionPodSecurity, "admission/pod-security", Severity::Error, kE | kW,
     "a pod template violates the Pod Security Standard its namespace enforces (error) or warns or audits "
     "(warning), naming each failing control as the PodSecurity admission plugin does"},
    {RuleId::AdmissionReadinessMissing, "admission/readiness-missing", Severity::Info, kI,
     "a container of pods selected by a Service has no readiness probe: traffic arrives before the process is ready"},
    {RuleId::AdmissionQuotaRequiresResources, "admission/quota-requires-resources", Severity::Error, kE,
     "a ResourceQuota in the namespace limits requests.*/limits.* and a container lacks that request/limit (after "
     "LimitRange defaults): pods are forbidden"},
    {RuleId::AdmissionQuotaExceeded, "admission/quota-exceeded", Severity::Warning, kW,
     "replicas x requests of the namespace's workloads, or its claims' storage/count, exceed a quota's hard"},
    {RuleId::AdmissionLimitRange, "admission/limit-range", Severity::Error, kE,
     "a container's request/limit is outside a LimitRange's min/max or breaks maxLimitRequestRatio"},
    {RuleId::PracticeImageTag, "practice/image-tag", Severity::Info, kI,
     "an image without a tag or digest, or with :latest (what runs changes without a change in git)", true},
    {RuleId::PracticeResources, "practice/resources", Severity::Info, kI,
     "a container without CPU and memory requests, or without a memory limit", true},
    {RuleId::NetworkPolicyNoMatchingPods, "network-policy/no-matching-pods", Severity::Warning, kW,
     "a non-empty podSelector selects no pod template in its namespace"},
    {RuleId::NetworkPolicyPeerMatchesNothing, "network-policy/peer-matches-nothing", Severity::Warning, kW,
     "a from/to peer's podSelector matches no pod template in the namespaces it names (closed world)"},
    {RuleId::NetworkPolicyBlocksConsumer, "network-policy/blocks-consumer", Severity::Error, kE,
     "a pod, Ingress or Gateway route linked to a Service cannot reach its pods on the target port: the pods are "
     "isolated for ingress (or the caller for egress) and no rule admits the connection"},
    {RuleId::NetworkPolicyBlocksDns, "network-policy/blocks-dns", Severity::Error, kE,
     "pods isolated for egress with no rule admitting UDP 53 to the cluster DNS: every name lookup fails"},
    {RuleId::GatewayParentNotFound, "gateway/parent-not-found", Severity::Warning, kW,
     "a route's parentRefs names no Gateway, or a sectionName/port no listener of it has"},
    {RuleId::GatewayBackendNotFound, "gateway/backend-not-found", Severity::Error, kE | kW,
     "a route's backendRefs names a Service that does not exist (warning) or a port it does not expose, or omits "
     "the port"},
    {RuleId::GatewayMissingReferenceGrant, "gateway/missing-reference-grant", Severity::Error, kE,
     "a cross-namespace backend or certificate reference without a ReferenceGrant that allows it"},
    {RuleId::GatewayRouteNotAllowed, "gateway/route-not-allowed", Severity::Warning, kW,
     "the listeners a route attaches to admit no route of its namespace or kind (allowedRoutes), or none of its "
     "hostnames"},
};

// Row i is the rule of number i, and each row allows its own default.
constexpr bool rows_in_order() {
  for (size_t i = 0; i < std::size(kRows); ++i)
    if (static_cast<size_t>(kRows[i].rule) != i || !kRows[i].allows(kRows[i].severity)) return false;
  return std::size(kRows) == kRuleCount;
}
static_assert(rows_in_order(), "kRows lists every RuleId once, in the order of the enum, each allowing its default");

}  // namespace

std::span<const RuleRow> rule_catalogue() { return kRows; }

const RuleRow& rule_row(RuleId rule) { return kRows[static_cast<size_t>(rule)]; }

const RuleRow* find_rule_row(std::string_view id) {
  for (const RuleRow& r : kRows)
    if (r.id == id) return &r;
  return nullptr;
}

bool is_rule_family(std::string_view family) {
  for (const RuleRow& r : kRows)
    if (r.family() == family) return true;
  return false;
}

bool names_rules(std::string_view id) {
  if (id.ends_with("/*")) return is_rule_family(id.substr(0, id.size() - 2));
  return find_rule_row(id) != nullptr;
}

std::string_view nearest_rule_name(std::string_view id) {
  static const std::vector<std::string> families = [] {
    std::vector<std::string> out;
    for (const RuleRow& r : kRows)
      if (std::string f = std::string(r.family()) + "/*"; std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    return out;
  }();
  std::vector<std::string_view> names;
  for (const RuleRow& r : kRows) names.push_back(r.id);
  names.insert(names.end(), families.begin(), families.end());
  return closest(id, names);
}

}  // namespace kmc
