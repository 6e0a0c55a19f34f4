// reference/: one object names another, and the name (or the key) is not there. ConfigMaps and
// Secrets are found through the object index by namespace and name; volumes and ports are the
// pod's own.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/object_range.h"
#include "checks/references.h"
#include "checks/rules/rules.h"
#include "core/spelling.h"
#include "parser/scalar.h"

namespace kmc::checks {

namespace {
using parser::is_template_text;
using schema::ConfigData;
using schema::ConfigRef;
using schema::NamedPort;
using schema::VolumeMount;

std::string_view kind_name(ConfigRef::Kind k) { return k == ConfigRef::Kind::ConfigMap ? "ConfigMap" : "Secret"; }

// "ConfigMap "x" (env of container "app")": where the pod names it.
std::string site_of(const ConfigRef& r) {
  switch (r.site) {
    case ConfigRef::Site::Env: return fmt::format("for an env variable of container \"{}\"", r.container.value());
    case ConfigRef::Site::EnvFrom: return fmt::format("in envFrom of container \"{}\"", r.container.value());
    case ConfigRef::Site::Volume:
    case ConfigRef::Site::VolumeItem: return "as a volume";
    case ConfigRef::Site::ImagePullSecret: return "to pull its images (imagePullSecrets)";
  }
  return {};
}


// The keys an object's data holds: a ConfigMap's data and binaryData, a Secret's data and stringData.
std::vector<std::string_view> keys_of(const ConfigData& d, ConfigRef::Kind kind) {
  std::vector<std::string_view> keys;
  for (const Node* m : {d.data, kind == ConfigRef::Kind::ConfigMap ? d.binary_data : d.string_data}) {
    if (!m) continue;
    for (uint32_t i = 0; i < m->size(); ++i)
      if (m->key(i).is_scalar()) keys.push_back(m->key(i).text());
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::string list_keys(const std::vector<std::string_view>& keys) {
  if (keys.empty()) return "it has no keys";
  constexpr size_t kShown = 8;
  std::string out = "it has ";
  for (size_t i = 0; i < keys.size() && i < kShown; ++i) out += fmt::format("{}\"{}\"", i ? ", " : "", keys[i]);
  if (keys.size() > kShown) out += fmt::format(" and {} more", keys.size() - kShown);
  return out;
}

// "; the nearest is \"name\"", or nothing without a nearest name.
std::string also_has(std::string_view near) {
  return near.empty() ? std::string() : fmt::format("; the nearest is \"{}\"", near);
}

bool judged(const ConfigRef& r) {
  return r.name.set() && !r.name.value().empty() && !is_template_text(r.name.value()) &&
         !builtin_name(kind_name(r.kind), "", r.name.value());
}

// One pod's references of `kind` whose object is missing.
void not_found(const RuleContext& ctx, Sink& sink, ConfigRef::Kind kind) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    for (const ConfigRef& r : p.pod().spec.config_refs) {
      if (r.kind != kind || r.optional || r.site == ConfigRef::Site::VolumeItem || !judged(r)) continue;
      if (ctx.topology.find("", kind_name(kind), p.ns(), r.name.value())) continue;
      std::string what = fmt::format("{} names {} \"{}\" {}", p.object->display(), kind_name(kind), r.name.value(), site_of(r));
      std::string fix = fmt::format("add {} \"{}\" to namespace \"{}\", correct the name, or mark the reference "
                                    "`optional: true` if the pod can start without it",
                                    kind_name(kind), r.name.value(), p.ns());
      if (r.site == ConfigRef::Site::ImagePullSecret)
        fix = fmt::format("add Secret \"{}\" (type kubernetes.io/dockerconfigjson) to namespace \"{}\", or correct the name",
                          r.name.value(), p.ns());
      bool open = !ctx.topology.namespace_has(kind_name(kind), p.ns(), *p.object) ||
                  ctx.topology.operator_namespace(p.ns());
      if (open) {
        // Nothing of this kind is deployed with the pod: the cluster may well hold it.
        sink.report(*p.object, Severity::Info, r.name.pos(),
                    fmt::format("{}, which neither its directory nor --context holds (nor any {} of namespace \"{}\"), "
                                "so kmc cannot tell whether it exists; if it is created apart from these manifests, "
                                "the pod starts",
                                what, kind_name(kind), p.ns()),
                    fmt::format("pass the namespace's {}s with --context (kubectl get {} -n {} -o yaml) to check the "
                                "name",
                                kind_name(kind), kind == ConfigRef::Kind::ConfigMap ? "configmaps" : "secrets", p.ns()));
        continue;
      }
      bool image = r.site == ConfigRef::Site::ImagePullSecret;
      std::string_view near = nearest_name(ctx.model, ctx.topology, kind_name(kind), p.ns(), r.name.value());
      if (!near.empty()) fix = fmt::format("did you mean \"{}\"?", near);
      sink.report(*p.object, r.name.pos(),
                  fmt::format("{}, but namespace \"{}\" has no {} of that name (in the input or --context{}); {}", what,
                              p.ns(), kind_name(kind), also_has(near),
                              image ? "the image pulls fail with an authentication error wherever a registry needs it"
                              : r.site == ConfigRef::Site::Volume
                                  ? fmt::format("the pod stays in ContainerCreating (\"MountVolume.SetUp failed ...: {} \"{}\" "
                                                "not found\")",
                                                kind == ConfigRef::Kind::ConfigMap ? "configmap" : "secret", r.name.value())
                                  : "the container does not start (CreateContainerConfigError)"),
                  fix);
    }
  }
}

// The parent directory of `dir` ("" at the top, and for the top).
std::string_view parent(std::string_view dir) {
  size_t slash = dir.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : dir.substr(0, slash);
}

// Whether `pod` meets `config`, the first object of its name in the pod's namespace, so that its
// keys are the pod's to check: the one deployed with it, or the only one of that name in a
// directory beside the pod's (its parent, a child or a sibling: a repository that keeps its
// ConfigMaps apart from its Deployments). Another project's object of that name further away,
// or one of several, says nothing about the pod's.
bool meets(const Topology& t, const Object& config, const Object& pod) {
  if (t.deployed_together(config, pod)) return true;
  if (t.object_index.repeated(config)) return false;
  std::string_view a = t.directory(config), b = t.directory(pod);
  return parent(a) == b || a == parent(b) || (!a.empty() && !b.empty() && parent(a) == parent(b));
}

// One pod's keys of `kind` that the object, found in the input, does not have.
void key_not_found(const RuleContext& ctx, Sink& sink, ConfigRef::Kind kind) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    for (const ConfigRef& r : p.pod().spec.config_refs) {
      if (r.kind != kind || r.optional || !r.key.set() || !judged(r) || is_template_text(r.key.value())) continue;
      const Object* target = ctx.topology.find("", kind_name(kind), p.ns(), r.name.value());
      const ConfigData* data = target ? target->as<ConfigData>() : nullptr;
      if (!data || !meets(ctx.topology, *target, *p.object)) continue;
      std::vector<std::string_view> keys = keys_of(*data, kind);
      if (std::binary_search(keys.begin(), keys.end(), r.key.value())) continue;
      std::string_view near = closest(r.key.value(), keys);
      Finding* f = sink.report(
          *p.object, r.key.pos(),
          fmt::format("key \"{}\" is not in {} \"{}\" ({}); {}", r.key.value(), kind_name(kind), r.name.value(),
                      list_keys(keys),
                      r.site == ConfigRef::Site::Env ? "the container does not start (CreateContainerConfigError)"
                                                     : "the pod stays in ContainerCreating (the volume cannot be set up)"),
          near.empty() ? fmt::format("correct the key, or add it to {} \"{}\"", kind_name(kind), r.name.value())
                       : fmt::format("did you mean \"{}\"?", near));
      if (f) f->related.push_back({target->pos(), fmt::format("{} \"{}\" is here", kind_name(kind), r.name.value())});
    }
  }
}

