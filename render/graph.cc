#include "render/graph.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "checks/network_reach.h"
#include "checks/references.h"
#include "parser/scalar.h"

namespace kmc::render {
using schema::EndpointAddress;
using schema::EndpointSlice;
using schema::EndpointSubset;
using schema::Endpoints;
using schema::Object;
using schema::PersistentVolume;
using schema::PersistentVolumeClaim;
using schema::Service;
using schema::ServicePort;
using schema::StorageClass;
using schema::Workload;
using checks::Analysis;
using checks::ClaimMount;
using checks::ClaimOutcome;
using checks::ServiceLinks;
using checks::ServiceVariableUse;
using checks::StatefulPod;
using checks::Storage;
using checks::StorageClaim;
using checks::Topology;
using schema::Autoscaler;
using schema::Binding;
using schema::ConfigData;
using schema::ConfigRef;
using schema::DisruptionBudget;
using schema::IntOrString;
using schema::Gateway;
using schema::Ingress;
using schema::Route;

namespace {

std::string node_id(std::string_view kind, std::string_view ns, std::string_view name) {
  return fmt::format("{}/{}/{}", kind, ns.empty() ? "-" : ns, name);
}

std::string port_label(const ServicePort& p) {
  std::string target;
  if (!p.targets_own_port()) target = p.target_port.is_int ? std::to_string(p.target_port.int_value) : std::string(p.target_port.str_value);
  else target = std::to_string(p.port.value);
  std::string out = fmt::format("{}→{}", p.port.value, target);
  if (p.protocol.set() && p.protocol.value() != "TCP") out += fmt::format("/{}", p.protocol.value());
  return out;
}

std::string duration(int64_t seconds) {
  if (seconds % 3600 == 0) return fmt::format("{}h", seconds / 3600);
  if (seconds % 60 == 0) return fmt::format("{}m", seconds / 60);
  return fmt::format("{}s", seconds);
}

std::string int_or_string(const IntOrString& v) {
  return v.is_int ? std::to_string(v.int_value) : std::string(v.str_value);
}

// "2–10 replicas": an autoscaler's bounds (minReplicas defaults to 1).
std::string bounds(const Autoscaler& a) {
  return fmt::format("{}–{} replicas", a.min_replicas.set() ? a.min_replicas.value : 1,
                     a.max_replicas.set() ? std::to_string(a.max_replicas.value) : std::string("?"));
}

std::string_view site_label(ConfigRef::Site s) {
  switch (s) {
    case ConfigRef::Site::Env: return "env";
    case ConfigRef::Site::EnvFrom: return "envFrom";
    case ConfigRef::Site::Volume:
    case ConfigRef::Site::VolumeItem: return "volume";
    case ConfigRef::Site::ImagePullSecret: return "imagePullSecrets";
  }
  return {};
}

// The label of a claim (its request), a volume (its capacity) or a StorageClass (its provisioner).
std::string storage_label(const Object& o) {
  std::string detail;
  if (const PersistentVolume* pv = o.as<PersistentVolume>()) detail = std::string(pv->capacity.value());
  if (const PersistentVolumeClaim* c = o.as<PersistentVolumeClaim>()) detail = std::string(c->spec.storage_request.value());
  if (const StorageClass* sc = o.as<StorageClass>()) detail = std::string(sc->provisioner.value()) + (sc->is_default ? " (default)" : "");
  return fmt::format("{} {}{}{}", o.kind(), o.name(), detail.empty() ? "" : "\n", detail);
}

// The label of a binding, a budget (with its limit) or an autoscaler (with its bounds).
std::string referrer_label(const Object& o) {
  std::string label = fmt::format("{} {}", o.kind(), o.name());
  if (const DisruptionBudget* b = o.as<DisruptionBudget>()) {
    if (b->min_available.set()) label += "\nminAvailable " + int_or_string(b->min_available);
    else if (b->max_unavailable.set()) label += "\nmaxUnavailable " + int_or_string(b->max_unavailable);
  }
  if (const Autoscaler* a = o.as<Autoscaler>()) label += "\n" + bounds(*a);
  return label;
}

// The label of an Ingress, a route, or a Gateway (with its listeners: `http:80 https:443`).
std::string traffic_label(const Object& o) {
  std::string label = fmt::format("{} {}", o.kind(), o.name());
  if (const Gateway* g = o.as<Gateway>()) {
    std::string listeners;
    for (const Gateway::Listener& l : g->listeners)
      listeners += fmt::format("{}{}:{}", listeners.empty() ? "" : " ", l.name.value(), l.port.value);
    if (!listeners.empty()) label += "\n" + listeners;
  }
  return label;
}

// The label of an object something names: its kind and name, and a ConfigMap's or Secret's keys.
std::string target_label(const Object& o) {
  std::string label = fmt::format("{} {}", o.kind(), o.name());
  if (const ConfigData* d = o.as<ConfigData>()) {
    size_t keys = 0;
    for (const parser::Node* m : {d->data, d->binary_data, d->string_data})
      if (m && m->is_map()) keys += m->size();
    label += fmt::format("\n{} key{}", keys, keys == 1 ? "" : "s");
  }
  return label;
}

// How much a reference needs its target: an optional one draws no edge when the target is
// missing; an unjudged one (which no rule reports) is at most outside the set.
enum class Need { Required, Optional, Unjudged };

class Builder {
 public:
  Builder(const Analysis& a, const GraphOptions& o) : a_(a), options_(o) {}

