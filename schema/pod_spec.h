#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "schema/fields.h"
#include "schema/pod_security.h"

// The typed specs of what runs pods (Workload: every kind that stamps out pods, and its pod
// template), with ObjectMeta, which every object has; only the fields rules use.
namespace kmc::schema {
using parser::Node;

struct ObjectMeta {
  Text name, generate_name, ns;
  LabelMap labels, annotations;
  const Node* node = nullptr;
};

struct ContainerPort {
  Text name;
  Int container_port;
  Text protocol;
  const Node* node = nullptr;
};

struct EnvVar {
  Text name;
  Text value;
  bool has_value_from = false;
  const Node* node = nullptr;
};

struct EnvFromSource {
  Text prefix, config_map, secret;
  const Node* node = nullptr;
};

struct VolumeMount {
  Text name, mount_path, sub_path_expr;
  const Node* node = nullptr;
};

// A probe's or lifecycle hook's port given by name (`port: http`), which the kubelet looks up
// among the container's own ports.
struct NamedPort {
  Text name;
  std::string_view where;  // "livenessProbe.httpGet": static text
};

struct Container {
  Text name, image;
  std::vector<ContainerPort> ports;
  std::vector<EnvVar> env;
  std::vector<EnvFromSource> env_from;
  std::vector<Text> command, args;
  std::vector<VolumeMount> volume_mounts, volume_devices;  // a device's path is its mount_path
  std::vector<NamedPort> named_ports;
  // resources.requests, or the limits the API server defaults an unset request to.
  Text cpu_request, memory_request;
  Text cpu_limit, memory_limit;  // resources.limits
  bool init = false;  // an init (or sidecar) container
  bool readiness_probe = false;  // has a readinessProbe
  const Node* node = nullptr;
};

struct Volume {
  Text name;
  Text claim_name;  // persistentVolumeClaim.claimName
  const Node* node = nullptr;
};

struct NodeSelectorTerm {
  std::vector<SelectorRequirement> match_expressions, match_fields;
  const Node* node = nullptr;
};

struct PodAffinityTerm {
  LabelSelector label_selector;
  std::vector<Text> namespaces;
  LabelSelector namespace_selector;
  Text topology_key;
  std::vector<Text> match_label_keys, mismatch_label_keys;
  const Node* node = nullptr;
};

struct WeightedPodAffinityTerm {
  Int weight;
  PodAffinityTerm term;
  const Node* node = nullptr;
};

struct PreferredSchedulingTerm {
  Int weight;
  NodeSelectorTerm preference;
  const Node* node = nullptr;
};

struct PodAffinityRules {
  std::vector<PodAffinityTerm> required;
  std::vector<WeightedPodAffinityTerm> preferred;
  const Node* node = nullptr;
};

struct Affinity {
  std::vector<NodeSelectorTerm> node_required;
  const Node* node_required_node = nullptr;
  std::vector<PreferredSchedulingTerm> node_preferred;
  PodAffinityRules pod_affinity, pod_anti_affinity;
  const Node* node = nullptr;
};

struct TopologySpreadConstraint {
  Int max_skew;
  Text topology_key, when_unsatisfiable;
  LabelSelector label_selector;
  std::vector<Text> match_label_keys;
  const Node* node = nullptr;
};

// A pod's reference to a ConfigMap or Secret by name, and by key where it names one: env
// valueFrom, envFrom, volumes and their items, projected sources, imagePullSecrets.
struct ConfigRef {
  enum class Kind : uint8_t { ConfigMap, Secret };
  enum class Site : uint8_t { Env, EnvFrom, Volume, VolumeItem, ImagePullSecret };
  Kind kind = Kind::ConfigMap;
  Site site = Site::Env;
  bool optional = false;  // `optional: true`: the pod starts without it
  Text name, key;
  Text container;  // the container's name, for env and envFrom (ephemeral containers' too)
  const Node* node = nullptr;
};

struct PodSpec {
  std::vector<Container> containers;  // init containers first (init = true), then the app ones
  std::vector<Volume> volumes;
  std::vector<ConfigRef> config_refs;
  // On the heap, present only when the pod spec has `affinity`: most pods have none, and an
  // empty one held inline weighs on a large tree's model (docs/performance.md, "Measurements behind the code").
  std::unique_ptr<const Affinity> affinity_if_set;
  const Affinity& affinity() const;  // an empty Affinity when unset
  std::vector<TopologySpreadConstraint> topology_spread;
  std::optional<bool> enable_service_links;
  Text hostname, subdomain, service_account, priority_class;
  // On the heap, present only when the pod spec sets a field the Pod Security Standards read
  // (most pods set none, or a few): null is every default.
  std::unique_ptr<const PodSecurity> security_if_set;
  const Node* node = nullptr;
};

struct PodTemplate {
  ObjectMeta meta;
  PodSpec spec;
  const Node* node = nullptr;
};

struct PersistentVolumeClaimSpec {
  std::vector<Text> access_modes;
  Text storage_request;
  const Node* storage_class = nullptr;  // null node vs "" differ: see semantics 2.1
  std::string_view storage_class_name;
  Text volume_name, volume_mode;
  LabelSelector selector;
  const Node* node = nullptr;
};

// Anything that stamps out pods: Deployment, StatefulSet, DaemonSet, ReplicaSet,
// ReplicationController, Job, CronJob, PodTemplate, and a bare Pod (its own template).
struct Workload {
  std::optional<Int> replicas;  // absent: the kind's default (1), or none for DaemonSet/Job
  LabelSelector selector;       // ReplicationController's map selector becomes matchLabels
  PodTemplate pod_template;
  Text service_name;            // StatefulSet
  Int ordinals_start;           // StatefulSet spec.ordinals.start (default 0)
  struct ClaimTemplate {
    ObjectMeta meta;
    PersistentVolumeClaimSpec spec;
    const Node* node = nullptr;
  };
  std::vector<ClaimTemplate> volume_claim_templates;
  // spec.strategy.rollingUpdate (updateStrategy for StatefulSets and DaemonSets). On the heap,
  // present only when the workload sets it: most leave the default, and an empty one held
  // inline weighs on a large tree's model (docs/performance.md, "Measurements behind the code").
  struct RollingUpdate {
    Text strategy_type;  // the strategy's `type`, beside it
    IntOrString max_surge, max_unavailable;
    const Node* node = nullptr;
    const Node* key = nullptr;  // the `rollingUpdate` key
  };
  std::unique_ptr<const RollingUpdate> rolling_update;
};

}  // namespace kmc::schema
