#include "render/graph.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <rapidjson/prettywriter.h>

#include "checks/references.h"
#include "parser/scalar.h"
#include "render/json_stream.h"

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
    references();
    mark_findings();
    dangling();
    Graph g;
    for (auto& [id, n] : nodes_) g.nodes.push_back(std::move(n));
    g.edges.assign(edges_.begin(), edges_.end());
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
};

std::string dot_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string shape(std::string_view kind) {
  if (kind == "Service") return "box, style=rounded";
  if (kind == "PersistentVolumeClaim" || kind == "PersistentVolume") return "cylinder";
  if (kind == "StorageClass") return "component";
  if (kind == "External" || kind == "Address") return "ellipse";
  return "box";
}

// A node's colours: red for a broken or missing object, dashed for one the set does not have.
std::string_view node_style(const GraphNode& n) {
  if (n.presence == Presence::Missing) return ", style=dashed, color=red, fontcolor=red";
  if (n.presence == Presence::Outside) return ", style=dashed, color=gray50, fontcolor=gray50";
  return n.broken.empty() ? "" : ", color=red, fontcolor=red";
}

std::string full_label(const GraphNode& n) {
  std::string label = n.label;
  for (const std::string& r : n.broken) label += "\n✗ " + r;
  return label;
}

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

void render_dot(const Graph& g, std::ostream& out) {
  out << "digraph kmc {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
  std::map<std::string, std::vector<const GraphNode*>> by_ns;
  for (const GraphNode& n : g.nodes) by_ns[n.ns].push_back(&n);
  size_t cluster = 0;
  for (const auto& [ns, nodes] : by_ns) {
    std::string indent = ns.empty() ? "  " : "    ";
    if (!ns.empty()) out << fmt::format("  subgraph cluster_{} {{\n    label=\"namespace {}\";\n    style=dashed;\n", cluster++, dot_escape(ns));
    for (const GraphNode* n : nodes)
      out << fmt::format("{}\"{}\" [label=\"{}\", shape={}{}];\n", indent, dot_escape(n->id), dot_escape(full_label(*n)),
                         shape(n->kind), node_style(*n));
    if (!ns.empty()) out << "  }\n";
  }
  std::map<std::string_view, Presence> presence;
  for (const GraphNode& n : g.nodes) presence[n.id] = n.presence;
  for (const GraphEdge& e : g.edges) {
    std::string style = e.kind == EdgeKind::Provisions ? ", style=dashed" : e.kind == EdgeKind::Discovers || e.kind == EdgeKind::Calls ? ", style=dotted" : "";
    // An edge to something the set does not have (a governing Service that is missing) is broken.
    Presence to = presence[e.to];
    if (to == Presence::Missing) style += ", color=red";
    if (to == Presence::Outside) style += ", color=gray50, style=dashed";
    out << fmt::format("  \"{}\" -> \"{}\" [label=\"{}\"{}];\n", dot_escape(e.from), dot_escape(e.to), dot_escape(e.label), style);
  }
  out << "}\n";
}

namespace {

// Text inside a Mermaid label: quotes and newlines as Mermaid writes them.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"') out += "#quot;";
    else if (c == '\n') out += "<br/>";
    else out += c;
  }
  return out;
}

// One node: rounded for Services and addresses, a cylinder for storage, a box for the rest.
std::string mermaid_node(const GraphNode& n, const std::string& id) {
  bool round = n.kind == "Service" || n.kind == "External" || n.kind == "Address";
  bool db = n.kind == "PersistentVolumeClaim" || n.kind == "PersistentVolume";
  const char* open = db ? "[(" : round ? "(" : "[";
  const char* close = db ? ")]" : round ? ")" : "]";
  return fmt::format("    {}{}\"{}\"{}\n", id, open, mermaid_text(full_label(n)), close);
}

}  // namespace

void render_mermaid(const Graph& g, std::ostream& out) {
  // Mermaid ids must be plain words: n0, n1, … in node order; labels carry the names.
  std::map<std::string, std::string> id;
  for (size_t i = 0; i < g.nodes.size(); ++i) id[g.nodes[i].id] = fmt::format("n{}", i);
  out << "flowchart LR\n";
  std::map<std::string, std::vector<const GraphNode*>> by_ns;
  for (const GraphNode& n : g.nodes) by_ns[n.ns].push_back(&n);
  size_t cluster = 0;
  std::vector<std::string> broken;
  std::set<std::string> outside;
  for (const auto& [ns, nodes] : by_ns) {
    if (!ns.empty()) out << fmt::format("  subgraph ns{}[\"namespace {}\"]\n", cluster++, mermaid_text(ns));
    for (const GraphNode* n : nodes) {
      out << mermaid_node(*n, id[n->id]);
      if (!n->broken.empty() || n->presence == Presence::Missing) broken.push_back(id[n->id]);
      if (n->presence == Presence::Outside) outside.insert(id[n->id]);
    }
    if (!ns.empty()) out << "  end\n";
  }
  for (const GraphEdge& e : g.edges) {
    const std::string& target = id[e.to];  // every edge's target is a node, dangling ones too
    bool faint = e.kind == EdgeKind::Provisions || e.kind == EdgeKind::Discovers || e.kind == EdgeKind::Calls || outside.count(target);
    std::string arrow = faint ? "-.->" : "-->";
    std::string label = e.label.empty() ? std::string(edge_kind_name(e.kind)) : e.label;
    out << fmt::format("  {} {}|\"{}\"| {}\n", id[e.from], arrow, mermaid_text(label), target);
  }
  if (!broken.empty()) {
    out << "  classDef broken stroke:#d00,color:#d00\n  class ";
    for (size_t i = 0; i < broken.size(); ++i) out << (i ? "," : "") << broken[i];
    out << " broken\n";
  }
  if (!outside.empty()) {
    out << "  classDef outside stroke:#888,color:#888,stroke-dasharray:4\n  class ";
    for (auto it = outside.begin(); it != outside.end(); ++it) out << (it == outside.begin() ? "" : ",") << *it;
    out << " outside\n";
  }
}

void render_graph_json(const Graph& g, std::ostream& out) {
  BufferedJsonStream stream(out);
  rapidjson::PrettyWriter<BufferedJsonStream> w(stream);
  w.SetIndent(' ', 2);
  auto str = [&](const char* k, std::string_view v) {
    w.Key(k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  w.Key("version");
  w.Uint(1);
  w.Key("nodes");
  w.StartArray();
  for (const GraphNode& n : g.nodes) {
    w.StartObject();
    str("id", n.id);
    str("kind", n.kind);
    str("namespace", n.ns);
    str("name", n.name);
    str("label", n.label);
    str("presence", presence_name(n.presence));
    w.Key("findings");
    w.StartArray();
    for (const std::string& r : n.broken) w.String(r.c_str());
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("edges");
  w.StartArray();
  for (const GraphEdge& e : g.edges) {
    w.StartObject();
    str("from", e.from);
    str("to", e.to);
    str("kind", edge_kind_name(e.kind));
    str("label", e.label);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  stream.Flush();
  out << "\n";
}

}  // namespace kmc::render
