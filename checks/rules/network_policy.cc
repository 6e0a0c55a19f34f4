// network-policy/*: NetworkPolicies against the pods of the set — a policy that selects no pod,
// and pods isolated for egress that can no longer resolve a name. Semantics as the API reference
// of NetworkPolicySpec gives them (../shared/docs/semantics.md): a pod is isolated in a direction
// by any policy of its namespace that selects it and has that policy type, and what it may then
// reach is the union of those policies' rules.
#include <map>
#include <optional>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"

namespace kmc::checks {
using schema::LabelMap;
using schema::LabelSelector;
using schema::NetworkPolicy;
using schema::Object;

namespace {

// Whether a policy of `ns` selects pods with `labels`: an empty podSelector selects them all.
bool selects(const NetworkPolicy& p, const LabelMap& labels) { return p.pod_selector.empty() || p.pod_selector.matches(labels); }

void no_matching_pods(const RuleContext& ctx, Sink& sink) {
  for (auto [o, p] : ctx.range.of<NetworkPolicy>()) {
    if (p.pod_selector.empty() || !p.pod_selector.set()) continue;
    // Closed world only where the input has the namespace's workloads, and no operator there
    // makes pods kmc cannot see.
    if (ctx.topology.pods_with_labels(o.ns, {}).empty() || ctx.topology.operator_namespace(o.ns)) continue;
    if (selects_control_plane(o.ns, p.pod_selector.match_labels) || !ctx.topology.select(o.ns, p.pod_selector).empty())
      continue;
    sink.report(o, p.pod_selector.node->pos(),
                fmt::format("{} selects pods with `{}`{}, but no pod template in namespace \"{}\" has these labels (in the "
                            "input or --context); the policy isolates nothing, and the pods it was written for "
                            "accept and send traffic as if it did not exist",
                            o.display(), format_labels(p.pod_selector.match_labels),
                            p.pod_selector.match_expressions.empty() ? "" : " and its matchExpressions", o.ns),
                "set podSelector to the labels of the pods' template (an empty podSelector selects every pod of the "
                "namespace)");
  }
}

enum class Reach { Yes, No, ClusterDecides };

// Whether a namespaceSelector selects kube-system: exactly, through kubernetes.io/metadata.name
// (on every Namespace) or the labels of a kube-system Namespace the input holds; otherwise the
// cluster's labels decide.
Reach selects_kube_system(const RuleContext& ctx, const LabelSelector& s) {
  if (s.empty()) return Reach::Yes;
  for (const Object& ns : ctx.model.namespaces())
    if (ns.name() == "kube-system") return s.matches(ns.meta.labels) ? Reach::Yes : Reach::No;
  bool only_name = s.match_expressions.empty();
  for (LabelMap::Entry e : s.match_labels) only_name = only_name && e.key() == "kubernetes.io/metadata.name";
  if (!only_name) return Reach::ClusterDecides;
  for (LabelMap::Entry e : s.match_labels)
    if (e.value() != "kube-system") return Reach::No;
  return Reach::Yes;
}

// Whether an egress peer may be the cluster DNS: the kube-dns pods (k8s-app: kube-dns) of
// kube-system. An ipBlock, or labels kmc cannot see, leave it to the cluster.
Reach peer_reaches_dns(const RuleContext& ctx, const NetworkPolicy::Peer& peer, const Object& policy) {
  if (peer.ip_block) return Reach::ClusterDecides;
  Reach ns = peer.namespaces.set() ? selects_kube_system(ctx, peer.namespaces)
                                   : (policy.ns == "kube-system" ? Reach::Yes : Reach::No);
  if (ns == Reach::No || !peer.pods.set() || peer.pods.empty()) return ns;
  for (LabelMap::Entry e : peer.pods.match_labels)
    if (e.key() == "k8s-app") return e.value() == "kube-dns" && ns == Reach::Yes ? Reach::Yes : Reach::ClusterDecides;
  return Reach::ClusterDecides;
}

// Whether a rule's ports admit `protocol` port 53. A named port is resolved on the DNS pods,
// which the input does not hold: the cluster decides.
Reach port_admits_dns(const NetworkPolicy::Rule& r, std::string_view protocol) {
  if (r.ports.empty()) return Reach::Yes;
  Reach best = Reach::No;
  for (const NetworkPolicy::Port& p : r.ports) {
    std::string_view proto = p.protocol.set() ? p.protocol.value() : "TCP";
    if (proto != protocol) continue;
    if (!p.port.set()) return Reach::Yes;
    if (!p.port.is_int) {
      best = Reach::ClusterDecides;
      continue;
    }
    int64_t last = p.end_port.set() ? p.end_port.value : p.port.int_value;
    if (p.port.int_value <= 53 && 53 <= last) return Reach::Yes;
  }
  return best;
}

// Whether any egress rule of the policies isolating a pod admits DNS over `protocol`.
Reach egress_to_dns(const RuleContext& ctx, const std::vector<std::pair<const Object*, const NetworkPolicy*>>& policies,
                    std::string_view protocol) {
  Reach best = Reach::No;
  for (auto [o, p] : policies)
    for (const NetworkPolicy::Rule& r : p->egress) {
      Reach port = port_admits_dns(r, protocol);
      if (port == Reach::No) continue;
      Reach to = r.peers.empty() ? Reach::Yes : Reach::No;
      for (const NetworkPolicy::Peer& peer : r.peers) {
        Reach one = peer_reaches_dns(ctx, peer, *o);
        if (one == Reach::Yes || (one == Reach::ClusterDecides && to == Reach::No)) to = one;
      }
      Reach both = port == Reach::Yes && to == Reach::Yes ? Reach::Yes
                   : to == Reach::No                      ? Reach::No
                                                          : Reach::ClusterDecides;
      if (both == Reach::Yes) return Reach::Yes;
      if (both == Reach::ClusterDecides) best = Reach::ClusterDecides;
    }
  return best;
}

void report_cut_off(Sink& sink, const Object& o, const NetworkPolicy& p, const std::vector<const Object*>& cut_off) {
  std::string pods = cut_off.size() == 1 ? cut_off[0]->display()
                                         : fmt::format("{} and {} more", cut_off[0]->display(), cut_off.size() - 1);
  Finding* f = sink.report(
      o, p.pod_selector.node ? p.pod_selector.node->pos() : o.pos(),
      fmt::format("{} isolates the pods of {} for egress, and no policy selecting them admits UDP port 53 to the "
                  "cluster DNS (the kube-dns pods of kube-system): every name lookup they make times out, Service "
                  "names included",
                  o.display(), pods),
      "add an egress rule to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, "
      "podSelector: {matchLabels: {k8s-app: kube-dns}}}] with ports [{protocol: UDP, port: 53}, {protocol: TCP, "
      "port: 53}]");
  if (f)
    for (size_t i = 0; i < cut_off.size() && i < 3; ++i)
      f->related.push_back({cut_off[i]->pos(), fmt::format("{} is isolated", cut_off[i]->display())});
}

// Once over the set: each pod template against the egress policies of its namespace (one pass
// per namespace, so a namespace of many policies and pods costs policies x pods, not more).
void blocks_dns(const RuleContext& ctx, Sink& sink) {
  std::map<std::string_view, std::vector<std::pair<const Object*, const NetworkPolicy*>>> by_namespace;
  for (auto [o, p] : ctx.range.of<NetworkPolicy>())
    if (p.isolates_egress) by_namespace[o.ns].emplace_back(&o, &p);
  for (const auto& [ns, policies] : by_namespace) {
    std::map<const Object*, std::vector<const Object*>> cut_off;  // policy: the pods it leaves without DNS
    for (uint32_t i : ctx.topology.pods_with_labels(ns, {})) {
      const PodSource& pod = ctx.topology.pod_sources[i];
      std::vector<std::pair<const Object*, const NetworkPolicy*>> isolating;
      for (auto [o, p] : policies)
        if (selects(*p, pod.pod().meta.labels)) isolating.emplace_back(o, p);
      if (isolating.empty() || egress_to_dns(ctx, isolating, "UDP") != Reach::No) continue;
      for (auto [o, p] : isolating) cut_off[o].push_back(pod.object);
    }
    for (auto [o, p] : policies)
      if (auto it = cut_off.find(o); it != cut_off.end()) report_cut_off(sink, *o, *p, it->second);
  }
}

}  // namespace

void add_network_policy_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::NetworkPolicyNoMatchingPods, RuleScope::ObjectAndLinks, no_matching_pods});
  t->push_back({RuleId::NetworkPolicyBlocksDns, RuleScope::Set, blocks_dns});
}

}  // namespace kmc::checks
