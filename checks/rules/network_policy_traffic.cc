// network-policy/ traffic: what the policies let through (checks/network_reach.h) against the
// connections the set is known to make — every consumer of a Service the linker found, and
// every pod's name lookups.
#include <map>
#include <optional>

#include <fmt/format.h>

#include "checks/network_reach.h"
#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"
#include "checks/service_consumers.h"

namespace kmc::checks {
using schema::LabelMap;
using schema::LabelSelector;
using schema::NetworkPolicy;
using schema::Object;

namespace {

// `{app: web, tier: front}`: labels as a matchLabels a user can paste.
std::string match_labels(const LabelMap& labels) {
  std::string out;
  for (LabelMap::Entry e : labels) out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", e.key(), e.value());
  return "{" + out + "}";
}

// "NetworkPolicy shop/deny-all", "… and NetworkPolicy shop/api-only", "… and 2 more".
std::string policy_list(const std::vector<const Object*>& policies) {
  if (policies.size() == 1) return policies[0]->display();
  if (policies.size() == 2) return fmt::format("{} and {}", policies[0]->display(), policies[1]->display());
  return fmt::format("{} and {} more policies", policies[0]->display(), policies.size() - 1);
}

void report_blocked(Sink& sink, const ServiceConsumer& c, const ConsumerReach& cut) {
  const Object& svc = *c.service->object;
  const PodSource& target = *cut.target;
  std::string policies = policy_list(cut.blocked.policies);
  bool one = cut.blocked.policies.size() == 1;
  std::string port = fmt::format("{} port {}", cut.port.protocol, cut.port.number);
  std::string calls = c.pod ? fmt::format("{} calls {}{}", c.client->display(), svc.display(),
                                          c.as.empty() ? "" : fmt::format(" (as `{}`)", c.as))
                            : fmt::format("{} sends traffic to {}", c.client->display(), svc.display());
  std::string message, fix;
  if (cut.blocked.at_egress) {
    const LabelMap& labels = target.pod().meta.labels;
    message = fmt::format("{}, but {} isolate{} its pods for egress and no egress rule admits the pods of {} ({} in "
                          "namespace \"{}\") on {}: the connection is dropped and the call times out",
                          calls, policies, one ? "s" : "", target.object->display(), format_labels(labels), target.ns(), port);
    fix = fmt::format("add an egress rule: `to: [{{podSelector: {{matchLabels: {}}}{}}}]`, `ports: [{{protocol: {}, port: {}}}]`",
                      match_labels(labels),
                      target.ns() == c.pod->ns() ? ""
                                                 : fmt::format(", namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {}}}}}", target.ns()),
                      cut.port.protocol, cut.port.number);
  } else if (c.pod) {
    const LabelMap& labels = c.pod->pod().meta.labels;
    message = fmt::format("{}, but {} isolate{} the pods of {} for ingress and no ingress rule admits pods with {} of "
                          "namespace \"{}\" on {}: the connection is dropped and the call times out",
                          calls, policies, one ? "s" : "", target.object->display(), format_labels(labels), c.pod->ns(), port);
    fix = fmt::format("add an ingress rule: `from: [{{podSelector: {{matchLabels: {}}}{}}}]`, `ports: [{{protocol: {}, port: {}}}]`",
                      match_labels(labels),
                      target.ns() == c.pod->ns() ? ""
                                                 : fmt::format(", namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {}}}}}", c.pod->ns()),
                      cut.port.protocol, cut.port.number);
  } else {
    std::string_view proxy = c.client->kind() == "Ingress" ? "the ingress controller" : "the Gateway's proxy";
    message = fmt::format("{}, but {} isolate{} the pods of {} for ingress and no ingress rule admits any client on {}: "
                          "{} cannot connect and answers with an error (502 or 503)",
                          calls, policies, one ? "s" : "", target.object->display(), port, proxy);
    fix = fmt::format("add an ingress rule that admits {}'s pods on {} (`from:` a namespaceSelector for its namespace)", proxy, port);
  }
  Finding* f = sink.report(*c.written_in, c.pos, std::move(message), std::move(fix));
  if (!f) return;
  for (const Object* p : cut.blocked.policies) f->related.push_back({p->pos(), fmt::format("{} is here", p->display())});
  f->related.push_back({target.object->pos(), fmt::format("{} runs the Service's pods", target.object->display())});
}

// Once over the set: each consumer against the policies of both ends.
void blocks_consumer(const RuleContext& ctx, Sink& sink) {
  NetworkPolicies policies(ctx.model, ctx.topology);
  if (policies.empty()) return;
  for (const ServiceConsumer& c : service_consumers(ctx.topology)) {
    // A consumer deployed apart from the Service (another project's of that name) says nothing.
    if (c.service->service->external() || !ctx.topology.deployed_together(*c.client, *c.service->object)) continue;
    if (ConsumerReach r = consumer_reach(ctx.topology, policies, c); r.cut_off()) report_blocked(sink, c, r);
  }
}

// Whether a namespaceSelector of `policy` selects kube-system.
Reach selects_kube_system(const NetworkPolicies& policies, const LabelSelector& s, const Object& policy) {
  return namespace_selected(policies.model(), policies.topology(), s, "kube-system", policy);
}

// Whether an egress peer may be the cluster DNS: the kube-dns pods (k8s-app: kube-dns) of
// kube-system. An ipBlock, or labels kmc cannot see (clusters label CoreDNS differently), leave
// it to the cluster.
Reach peer_reaches_dns(const NetworkPolicies& policies, const NetworkPolicy::Peer& peer, const Object& policy) {
  if (peer.ip_block) return Reach::ClusterDecides;
  Reach ns = peer.namespaces.set() ? selects_kube_system(policies, peer.namespaces, policy)
                                   : (policy.ns == "kube-system" ? Reach::Yes : Reach::No);
  if (ns == Reach::No || !peer.pods.set() || peer.pods.empty()) return ns;
  for (LabelMap::Entry e : peer.pods.match_labels)
    if (e.key() == "k8s-app") return e.value() == "kube-dns" && ns == Reach::Yes ? Reach::Yes : Reach::ClusterDecides;
  return Reach::ClusterDecides;
}

// Whether any egress rule of the policies isolating a pod admits DNS over `protocol` (port 53;
// a named port is resolved on the DNS pods, which the input does not hold: the cluster decides).
Reach egress_to_dns(const NetworkPolicies& policies, const std::vector<std::pair<const Object*, const NetworkPolicy*>>& isolating,
                    std::string_view protocol) {
  Reach best = Reach::No;
  for (auto [o, p] : isolating)
    for (const NetworkPolicy::Rule& r : p->egress) {
      Reach port = r.ports.empty() ? Reach::Yes : Reach::No;
      for (const NetworkPolicy::Port& q : r.ports) {
        Reach one = port_admits(q, {protocol, 53}, nullptr);
        if (one == Reach::Yes || (one == Reach::ClusterDecides && port == Reach::No)) port = one;
      }
      if (port == Reach::No) continue;
      Reach to = r.peers.empty() ? Reach::Yes : Reach::No;
      for (const NetworkPolicy::Peer& peer : r.peers) {
        Reach one = peer_reaches_dns(policies, peer, *o);
        if (one == Reach::Yes || (one == Reach::ClusterDecides && to == Reach::No)) to = one;
      }
      if (port == Reach::Yes && to == Reach::Yes) return Reach::Yes;
      if (to != Reach::No) best = Reach::ClusterDecides;
    }
  return best;
}

void report_no_dns(Sink& sink, const Object& o, const NetworkPolicy& p, const std::vector<const Object*>& cut_off) {
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

// Once over the set: each pod template against the egress policies of its namespace.
void blocks_dns(const RuleContext& ctx, Sink& sink) {
  NetworkPolicies policies(ctx.model, ctx.topology);
  if (policies.empty()) return;
  std::map<const Object*, std::vector<const Object*>> cut_off;  // policy: the pods it leaves without DNS
  for (const PodSource& pod : ctx.topology.pod_sources) {
    auto isolating = policies.isolating(pod, true);
    if (isolating.empty() || egress_to_dns(policies, isolating, "UDP") != Reach::No) continue;
    for (auto [o, p] : isolating) cut_off[o].push_back(pod.object);
  }
  for (auto [o, p] : ctx.model.of<NetworkPolicy>())
    if (auto it = cut_off.find(&o); it != cut_off.end()) report_no_dns(sink, o, p, it->second);
}

}  // namespace

void add_network_policy_traffic_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::NetworkPolicyBlocksConsumer, RuleScope::Set, blocks_consumer});
  t->push_back({RuleId::NetworkPolicyBlocksDns, RuleScope::Set, blocks_dns});
}

}  // namespace kmc::checks
