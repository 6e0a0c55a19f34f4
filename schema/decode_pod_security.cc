#include "schema/decode_pod_security.h"

#include <array>

namespace kmc::schema {

namespace {

// The volume sources the restricted level forbids, by field name, which is also the name the
// admission plugin gives the type (pod-security-admission, policy/check_restrictedVolumes.go).
constexpr std::array<std::string_view, 21> kRestrictedVolumeTypes = {
    "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs",
    "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte",
    "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos"};

class SecurityReader : public FieldReader {
 public:
  explicit SecurityReader(const FieldReader& reader) : FieldReader(reader) {}

  void pod(const Node& n, PodSpec* s) {
    PodSecurity p;
    p.host_network = flag_at(n, "hostNetwork");
    p.host_pid = flag_at(n, "hostPID");
    p.host_ipc = flag_at(n, "hostIPC");
    p.host_users = flag_at(n, "hostUsers");
    any_ = p.host_network.set() || p.host_pid.set() || p.host_ipc.set() || p.host_users.set();
    if (const Node* os = map_at(n, "os")) p.os_name = text_at(*os, "name");
    if (const Node* sc = map_at(n, "securityContext")) {
      p.pod = context(*sc);
      each_map(*sc, "sysctls", p.sysctls, [&](const Node& sysctl) {
        if (Text name = text_at(sysctl, "name"); name.set()) p.sysctls.push_back(name);
      });
      any_ = true;
    }
    each_map(n, "volumes", [&](const Node& v) { volume(v, &p); });
    p.containers.resize(s->containers.size());
    size_t i = 0;
    for (std::string_view list : {"initContainers", "containers"})
      each_map(n, list, [&](const Node& c) {
        if (i < p.containers.size()) container(c, &p.containers[i++]);
      });
    any_ = any_ || p.os_name.set();
    if (any_) s->security_if_set = std::make_unique<const PodSecurity>(std::move(p));
  }

 private:
  Flag flag_at(const Node& parent, std::string_view key) {
    const Node* n = parent.get(key);
    bool v;
    if (n && n->as_bool(&v)) return {keep_.node(n), v};
    return {};
  }

  SecurityContext context(const Node& sc) {
    SecurityContext c;
    c.node = keep_.node(&sc);
    c.run_as_non_root = flag_at(sc, "runAsNonRoot");
    c.privileged = flag_at(sc, "privileged");
    c.allow_privilege_escalation = flag_at(sc, "allowPrivilegeEscalation");
    if (const Node* w = map_at(sc, "windowsOptions")) c.host_process = flag_at(*w, "hostProcess");
    c.run_as_user = int_at(sc, "runAsUser");
    if (const Node* p = map_at(sc, "seccompProfile")) c.seccomp_type = text_at(*p, "type");
    if (const Node* p = map_at(sc, "appArmorProfile")) c.apparmor_type = text_at(*p, "type");
    c.proc_mount = text_at(sc, "procMount");
    if (const Node* se = map_at(sc, "seLinuxOptions")) {
      c.selinux = keep_.node(se);
      c.selinux_type = text_at(*se, "type");
      c.selinux_user = text_at(*se, "user");
      c.selinux_role = text_at(*se, "role");
    }
    if (const Node* caps = map_at(sc, "capabilities")) {
      c.capabilities_add = texts_at(*caps, "add");
      c.capabilities_drop = texts_at(*caps, "drop");
    }
    return c;
  }

  void volume(const Node& v, PodSecurity* p) {
    for (std::string_view type : kRestrictedVolumeTypes)
      if (const Node* key = v.key_node(type)) {
        p->restricted_volumes.push_back({text_at(v, "name"), type, keep_.node(key)});
        any_ = true;
        return;
      }
  }

  void container(const Node& n, ContainerSecurity* c) {
    if (const Node* sc = map_at(n, "securityContext")) {
      c->context = context(*sc);
      any_ = true;
    }
    each_map(n, "ports", [&](const Node& port) {
      Int host = int_at(port, "hostPort");
      if (host.set() && host.value != 0) {
        c->host_ports.push_back(host);
        any_ = true;
      }
    });
    auto hosts = [&](const Node& handler) {
      for (std::string_view kind : {"httpGet", "tcpSocket"})
        if (const Node* h = map_at(handler, kind))
          if (Text host = text_at(*h, "host"); host.set() && !host.value().empty()) {
            c->probe_hosts.push_back(host);
            any_ = true;
          }
    };
    for (std::string_view probe : {"livenessProbe", "readinessProbe", "startupProbe"})
      if (const Node* p = map_at(n, probe)) hosts(*p);
    if (const Node* lifecycle = map_at(n, "lifecycle"))
      for (std::string_view hook : {"postStart", "preStop"})
        if (const Node* h = map_at(*lifecycle, hook)) hosts(*h);
  }

  bool any_ = false;
};

}  // namespace

void decode_pod_security(FieldReader* reader, const Node& n, PodSpec* s) { SecurityReader(*reader).pod(n, s); }

}  // namespace kmc::schema
