#include "render/graph.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <rapidjson/prettywriter.h>

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

class Builder {
 public:
  Builder(const Analysis& a, const GraphOptions& o) : a_(a), options_(o) {}

  Graph run() {
    for (const Object& o : a_.model.objects) add_object(o);
    services();
    storage();
    discovery();
    mark_findings();
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
    } else if (o.as<PersistentVolumeClaim>() || o.as<PersistentVolume>() || o.as<StorageClass>()) {
      std::string detail;
      if (const PersistentVolume* pv = o.as<PersistentVolume>()) detail = std::string(pv->capacity.value());
      if (const PersistentVolumeClaim* c = o.as<PersistentVolumeClaim>()) detail = std::string(c->spec.storage_request.value());
      if (const StorageClass* sc = o.as<StorageClass>()) detail = std::string(sc->provisioner.value()) + (sc->is_default ? " (default)" : "");
      node(id, o.kind(), o.ns, o.name(), fmt::format("{} {}{}{}", o.kind(), o.name(), detail.empty() ? "" : "\n", detail));
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
    case EdgeKind::Governs: return "governs";
    case EdgeKind::Aliases: return "aliases";
  }
  return "links";
}

Graph build_graph(const Analysis& a, const GraphOptions& options) { return Builder(a, options).run(); }

void render_dot(const Graph& g, std::ostream& out) {
  out << "digraph kmc {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
  std::map<std::string, std::vector<const GraphNode*>> by_ns;
  for (const GraphNode& n : g.nodes) by_ns[n.ns].push_back(&n);
  std::set<std::string> ids;
  for (const GraphNode& n : g.nodes) ids.insert(n.id);
  size_t cluster = 0;
  for (const auto& [ns, nodes] : by_ns) {
    std::string indent = ns.empty() ? "  " : "    ";
    if (!ns.empty()) out << fmt::format("  subgraph cluster_{} {{\n    label=\"namespace {}\";\n    style=dashed;\n", cluster++, dot_escape(ns));
    for (const GraphNode* n : nodes)
      out << fmt::format("{}\"{}\" [label=\"{}\", shape={}{}];\n", indent, dot_escape(n->id), dot_escape(full_label(*n)), shape(n->kind),
                         n->broken.empty() ? "" : ", color=red, fontcolor=red");
    if (!ns.empty()) out << "  }\n";
  }
  for (const GraphEdge& e : g.edges) {
    std::string style = e.kind == EdgeKind::Provisions ? ", style=dashed" : e.kind == EdgeKind::Discovers ? ", style=dotted" : "";
    // An edge to something the set does not have (a governing Service that is missing) is broken.
    if (!ids.count(e.to)) style += ", color=red";
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
  for (const auto& [ns, nodes] : by_ns) {
    if (!ns.empty()) out << fmt::format("  subgraph ns{}[\"namespace {}\"]\n", cluster++, mermaid_text(ns));
    for (const GraphNode* n : nodes) {
      out << mermaid_node(*n, id[n->id]);
      if (!n->broken.empty()) broken.push_back(id[n->id]);
    }
    if (!ns.empty()) out << "  end\n";
  }
  for (const GraphEdge& e : g.edges) {
    auto to = id.find(e.to);
    std::string target = to != id.end() ? to->second : "missing_" + std::to_string(std::hash<std::string>{}(e.to) % 100000);
    if (to == id.end()) out << fmt::format("  {}[\"{} (missing)\"]\n", target, mermaid_text(e.to));
    std::string arrow = e.kind == EdgeKind::Provisions || e.kind == EdgeKind::Discovers ? "-.->" : "-->";
    std::string label = e.label.empty() ? std::string(edge_kind_name(e.kind)) : e.label;
    out << fmt::format("  {} {}|\"{}\"| {}\n", id[e.from], arrow, mermaid_text(label), target);
  }
  if (!broken.empty()) {
    out << "  classDef broken stroke:#d00,color:#d00\n  class ";
    for (size_t i = 0; i < broken.size(); ++i) out << (i ? "," : "") << broken[i];
    out << " broken\n";
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