  Graph run() {
    for (const Object& o : a_.model.objects) add_object(o);
    services();
    storage();
    discovery();
    routes();
    references();
    traffic();
    mark_findings();
    dangling();
    Graph g;
    for (auto& [id, n] : nodes_) g.nodes.push_back(std::move(n));
    for (GraphEdge e : edges_) {
      bool consumer = e.kind == EdgeKind::Discovers || e.kind == EdgeKind::Calls || e.kind == EdgeKind::Routes;
      e.blocked = consumer && blocked_.count({e.from, e.to}) > 0;
      g.edges.push_back(std::move(e));
    }
    return g;
  }

 private:
  struct EdgeLess {
    bool operator()(const GraphEdge& a, const GraphEdge& b) const {
      return std::tie(a.from, a.to, a.kind, a.label) < std::tie(b.from, b.to, b.kind, b.label);
    }
  };

  GraphNode& node(std::string id, std::string_view kind, std::string_view ns, std::string_view name, std::string label) {
    auto [it, fresh] = nodes_.try_emplace(id);
    if (fresh) it->second = {std::move(id), std::string(kind), std::string(ns), std::string(name), std::move(label), {}};
    return it->second;
  }

  void edge(const std::string& from, const std::string& to, EdgeKind kind, std::string label = {}) {
    edges_.insert({from, to, kind, std::move(label)});
  }

  std::string id_of(const Object& o) const { return node_id(o.kind(), o.ns, o.name()); }

  void add_object(const Object& o) {
    std::string id = id_of(o);
    if (const Service* s = o.as<Service>()) {
      std::string type = s->external() ? "ExternalName" : s->headless() ? "headless" : s->type.set() ? std::string(s->type.value()) : "ClusterIP";
      std::string ports;
      for (const ServicePort& p : s->ports) ports += fmt::format("{}{}", ports.empty() ? "" : " ", p.port.value);
      std::string label = fmt::format("Service {}\n{}{}{}", o.name(), type, ports.empty() ? "" : " ", ports);
      node(id, o.kind(), o.ns, o.name(), label);
      if (s->external() && s->external_name.set()) {
        std::string ext = node_id("External", "", s->external_name.value());
        node(ext, "External", "", s->external_name.value(), std::string(s->external_name.value()));
        edge(id, ext, EdgeKind::Aliases, "CNAME");
      }
    } else if (const Workload* w = o.as<Workload>()) {
      std::string replicas;
      if (w->replicas && w->replicas->node) replicas = fmt::format(" ×{}", w->replicas->value);
      node(id, o.kind(), o.ns, o.name(), fmt::format("{} {}{}", o.kind(), o.name(), replicas));
      if (o.kind() == "StatefulSet" && w->service_name.set() && !w->service_name.value().empty())
        edge(id, node_id("Service", o.ns, w->service_name.value()), EdgeKind::Governs, "serviceName");
    } else if (o.as<Gateway>() || o.as<Route>() || o.as<Ingress>()) {
      node(id, o.kind(), o.ns, o.name(), traffic_label(o));
    } else if (o.as<Binding>() || o.as<DisruptionBudget>() || o.as<Autoscaler>()) {
      node(id, o.kind(), o.ns, o.name(), referrer_label(o));
    } else if (o.as<PersistentVolumeClaim>() || o.as<PersistentVolume>() || o.as<StorageClass>()) {
      node(id, o.kind(), o.ns, o.name(), storage_label(o));
    }
  }

