#include "schema/api_constraints.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include <fmt/format.h>

#include "parser/scalar.h"
#include "schema/quantity.h"

namespace kmc::schema {
using parser::Node;
using parser::is_template_text;

namespace {

// The node at a path of mapping keys below `n`, or null (a missing key, or a value that is not
// a mapping on the way: the walker reports the type).
const Node* at(const Node* n, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) {
    if (!n || !n->is_map()) return nullptr;
    n = n->get(key);
  }
  return n;
}

std::string_view text_of(const Node* n) { return n && n->is_string() ? n->text() : std::string_view(); }

// Where to point at a field: its key when it has one in `parent`, else the parent itself.
Position key_pos(const Node& parent, std::string_view key) {
  const Node* k = parent.is_map() ? parent.key_node(key) : nullptr;
  return k ? k->pos() : parent.pos();
}

// spec.ports is required unless the Service is headless or an ExternalName; a headless Service
// cannot be NodePort or LoadBalancer (ValidateService).
void service(SchemaWalker& w, const Object& o) {
  const Node* spec = at(&o.node(), {"spec"});
  if (spec && !spec->is_map()) return;
  std::string_view type = text_of(at(spec, {"type"}));
  std::string_view cluster_ip = text_of(at(spec, {"clusterIP"}));
  const Node* cluster_ips = at(spec, {"clusterIPs"});
  if (cluster_ip.empty() && cluster_ips && cluster_ips->is_seq() && cluster_ips->size() > 0)
    cluster_ip = text_of(&cluster_ips->item(0));  // the API server defaults clusterIP from it
  if (is_template_text(type) || is_template_text(cluster_ip)) return;
  bool headless = cluster_ip == "None";
  const Node* ports = at(spec, {"ports"});
  bool no_ports = !ports || ports->is_null() || (ports->is_seq() && ports->size() == 0);
  if (no_ports && type != "ExternalName" && !headless) {
    const Node* ports_key = spec ? spec->key_node("ports") : nullptr;
    Position where = ports_key ? ports_key->pos() : key_pos(o.node(), "spec");
    w.issue(RuleId::SchemaRequired, where,
            "spec.ports is missing or empty; the API server requires at least one port unless the Service is "
            "headless (`clusterIP: None`) or of type ExternalName",
            "add spec.ports (`- {port: 80, targetPort: 8080}`), or set `clusterIP: None` for a headless Service");
  }
  if (headless && (type == "NodePort" || type == "LoadBalancer"))
    w.issue(RuleId::SchemaInvalidValue, key_pos(*spec, cluster_ips && !spec->key_node("clusterIP") ? "clusterIPs" : "clusterIP"),
            fmt::format("`clusterIP: None` (headless) is not allowed for type {}; the API server rejects it: a "
                        "{} Service forwards through its cluster IP",
                        type, type),
            fmt::format("remove `clusterIP: None`, or drop `type: {}` for a headless Service", type));
}

// The pod template of a controller that keeps its pods running: restartPolicy Always only, and
// no activeDeadlineSeconds (ValidatePodTemplateSpecForReplicaSet, for StatefulSet, DaemonSet).
void long_running_template(SchemaWalker& w, const Object& o, const Node& pod) {
  if (const Node* policy = at(&pod, {"restartPolicy"}); policy && policy->is_string()) {
    std::string_view p = policy->text();
    if (p != "Always" && !is_template_text(p))
      w.issue(RuleId::SchemaEnum, policy->pos(),
              fmt::format("a {}'s pods must have restartPolicy Always, not \"{}\"; the API server rejects the {} (its "
                          "controller replaces pods that end, it does not restart them in place)",
                          o.kind(), p, o.kind()),
              "remove restartPolicy (it defaults to Always), or run the work as a Job");
  }
  if (pod.is_map() && pod.key_node("activeDeadlineSeconds"))
    w.issue(RuleId::SchemaInvalidValue, key_pos(pod, "activeDeadlineSeconds"),
            fmt::format("activeDeadlineSeconds is not allowed in a {}'s pod template; the API server rejects it (the "
                        "pods are meant to run until replaced)",
                        o.kind()),
            "remove activeDeadlineSeconds, or use a Job, whose spec.activeDeadlineSeconds bounds the run");
}

// A Job's pods: restartPolicy OnFailure or Never. Unset, it defaults to Always, which the API
// server rejects (validateJobSpec); with a podFailurePolicy only Never.
void job_template(SchemaWalker& w, const Object& o, const Node& job_spec, const Node& template_node) {
  const Node* pod = at(&template_node, {"spec"});
  if (!pod || !pod->is_map()) return;
  const Node* policy = pod->get("restartPolicy");
  std::string_view p = text_of(policy);
  if (is_template_text(p)) return;
  bool failure_policy = at(&job_spec, {"podFailurePolicy"}) != nullptr;
  if (!policy || policy->is_null()) {
    w.issue(RuleId::SchemaRequired, key_pos(template_node, "spec"),
            fmt::format("the {}'s pod template has no restartPolicy; it defaults to Always, which the API server "
                        "rejects for a Job (supported: OnFailure, Never)",
                        o.kind()),
            failure_policy ? "add `restartPolicy: Never` (a podFailurePolicy needs Never)"
                           : "add `restartPolicy: Never` (a failed pod is replaced) or `OnFailure` (restarted in place)");
  } else if (policy->is_string() && p != "OnFailure" && p != "Never") {
    w.issue(RuleId::SchemaEnum, policy->pos(),
            fmt::format("a Job's pods must have restartPolicy OnFailure or Never, not \"{}\"; the API server rejects "
                        "the {}",
                        p, o.kind()),
            "use `restartPolicy: Never` (a failed pod is replaced) or `OnFailure` (restarted in place)");
  } else if (failure_policy && p == "OnFailure") {
    w.issue(RuleId::SchemaInvalidValue, policy->pos(),
            "a Job with a podFailurePolicy must have restartPolicy Never; the API server rejects OnFailure (the "
            "policy judges pods that ended, and OnFailure restarts their containers in place)",
            "use `restartPolicy: Never`, or remove the podFailurePolicy");
  }
}

// progressDeadlineSeconds (default 600) must exceed minReadySeconds (ValidateDeploymentSpec).
void deployment(SchemaWalker& w, const Object& o) {
  const Node* spec = at(&o.node(), {"spec"});
  if (!spec || !spec->is_map()) return;
  const Node* min_ready = spec->get("minReadySeconds");
  const Node* deadline = spec->get("progressDeadlineSeconds");
  int64_t min = 0, limit = 600;
  if (!min_ready || !min_ready->as_int(&min)) return;
  if (deadline && !deadline->as_int(&limit)) return;
  if (limit > min) return;
  w.issue(RuleId::SchemaInvalidValue, deadline ? deadline->pos() : min_ready->pos(),
          deadline ? fmt::format("progressDeadlineSeconds ({}) must be greater than minReadySeconds ({}); the API "
                                 "server rejects the Deployment",
                                 limit, min)
                   : fmt::format("minReadySeconds ({}) is not below progressDeadlineSeconds, which defaults to 600; the "
                                 "API server rejects the Deployment",
                                 min),
          "make progressDeadlineSeconds greater than minReadySeconds: a rollout cannot be reported stalled before "
          "its pods could even count as ready");
}

// A claim's or a volume's access modes: at least one, and ReadWriteOncePod alone
// (ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeSpec). `parent` holds `spec`.
void access_modes(SchemaWalker& w, const Node& parent, const Node& spec, std::string_view what, const char* fix) {
  const Node* modes = spec.get("accessModes");
  if (!modes || modes->is_null() || (modes->is_seq() && modes->size() == 0)) {
    w.issue(RuleId::SchemaRequired, modes ? modes->pos() : key_pos(parent, "spec"),
            fmt::format("{} has no accessModes; the API server requires at least one", what), fix);
    return;
  }
  if (!modes->is_seq() || modes->size() < 2) return;
  for (uint32_t i = 0; i < modes->size(); ++i)
    if (text_of(&modes->item(i)) == "ReadWriteOncePod")
      w.issue(RuleId::SchemaInvalidValue, modes->item(i).pos(),
              fmt::format("{} combines ReadWriteOncePod with other access modes; the API server rejects it: "
                          "ReadWriteOncePod may only be used alone",
                          what),
              "keep only ReadWriteOncePod, or drop it");
}

// A claim (or a StatefulSet's claim template): its access modes, and a storage request above
// zero (ValidatePersistentVolumeClaimSpec).
void claim_spec(SchemaWalker& w, const Node& parent, const Node* spec, std::string_view what) {
  if (!spec || !spec->is_map()) return;
  access_modes(w, parent, *spec, what,
               "add `accessModes: [ReadWriteOnce]` (one node), `[ReadWriteMany]` (many nodes) or `[ReadOnlyMany]`");
  const Node* storage = at(spec, {"resources", "requests", "storage"});
  if (!storage || !storage->is_scalar() || storage->is_null()) return;  // required: the walker's
  std::string_view t = storage->text();
  Quantity q;
  std::string error;
  if (is_template_text(t) || !parse_quantity(t, &q, &error)) return;  // schema/quantity's
  if (q.nanos <= 0)
    w.issue(RuleId::SchemaInvalidValue, storage->pos(),
            fmt::format("{} requests storage {}; the API server requires a request greater than zero", what, t),
            "request the size the volume needs (`storage: 1Gi`)");
}

// A volume: at least one access mode, ReadWriteOncePod alone, and a capacity that is exactly
// `storage` (ValidatePersistentVolumeSpec).
void volume(SchemaWalker& w, const Object& o) {
  const Node* spec = at(&o.node(), {"spec"});
  if (!spec || !spec->is_map()) return;
  access_modes(w, o.node(), *spec, "the volume", "add the modes the volume supports (`accessModes: [ReadWriteOnce]`)");
  const Node* capacity = spec->get("capacity");
  if (capacity && !capacity->is_map() && !capacity->is_null()) return;  // the walker reports the type
  if (!capacity || capacity->is_null() || !capacity->get("storage"))
    w.issue(RuleId::SchemaRequired, capacity ? key_pos(*spec, "capacity") : key_pos(o.node(), "spec"),
            "the volume has no capacity.storage; the API server requires its size, and claims bind by it",
            "add `capacity: {storage: 10Gi}` with the volume's size");
}

// Endpoints: each subset lists addresses, ready or not; with more than one port, each is named
// (validateEndpointSubsets). The names are what Service ports are matched by.
void endpoints(SchemaWalker& w, const Object& o) {
  const Node* subsets = at(&o.node(), {"subsets"});
  if (!subsets || !subsets->is_seq()) return;
  for (uint32_t i = 0; i < subsets->size(); ++i) {
    const Node& subset = subsets->item(i);
    if (!subset.is_map()) continue;
    auto listed = [&](std::string_view key) {
      const Node* n = subset.get(key);
      return n && n->is_seq() && n->size() > 0;
    };
    if (!listed("addresses") && !listed("notReadyAddresses"))
      w.issue(RuleId::SchemaRequired, subset.pos(),
              fmt::format("subsets[{}] lists no addresses; the API server requires `addresses` or "
                          "`notReadyAddresses` in every subset",
                          i),
              "add the backends' IPs under addresses, or remove the subset");
    const Node* ports = subset.get("ports");
    if (!ports || !ports->is_seq() || ports->size() < 2) continue;
    for (uint32_t j = 0; j < ports->size(); ++j) {
      const Node& port = ports->item(j);
      if (!port.is_map()) continue;
      const Node* name = port.get("name");
      if (name && !name->is_null() && !(name->is_string() && name->text().empty())) continue;
      w.issue(RuleId::SchemaRequired, port.pos(),
              fmt::format("subsets[{}].ports[{}] has no name; with more than one port the API server requires a "
                          "name on each, the name of the Service port it serves",
                          i, j),
              "name each port after its Service port (`name: http`)");
    }
  }
}

// The API server's limits on an object's size (ValidateObjectMeta's annotations,
// ValidateConfigMap, ValidateSecret): the bytes etcd and every kubelet that mounts it must carry.
constexpr size_t kMaxAnnotationBytes = 256 << 10;  // TotalAnnotationSizeLimitB: keys and values
constexpr size_t kMaxDataBytes = 1 << 20;          // MaxSecretSize: a ConfigMap's or Secret's values

// The bytes that base64 text decodes to (line breaks and spaces ignored, as the decoder does).
size_t base64_decoded_size(std::string_view text) {
  size_t chars = 0, padding = 0;
  for (char c : text) {
    if (c == '=') ++padding;
    else if (c != '\n' && c != '\r' && c != ' ' && c != '\t') ++chars;
  }
  size_t bytes = (chars + padding) / 4 * 3;
  size_t less = std::min<size_t>(padding, 2);
  return bytes > less ? bytes - less : 0;
}

// From the decoded metadata: most objects have few annotations or none, and this runs on all.
void annotation_size(SchemaWalker& w, const ObjectMeta& meta, std::string_view where) {
  const Node* map = meta.annotations.node;
  if (!map) return;
  size_t total = 0;
  for (LabelMap::Entry e : meta.annotations) total += e.key().size() + e.value().size();
  if (total <= kMaxAnnotationBytes) return;
  w.issue(RuleId::SchemaInvalidValue, map->pos(),  // the model's copy of the mapping: its position, no key
          fmt::format("{}.annotations hold {} bytes (keys and values); the API server rejects more than {} (256 KiB) "
                      "in all",
                      where, total, kMaxAnnotationBytes),
          "move large values into a ConfigMap the workload mounts, and keep annotations to short metadata");
}

// A ConfigMap's data and binaryData values, or a Secret's data (decoded) merged with its
// stringData (which replaces data of the same key), at most 1 MiB.
void data_size(SchemaWalker& w, const Object& o, bool secret) {
  const Node& root = o.node();
  size_t total = 0;
  const Node* data = at(&root, {"data"});
  const Node* second = at(&root, {secret ? "stringData" : "binaryData"});
  auto each = [&](const Node* map, auto&& size_of) {
    if (!map || !map->is_map()) return;
    for (uint32_t i = 0; i < map->size(); ++i) total += size_of(map->key(i).text(), map->value(i).text());
  };
  each(data, [&](std::string_view key, std::string_view value) {
    if (secret && second && second->is_map() && second->get(key)) return size_t{0};  // stringData's wins
    return secret ? base64_decoded_size(value) : value.size();
  });
  each(second, [&](std::string_view, std::string_view value) {
    return secret ? value.size() : base64_decoded_size(value);
  });
  if (total <= kMaxDataBytes) return;
  std::string_view field = data && data->is_map() ? "data" : secret ? "stringData" : "binaryData";
  w.issue(RuleId::SchemaInvalidValue, key_pos(root, field),
          fmt::format("the {} holds {} bytes of data; the API server rejects a {} over {} bytes (1 MiB)", o.kind(), total,
                      o.kind(), kMaxDataBytes),
          secret ? "split it into several Secrets, or keep large files out of Secrets (a volume, an image)"
                 : "split it into several ConfigMaps, or ship large files in the image or a volume");
}

const Node* pod_template_spec(const Object& o) {
  const Node* spec = at(&o.node(), {"spec", "template", "spec"});
  return spec && spec->is_map() ? spec : nullptr;
}

}  // namespace

