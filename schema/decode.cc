// Lenient decoding of parser nodes into the typed model: a field whose node has the wrong
// shape is left unset (schema/* rules report it), so decoding never fails.
#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "schema/model.h"
#include "schema/model_decoder.h"

#include "core/parallel.h"
#include "schema/api_schema.h"
#include "schema/decode_gateway.h"
#include "schema/decode_network_policy.h"
#include "schema/decode_pod_security.h"
#include "schema/decode_references.h"
#include "schema/field_reader.h"
#include "schema/model_arena.h"

namespace kmc::schema {
using parser::Node;
using parser::RawObject;

namespace {

// Decodes one object's tree into the model; every node it stores is the keeper's copy.
class Decoder : public FieldReader {
 public:
  explicit Decoder(NodeKeeper* keep) : FieldReader(keep) {}

  ObjectMeta object_meta(const Node* n) {
    ObjectMeta m;
    if (!n || !n->is_map()) return m;
    m.node = keep_.node(n);
    m.name = text_at(*n, "name");
    m.generate_name = text_at(*n, "generateName");
    m.ns = text_at(*n, "namespace");
    m.labels = label_map(n->get("labels"));
    m.annotations = label_map(n->get("annotations"));
    return m;
  }

  Container container(const Node& n, bool init) {
    Container c;
    c.node = keep_.node(&n);
    c.init = init;
    c.name = text_at(n, "name");
    c.image = text_at(n, "image");
    each_map(n, "ports", c.ports, [&](const Node& p) {
      c.ports.push_back({text_at(p, "name"), int_at(p, "containerPort"), text_at(p, "protocol"), keep_.node(&p)});
    });
    each_map(n, "env", c.env, [&](const Node& e) {
      c.env.push_back({text_at(e, "name"), text_at(e, "value"), e.get("valueFrom") != nullptr, keep_.node(&e)});
    });
    each_map(n, "envFrom", c.env_from, [&](const Node& e) {
      EnvFromSource s;
      s.node = keep_.node(&e);
      s.prefix = text_at(e, "prefix");
      if (const Node* cm = map_at(e, "configMapRef")) s.config_map = text_at(*cm, "name");
      if (const Node* sec = map_at(e, "secretRef")) s.secret = text_at(*sec, "name");
      c.env_from.push_back(s);
    });
    c.command = texts_at(n, "command");
    c.args = texts_at(n, "args");
    each_map(n, "volumeMounts", c.volume_mounts, [&](const Node& m) {
      c.volume_mounts.push_back({text_at(m, "name"), text_at(m, "mountPath"), text_at(m, "subPathExpr"), keep_.node(&m)});
    });
    decode_container_references(this, n, &c);
    return c;
  }

  NodeSelectorTerm node_selector_term(const Node& n) {
    NodeSelectorTerm t;
    t.node = keep_.node(&n);
    each_map(n, "matchExpressions", t.match_expressions, [&](const Node& r) { t.match_expressions.push_back(requirement(r)); });
    each_map(n, "matchFields", t.match_fields, [&](const Node& r) { t.match_fields.push_back(requirement(r)); });
    return t;
  }

  PodAffinityTerm pod_affinity_term(const Node& n) {
    PodAffinityTerm t;
    t.node = keep_.with_children(&n);  // rules point at its labelSelector key
    t.label_selector = label_selector(n.get("labelSelector"));
    t.namespaces = texts_at(n, "namespaces");
    t.namespace_selector = label_selector(n.get("namespaceSelector"));
    t.topology_key = text_at(n, "topologyKey");
    t.match_label_keys = texts_at(n, "matchLabelKeys");
    t.mismatch_label_keys = texts_at(n, "mismatchLabelKeys");
    return t;
  }

  PodAffinityRules pod_affinity_rules(const Node* n) {
    PodAffinityRules r;
    if (!n || !n->is_map()) return r;
    r.node = keep_.node(n);
    each_map(*n, "requiredDuringSchedulingIgnoredDuringExecution",
             [&](const Node& t) { r.required.push_back(pod_affinity_term(t)); });
    each_map(*n, "preferredDuringSchedulingIgnoredDuringExecution", r.preferred, [&](const Node& t) {
      WeightedPodAffinityTerm w;
      w.node = keep_.node(&t);
      w.weight = int_at(t, "weight");
      if (const Node* term = map_at(t, "podAffinityTerm")) w.term = pod_affinity_term(*term);
      r.preferred.push_back(std::move(w));
    });
    return r;
  }