  void services() {
    const Topology& t = a_.topology;
    for (const ServiceLinks& l : t.services) {
      std::string sid = id_of(*l.object);
      if (l.affinity == "ClientIP") nodes_[sid].label += fmt::format("\nClientIP {}", duration(l.affinity_timeout));
      std::string ports;
      for (const ServicePort& p : l.service->ports) ports += fmt::format("{}{}", ports.empty() ? "" : ", ", port_label(p));
      std::set<const Object*> targets;
      for (uint32_t i : l.selected) targets.insert(t.pod_sources[i].object);
      for (const Object* w : targets) edge(sid, id_of(*w), EdgeKind::Selects, ports);
      // A selector-less Service's backends: the addresses its Endpoints/EndpointSlices list.
      for (const Object* e : l.endpoints)
        if (const Endpoints* ep = e->as<Endpoints>())
          for (const EndpointSubset& sub : ep->subsets)
            for (const EndpointAddress& addr : sub.addresses) address(sid, addr.ip.value());
      for (const Object* e : l.slices)
        if (const EndpointSlice* es = e->as<EndpointSlice>())
          for (const EndpointAddress& addr : es->addresses) address(sid, addr.ip.value());
    }
    if (options_.expand)
      for (const StatefulPod& p : t.stateful_pods) {
        std::string pid = node_id("Pod", p.statefulset->ns, p.name);
        node(pid, "Pod", p.statefulset->ns, p.name, p.dns.empty() ? "Pod " + p.name : "Pod " + p.name + "\n" + p.dns);
        edge(id_of(*p.statefulset), pid, EdgeKind::Governs, "creates");
      }
  }

  void address(const std::string& service, std::string_view ip) {
    if (ip.empty()) return;
    std::string id = node_id("Address", "", ip);
    node(id, "Address", "", ip, std::string(ip));
    edge(service, id, EdgeKind::Endpoints, "endpoint");
  }

  void storage() {
    const Storage& s = a_.topology.storage;
    for (const StorageClaim& c : s.claims) {
      std::string cid;
      if (c.from_template) {
        // Without --expand, a StatefulSet's claims are one node per template (`data-db-*`).
        cid = options_.expand ? node_id("PersistentVolumeClaim", c.ns, c.name)
                              : node_id("PersistentVolumeClaim", c.ns,
                                        fmt::format("{}-{}-*", c.from_template->meta.name.value(), c.object->name()));
        node(cid, "PersistentVolumeClaim", c.ns, cid.substr(cid.rfind('/') + 1),
             fmt::format("PersistentVolumeClaim {}\n{}", cid.substr(cid.rfind('/') + 1), c.spec->storage_request.value()));
        edge(id_of(*c.object), cid, EdgeKind::Mounts, "volumeClaimTemplate");
      } else {
        cid = id_of(*c.object);
      }
      if (c.outcome == ClaimOutcome::Bound) edge(cid, id_of(*s.volumes[c.volume].object), EdgeKind::Binds, "binds");
      if (c.outcome == ClaimOutcome::Provisioned && c.storage_class)
        edge(cid, id_of(*c.storage_class), EdgeKind::Provisions, "provisions");
    }
    for (const ClaimMount& m : s.mounts) {
      if (m.claim < 0) continue;
      const StorageClaim& c = s.claims[m.claim];
      if (c.from_template) continue;
      edge(id_of(*a_.topology.pod_sources[m.pod_source].object), id_of(*c.object), EdgeKind::Mounts, std::string(m.volume->name.value()));
    }
  }