// cert-manager's ingress-shim makes the TLS Secret of an Ingress annotated with an issuer (as
// does kube-lego's tls-acme): it is not missing, only not yet issued.
bool issued_by_cert_manager(const Object& ingress) {
  const schema::LabelMap& a = ingress.meta.annotations;
  std::optional<std::string_view> acme = a.find("kubernetes.io/tls-acme");
  return a.find("cert-manager.io/cluster-issuer") || a.find("cert-manager.io/issuer") || (acme && *acme == "true");
}

// An Ingress's TLS Secrets: without one, the ingress controller serves its default certificate.
void ingress_secret_not_found(const RuleContext& ctx, Sink& sink) {
  for (auto [o, ing] : ctx.range.of<schema::Ingress>()) {
    if (issued_by_cert_manager(o)) continue;
    for (const schema::Text& secret : ing.tls_secrets) {
      if (secret.value().empty() || is_template_text(secret.value())) continue;
      if (ctx.topology.find("", "Secret", o.ns, secret.value())) continue;
      std::string what = fmt::format("{} serves TLS with Secret \"{}\"", o.display(), secret.value());
      if (!ctx.topology.namespace_has("Secret", o.ns, o) || ctx.topology.operator_namespace(o.ns)) {
        sink.report(o, Severity::Info, secret.pos(),
                    fmt::format("{}, and neither its directory nor --context holds any Secret of namespace \"{}\", so kmc "
                                "cannot tell whether it exists; if it is created apart from these manifests, all is well",
                                what, o.ns),
                    fmt::format("pass the namespace's Secrets with --context (kubectl get secrets -n {} -o yaml) to check "
                                "the name",
                                o.ns));
        continue;
      }
      std::string_view near = nearest_name(ctx.model, ctx.topology, "Secret", o.ns, secret.value());
      sink.report(o, secret.pos(),
                  fmt::format("{}, but namespace \"{}\" has no Secret of that name (in the input or --context{}); the "
                              "ingress controller serves its default certificate instead, which browsers reject",
                              what, o.ns, also_has(near)),
                  near.empty() ? fmt::format("add the kubernetes.io/tls Secret \"{}\" (or a cert-manager Certificate that "
                                             "makes it), or correct secretName",
                                             secret.value())
                               : fmt::format("did you mean \"{}\"?", near));
    }
  }
}

