#include "core/rule_catalogue.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/spelling.h"

namespace kmc {
namespace {

constexpr Severities E = severity_bit(Severity::Error);
constexpr Severities W = severity_bit(Severity::Warning);
constexpr Severities I = severity_bit(Severity::Info);

constexpr RuleRow kRows[] = {
    {RuleId::SyntaxYaml, "syntax/yaml", Severity::Error, E,
     "a document is not valid YAML or JSON"},
    {RuleId::SyntaxDuplicateKey, "syntax/duplicate-key", Severity::Error, E,
     "a mapping repeats a key"},
    {RuleId::SyntaxNotAnObject, "syntax/not-an-object", Severity::Error, E,
     "a document is not a mapping with apiVersion and kind"},
    {RuleId::SyntaxLimit, "syntax/limit", Severity::Error, E,
     "nesting depth, alias expansion, document count or file size exceeds a safety limit"},
    {RuleId::SyntaxBadSuppression, "syntax/bad-suppression", Severity::Error, E,
     "a kmc:ignore comment or kmc.dev/ignore annotation names no rule, or a rule kmc does not have"},
    {RuleId::SyntaxUnusedSuppression, "syntax/unused-suppression", Severity::Info, I,
     "a suppression that silences nothing"},
    {RuleId::SyntaxEmptyInput, "syntax/empty-input", Severity::Warning, W,
     "the input yields no Kubernetes object at all (an empty stdin, a directory without manifests)"},
    {RuleId::SchemaUnknownField, "schema/unknown-field", Severity::Error, E,
     "a field the API does not define (names the closest valid field)"},
    {RuleId::SchemaType, "schema/type", Severity::Error, E,
     "a value of the wrong type (a quoted number, a list for a mapping)"},
    {RuleId::SchemaEnum, "schema/enum", Severity::Error, E,
     "a value outside the field's allowed values"},
    {RuleId::SchemaRequired, "schema/required", Severity::Error, E,
     "a required field is missing"},
    {RuleId::SchemaName, "schema/name", Severity::Error, E,
     "metadata.name or another DNS name breaks the RFC 1123/1035 rules"},
    {RuleId::SchemaLabel, "schema/label", Severity::Error, E,
     "a label, selector or annotation key or value breaks the label syntax"},
    {RuleId::SchemaQuantity, "schema/quantity", Severity::Error, E,
     "a resource quantity does not parse"},
    {RuleId::SchemaInvalidValue, "schema/invalid-value", Severity::Error, E,
     "a value or combination of fields that the API server's validation rejects beyond the schema (a headless NodePort Service, a Deployment whose progress deadline is not above minReadySeconds)"},
    {RuleId::SchemaApiVersion, "schema/api-version", Severity::Error, E,
     "a kind under an apiVersion the API does not serve (removed version, misspelt group or kind)"},
    {RuleId::SchemaUnknownKind, "schema/unknown-kind", Severity::Info, I,
     "apiVersion/kind has no schema in kmc or in a CRD of the input"},
    {RuleId::SchemaDuplicateObject, "schema/duplicate-object", Severity::Error, E,
     "the same kind/namespace/name appears twice"},
    {RuleId::ServiceNoMatchingPods, "service/no-matching-pods", Severity::Warning, W,
     "a Service's selector matches no pod template"},
    {RuleId::ServiceTargetPortNotFound, "service/target-port-not-found", Severity::Error, E,
     "a named targetPort is not a port name of any selected container"},
    {RuleId::ServiceTargetPortNotExposed, "service/target-port-not-exposed", Severity::Info, I,
     "a numeric targetPort is not a declared containerPort of the selected pods"},
    {RuleId::ServicePortNames, "service/port-names", Severity::Error, E,
     "a multi-port Service has an unnamed port, a repeated name or a repeated port/protocol"},
    {RuleId::ServiceNodePort, "service/node-port", Severity::Error, E,
     "a nodePort outside 30000-32767, on a ClusterIP Service, or used twice"},
    {RuleId::ServiceSelectorlessWithoutEndpoints, "service/selectorless-without-endpoints", Severity::Warning, W,
     "a selector-less Service with no Endpoints or EndpointSlice of its name"},
    {RuleId::ServiceExternalName, "service/external-name", Severity::Error, E | W,
     "an ExternalName Service without a valid DNS name, or with fields it ignores"},
    {RuleId::EndpointsOrphan, "endpoints/orphan", Severity::Warning, W,
     "Endpoints or an EndpointSlice whose Service does not exist"},
    {RuleId::EndpointsOverwritten, "endpoints/overwritten", Severity::Error, E,
     "manual Endpoints for a Service with a selector, which the controller overwrites"},
    {RuleId::EndpointsPortMismatch, "endpoints/port-mismatch", Severity::Error, E,
     "a selector-less Service port with no endpoint port of the same name"},
    {RuleId::EndpointsInvalidAddress, "endpoints/invalid-address", Severity::Error, E,
     "an endpoint address that is not an IP, or is loopback, link-local or unspecified"},
    {RuleId::EndpointsDeprecatedApi, "endpoints/deprecated-api", Severity::Info, I,
     "v1 Endpoints, deprecated since 1.33"},
    {RuleId::DiscoveryServiceAfterConsumer, "discovery/service-after-consumer", Severity::Error, E,
     "a pod uses a Service's variables but the Service is applied after it"},
    {RuleId::DiscoveryUnknownService, "discovery/unknown-service", Severity::Warning, W,
     "a service variable names no Service in the pod's namespace"},
    {RuleId::DiscoveryNeverInjected, "discovery/never-injected", Severity::Error, E,
     "a service variable that the kubelet never sets for this pod"},
    {RuleId::DiscoveryShadowed, "discovery/shadowed", Severity::Warning, W,
     "a container defines a variable with a name the kubelet generates for a Service"},
    {RuleId::DiscoveryUnknownDnsName, "discovery/unknown-dns-name", Severity::Warning, W | I,
     "an in-cluster DNS name that no Service or StatefulSet pod provides"},
    {RuleId::StorageClaimUnbound, "storage/claim-unbound", Severity::Error, E | W,
     "no PV satisfies a claim and dynamic provisioning cannot serve it (lists the nearest PVs)"},
    {RuleId::StorageVolumeContention, "storage/volume-contention", Severity::Error, E,
     "binding claims smallest-fit leaves a claim without a PV because another claim took it"},
    {RuleId::StorageClaimNotFound, "storage/claim-not-found", Severity::Error, E,
     "a pod volume names a PVC that is neither defined nor produced by a StatefulSet template"},
    {RuleId::StorageStatefulsetClaims, "storage/statefulset-claims", Severity::Error, E | W,
     "volumeClaimTemplates x replicas needs more matching PVs than exist, with no provisioner"},
    {RuleId::StorageSelectorWithProvisioning, "storage/selector-with-provisioning", Severity::Error, E,
     "a claim has a selector and relies on dynamic provisioning, which ignores selectors"},
    {RuleId::StorageRwoShared, "storage/rwo-shared", Severity::Warning, W,
     "a ReadWriteOnce/ReadWriteOncePod claim is mounted by a workload with more than one replica"},
    {RuleId::StorageReclaimRecycle, "storage/reclaim-recycle", Severity::Warning, W,
     "persistentVolumeReclaimPolicy Recycle (deprecated; only NFS and HostPath supported it)"},
    {RuleId::StoragePvSource, "storage/pv-source", Severity::Error, E,
     "a PV with no volume source or more than one"},
    {RuleId::StorageMultipleDefaults, "storage/multiple-defaults", Severity::Warning, W,
     "more than one StorageClass is marked default"},
    {RuleId::IngressBackendNotFound, "ingress/backend-not-found", Severity::Error, E | W,
     "an Ingress backend names a Service or port that does not exist"},
    {RuleId::WorkloadSelectorMismatch, "workload/selector-mismatch", Severity::Error, E,
     "a workload's selector does not match its own pod template labels"},
    {RuleId::WorkloadOverlappingSelectors, "workload/overlapping-selectors", Severity::Warning, W,
     "two controllers in one namespace select each other's pods"},
    {RuleId::WorkloadStatefulsetService, "workload/statefulset-service", Severity::Warning, W,
     "a StatefulSet's serviceName is missing, not headless, or does not select its pods"},
    {RuleId::WorkloadRollingUpdate, "workload/rolling-update", Severity::Error, E,
     "maxSurge and maxUnavailable both 0, or rollingUpdate with a non-rolling strategy"},
    {RuleId::WorkloadDuplicateEnv, "workload/duplicate-env", Severity::Warning, W,
     "a container defines the same variable twice"},
    {RuleId::WorkloadEnvForwardReference, "workload/env-forward-reference", Severity::Warning, W,
     "an env value uses $(VAR) before VAR is declared, or VAR is never declared"},
    {RuleId::AffinitySessionConfig, "affinity/session-config", Severity::Error, E | W,
     "sessionAffinityConfig timeout outside 1-86400 (error), or a config the API server drops (warning)"},
    {RuleId::AffinitySessionIneffective, "affinity/session-ineffective", Severity::Warning, W,
     "sessionAffinity: ClientIP on a headless or ExternalName Service, where no proxy applies it"},
    {RuleId::AffinityOperator, "affinity/operator", Severity::Error, E,
     "a selector requirement breaks operator rules (values for In/NotIn, none for Exists, one integer for Gt/Lt)"},
    {RuleId::AffinityTopologyKey, "affinity/topology-key", Severity::Error, E,
     "a pod (anti-)affinity term without a valid topologyKey, or a preferred weight outside 1-100"},
    {RuleId::AffinityUnsatisfiable, "affinity/unsatisfiable", Severity::Error, E,
     "a required affinity term no pod, node or node count of the set can ever satisfy"},
    {RuleId::AffinityNoAntiAffinity, "affinity/no-anti-affinity", Severity::Info, I,
     "a workload with more than one replica and neither pod anti-affinity nor topology spread constraints"},
    {RuleId::AffinityTopologySpread, "affinity/topology-spread", Severity::Error, E | W,
     "a topology spread constraint is invalid (maxSkew < 1, empty topologyKey) or spreads nothing (warning)"},
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