void check_api_constraints(SchemaWalker& w, const Object& o) {
  std::string_view group = o.group(), kind = o.kind();
  annotation_size(w, o.meta, "metadata");
  if (const Workload* workload = o.as<Workload>()) annotation_size(w, workload->pod_template.meta, "spec.template.metadata");
  if (group.empty() && (kind == "ConfigMap" || kind == "Secret")) return data_size(w, o, kind == "Secret");
  if (group.empty() && kind == "Service") return service(w, o);
  if ((group == "apps" && (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" ||
                           kind == "ReplicaSet")) ||
      (group.empty() && kind == "ReplicationController")) {
    if (const Node* pod = pod_template_spec(o)) long_running_template(w, o, *pod);
    if (kind == "Deployment") deployment(w, o);
    if (kind == "StatefulSet")
      if (const Node* templates = at(&o.node(), {"spec", "volumeClaimTemplates"}); templates && templates->is_seq())
        for (uint32_t i = 0; i < templates->size(); ++i) {
          const Node& t = templates->item(i);
          std::string name(text_of(at(&t, {"metadata", "name"})));
          claim_spec(w, t, at(&t, {"spec"}), fmt::format("claim template \"{}\"", name));
        }
    return;
  }
  if (group == "batch" && kind == "Job") {
    const Node* spec = at(&o.node(), {"spec"});
    if (const Node* t = at(spec, {"template"}); t && t->is_map()) job_template(w, o, *spec, *t);
    return;
  }
  if (group == "batch" && kind == "CronJob") {
    const Node* spec = at(&o.node(), {"spec", "jobTemplate", "spec"});
    if (const Node* t = at(spec, {"template"}); t && t->is_map()) job_template(w, o, *spec, *t);
    return;
  }
  if (group.empty() && kind == "PersistentVolumeClaim")
    return claim_spec(w, o.node(), at(&o.node(), {"spec"}), "the claim");
  if (group.empty() && kind == "PersistentVolume") return volume(w, o);
  if (group.empty() && kind == "Endpoints") return endpoints(w, o);
}

}  // namespace kmc::schema