  Affinity affinity(const Node* n) {
    Affinity a;
    if (!n || !n->is_map()) return a;
    a.node = keep_.node(n);
    if (const Node* na = map_at(*n, "nodeAffinity")) {
      if (const Node* req = map_at(*na, "requiredDuringSchedulingIgnoredDuringExecution")) {
        a.node_required_node = keep_.node(req);
        each_map(*req, "nodeSelectorTerms", a.node_required,
                 [&](const Node& t) { a.node_required.push_back(node_selector_term(t)); });
      }
      each_map(*na, "preferredDuringSchedulingIgnoredDuringExecution", a.node_preferred, [&](const Node& t) {
        PreferredSchedulingTerm p;
        p.node = keep_.node(&t);
        p.weight = int_at(t, "weight");
        if (const Node* pref = map_at(t, "preference")) p.preference = node_selector_term(*pref);
        a.node_preferred.push_back(std::move(p));
      });
    }
    a.pod_affinity = pod_affinity_rules(n->get("podAffinity"));
    a.pod_anti_affinity = pod_affinity_rules(n->get("podAntiAffinity"));
    return a;
  }

  PodSpec pod_spec(const Node* n) {
    PodSpec s;
    if (!n || !n->is_map()) return s;
    s.node = keep_.node(n);
    each_map(*n, "initContainers", s.containers, [&](const Node& c) { s.containers.push_back(container(c, true)); });
    each_map(*n, "containers", s.containers, [&](const Node& c) { s.containers.push_back(container(c, false)); });
    each_map(*n, "volumes", s.volumes, [&](const Node& v) {
      Volume vol;
      vol.node = keep_.node(&v);
      vol.name = text_at(v, "name");
      if (const Node* pvc = map_at(v, "persistentVolumeClaim")) vol.claim_name = text_at(*pvc, "claimName");
      s.volumes.push_back(vol);
    });
    if (const Node* a = n->get("affinity"); a && a->is_map()) s.affinity_if_set = std::make_unique<const Affinity>(affinity(a));
    each_map(*n, "topologySpreadConstraints", s.topology_spread, [&](const Node& t) {
      TopologySpreadConstraint c;
      c.node = keep_.node(&t);
      c.max_skew = int_at(t, "maxSkew");
      c.topology_key = text_at(t, "topologyKey");
      c.when_unsatisfiable = text_at(t, "whenUnsatisfiable");
      c.label_selector = label_selector(t.get("labelSelector"));
      c.match_label_keys = texts_at(t, "matchLabelKeys");
      s.topology_spread.push_back(std::move(c));
    });
    s.enable_service_links = bool_at(*n, "enableServiceLinks");
    s.hostname = text_at(*n, "hostname");
    s.subdomain = text_at(*n, "subdomain");
    s.service_account = text_at(*n, "serviceAccountName");
    decode_pod_references(this, *n, &s);
    decode_pod_security(this, *n, &s);
    return s;
  }

  PodTemplate pod_template(const Node* n) {
    PodTemplate t;
    if (!n || !n->is_map()) return t;
    t.node = keep_.node(n);
    t.meta = object_meta(n->get("metadata"));
    t.spec = pod_spec(n->get("spec"));
    return t;
  }

  PersistentVolumeClaimSpec claim_spec(const Node* n) {
    PersistentVolumeClaimSpec s;
    if (!n || !n->is_map()) return s;
    s.node = keep_.with_children(n);  // rules point at its selector key
    s.access_modes = texts_at(*n, "accessModes");
    if (const Node* res = map_at(*n, "resources"))
      if (const Node* req = map_at(*res, "requests")) s.storage_request = text_at(*req, "storage");
    if (const Node* sc = n->get("storageClassName")) {
      s.storage_class = sc->is_null() ? nullptr : keep_.node(sc);  // `storageClassName: null` is unset
      if (sc->is_scalar() && !sc->is_null()) s.storage_class_name = keep_.node(sc)->text();
    }
    s.volume_name = text_at(*n, "volumeName");
    s.volume_mode = text_at(*n, "volumeMode");
    s.selector = label_selector(n->get("selector"));
    return s;
  }