void configmap_not_found(const RuleContext& ctx, Sink& sink) { not_found(ctx, sink, ConfigRef::Kind::ConfigMap); }
void secret_not_found(const RuleContext& ctx, Sink& sink) {
  not_found(ctx, sink, ConfigRef::Kind::Secret);
  ingress_secret_not_found(ctx, sink);
}
void configmap_key_not_found(const RuleContext& ctx, Sink& sink) { key_not_found(ctx, sink, ConfigRef::Kind::ConfigMap); }
void secret_key_not_found(const RuleContext& ctx, Sink& sink) { key_not_found(ctx, sink, ConfigRef::Kind::Secret); }

// A name of `kind` that `consumer` names and the set lacks: a warning (`severity`, for the
// default) where the consumer's directory or --context holds objects of that kind in `ns`,
// otherwise an info that says the cluster may hold it.
Finding* report_missing(const RuleContext& ctx, Sink& sink, const Object& consumer, std::string_view kind,
                        std::string_view ns, const schema::Text& name, const std::string& what,
                        const std::string& consequence, const std::string& fix) {
  Position pos = name.pos();
  bool open = !ctx.topology.namespace_has(kind, ns, consumer) || (!ns.empty() && ctx.topology.operator_namespace(ns));
  std::string where = ns.empty() ? std::string("the cluster") : fmt::format("namespace \"{}\"", ns);
  if (open)
    return sink.report(consumer, Severity::Info, pos,
                       fmt::format("{}, and neither its directory nor --context holds any {} of {}, so kmc cannot tell "
                                   "whether it exists; if it is created apart from these manifests, all is well",
                                   what, kind, where),
                       fmt::format("pass the {}s of {} with --context (kubectl get {} -o yaml) to check the name", kind,
                                   where, kind == "ServiceAccount" ? "serviceaccounts" : kind == "Role" ? "roles" : kind == "ClusterRole" ? "clusterroles" : "priorityclasses"));
  std::string_view near = nearest_name(ctx.model, ctx.topology, kind, ns, name.value());
  return sink.report(consumer, pos,
                     fmt::format("{}, but {} has no {} of that name (in the input or --context{}); {}", what, where,
                                 kind, also_has(near), consequence),
                     near.empty() ? fix : fmt::format("did you mean \"{}\"?", near));
}

bool judged_name(const schema::Text& t) { return t.set() && !t.value().empty() && !is_template_text(t.value()); }