  void discovery() {
    const Topology& t = a_.topology;
    for (const ServiceVariableUse& u : t.variable_uses)
      if (u.service) edge(id_of(*t.pod_sources[u.pod_source].object), id_of(*u.service->object), EdgeKind::Discovers, std::string(u.variable));
    // Calls by name, labelled as written with the port: `productcatalogservice:3550`.
    for (const checks::DnsNameUse& u : t.dns_uses)
      if (u.target)
        edge(id_of(*t.pod_sources[u.pod_source].object), id_of(*u.target->object), EdgeKind::Calls,
             u.port.empty() ? std::string(u.name) : fmt::format("{}:{}", u.name, u.port));
  }

  // Traffic from outside: Ingress → Service, Gateway → route → Service. A Gateway the input
  // lacks is a node of its own, missing or outside the set, as refer() makes them.
  void routes() {
    const Topology& t = a_.topology;
    for (const checks::IngressLink& l : t.ingress_links) {
      const Ingress::Backend& b = *l.backend;
      std::string port = b.port_number.set() ? std::to_string(b.port_number.value) : std::string(b.port_name.value());
      refer(*l.ingress, "Service", l.ingress->ns, b.service_name, EdgeKind::Routes, port, Need::Required,
            l.service ? l.service->object : nullptr);
    }
    for (const checks::RouteLink& l : t.route_links) {
      std::string_view ns = l.backend->ns.set() && !l.backend->ns.value().empty() ? l.backend->ns.value() : std::string_view(l.route->ns);
      std::string label = l.backend->port.set() ? std::to_string(l.backend->port.value) : std::string();
      if (l.backend->weight.set()) label += fmt::format("{}weight {}", label.empty() ? "" : " ", l.backend->weight.value);
      refer(*l.route, "Service", ns, l.backend->name, EdgeKind::Routes, label, Need::Required,
            l.service ? l.service->object : nullptr);
    }
    for (auto [o, route] : a_.model.of<Route>()) attachments(o, route);
  }

  // Gateway → route, for each parentRef naming a Gateway.
  void attachments(const Object& o, const Route& route) {
    const Topology& t = a_.topology;
    for (const schema::GatewayRef& p : route.parents) {
      std::string_view name = p.name.value();
      if (!p.names_gateway() || name.empty() || parser::is_template_text(name)) continue;
      std::string_view ns = p.ns.set() && !p.ns.value().empty() ? p.ns.value() : std::string_view(o.ns);
      std::string gid = node_id("Gateway", ns, name);
      if (const Object* gw = t.find("gateway.networking.k8s.io", "Gateway", ns, name)) {
        gid = id_of(*gw);
      } else {
        bool outside = !t.namespace_has("Gateway", ns, o);
        GraphNode& n = node(gid, "Gateway", ns, name, fmt::format("Gateway {}\n({})", name, outside ? "not in the input" : "missing"));
        n.presence = outside ? Presence::Outside : Presence::Missing;
      }
      edge(gid, id_of(o), EdgeKind::Attaches, std::string(p.section_name.value()));
    }
  }