  static bool is_pod_template_kind(std::string_view kind) {
    return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet" ||
           kind == "ReplicationController" || kind == "Job";
  }

  Workload workload(const Object& o) {
    Workload w;
    const Node& root = o.node();
    const Node* spec = map_at(root, "spec");
    if (o.kind() == "Pod") {
      // A bare Pod is its own template.
      w.pod_template.node = keep_.node(&root);
      w.pod_template.meta = o.meta;
      w.pod_template.spec = pod_spec(spec);
      return w;
    }
    if (o.kind() == "PodTemplate") {
      w.pod_template = pod_template(root.get("template"));
      return w;
    }
    if (o.kind() == "CronJob") {
      if (spec)
        if (const Node* jt = map_at(*spec, "jobTemplate"))
          if (const Node* js = map_at(*jt, "spec")) {
            w.selector = label_selector(js->get("selector"));
            w.pod_template = pod_template(js->get("template"));
          }
      return w;
    }
    if (!spec) return w;
    Int replicas = int_at(*spec, "replicas");
    if (replicas.set()) w.replicas = replicas;
    if (o.kind() == "ReplicationController") {
      // Its selector is a plain map; treat it as matchLabels.
      if (const Node* sel = map_at(*spec, "selector")) {
        w.selector.node = keep_.node(sel);
        w.selector.match_labels = label_map(sel);
      }
    } else {
      w.selector = label_selector(spec->get("selector"));
    }
    w.pod_template = pod_template(spec->get("template"));
    w.service_name = text_at(*spec, "serviceName");
    if (const Node* ordinals = map_at(*spec, "ordinals")) w.ordinals_start = int_at(*ordinals, "start");
    each_map(*spec, "volumeClaimTemplates", w.volume_claim_templates, [&](const Node& t) {
      Workload::ClaimTemplate ct;
      ct.node = keep_.node(&t);
      ct.meta = object_meta(t.get("metadata"));
      ct.spec = claim_spec(t.get("spec"));
      w.volume_claim_templates.push_back(std::move(ct));
    });
    const Node* strategy = map_at(*spec, o.kind() == "Deployment" ? "strategy" : "updateStrategy");
    if (const Node* ru = strategy ? map_at(*strategy, "rollingUpdate") : nullptr) {
      auto r = std::make_unique<Workload::RollingUpdate>();
      r->strategy_type = text_at(*strategy, "type");
      r->node = keep_.node(ru);
      r->key = key_of(*strategy, "rollingUpdate");
      r->max_surge = int_or_string_at(*ru, "maxSurge");
      r->max_unavailable = int_or_string_at(*ru, "maxUnavailable");
      w.rolling_update = std::move(r);
    }
    return w;
  }

  Service service(const Node& root) {
    Service s;
    const Node* spec = map_at(root, "spec");
    if (!spec) return s;
    s.spec = keep_.node(spec);
    s.type = text_at(*spec, "type");
    s.cluster_ip = text_at(*spec, "clusterIP");
    s.external_name = text_at(*spec, "externalName");
    s.session_affinity = text_at(*spec, "sessionAffinity");
    s.selector = label_map(spec->get("selector"));
    each_map(*spec, "ports", s.ports, [&](const Node& p) {
      s.ports.push_back({text_at(p, "name"), text_at(p, "protocol"), int_at(p, "port"), int_at(p, "nodePort"),
                         int_or_string_at(p, "targetPort"), keep_.node(&p)});
    });
    if (const Node* cfg = map_at(*spec, "sessionAffinityConfig")) {
      s.session_affinity_config_key = key_of(*spec, "sessionAffinityConfig");
      if (const Node* cip = map_at(*cfg, "clientIP")) s.session_affinity_timeout = int_at(*cip, "timeoutSeconds");
    }
    s.publish_not_ready_addresses = bool_at(*spec, "publishNotReadyAddresses").value_or(false);
    return s;
  }

  std::vector<EndpointAddress> addresses(const Node& parent, std::string_view key) {
    std::vector<EndpointAddress> out;
    each_map(parent, key, out,
             [&](const Node& a) { out.push_back({text_at(a, "ip"), text_at(a, "hostname"), keep_.node(&a)}); });
    return out;
  }

