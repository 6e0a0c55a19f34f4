#include "checks/pod_security.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace kmc::checks {

using schema::Container;
using schema::ContainerSecurity;
using schema::PodSecurity;
using schema::PodTemplate;
using schema::SecurityContext;
using schema::Text;

std::string_view level_name(PodSecurityLevel l) {
  switch (l) {
    case PodSecurityLevel::Privileged: return "privileged";
    case PodSecurityLevel::Baseline: return "baseline";
    case PodSecurityLevel::Restricted: return "restricted";
  }
  return "privileged";
}

std::string PodSecurityPolicy::name() const {
  return latest ? fmt::format("{}:latest", level_name(level)) : fmt::format("{}:v1.{}", level_name(level), pinned);
}

bool NamespacePodSecurity::any() const {
  return enforce.level != PodSecurityLevel::Privileged || warn.level != PodSecurityLevel::Privileged ||
         audit.level != PodSecurityLevel::Privileged;
}

namespace {

constexpr std::string_view kLabelPrefix = "pod-security.kubernetes.io/";

std::optional<PodSecurityLevel> parse_level(std::string_view s) {
  if (s == "privileged") return PodSecurityLevel::Privileged;
  if (s == "baseline") return PodSecurityLevel::Baseline;
  if (s == "restricted") return PodSecurityLevel::Restricted;
  return std::nullopt;
}

// "latest" or "v1.x" (x without leading zeros); anything else is latest, as the plugin reads it.
// Latest is the API server's own release, `server`.
void parse_version(std::string_view s, PodSecurityPolicy* p, int server) {
  p->latest = true;
  p->minor = p->pinned = server;
  if (!s.starts_with("v1.") || s.size() == 3 || s.size() > 6) return;
  std::string_view digits = s.substr(3);
  if (digits.size() > 1 && digits[0] == '0') return;
  int minor = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return;
    minor = minor * 10 + (c - '0');
  }
  p->latest = false;
  p->pinned = minor;
  // A version newer than the plugin's is evaluated with its newest checks.
  p->minor = std::min(minor, server);
}

}  // namespace

namespace {

// PolicyToEvaluate's reading of the labels, one label at a time, then finish().
class LabelReader {
 public:
  explicit LabelReader(int server) : server_(server) {
    for (PodSecurityPolicy* p : {&out_.enforce, &out_.warn, &out_.audit}) p->minor = p->pinned = server;
  }

  void read(std::string_view key, std::string_view value) {
    std::optional<PodSecurityLevel> level = parse_level(value);
    if (key == "enforce") {
      out_.enforce.level = level.value_or(PodSecurityLevel::Restricted);  // fail closed
      enforce_level_ = level.has_value();
    } else if (key == "warn") {
      out_.warn.level = level.value_or(PodSecurityLevel::Privileged);  // fail open
      warn_level_ = true;
    } else if (key == "audit") {
      out_.audit.level = level.value_or(PodSecurityLevel::Privileged);
    } else if (key == "enforce-version") {
      parse_version(value, &out_.enforce, server_);
    } else if (key == "warn-version") {
      parse_version(value, &out_.warn, server_);
      warn_version_ = true;
    } else if (key == "audit-version") {
      parse_version(value, &out_.audit, server_);
    }
  }

  // Warn defaults to a stricter enforce level, and to its version unless it pins its own.
  NamespacePodSecurity finish() {
    if (!warn_level_ && enforce_level_ && out_.enforce.level > out_.warn.level) {
      out_.warn.level = out_.enforce.level;
      if (!warn_version_) {
        out_.warn.minor = out_.enforce.minor;
        out_.warn.pinned = out_.enforce.pinned;
        out_.warn.latest = out_.enforce.latest;
      }
    }
    return out_;
  }

 private:
  int server_;
  NamespacePodSecurity out_;
  bool enforce_level_ = false, warn_level_ = false, warn_version_ = false;
};

}  // namespace

NamespacePodSecurity pod_security_of(const schema::LabelMap& labels, int server_minor) {
  LabelReader reader(server_minor);
  for (auto entry : labels)
    if (entry.key().starts_with(kLabelPrefix)) reader.read(entry.key().substr(kLabelPrefix.size()), entry.value());
  return reader.finish();
}

