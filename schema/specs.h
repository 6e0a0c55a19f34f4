#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "schema/fields.h"
#include "schema/pod_spec.h"

// The typed specs of the kinds rules read that are no workloads (schema/pod_spec.h has those),
// one struct per kind, holding only the fields rules use.
namespace kmc::schema {
using parser::Node;

struct ServicePort {
  Text name, protocol;
  Int port, node_port;
  IntOrString target_port;
  const Node* node = nullptr;
  // The API server defaults a targetPort that is absent, 0 or "" to the port itself.
  bool targets_own_port() const {
    return !target_port.set() || (target_port.is_int ? target_port.int_value == 0 : target_port.str_value.empty());
  }
};

struct Service {
  Text type, cluster_ip, external_name, session_affinity;
  LabelMap selector;
  std::vector<ServicePort> ports;
  Int session_affinity_timeout;
  const Node* session_affinity_config_key = nullptr;  // set when sessionAffinityConfig is a mapping
  bool publish_not_ready_addresses = false;
  const Node* spec = nullptr;

  bool headless() const { return cluster_ip.value() == "None"; }
  bool external() const { return type.value() == "ExternalName"; }
};

struct EndpointAddress {
  Text ip, hostname;
  const Node* node = nullptr;
};

struct EndpointPort {
  Text name, protocol;
  Int port;
  const Node* node = nullptr;
};

struct EndpointSubset {
  std::vector<EndpointAddress> addresses, not_ready_addresses;
  std::vector<EndpointPort> ports;
  const Node* node = nullptr;
};

struct Endpoints {
  std::vector<EndpointSubset> subsets;
  const Node* kind_key = nullptr;  // the object's `kind` key
};

struct EndpointSlice {
  Text address_type;
  std::vector<EndpointAddress> addresses;  // every endpoints[].addresses[] entry
  std::vector<EndpointPort> ports;
};

struct PersistentVolume {
  Text capacity;  // capacity.storage
  std::vector<Text> access_modes;
  Text volume_mode, reclaim_policy;
  const Node* storage_class = nullptr;
  std::string_view storage_class_name;
  Text claim_ref_namespace, claim_ref_name;
  Text claim_ref_uid;  // set: bound before, to the claim object of this uid (read back from a cluster)
  std::vector<const Node*> sources;  // keys of spec that are volume sources
  std::vector<NodeSelectorTerm> node_affinity;
  const Node* spec = nullptr;
  const Node* spec_key = nullptr;  // the object's `spec` key
};

struct PersistentVolumeClaim {
  PersistentVolumeClaimSpec spec;
  Text uid;  // metadata.uid: set only on a claim read back from a cluster
};

// A ConfigMap's or a Secret's data: the keys its envFrom consumers get as variables.
struct ConfigData {
  const Node* data = nullptr;         // `data` with its keys, when a mapping
  const Node* string_data = nullptr;  // `stringData` (a Secret's), likewise
  const Node* binary_data = nullptr;  // `binaryData` (a ConfigMap's), likewise
};

struct StorageClass {
  Text provisioner, volume_binding_mode;
  bool is_default = false;
};

struct Ingress {
  struct Backend {
    Text service_name;
    Int port_number;
    Text port_name;
    const Node* node = nullptr;
  };
  std::vector<Backend> backends;  // the default backend and every rule path's backend
  std::vector<Text> tls_secrets;  // tls[].secretName
};

// A RoleBinding or ClusterRoleBinding: the role it grants and to whom.
struct Binding {
  Text role_kind, role_name;  // roleRef.kind (Role, ClusterRole) and roleRef.name
  struct Subject {
    Text kind, name, ns;
    const Node* node = nullptr;
  };
  std::vector<Subject> subjects;
};

// A HorizontalPodAutoscaler (autoscaling/v1 or v2): what it scales, its bounds, and the
// resource metrics whose utilization it computes from the pods' requests.
struct Autoscaler {
  Text target_api_version, target_kind, target_name;
  Int min_replicas, max_replicas;
  struct ResourceMetric {
    std::string_view resource;  // "cpu", "memory"
    Text container;             // a ContainerResource metric's
    bool utilization = false;  // target type Utilization (v1's targetCPUUtilizationPercentage)
    const Node* node = nullptr;
  };
  // Resource and ContainerResource metrics; with none at all, the controller's default: 80 %
  // CPU utilization (node: the spec).
  std::vector<ResourceMetric> metrics;
  const Node* spec = nullptr;
};

// A PodDisruptionBudget: the pods it selects, and how many of them an eviction must leave.
struct DisruptionBudget {
  LabelSelector selector;
  IntOrString min_available, max_unavailable;
};

// A ResourceList entry (`cpu: 500m`, `requests.memory: 8Gi`, `count/deployments.apps: 10`).
struct Amount {
  Text name, value;
};

// A ResourceQuota: the totals its namespace may hold, and the scopes that narrow what it counts.
struct ResourceQuota {
  std::vector<Amount> hard;
  std::vector<Text> scopes;
  const Node* scope_selector = nullptr;  // spec.scopeSelector, when set
};

// A LimitRange: per-container (and per-pod, per-claim) bounds and the defaults it fills in.
struct LimitRange {
  struct Item {
    Text type;  // Container, Pod, PersistentVolumeClaim
    std::vector<Amount> max, min, default_limit, default_request, max_limit_request_ratio;
    const Node* node = nullptr;
  };
  std::vector<Item> limits;
};

}  // namespace kmc::schema