  std::vector<EndpointPort> endpoint_ports(const Node& parent) {
    std::vector<EndpointPort> out;
    each_map(parent, "ports",
             [&](const Node& p) {
               out.push_back({text_at(p, "name"), text_at(p, "protocol"), int_at(p, "port"), keep_.node(&p)});
             });
    return out;
  }

  Endpoints endpoints(const Node& root) {
    Endpoints e;
    e.kind_key = key_of(root, "kind");
    each_map(root, "subsets", e.subsets, [&](const Node& s) {
      EndpointSubset sub;
      sub.node = keep_.node(&s);
      sub.addresses = addresses(s, "addresses");
      sub.not_ready_addresses = addresses(s, "notReadyAddresses");
      sub.ports = endpoint_ports(s);
      e.subsets.push_back(std::move(sub));
    });
    return e;
  }

  EndpointSlice endpoint_slice(const Node& root) {
    EndpointSlice e;
    e.address_type = text_at(root, "addressType");
    each_map(root, "endpoints", e.addresses, [&](const Node& ep) {
      const Node* addrs = ep.get("addresses");
      if (!addrs || !addrs->is_seq()) return;
      for (uint32_t i = 0; i < addrs->size(); ++i) {
        Text ip = text_of(&addrs->item(i));
        if (ip.set()) e.addresses.push_back({ip, text_at(ep, "hostname"), keep_.node(&ep)});
      }
    });
    e.ports = endpoint_ports(root);
    return e;
  }

  // Keys of a PersistentVolumeSpec that are not volume sources.
  static bool is_pv_source_key(std::string_view k) {
    static constexpr std::string_view kNotSources[] = {
        "accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity", "persistentVolumeReclaimPolicy",
        "storageClassName", "volumeMode", "volumeAttributesClassName"};
    for (std::string_view n : kNotSources)
      if (k == n) return false;
    return true;
  }

  PersistentVolume persistent_volume(const Node& root) {
    PersistentVolume pv;
    const Node* spec = map_at(root, "spec");
    pv.spec_key = key_of(root, "spec");
    if (!spec) return pv;
    pv.spec = keep_.node(spec);
    if (const Node* cap = map_at(*spec, "capacity")) pv.capacity = text_at(*cap, "storage");
    pv.access_modes = texts_at(*spec, "accessModes");
    pv.volume_mode = text_at(*spec, "volumeMode");
    pv.reclaim_policy = text_at(*spec, "persistentVolumeReclaimPolicy");
    if (const Node* sc = spec->get("storageClassName"); sc && sc->is_scalar() && !sc->is_null()) {
      pv.storage_class = keep_.node(sc);
      pv.storage_class_name = keep_.node(sc)->text();
    }
    if (const Node* ref = map_at(*spec, "claimRef")) {
      pv.claim_ref_namespace = text_at(*ref, "namespace");
      pv.claim_ref_name = text_at(*ref, "name");
      pv.claim_ref_uid = text_at(*ref, "uid");
    }
    for (uint32_t i = 0; i < spec->size(); ++i) {
      const Node& k = spec->key(i);
      if (k.is_scalar() && is_pv_source_key(k.text()) && !spec->value(i).is_null()) pv.sources.push_back(keep_.node(&k));
    }
    if (const Node* na = map_at(*spec, "nodeAffinity"))
      if (const Node* req = map_at(*na, "required"))
        each_map(*req, "nodeSelectorTerms", pv.node_affinity,
                 [&](const Node& t) { pv.node_affinity.push_back(node_selector_term(t)); });
    return pv;
  }

  StorageClass storage_class(const Object& o) {
    StorageClass sc;
    sc.provisioner = text_at(o.node(), "provisioner");
    sc.volume_binding_mode = text_at(o.node(), "volumeBindingMode");
    for (std::string_view key :
         {"storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"}) {
      std::optional<std::string_view> v = o.meta.annotations.find(key);
      if (v && *v == "true") sc.is_default = true;
    }
    return sc;
  }

  Ingress::Backend ingress_backend(const Node& n) {
    Ingress::Backend b;
    b.node = keep_.node(&n);
    if (const Node* svc = map_at(n, "service")) {
      b.service_name = text_at(*svc, "name");
      if (const Node* port = map_at(*svc, "port")) {
        b.port_number = int_at(*port, "number");
        b.port_name = text_at(*port, "name");
      }
    }
    return b;
  }