void service_account_not_found(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    const schema::Text& sa = p.pod().spec.service_account;
    if (!judged_name(sa) || builtin_name("ServiceAccount", p.ns(), sa.value())) continue;
    if (ctx.topology.find("", "ServiceAccount", p.ns(), sa.value())) continue;
    report_missing(ctx, sink, *p.object, "ServiceAccount", p.ns(), sa,
                   fmt::format("{} runs its pods as ServiceAccount \"{}\"", p.object->display(), sa.value()),
                   "the API server refuses to create its pods (\"error looking up service account\"): the controller "
                   "retries and no pod ever appears",
                   fmt::format("add ServiceAccount \"{}\" to namespace \"{}\", or correct serviceAccountName", sa.value(), p.ns()));
  }
  for (auto [o, b] : ctx.range.of<schema::Binding>()) {
    // Kubernetes' own bootstrap bindings (system:...) name the accounts of components that a
    // cluster may run with other credentials: they are not the user's to fix.
    if (o.name().starts_with("system:")) continue;
    for (const schema::Binding::Subject& s : b.subjects) {
      if (s.kind.value() != "ServiceAccount" || !judged_name(s.name) || builtin_name("ServiceAccount", "", s.name.value()))
        continue;
      std::string_view ns = s.ns.set() && !s.ns.value().empty() ? s.ns.value() : std::string_view(o.ns);
      if (ns.empty() || is_template_text(ns)) continue;  // a ClusterRoleBinding's subject needs its namespace
      if (ctx.topology.find("", "ServiceAccount", ns, s.name.value())) continue;
      report_missing(ctx, sink, o, "ServiceAccount", ns, s.name,
                     fmt::format("{} grants its role to ServiceAccount \"{}\" of namespace \"{}\"", o.display(),
                                 s.name.value(), ns),
                     "the grant reaches nobody (a typo here leaves the intended account without its permissions)",
                     "correct the subject's name or namespace, or add the ServiceAccount");
    }
  }
}

void role_not_found(const RuleContext& ctx, Sink& sink) {
  constexpr std::string_view kRbac = "rbac.authorization.k8s.io";
  for (auto [o, b] : ctx.range.of<schema::Binding>()) {
    std::string_view kind = b.role_kind.value(), name = b.role_name.value();
    if (!judged_name(b.role_name)) continue;
    bool cluster_binding = o.kind() == "ClusterRoleBinding";
    if (cluster_binding && kind == "Role") {
      sink.report(o, Severity::Error, b.role_kind.pos(),
                  fmt::format("{} refers to a Role, but a ClusterRoleBinding can only grant a ClusterRole (a Role "
                              "belongs to one namespace); the API server rejects it",
                              o.display()),
                  fmt::format("bind ClusterRole \"{}\" instead, or use a RoleBinding in the Role's namespace", name));
      continue;
    }
    if (kind != "Role" && kind != "ClusterRole") continue;  // schema/enum says what else is wrong
    std::string_view ns = kind == "Role" ? std::string_view(o.ns) : std::string_view();
    if (builtin_name(kind, ns, name)) continue;
    if (ctx.topology.find(kRbac, kind, ns, name)) continue;
    report_missing(ctx, sink, o, kind, ns, b.role_name,
                   fmt::format("{} grants {} \"{}\"", o.display(), kind, name),
                   "the binding grants nothing: the subjects' requests are forbidden",
                   fmt::format("add {} \"{}\", or correct roleRef.name", kind, name));
  }
}

void priority_class_not_found(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    const schema::Text& pc = p.pod().spec.priority_class;
    if (!judged_name(pc)) continue;
    std::string_view name = pc.value();
    if (builtin_name("PriorityClass", "", name)) continue;
    if (ctx.topology.find("scheduling.k8s.io", "PriorityClass", "", name)) continue;
    report_missing(ctx, sink, *p.object, "PriorityClass", "", pc,
                   fmt::format("{} gives its pods PriorityClass \"{}\"", p.object->display(), name),
                   "the Priority admission plugin rejects every pod (\"no PriorityClass with name ... was found\")",
                   fmt::format("add PriorityClass \"{}\" (scheduling.k8s.io/v1), or correct priorityClassName", name));
  }
}