  // Each Service's consumers and whether the NetworkPolicies let them through; the edges of
  // those every connection of which is dropped are marked (network-policy/blocks-consumer).
  void traffic() {
    const Topology& t = a_.topology;
    checks::NetworkPolicies policies(a_.model, t);
    for (const checks::ServiceConsumer& c : checks::service_consumers(t)) {
      checks::ConsumerReach r = checks::consumer_reach(t, policies, c);
      std::string from = id_of(*c.client), to = id_of(*c.service->object);
      if (auto it = nodes_.find(to); it != nodes_.end()) it->second.consumers.push_back({from, c.as, std::string(r.summary())});
      if (r.cut_off() && t.deployed_together(*c.client, *c.service->object)) blocked_.insert({from, to});
    }
    for (auto& [id, n] : nodes_) {
      auto less = [](const GraphConsumer& a, const GraphConsumer& b) { return std::tie(a.from, a.as) < std::tie(b.from, b.as); };
      std::sort(n.consumers.begin(), n.consumers.end(), less);
    }
  }

  // The names objects give each other: a pod template's ConfigMaps, Secrets, ServiceAccount and
  // PriorityClass, a binding's role and subjects, a budget's workloads, an autoscaler's target.
  // A target is a node only when something names it (an unread ConfigMap is not topology).
  void references() {
    const Topology& t = a_.topology;
    for (const checks::PodSource& p : t.pod_sources) pod_references(p);
    for (auto [o, b] : a_.model.of<Binding>()) binding_references(o, b);
    for (auto [o, b] : a_.model.of<DisruptionBudget>()) {
      if (b.selector.empty()) continue;
      std::set<const Object*> covered;
      for (uint32_t i : t.select(o.ns, b.selector)) covered.insert(t.pod_sources[i].object);
      for (const Object* w : covered) edge(id_of(o), id_of(*w), EdgeKind::Protects, "selects");
    }
    for (auto [o, a] : a_.model.of<Autoscaler>())
      refer(o, a.target_kind.value(), o.ns, a.target_name, EdgeKind::Scales, "scaleTargetRef", Need::Required,
            checks::scale_target(t, o, a));
  }

  void pod_references(const checks::PodSource& p) {
    const schema::PodSpec& spec = p.pod().spec;
    for (const ConfigRef& r : spec.config_refs) {
      if (r.site == ConfigRef::Site::VolumeItem) continue;  // its volume is the edge
      refer(*p.object, r.kind == ConfigRef::Kind::ConfigMap ? "ConfigMap" : "Secret", p.ns(), r.name, EdgeKind::Reads,
            std::string(site_label(r.site)), r.optional ? Need::Optional : Need::Required);
    }
    if (spec.service_account.set() && spec.service_account.value() != "default")
      refer(*p.object, "ServiceAccount", p.ns(), spec.service_account, EdgeKind::RunsAs, "serviceAccountName");
    refer(*p.object, "PriorityClass", "", spec.priority_class, EdgeKind::Uses, "priorityClassName");
  }

  void binding_references(const Object& o, const Binding& b) {
    std::string_view kind = b.role_kind.value();
    if (kind == "Role" || kind == "ClusterRole")
      refer(o, kind, kind == "Role" ? std::string_view(o.ns) : std::string_view(), b.role_name, EdgeKind::Grants, "roleRef");
    for (const Binding::Subject& s : b.subjects) {
      std::string_view ns = s.ns.set() && !s.ns.value().empty() ? s.ns.value() : std::string_view(o.ns);
      // Kubernetes' bootstrap bindings name accounts a cluster may run with other credentials
      // (reference/service-account-not-found does not judge them either).
      if (s.kind.value() == "ServiceAccount" && !ns.empty() && !parser::is_template_text(ns))
        refer(o, "ServiceAccount", ns, s.name, EdgeKind::Grants, "subject",
              o.name().starts_with("system:") ? Need::Unjudged : Need::Required);
    }
  }