NamespacePodSecurity pod_security_of(const std::vector<std::pair<std::string, std::string>>& settings,
                                     int server_minor) {
  LabelReader reader(server_minor);
  for (const auto& [key, value] : settings) reader.read(key, value);
  return reader.finish();
}

bool valid_pod_security_level(std::string_view value) { return parse_level(value).has_value(); }

bool valid_pod_security_version(std::string_view value) {
  PodSecurityPolicy p;
  parse_version(value, &p, PodSecurityPolicy::kLatest);
  return value == "latest" || !p.latest;
}

namespace {

// The capabilities a baseline container may add (check_capabilities_baseline.go).
constexpr std::array<std::string_view, 13> kBaselineCapabilities = {
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"};

// The sysctls a baseline pod may set, with the policy version that allowed each (check_sysctls.go).
struct SafeSysctl {
  std::string_view name;
  int since;
};
constexpr std::array<SafeSysctl, 12> kSafeSysctls = {{{"kernel.shm_rmid_forced", 0},
                                                      {"net.ipv4.ip_local_port_range", 0},
                                                      {"net.ipv4.tcp_syncookies", 0},
                                                      {"net.ipv4.ping_group_range", 0},
                                                      {"net.ipv4.ip_unprivileged_port_start", 0},
                                                      {"net.ipv4.ip_local_reserved_ports", 27},
                                                      {"net.ipv4.tcp_keepalive_time", 29},
                                                      {"net.ipv4.tcp_fin_timeout", 29},
                                                      {"net.ipv4.tcp_keepalive_intvl", 29},
                                                      {"net.ipv4.tcp_keepalive_probes", 29},
                                                      {"net.ipv4.tcp_rmem", 32},
                                                      {"net.ipv4.tcp_wmem", 32}}};

const std::string_view kAppArmorAnnotation = "container.apparmor.security.beta.kubernetes.io/";

// Evaluates one pod template against one policy; each check appends what it finds.
class Evaluator {
 public:
  Evaluator(const PodTemplate& pod, const PodSecurityPolicy& policy)
      : pod_(pod), spec_(pod.spec), policy_(policy), v_(policy.minor),
        security_(pod.spec.security_if_set ? *pod.spec.security_if_set : kNone) {}

  std::vector<PodSecurityViolation> run() {
    if (policy_.level == PodSecurityLevel::Privileged) return {};
    baseline();
    if (policy_.level == PodSecurityLevel::Restricted) restricted();
    return std::move(out_);
  }

 private:
  bool restricted_level() const { return policy_.level == PodSecurityLevel::Restricted; }
  // Pods in their own user namespace (hostUsers: false) are exempt from some controls from 1.35.
  bool user_namespace() const { return v_ >= 35 && security_.host_users.is_false(); }
  bool windows() const { return security_.os_name.value() == "windows"; }

  void add(std::string_view control, std::string reason, std::string detail, Position pos, std::string fix) {
    out_.push_back({control, std::move(reason), std::move(detail), std::move(fix), pos});
  }

  // The container's securityContext, or an empty one.
  const ContainerSecurity& of(size_t i) const { return i < security_.containers.size() ? security_.containers[i] : kNoContainer; }
  std::string who(size_t i) const { return fmt::format("container \"{}\"", spec_.containers[i].name.value()); }
  // Where a finding about a field the container lacks points: its securityContext, else the container.
  Position at(size_t i) const {
    const SecurityContext& c = of(i).context;
    if (c.node) return c.node->pos();
    const Container& container = spec_.containers[i];
    return container.name.set() ? container.name.pos() : container.node ? container.node->pos() : Position{};
  }

  void baseline() {
    host_namespaces();
    for (size_t i = 0; i < spec_.containers.size(); ++i) {
      const SecurityContext& c = of(i).context;
      if (c.privileged.is_true())
        add("privileged", "privileged", fmt::format("{} must not set securityContext.privileged=true", who(i)),
            c.privileged.node->pos(), "remove privileged: true (grant the capabilities it needs instead)");
      // At the restricted level, capabilities_restricted replaces this check (from 1.22).
      if (!(restricted_level() && v_ >= 22))
        for (const Text& cap : c.capabilities_add)
          if (std::find(kBaselineCapabilities.begin(), kBaselineCapabilities.end(), cap.value()) == kBaselineCapabilities.end())
            add("capabilities_baseline", "non-default capabilities",
                fmt::format("{} must not include \"{}\" in securityContext.capabilities.add", who(i), cap.value()), cap.pos(),
                "drop the capability, or run the pod in a namespace that allows the privileged level");
      for (const schema::Int& port : of(i).host_ports)
        add("hostPorts", "hostPort", fmt::format("{} uses hostPort {}", who(i), port.value), port.node->pos(),
            "remove hostPort and reach the pod through a Service");
      if (v_ >= 34)
        for (const Text& host : of(i).probe_hosts)
          add("hostProbesAndHostLifecycle", "probe or lifecycle host",
              fmt::format("{} uses probe or lifecycle host \"{}\"", who(i), host.value()), host.pos(),
              "remove host: the kubelet then probes the pod's own IP");
      if (c.host_process.is_true())
        add("windowsHostProcess", "hostProcess",
            fmt::format("{} must not set securityContext.windowsOptions.hostProcess=true", who(i)), c.host_process.node->pos(),
            "remove windowsOptions.hostProcess");
      // At the restricted level (from 1.35), procMount_restricted applies it whatever hostUsers says.
      if (c.proc_mount.set() && c.proc_mount.value() != "Default" && (restricted_level() || !user_namespace()))
        add("procMount", "procMount",
            fmt::format("{} must not set securityContext.procMount to \"{}\"", who(i), c.proc_mount.value()),
            c.proc_mount.pos(), "remove procMount (or set it to Default)");
    }
    for (const PodSecurity::RestrictedVolume& vol : security_.restricted_volumes)
      if (vol.type == "hostPath")
        add("hostPathVolumes", "hostPath volumes", fmt::format("volume \"{}\" uses hostPath", vol.name.value()),
            vol.node->pos(), "use a PersistentVolumeClaim, emptyDir, configMap or secret volume instead of hostPath");
    if (security_.pod.host_process.is_true())
      add("windowsHostProcess", "hostProcess", "pod must not set securityContext.windowsOptions.hostProcess=true",
          security_.pod.host_process.node->pos(), "remove windowsOptions.hostProcess");
    app_armor();
    se_linux();
    if (!restricted_level()) seccomp_baseline();
    sysctls();
  }

  void host_namespaces() {
    for (auto [flag, name] : {std::pair{&security_.host_network, "hostNetwork"}, std::pair{&security_.host_pid, "hostPID"},
                              std::pair{&security_.host_ipc, "hostIPC"}})
      if (flag->is_true())
        add("hostNamespaces", "host namespaces", fmt::format("{}=true", name), flag->node->pos(),
            fmt::format("remove {}: true", name));
  }

  void app_armor() {
    auto bad = [](const Text& t) { return t.set() && t.value() != "RuntimeDefault" && t.value() != "Localhost"; };
    auto fix = "set appArmorProfile.type to RuntimeDefault or Localhost, or remove it";
    if (bad(security_.pod.apparmor_type))
      add("appArmorProfile", "forbidden AppArmor profile",
          fmt::format("pod must not set AppArmor profile type to \"{}\"", security_.pod.apparmor_type.value()),
          security_.pod.apparmor_type.pos(), fix);
    for (size_t i = 0; i < spec_.containers.size(); ++i)
      if (const Text& t = of(i).context.apparmor_type; bad(t))
        add("appArmorProfile", "forbidden AppArmor profile",
            fmt::format("{} must not set AppArmor profile type to \"{}\"", who(i), t.value()), t.pos(), fix);
    for (auto entry : pod_.meta.annotations) {
      std::string_view v = entry.value();
      if (!entry.key().starts_with(kAppArmorAnnotation) || v.empty() || v == "runtime/default" || v.starts_with("localhost/"))
        continue;
      add("appArmorProfile", "forbidden AppArmor profile",
          fmt::format("annotation must not set AppArmor profile type to {}=\"{}\"", entry.key(), v),
          entry.key_node[1].pos(), "set the annotation to runtime/default or localhost/<profile>, or remove it");
    }
  }

  void se_linux_of(const SecurityContext& c, const std::string& setter) {
    if (!c.selinux) return;
    std::string_view type = c.selinux_type.value();
    bool allowed = type.empty() || type == "container_t" || type == "container_init_t" || type == "container_kvm_t" ||
                   (v_ >= 31 && type == "container_engine_t");
    if (!allowed)
      add("seLinuxOptions", "seLinuxOptions", fmt::format("{} set forbidden securityContext.seLinuxOptions: type \"{}\"", setter, type),
          c.selinux_type.pos(), "use type container_t (or leave it unset)");
    for (auto [field, what] : {std::pair{&c.selinux_user, "user"}, std::pair{&c.selinux_role, "role"}})
      if (!field->value().empty())
        add("seLinuxOptions", "seLinuxOptions",
            fmt::format("{} set forbidden securityContext.seLinuxOptions: {} may not be set", setter, what), field->pos(),
            fmt::format("remove seLinuxOptions.{}", what));
  }

  void se_linux() {
    se_linux_of(security_.pod, "pod");
    for (size_t i = 0; i < spec_.containers.size(); ++i) se_linux_of(of(i).context, who(i));
  }

  void seccomp_baseline() {
    auto bad = [](const Text& t) { return t.set() && t.value() != "RuntimeDefault" && t.value() != "Localhost"; };
    if (bad(security_.pod.seccomp_type))
      add("seccompProfile_baseline", "seccompProfile",
          fmt::format("pod must not set securityContext.seccompProfile.type to \"{}\"", security_.pod.seccomp_type.value()),
          security_.pod.seccomp_type.pos(), "set seccompProfile.type to RuntimeDefault (or Localhost)");
    for (size_t i = 0; i < spec_.containers.size(); ++i)
      if (const Text& t = of(i).context.seccomp_type; bad(t))
        add("seccompProfile_baseline", "seccompProfile",
            fmt::format("{} must not set securityContext.seccompProfile.type to \"{}\"", who(i), t.value()), t.pos(),
            "set seccompProfile.type to RuntimeDefault (or Localhost)");
  }

  void sysctls() {
    for (const Text& s : security_.sysctls) {
      auto safe = std::find_if(kSafeSysctls.begin(), kSafeSysctls.end(),
                               [&](const SafeSysctl& x) { return x.name == s.value() && x.since <= v_; });
      if (safe == kSafeSysctls.end())
        add("sysctls", "forbidden sysctls", std::string(s.value()), s.pos(),
            "remove the sysctl, or set it on the nodes (it is not namespaced, or not safe to share)");
    }
  }

  void restricted() {
    for (const PodSecurity::RestrictedVolume& vol : security_.restricted_volumes)
      add("restrictedVolumes", "restricted volume types",
          fmt::format("volume \"{}\" uses restricted volume type \"{}\"", vol.name.value(), vol.type), vol.node->pos(),
          "use a configMap, secret, downwardAPI, emptyDir, projected, csi, ephemeral, image or persistentVolumeClaim volume");
    bool exempt_windows = v_ >= 25 && windows();
    for (size_t i = 0; i < spec_.containers.size(); ++i) {
      const SecurityContext& c = of(i).context;
      if (v_ >= 8 && !exempt_windows && !c.allow_privilege_escalation.is_false())
        add("allowPrivilegeEscalation", "allowPrivilegeEscalation != false",
            fmt::format("{} must set securityContext.allowPrivilegeEscalation=false", who(i)),
            c.allow_privilege_escalation.set() ? c.allow_privilege_escalation.node->pos() : at(i),
            "set securityContext.allowPrivilegeEscalation: false");
      if (v_ >= 22 && !exempt_windows) capabilities_restricted(i);
    }
    if (!user_namespace()) run_as_non_root();
    if (v_ >= 23 && !user_namespace()) run_as_user();
    if (v_ >= 19 && !exempt_windows) seccomp_restricted();
  }

  void capabilities_restricted(size_t i) {
    const SecurityContext& c = of(i).context;
    bool drops_all = std::any_of(c.capabilities_drop.begin(), c.capabilities_drop.end(), [](const Text& t) { return t.value() == "ALL"; });
    if (!drops_all)
      add("capabilities_restricted", "unrestricted capabilities",
          fmt::format("{} must set securityContext.capabilities.drop=[\"ALL\"]", who(i)),
          c.capabilities_drop.empty() ? at(i) : c.capabilities_drop.front().pos(),
          "add securityContext.capabilities.drop: [ALL] (and add back only NET_BIND_SERVICE if it binds a low port)");
    for (const Text& cap : c.capabilities_add)
      if (cap.value() != "NET_BIND_SERVICE")
        add("capabilities_restricted", "unrestricted capabilities",
            fmt::format("{} must not include \"{}\" in securityContext.capabilities.add", who(i), cap.value()), cap.pos(),
            "add only NET_BIND_SERVICE");
  }

  // As the plugin: the pod and the containers that set false, else those that set nothing
  // without a pod-level true (fixing the explicit ones may cover the rest).
  void run_as_non_root() {
    const schema::Flag& pod = security_.pod.run_as_non_root;
    const std::string fix = "set securityContext.runAsNonRoot: true (with an image that runs as a non-zero UID)";
    size_t before = out_.size();
    if (pod.is_false())
      add("runAsNonRoot", "runAsNonRoot != true", "pod must not set securityContext.runAsNonRoot=false", pod.node->pos(), fix);
    for (size_t i = 0; i < spec_.containers.size(); ++i)
      if (const schema::Flag& c = of(i).context.run_as_non_root; c.is_false())
        add("runAsNonRoot", "runAsNonRoot != true", fmt::format("{} must not set securityContext.runAsNonRoot=false", who(i)),
            c.node->pos(), fix);
    if (out_.size() > before || pod.is_true()) return;
    for (size_t i = 0; i < spec_.containers.size(); ++i)
      if (!of(i).context.run_as_non_root.set())
        add("runAsNonRoot", "runAsNonRoot != true",
            fmt::format("pod or {} must set securityContext.runAsNonRoot=true", who(i)), at(i),
            "set securityContext.runAsNonRoot: true on the pod (or the container), with an image that runs as a "
            "non-zero UID");
  }

  void run_as_user() {
    const schema::Int& pod = security_.pod.run_as_user;
    if (pod.set() && pod.value == 0)
      add("runAsUser", "runAsUser=0", "pod must not set runAsUser=0", pod.node->pos(), "set runAsUser to a non-zero UID");
    for (size_t i = 0; i < spec_.containers.size(); ++i)
      if (const schema::Int& u = of(i).context.run_as_user; u.set() && u.value == 0)
        add("runAsUser", "runAsUser=0", fmt::format("{} must not set runAsUser=0", who(i)), u.node->pos(),
            "set runAsUser to a non-zero UID");
  }

  // As for runAsNonRoot: the forbidden types set, else the containers that set none.
  void seccomp_restricted() {
    auto valid = [](const Text& t) { return t.value() == "RuntimeDefault" || t.value() == "Localhost"; };
    const std::string fix = "set seccompProfile.type to RuntimeDefault (or Localhost)";
    const Text& pod = security_.pod.seccomp_type;
    size_t before = out_.size();
    if (pod.set() && !valid(pod))
      add("seccompProfile_restricted", "seccompProfile",
          fmt::format("pod must not set securityContext.seccompProfile.type to \"{}\"", pod.value()), pod.pos(), fix);
    for (size_t i = 0; i < spec_.containers.size(); ++i)
      if (const Text& t = of(i).context.seccomp_type; t.set() && !valid(t))
        add("seccompProfile_restricted", "seccompProfile",
            fmt::format("{} must not set securityContext.seccompProfile.type to \"{}\"", who(i), t.value()), t.pos(), fix);
    if (out_.size() > before || pod.set()) return;
    for (size_t i = 0; i < spec_.containers.size(); ++i)
      if (!of(i).context.seccomp_type.set())
        add("seccompProfile_restricted", "seccompProfile",
            fmt::format("pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                        who(i)),
            at(i), "set securityContext.seccompProfile.type: RuntimeDefault on the pod");
  }

  static inline const PodSecurity kNone{};
  static inline const ContainerSecurity kNoContainer{};
  const PodTemplate& pod_;
  const schema::PodSpec& spec_;
  const PodSecurityPolicy& policy_;
  int v_;
  const PodSecurity& security_;
  std::vector<PodSecurityViolation> out_;
};

}  // namespace

std::vector<PodSecurityViolation> evaluate_pod_security(const PodTemplate& pod, const PodSecurityPolicy& policy) {
  return Evaluator(pod, policy).run();
}

}  // namespace kmc::checks
