#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "core/finding.h"

// The rule catalogue: every rule kmc reports, with its id, its default severity, the severities
// it may report, and its one-line summary. Ids and severities are an interface
// (../shared/docs/rules.md): never renamed. Everything that names a rule names its row here — the
// parser's and the schema's findings as much as the rules of checks/ (checks/rule.h binds each
// row to the function that checks it) — and `kmc rules`, the rule pages, SARIF's rule entries
// and .kmc.yaml's rule settings read this table.
namespace kmc {

enum class RuleId : uint8_t {
  // syntax/
  SyntaxYaml,
  SyntaxDuplicateKey,
  SyntaxNotAnObject,
  SyntaxLimit,
  SyntaxBadSuppression,
  SyntaxUnusedSuppression,
  SyntaxEmptyInput,
  // schema/
  SchemaUnknownField,
  SchemaType,
  SchemaEnum,
  SchemaRequired,
  SchemaName,
  SchemaLabel,
  SchemaQuantity,
  SchemaInvalidValue,
  SchemaApiVersion,
  SchemaUnknownKind,
  SchemaDuplicateObject,
  // version/: the schema stage's findings about the target release (schema/validate.cc)
  VersionRemoved,
  VersionDeprecated,
  VersionFieldUnknown,
  // service/
  ServiceNoMatchingPods,
  ServiceTargetPortNotFound,
  ServiceTargetPortNotExposed,
  ServicePortNames,
  ServiceNodePort,
  ServiceSelectorlessWithoutEndpoints,
  ServiceExternalName,
  // endpoints/
  EndpointsOrphan,
  EndpointsOverwritten,
  EndpointsPortMismatch,
  EndpointsInvalidAddress,
  EndpointsDeprecatedApi,
  // discovery/
  DiscoveryServiceAfterConsumer,
  DiscoveryUnknownService,
  DiscoveryNeverInjected,
  DiscoveryShadowed,
  DiscoveryUnknownDnsName,
  // storage/
  StorageClaimUnbound,
  StorageVolumeContention,
  StorageClaimNotFound,
  StorageStatefulsetClaims,
  StorageSelectorWithProvisioning,
  StorageRwoShared,
  StorageReclaimRecycle,
  StoragePvSource,
  StorageMultipleDefaults,
  // ingress/
  IngressBackendNotFound,
  // workload/
  WorkloadSelectorMismatch,
  WorkloadOverlappingSelectors,
  WorkloadStatefulsetService,
  WorkloadRollingUpdate,
  WorkloadDuplicateEnv,
  WorkloadEnvForwardReference,
  // affinity/
  AffinitySessionConfig,
  AffinitySessionIneffective,
  AffinityOperator,
  AffinityTopologyKey,
  AffinityUnsatisfiable,
  AffinityNoAntiAffinity,
  AffinityTopologySpread,
  // kustomize/
  KustomizeMissingResource,
  KustomizeLoadRestriction,
  KustomizePatchNoTarget,
  KustomizeIdConflict,
  KustomizeInvalid,
  KustomizeUnsupported,
  KustomizeDeprecated,
  // reference/
  ReferenceConfigmapNotFound,
  ReferenceConfigmapKeyNotFound,
  ReferenceSecretNotFound,
  ReferenceSecretKeyNotFound,
  ReferenceServiceAccountNotFound,
  ReferenceRoleNotFound,
  ReferencePriorityClassNotFound,
  ReferenceVolumeMountUndefined,
  ReferenceProbePortNotFound,
  // disruption/
  DisruptionNoMatchingPods,
  DisruptionBlocksEviction,
  DisruptionOverlapping,
  // autoscaling/
  AutoscalingTargetNotFound,
  AutoscalingMissingRequests,
  AutoscalingReplicasConflict,
  AutoscalingBounds,
  AdmissionPodSecurity,
  AdmissionReadinessMissing,
  AdmissionQuotaRequiresResources,
  AdmissionQuotaExceeded,
  AdmissionLimitRange,
  PracticeImageTag,
  PracticeResources,
  // network-policy/
  NetworkPolicyNoMatchingPods,
  NetworkPolicyPeerMatchesNothing,
  NetworkPolicyBlocksConsumer,
  NetworkPolicyBlocksDns,
  // gateway/
  GatewayParentNotFound,
  GatewayBackendNotFound,
  GatewayMissingReferenceGrant,
  GatewayRouteNotAllowed,
};
inline constexpr size_t kRuleCount = static_cast<size_t>(RuleId::GatewayRouteNotAllowed) + 1;

// A set of severities, one bit each.
using Severities = uint8_t;
constexpr Severities severity_bit(Severity s) { return static_cast<Severities>(1u << static_cast<unsigned>(s)); }

struct RuleRow {
  RuleId rule;
  std::string_view id;   // family/slug
  Severity severity;     // the default
  Severities allowed;    // what its findings may have (the default among them)
  std::string_view summary;
  // Off unless `.kmc.yaml` enables it (rules: {enable: [practice]}): hygiene some teams want.
  bool off_by_default = false;

  std::string_view family() const { return id.substr(0, id.find('/')); }
  constexpr bool allows(Severity s) const { return (allowed & severity_bit(s)) != 0; }
};

// Every row, in catalogue order (by family, as ../shared/docs/rules.md lists them).
std::span<const RuleRow> rule_catalogue();
const RuleRow& rule_row(RuleId rule);
// The id of a rule, for Finding::rule (static text).
inline std::string_view rule_name(RuleId rule) { return rule_row(rule).id; }
// The row of an id, or nullptr.
const RuleRow* find_rule_row(std::string_view id);
// Whether `family` is the family of some rule ("storage").
bool is_rule_family(std::string_view family);
// Whether `id` names a rule, or a family as `family/*` (what suppressions and .kmc.yaml take;
// .kmc.yaml also takes a bare family).
bool names_rules(std::string_view id);
// The rule id (or `family/*`) nearest to a misspelt one, or empty: for "did you mean".
std::string_view nearest_rule_name(std::string_view id);

}  // namespace kmc
