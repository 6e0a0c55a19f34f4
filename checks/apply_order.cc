#include "checks/apply_order.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace kmc::checks {
using schema::Model;
using schema::Object;
using schema::Workload;

namespace {

ApplyStage stage_of(const Object& o) {
  std::string_view k = o.kind();
  if (k == "Namespace" || k == "CustomResourceDefinition") return ApplyStage::Definitions;
  if (k == "StorageClass" || k == "PersistentVolume" || k == "PriorityClass" || k == "RuntimeClass")
    return ApplyStage::ClusterStorage;
  if (k == "ServiceAccount" || k == "Secret" || k == "ConfigMap" || k == "Role" || k == "ClusterRole" ||
      k == "RoleBinding" || k == "ClusterRoleBinding" || k == "ResourceQuota" || k == "LimitRange" ||
      k == "NetworkPolicy" || k == "PodSecurityPolicy")
    return ApplyStage::Configuration;
  if (k == "PersistentVolumeClaim") return ApplyStage::Claims;
  if (k == "Service" || k == "Endpoints" || k == "EndpointSlice") return ApplyStage::Services;
  if (o.as<Workload>()) return ApplyStage::Workloads;
  return ApplyStage::Rest;
}

}  // namespace

std::string_view stage_name(ApplyStage s) {
  switch (s) {
    case ApplyStage::Definitions: return "definitions";
    case ApplyStage::ClusterStorage: return "cluster storage";
    case ApplyStage::Configuration: return "configuration";
    case ApplyStage::Claims: return "claims";
    case ApplyStage::Services: return "services";
    case ApplyStage::Workloads: return "workloads";
    case ApplyStage::Rest: return "the rest";
  }
  return "";
}

std::vector<Placement> safe_apply_order(const Model& model, const Topology& t) {
  // Which Services each workload discovers through variables, for the explanation.
  std::map<const Object*, std::set<std::string>> discovers;
  for (const ServiceVariableUse& u : t.variable_uses)
    if (u.service && !u.service->object->context)
      discovers[t.pod_sources[u.pod_source].object].insert(u.service->object->display());

  std::vector<Placement> out;
  for (const Object& o : model.objects) {
    if (o.context) continue;
    ApplyStage stage = stage_of(o);
    std::string reason;
    switch (stage) {
      case ApplyStage::Definitions: reason = "other objects live in it or are of its kind"; break;
      case ApplyStage::ClusterStorage: reason = "claims bind to volumes and classes that exist"; break;
      case ApplyStage::Configuration: reason = "pods mount and reference it when they start"; break;
      case ApplyStage::Claims: reason = "after volumes and classes, before the pods that mount it"; break;
      case ApplyStage::Services:
        reason = "before every workload: the kubelet injects service variables only for Services that exist "
                 "when a container starts";
        break;
      case ApplyStage::Workloads: {
        auto it = discovers.find(&o);
        if (it == discovers.end()) {
          reason = "after the configuration, claims and Services its pods use";
        } else {
          std::string names;
          for (const std::string& n : it->second) names += (names.empty() ? "" : ", ") + n;
          reason = fmt::format("discovers {} through environment variables, so it comes after {}", names,
                               it->second.size() == 1 ? "it" : "them");
        }
        break;
      }
      case ApplyStage::Rest: reason = "refers to objects above (Services, workloads) or extends the API"; break;
    }
    out.push_back({&o, stage, std::move(reason)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Placement& a, const Placement& b) { return a.stage < b.stage; });
  return out;
}

}  // namespace kmc::checks