  Ingress ingress(const Node& root) {
    Ingress ing;
    const Node* spec = map_at(root, "spec");
    if (!spec) return ing;
    if (const Node* def = map_at(*spec, "defaultBackend")) ing.backends.push_back(ingress_backend(*def));
    each_map(*spec, "rules", ing.backends, [&](const Node& rule) {
      const Node* http = map_at(rule, "http");
      if (!http) return;
      each_map(*http, "paths", ing.backends, [&](const Node& path) {
        if (const Node* b = map_at(path, "backend")) ing.backends.push_back(ingress_backend(*b));
      });
    });
    each_map(*spec, "tls", ing.tls_secrets, [&](const Node& tls) {
      if (Text secret = text_at(tls, "secretName"); secret.set()) ing.tls_secrets.push_back(secret);
    });
    return ing;
  }

  Binding binding(const Node& root) {
    Binding b;
    if (const Node* ref = map_at(root, "roleRef")) {
      b.role_kind = text_at(*ref, "kind");
      b.role_name = text_at(*ref, "name");
    }
    each_map(root, "subjects", b.subjects, [&](const Node& s) {
      b.subjects.push_back({text_at(s, "kind"), text_at(s, "name"), text_at(s, "namespace"), keep_.node(&s)});
    });
    return b;
  }

  Autoscaler autoscaler(const Node& root) {
    Autoscaler a;
    const Node* spec = map_at(root, "spec");
    if (!spec) return a;
    a.spec = keep_.node(spec);
    if (const Node* ref = map_at(*spec, "scaleTargetRef")) {
      a.target_api_version = text_at(*ref, "apiVersion");
      a.target_kind = text_at(*ref, "kind");
      a.target_name = text_at(*ref, "name");
    }
    a.min_replicas = int_at(*spec, "minReplicas");
    a.max_replicas = int_at(*spec, "maxReplicas");
    if (const Node* cpu = spec->get("targetCPUUtilizationPercentage")) {  // autoscaling/v1
      a.metrics.push_back({"cpu", {}, true, keep_.node(cpu)});
      return a;
    }
    const Node* metrics = spec->get("metrics");
    if (!metrics || !metrics->is_seq() || metrics->size() == 0) {
      a.metrics.push_back({"cpu", {}, true, a.spec});  // the controller's default
      return a;
    }
    each_map(*spec, "metrics", a.metrics, [&](const Node& m) {
      std::string_view type = text_at(m, "type").value();
      const Node* source = map_at(m, type == "ContainerResource" ? "containerResource" : "resource");
      if ((type != "Resource" && type != "ContainerResource") || !source) return;
      const Node* target = map_at(*source, "target");
      bool utilization = target && text_at(*target, "type").value() == "Utilization";
      a.metrics.push_back({text_at(*source, "name").value(), text_at(*source, "container"), utilization, keep_.node(&m)});
    });
    return a;
  }

  std::vector<Amount> amounts(const Node* list) {
    std::vector<Amount> out;
    if (!list || !list->is_map()) return out;
    out.reserve(list->size());
    for (uint32_t i = 0; i < list->size(); ++i)
      if (list->key(i).is_scalar() && list->value(i).is_scalar())
        out.push_back({text_of(&list->key(i)), text_of(&list->value(i))});
    return out;
  }

  ResourceQuota resource_quota(const Node& root) {
    ResourceQuota q;
    if (const Node* spec = map_at(root, "spec")) {
      q.hard = amounts(spec->get("hard"));
      q.scopes = texts_at(*spec, "scopes");
      q.scope_selector = keep_.node(spec->get("scopeSelector"));
    }
    return q;
  }

  LimitRange limit_range(const Node& root) {
    LimitRange l;
    if (const Node* spec = map_at(root, "spec"))
      each_map(*spec, "limits", l.limits, [&](const Node& item) {
        l.limits.push_back({text_at(item, "type"), amounts(item.get("max")), amounts(item.get("min")),
                            amounts(item.get("default")), amounts(item.get("defaultRequest")),
                            amounts(item.get("maxLimitRequestRatio")), keep_.node(&item)});
      });
    return l;
  }

