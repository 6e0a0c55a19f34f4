#pragma once
#include <string_view>
#include <vector>

#include "schema/fields.h"

// What the Pod Security Standards read of a pod spec (admission/pod-security): the host
// namespaces, the pod's and each container's securityContext, host ports, probe and lifecycle
// hosts, sysctls and the types of its volumes. Only what is set: an unset field is the
// Kubernetes default, which the rule judges as the admission plugin does.
namespace kmc::schema {
using parser::Node;

// A boolean field as written, with its node; unset when absent or not a boolean.
struct Flag {
  const Node* node = nullptr;
  bool value = false;
  bool set() const { return node != nullptr; }
  bool is_true() const { return node && value; }
  bool is_false() const { return node && !value; }
};

// A pod's or a container's securityContext.
struct SecurityContext {
  Flag run_as_non_root, privileged, allow_privilege_escalation, host_process;  // host_process: windowsOptions.hostProcess
  Int run_as_user;
  Text seccomp_type, apparmor_type, proc_mount;          // seccompProfile.type, appArmorProfile.type
  Text selinux_type, selinux_user, selinux_role;         // seLinuxOptions
  const Node* selinux = nullptr;                         // the seLinuxOptions mapping
  std::vector<Text> capabilities_add, capabilities_drop;  // containers only
  const Node* node = nullptr;                             // the securityContext mapping
};

struct ContainerSecurity {
  SecurityContext context;
  std::vector<Int> host_ports;   // ports[].hostPort, non-zero
  std::vector<Text> probe_hosts;  // httpGet.host and tcpSocket.host of probes and lifecycle hooks
};

struct PodSecurity {
  Flag host_network, host_pid, host_ipc, host_users;
  Text os_name;  // spec.os.name: "windows" exempts some restricted controls
  SecurityContext pod;
  std::vector<Text> sysctls;  // securityContext.sysctls[].name
  // A volume of a type the restricted level forbids, with the type as the plugin names it
  // (static text: "hostPath", "nfs", ...; "unknown" for one it does not know).
  struct RestrictedVolume {
    Text name;
    std::string_view type;
    const Node* node = nullptr;  // the type's key, where a finding points
  };
  std::vector<RestrictedVolume> restricted_volumes;
  std::vector<ContainerSecurity> containers;  // in PodSpec::containers' order (init ones first)
};

}  // namespace kmc::schema
