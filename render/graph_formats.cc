#include <map>
#include <set>

#include <fmt/format.h>
#include <rapidjson/prettywriter.h>

#include "render/graph.h"
#include "render/json_stream.h"

// The graph model (render/graph.cc builds it) written as Graphviz dot, Mermaid and JSON.
namespace kmc::render {

namespace {

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
    // A call NetworkPolicies drop: red, crossed out at the Service's end.
    if (e.blocked) style += ", color=red, fontcolor=red, arrowhead=tee";
    std::string label = e.blocked ? e.label + (e.label.empty() ? "" : " ") + "✗ blocked" : e.label;
    out << fmt::format("  \"{}\" -> \"{}\" [label=\"{}\"{}];\n", dot_escape(e.from), dot_escape(e.to), dot_escape(label), style);
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

// An edge's arrow: dotted for what is looser than a link (a provisioner, a call by name, a
// target outside the set), crossed out at the end when NetworkPolicies drop it.
std::string_view mermaid_arrow(const GraphEdge& e, bool to_outside) {
  bool faint = e.kind == EdgeKind::Provisions || e.kind == EdgeKind::Discovers || e.kind == EdgeKind::Calls || to_outside;
  if (e.blocked) return faint ? "-.-x" : "--x";
  return faint ? "-.->" : "-->";
}

std::string mermaid_label(const GraphEdge& e) {
  std::string label = e.label.empty() ? std::string(edge_kind_name(e.kind)) : e.label;
  return e.blocked ? label + " ✗ blocked" : label;
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
    out << fmt::format("  {} {}|\"{}\"| {}\n", id[e.from], mermaid_arrow(e, outside.count(target) > 0),
                       mermaid_text(mermaid_label(e)), target);
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
    if (n.kind == "Service") {
      w.Key("consumers");
      w.StartArray();
      for (const GraphConsumer& c : n.consumers) {
        w.StartObject();
        str("from", c.from);
        str("as", c.as);
        str("reach", c.reach);
        w.EndObject();
      }
      w.EndArray();
    }
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
    w.Key("blocked");
    w.Bool(e.blocked);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  stream.Flush();
  out << "\n";
}

}  // namespace kmc::render
