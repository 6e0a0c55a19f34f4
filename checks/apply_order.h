#pragma once
#include <string>
#include <vector>

#include "checks/topology.h"
#include "schema/model.h"

// The safe apply order `kmc compile` emits: what must exist before what, and why.
namespace kmc::checks {
using schema::Model;
using schema::Object;

enum class ApplyStage : uint8_t {
  Definitions,    // Namespaces, CustomResourceDefinitions: everything else lives in them
  ClusterStorage, // StorageClasses, PersistentVolumes, PriorityClasses
  Configuration,  // ServiceAccounts, Secrets, ConfigMaps, RBAC, quotas, policies
  Claims,         // PersistentVolumeClaims: their volumes and classes exist now
  Services,       // Services, Endpoints, EndpointSlices: before any pod that discovers them
  Workloads,      // everything that creates pods
  Rest,           // Ingresses, autoscalers, budgets, webhooks, custom resources
};
std::string_view stage_name(ApplyStage s);

struct Placement {
  const Object* object;
  ApplyStage stage;
  std::string reason;  // why it sits here, for `kmc compile --explain`
};

// Every input object (never a context object) in a safe order: by stage, stable otherwise.
// A Service never depends on another Service, so the order has no cycles by construction.
std::vector<Placement> safe_apply_order(const Model& model, const Topology& topology);

}  // namespace kmc::checks
