#include "checks/references.h"

#include <vector>

#include "core/spelling.h"

namespace kmc::checks {

bool builtin_name(std::string_view kind, std::string_view ns, std::string_view name) {
  if (kind == "ConfigMap") return name == "kube-root-ca.crt";  // the kube-root-ca.crt publisher's
  if (kind == "ServiceAccount") return name == "default";
  if (kind == "PriorityClass") return name == "system-cluster-critical" || name == "system-node-critical";
  // The user-facing ClusterRoles and the system's own.
  if (kind == "ClusterRole")
    return name == "cluster-admin" || name == "admin" || name == "edit" || name == "view" || name.starts_with("system:");
  // The API server's system: Roles, and the reader of the extension API servers'
  // authentication settings that every aggregated API server binds to.
  if (kind == "Role")
    return name.starts_with("system:") || (ns == "kube-system" && name == "extension-apiserver-authentication-reader");
  return false;
}

const Object* scale_target(const Topology& t, const Object& hpa, const schema::Autoscaler& a) {
  std::string_view api = a.target_api_version.value();
  size_t slash = api.find('/');
  std::string_view group = slash == std::string_view::npos ? std::string_view() : api.substr(0, slash);
  return t.find(group, a.target_kind.value(), hpa.ns, a.target_name.value());
}

std::string_view nearest_name(const Model& model, const Topology& t, std::string_view kind, std::string_view ns,
                              std::string_view name) {
  std::vector<std::string_view> names;
  for (uint32_t i : t.referenced_objects.find(NameKey{kind, ns, {}})) {
    if (names.size() == kMaxCandidates) break;
    names.push_back(model.objects[i].name());
  }
  return closest(name, names);
}

}  // namespace kmc::checks