  // An edge from `from` to the object of `kind` that `name` names in `ns`: to its node when the
  // set has it (or every cluster does), else to an id no node has, missing or outside the set.
  void refer(const Object& from, std::string_view kind, std::string_view ns, const schema::Text& name, EdgeKind k,
             std::string label, Need need = Need::Required, const Object* target = nullptr) {
    std::string_view n = name.value();
    if (!name.set() || n.empty() || parser::is_template_text(n) || parser::is_template_text(kind)) return;
    if (!target) target = a_.topology.find(kind == "PriorityClass" ? "scheduling.k8s.io"
                                           : kind == "Role" || kind == "ClusterRole" ? "rbac.authorization.k8s.io"
                                                                                      : "",
                                           kind, ns, n);
    std::string to = node_id(kind, ns, n);
    if (target) {
      to = id_of(*target);
      node(to, kind, ns, n, target_label(*target));
    } else if (checks::builtin_name(kind, ns, n)) {
      node(to, kind, ns, n, fmt::format("{} {}\n(built in)", kind, n));
    } else if (need == Need::Optional) {
      return;  // the pod starts without it: nothing is broken
    } else if (need == Need::Unjudged || !a_.topology.namespace_has(kind, ns, from) ||
               (!ns.empty() && a_.topology.operator_namespace(ns))) {
      outside_.insert(to);
    }
    edge(id_of(from), to, k, std::move(label));
  }

  // The targets of edges that no object of the set is: a node each, missing or outside the set.
  void dangling() {
    for (const GraphEdge& e : edges_) {
      if (nodes_.count(e.to)) continue;
      size_t kind_end = e.to.find('/'), ns_end = e.to.find('/', kind_end + 1);
      std::string kind = e.to.substr(0, kind_end), ns = e.to.substr(kind_end + 1, ns_end - kind_end - 1);
      std::string name = e.to.substr(ns_end + 1);
      bool outside = outside_.count(e.to) > 0;
      GraphNode& n = node(e.to, kind, ns == "-" ? "" : ns, name,
                          fmt::format("{} {}\n({})", kind, name, outside ? "not in the input" : "missing"));
      n.presence = outside ? Presence::Outside : Presence::Missing;
    }
  }

  // What `check` says about an object shows on its node.
  void mark_findings() {
    std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>> by_object;
    for (const Finding& f : a_.findings) {
      if (!f.object || f.severity == Severity::Info) continue;
      std::string id = node_id(f.object->kind, f.object->ns, f.object->name);
      if (auto it = nodes_.find(id); it != nodes_.end() && std::find(it->second.broken.begin(), it->second.broken.end(), f.rule) == it->second.broken.end())
        it->second.broken.emplace_back(f.rule);
    }
    for (auto& [id, n] : nodes_) std::sort(n.broken.begin(), n.broken.end());
  }

  const Analysis& a_;
  const GraphOptions& options_;
  std::map<std::string, GraphNode> nodes_;
  std::set<GraphEdge, EdgeLess> edges_;
  std::set<std::string> outside_;  // targets the cluster may hold: the input has none of their kind there
  std::set<std::pair<std::string, std::string>> blocked_;  // (client, Service) cut off by NetworkPolicies
};

}  // namespace

std::string_view edge_kind_name(EdgeKind k) {
  switch (k) {
    case EdgeKind::Selects: return "selects";
    case EdgeKind::Endpoints: return "endpoints";
    case EdgeKind::Mounts: return "mounts";
    case EdgeKind::Binds: return "binds";
    case EdgeKind::Provisions: return "provisions";
    case EdgeKind::Discovers: return "discovers";
    case EdgeKind::Calls: return "calls";
    case EdgeKind::Governs: return "governs";
    case EdgeKind::Aliases: return "aliases";
    case EdgeKind::Reads: return "reads";
    case EdgeKind::RunsAs: return "runs-as";
    case EdgeKind::Uses: return "uses";
    case EdgeKind::Grants: return "grants";
    case EdgeKind::Protects: return "protects";
    case EdgeKind::Scales: return "scales";
    case EdgeKind::Routes: return "routes";
    case EdgeKind::Attaches: return "attaches";
  }
  return "links";
}

std::string_view presence_name(Presence p) {
  switch (p) {
    case Presence::Present: return "present";
    case Presence::Missing: return "missing";
    case Presence::Outside: return "outside";
  }
  return "present";
}

Graph build_graph(const Analysis& a, const GraphOptions& options) { return Builder(a, options).run(); }

}  // namespace kmc::render
