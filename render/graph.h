#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "checks/analysis.h"

// `kmc graph`: the resolved topology as a picture. One graph model is built from the Analysis
// (nodes and edges, each broken one marked with the rule that says so) and written as Graphviz
// dot, Mermaid or JSON. Output is deterministic: nodes and edges are sorted.
namespace kmc::render {
using schema::Endpoints;
using checks::Analysis;

// Whether an object is in the set, missing from it (a finding says so), or outside it (the
// input holds nothing of its kind in the namespace, so the cluster may well have it).
enum class Presence { Present, Missing, Outside };
std::string_view presence_name(Presence p);

// A client of a Service (a pod template, an Ingress, a route) and whether NetworkPolicies let
// its connections through (checks/network_reach.h, ConsumerReach::summary).
struct GraphConsumer {
  std::string from;  // node id
  std::string as;    // as written: `cart:7070`, a variable; empty for an Ingress or a route
  std::string reach;  // "yes", "no", "partly", "cluster decides", "no pods"
};

struct GraphNode {
  std::string id;  // "Service/shop/web": stable, sortable
  std::string kind, ns, name;
  std::string label;                // the lines to show, '\n'-separated
  std::vector<std::string> broken;  // rule ids of error/warning findings about it
  Presence presence = Presence::Present;  // the target of a dangling edge is not Present
  std::vector<GraphConsumer> consumers;   // a Service's, sorted
};

enum class EdgeKind {
  Selects, Endpoints, Mounts, Binds, Provisions, Discovers, Governs, Aliases,
  Reads,    // a pod template reads a ConfigMap or Secret (env, envFrom, a volume, imagePullSecrets)
  RunsAs,   // a pod template's ServiceAccount
  Uses,     // a pod template's PriorityClass
  Grants,   // a binding grants its role, to its ServiceAccount subjects
  Protects, // a PodDisruptionBudget covers a workload's pods
  Scales,   // a HorizontalPodAutoscaler scales a workload
  Calls,    // a pod template names a Service as a host (`cart:7070`, a URL, a DNS name)
  Routes,   // an Ingress or a Gateway route sends its traffic to a Service
  Attaches, // a Gateway admits a route that names it as a parent
};
std::string_view edge_kind_name(EdgeKind k);

struct GraphEdge {
  std::string from, to;  // node ids
  EdgeKind kind;
  std::string label;
  bool blocked = false;  // NetworkPolicies drop every connection it stands for (blocks-consumer)
};

struct Graph {
  std::vector<GraphNode> nodes;  // sorted by id
  std::vector<GraphEdge> edges;  // sorted
};

struct GraphOptions {
  bool expand = false;  // StatefulSet pods with their DNS names
};

Graph build_graph(const Analysis& a, const GraphOptions& options);

void render_dot(const Graph& g, std::ostream& out);
void render_mermaid(const Graph& g, std::ostream& out);
void render_graph_json(const Graph& g, std::ostream& out);

}  // namespace kmc::render
