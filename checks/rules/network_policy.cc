// network-policy/ selectors: a policy, or a peer of its rules, whose pod selector matches no
// pod template of the set (closed world: only where the input holds the namespace's workloads).
// What the policies let through is network_policy_traffic.cc's.
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"

namespace kmc::checks {
using schema::LabelMap;
using schema::LabelSelector;
using schema::NetworkPolicy;
using schema::Object;

namespace {

// Whether `ns` is known to have no pods `selector` matches: the input holds the namespace's
// workloads, no operator there makes pods kmc cannot see, and the selector is not the control
// plane's (static pods no manifest defines).
bool selects_nothing(const RuleContext& ctx, std::string_view ns, const LabelSelector& selector) {
  if (ctx.topology.pods_by_namespace.find(ns).empty() || ctx.topology.operator_namespace(ns)) return false;
  return !selects_control_plane(ns, selector.match_labels) && !ctx.topology.selects_any(ns, selector);
}

void no_matching_pods(const RuleContext& ctx, Sink& sink) {
  for (auto [o, p] : ctx.range.of<NetworkPolicy>()) {
    if (p.pod_selector.empty() || !p.pod_selector.set() || !selects_nothing(ctx, o.ns, p.pod_selector)) continue;
    sink.report(o, p.pod_selector.node->pos(),
                fmt::format("{} selects pods with `{}`, but no pod template in namespace \"{}\" has these labels (in the "
                            "input or --context); the policy isolates nothing, and the pods it was written for "
                            "accept and send traffic as if it did not exist",
                            o.display(), format_selector(p.pod_selector), o.ns),
                "set podSelector to the labels of the pods' template (an empty podSelector selects every pod of the "
                "namespace)");
  }
}

// The namespaces a peer's namespaceSelector names one by one (kubernetes.io/metadata.name in
// matchLabels, or In over it), which need no Namespace object to be known; nullopt for any
// other selector, whose namespaces the cluster's labels decide.
std::optional<std::vector<std::string_view>> named_namespaces(const LabelSelector& s) {
  std::vector<std::string_view> names;
  for (LabelMap::Entry e : s.match_labels) {
    if (e.key() != "kubernetes.io/metadata.name") return std::nullopt;
    names.push_back(e.value());
  }
  for (const schema::SelectorRequirement& r : s.match_expressions) {
    if (r.key.value() != "kubernetes.io/metadata.name" || r.op.value() != "In" || !names.empty()) return std::nullopt;
    for (const schema::Text& v : r.values) names.push_back(v.value());
  }
  if (names.empty() || s.match_labels.size() > 1) return std::nullopt;
  return names;
}

// The namespaces of a peer with a pod selector, when kmc knows them: the policy's own, or those
// its namespaceSelector names; nullopt otherwise (an ipBlock, every pod, namespace labels).
std::optional<std::vector<std::string_view>> peer_namespaces(const NetworkPolicy::Peer& peer, const Object& policy) {
  if (peer.ip_block || !peer.pods.set() || peer.pods.empty()) return std::nullopt;
  if (!peer.namespaces.set()) return std::vector<std::string_view>{policy.ns};
  return named_namespaces(peer.namespaces);
}

void report_peer(Sink& sink, const Object& o, const NetworkPolicy::Peer& peer, bool egress,
                 const std::vector<std::string_view>& namespaces) {
  std::string where = namespaces.size() == 1 ? fmt::format("namespace \"{}\"", namespaces.front())
                                             : fmt::format("namespaces \"{}\"", fmt::join(namespaces, "\", \""));
  sink.report(o, peer.pods.node->pos(),
              fmt::format("{} {} pods with `{}` in {}, but no pod template there has these labels (in the input or "
                          "--context); this peer admits nothing, and the pods it was written for are {} as if the rule "
                          "did not exist",
                          o.display(), egress ? "lets its pods send to" : "admits traffic from", format_selector(peer.pods),
                          where, egress ? "unreachable from the selected pods" : "refused"),
              "set the peer's podSelector to the labels of the pods' template (and its namespaceSelector to their "
              "namespace)");
}

void peer_matches_nothing(const RuleContext& ctx, Sink& sink) {
  for (auto [o, p] : ctx.range.of<NetworkPolicy>())
    for (bool egress : {false, true})
      for (const NetworkPolicy::Rule& rule : egress ? p.egress : p.ingress)
        for (const NetworkPolicy::Peer& peer : rule.peers) {
          std::optional<std::vector<std::string_view>> namespaces = peer_namespaces(peer, o);
          if (!namespaces || namespaces->empty()) continue;
          bool nothing = true;
          for (std::string_view ns : *namespaces) nothing = nothing && selects_nothing(ctx, ns, peer.pods);
          if (nothing) report_peer(sink, o, peer, egress, *namespaces);
        }
}

}  // namespace

void add_network_policy_selector_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::NetworkPolicyNoMatchingPods, RuleScope::ObjectAndLinks, no_matching_pods});
  t->push_back({RuleId::NetworkPolicyPeerMatchesNothing, RuleScope::ObjectAndLinks, peer_matches_nothing});
}

}  // namespace kmc::checks