// The names of a pod's volumes, and of the claims a StatefulSet's templates add as volumes.
std::vector<std::string_view> volume_names(const Workload& w) {
  std::vector<std::string_view> names;
  for (const schema::Volume& v : w.pod_template.spec.volumes) names.push_back(v.name.value());
  for (const Workload::ClaimTemplate& t : w.volume_claim_templates) names.push_back(t.meta.name.value());
  return names;
}

void volume_mount_undefined(const RuleContext& ctx, Sink& sink) {
  for (auto [o, w] : ctx.range.of<Workload>()) {
    std::vector<std::string_view> names = volume_names(w);
    for (const schema::Container& c : w.pod_template.spec.containers)
      for (const auto& [list, what] : {std::pair{&c.volume_mounts, "mounts"}, std::pair{&c.volume_devices, "attaches the device of"}})
        for (const VolumeMount& m : *list) {
          std::string_view name = m.name.value();
          if (!m.name.set() || name.empty() || is_template_text(name)) continue;
          if (std::find(names.begin(), names.end(), name) != names.end()) continue;
          std::string_view near = closest(name, names);
          sink.report(o, m.name.pos(),
                      fmt::format("{}: container \"{}\" {} volume \"{}\", but the pod has no volume of that name{}; the "
                                  "API server rejects the {} (\"{}[].name: Not found\")",
                                  o.display(), c.name.value(), what, name,
                                  near.empty() ? std::string() : fmt::format(" (it has \"{}\")", near), o.kind(),
                                  list == &c.volume_mounts ? "volumeMounts" : "volumeDevices"),
                      near.empty() ? fmt::format("add a volume named \"{}\" to the pod's volumes, or correct the name", name)
                                   : fmt::format("did you mean \"{}\"?", near));
        }
  }
}

void probe_port_not_found(const RuleContext& ctx, Sink& sink) {
  for (auto [o, w] : ctx.range.of<Workload>()) {
    for (const schema::Container& c : w.pod_template.spec.containers) {
      std::vector<std::string_view> names;
      for (const schema::ContainerPort& p : c.ports)
        if (p.name.set()) names.push_back(p.name.value());
      for (const NamedPort& np : c.named_ports) {
        std::string_view port = np.name.value();
        if (port.empty() || is_template_text(port)) continue;
        if (std::find(names.begin(), names.end(), port) != names.end()) continue;
        std::string_view near = closest(port, names);
        sink.report(o, np.name.pos(),
                    fmt::format("{}: the {} of container \"{}\" uses port \"{}\", but the container declares no port of "
                                "that name ({}); the kubelet cannot resolve it, so the check fails every time{}",
                                o.display(), np.where, c.name.value(), port,
                                names.empty() ? std::string("it declares no named port")
                                              : fmt::format("its ports are named \"{}\"", fmt::join(names, "\", \"")),
                                np.where.starts_with("liveness") ? " and the container is restarted forever" : ""),
                    near.empty() ? fmt::format("name the container port \"{}\" (ports[].name), or give the number", port)
                                 : fmt::format("did you mean \"{}\"?", near));
      }
    }
  }
}

}  // namespace

void add_reference_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::ReferenceConfigmapNotFound, RuleScope::ObjectAndLinks, configmap_not_found});
  t->push_back({RuleId::ReferenceConfigmapKeyNotFound, RuleScope::ObjectAndLinks, configmap_key_not_found});
  t->push_back({RuleId::ReferenceSecretNotFound, RuleScope::ObjectAndLinks, secret_not_found});
  t->push_back({RuleId::ReferenceSecretKeyNotFound, RuleScope::ObjectAndLinks, secret_key_not_found});
  t->push_back({RuleId::ReferenceServiceAccountNotFound, RuleScope::ObjectAndLinks, service_account_not_found});
  t->push_back({RuleId::ReferenceRoleNotFound, RuleScope::ObjectAndLinks, role_not_found});
  t->push_back({RuleId::ReferencePriorityClassNotFound, RuleScope::ObjectAndLinks, priority_class_not_found});
  t->push_back({RuleId::ReferenceVolumeMountUndefined, RuleScope::Object, volume_mount_undefined});
  t->push_back({RuleId::ReferenceProbePortNotFound, RuleScope::Object, probe_port_not_found});
}

}  // namespace kmc::checks
