#pragma once
#include <string_view>

#include "checks/topology.h"
#include "schema/specs.h"

// What the reference rules and `kmc graph` both need to know about a name one object gives
// another: the names every cluster has, the object an autoscaler scales, and the nearest
// existing name for a "did you mean".
namespace kmc::checks {

// Names every cluster has, which a reference may use without the set defining them: the
// `kube-root-ca.crt` ConfigMap of every namespace, the `default` ServiceAccount, Kubernetes'
// own ClusterRoles and Roles, and the `system-*` PriorityClasses.
bool builtin_name(std::string_view kind, std::string_view ns, std::string_view name);

// The object an autoscaler's scaleTargetRef names (group from its apiVersion), or null.
const Object* scale_target(const Topology& t, const Object& hpa, const schema::Autoscaler& a);

// The name of an object of `kind` in `ns` (a kind Topology::namespace_has knows) nearest to
// `name` by spelling, or empty. Only the first kMaxCandidates of the namespace are compared,
// so that a flood of dangling references in a huge namespace stays linear.
inline constexpr size_t kMaxCandidates = 256;
std::string_view nearest_name(const Model& model, const Topology& t, std::string_view kind, std::string_view ns,
                              std::string_view name);

}  // namespace kmc::checks