  void decode_spec(Object& o) {
    std::string_view k = o.kind();
    const Node& root = o.node();
    bool core = o.group().empty();
    if (is_pod_template_kind(k) || k == "CronJob" || (core && (k == "Pod" || k == "PodTemplate"))) {
      o.spec = std::make_unique<Workload>(workload(o));
    } else if (core && k == "Service") {
      o.spec = std::make_unique<Service>(service(root));
    } else if (core && k == "Endpoints") {
      o.spec = std::make_unique<Endpoints>(endpoints(root));
    } else if (o.group() == "discovery.k8s.io" && k == "EndpointSlice") {
      o.spec = std::make_unique<EndpointSlice>(endpoint_slice(root));
    } else if (core && k == "PersistentVolume") {
      o.spec = std::make_unique<PersistentVolume>(persistent_volume(root));
    } else if (core && k == "PersistentVolumeClaim") {
      const Node* meta = root.get("metadata");
      o.spec = std::make_unique<PersistentVolumeClaim>(
          PersistentVolumeClaim{claim_spec(root.get("spec")), meta && meta->is_map() ? text_at(*meta, "uid") : Text{}});
    } else if (o.group() == "storage.k8s.io" && k == "StorageClass") {
      o.spec = std::make_unique<StorageClass>(storage_class(o));
    } else if (o.group() == "networking.k8s.io" && k == "Ingress") {
      o.spec = std::make_unique<Ingress>(ingress(root));
    } else if (o.group() == "gateway.networking.k8s.io") {
      decode_gateway_spec(this, o);
    } else if (o.group() == "networking.k8s.io" && k == "NetworkPolicy") {
      decode_network_policy_spec(this, o);
    } else if (core && (k == "ConfigMap" || k == "Secret")) {
      o.spec = std::make_unique<ConfigData>(ConfigData{keep_.with_children(map_at(root, "data")),
                                                       keep_.with_children(map_at(root, "stringData")),
                                                       keep_.with_children(map_at(root, "binaryData"))});
    } else if (o.group() == "policy" && k == "PodDisruptionBudget") {
      auto pdb = std::make_unique<DisruptionBudget>();
      if (const Node* spec = map_at(root, "spec")) {
        pdb->selector = label_selector(spec->get("selector"));
        pdb->min_available = int_or_string_at(*spec, "minAvailable");
        pdb->max_unavailable = int_or_string_at(*spec, "maxUnavailable");
      }
      o.spec = std::move(pdb);
    } else if (o.group() == "autoscaling" && k == "HorizontalPodAutoscaler") {
      o.spec = std::make_unique<Autoscaler>(autoscaler(root));
    } else if (o.group() == "rbac.authorization.k8s.io" && (k == "RoleBinding" || k == "ClusterRoleBinding")) {
      o.spec = std::make_unique<Binding>(binding(root));
    } else if (core && k == "ResourceQuota") {
      o.spec = std::make_unique<ResourceQuota>(resource_quota(root));
    } else if (core && k == "LimitRange") {
      o.spec = std::make_unique<LimitRange>(limit_range(root));
    }
  }

  Object object(const RawObject& r, const ModelOptions& options, bool context) {
    Object o;
    o.raw = &r;
    o.set_type(keep_.type_name(r.api_version), keep_.type_name(r.kind));
    o.context = context || r.context;
    const Node* meta = r.root->get("metadata");
    o.meta = object_meta(meta);
    if (meta && meta->is_map()) {
      o.server_metadata = meta->get("uid") || meta->get("creationTimestamp") || meta->get("resourceVersion");
      o.owned = meta->get("ownerReferences") != nullptr;
    }
    o.cluster_scoped = is_cluster_scoped(o.group(), o.kind());
    if (!o.cluster_scoped)
      o.ns = o.meta.ns.set() && !o.meta.ns.value().empty() ? std::string(o.meta.ns.value()) : options.default_namespace;
    decode_spec(o);
    return o;
  }

};

}  // namespace

LabelMap decode_label_map(const Node* n) {
  NodeKeeper in_place(nullptr);
  return Decoder(&in_place).label_map(n);
}
LabelSelector decode_label_selector(const Node* n) {
  NodeKeeper in_place(nullptr);
  return Decoder(&in_place).label_selector(n);
}

Object decode_object(NodeKeeper* keeper, const RawObject& raw, const ModelOptions& options, bool context) {
  return Decoder(keeper).object(raw, options, context);
}

}  // namespace kmc::schema
