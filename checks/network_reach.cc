#include "checks/network_reach.h"

#include <algorithm>
#include <tuple>

#include "parser/scalar.h"

namespace kmc::checks {
using schema::LabelMap;
using schema::LabelSelector;
using schema::Object;
using schema::PodTemplate;

namespace {

Reach rule_ports_admit(const NetworkPolicy::Rule& rule, TargetPort port, const PodTemplate* receiver) {
  if (rule.ports.empty()) return Reach::Yes;
  Reach r = Reach::No;
  for (const NetworkPolicy::Port& p : rule.ports) r = either(r, port_admits(p, port, receiver));
  return r;
}

bool selects(const NetworkPolicy& p, const LabelMap& labels) {
  return p.pod_selector.empty() || p.pod_selector.matches(labels);
}

}  // namespace

std::optional<TargetPort> target_port(const schema::ServicePort& p, const PodTemplate& pod) {
  TargetPort t;
  if (p.protocol.set()) t.protocol = p.protocol.value();
  if (p.targets_own_port()) {
    if (!p.port.set()) return std::nullopt;
    t.number = p.port.value;
    return t;
  }
  if (p.target_port.is_int) {
    t.number = p.target_port.int_value;
    return t;
  }
  for (const schema::Container& c : pod.spec.containers)
    for (const schema::ContainerPort& cp : c.ports)
      if (cp.name.set() && cp.name.value() == p.target_port.str_value && cp.container_port.set()) {
        t.number = cp.container_port.value;
        return t;
      }
  return std::nullopt;
}

Reach port_admits(const NetworkPolicy::Port& p, TargetPort port, const PodTemplate* receiver) {
  std::string_view protocol = p.protocol.set() ? p.protocol.value() : "TCP";
  if (protocol != port.protocol) return Reach::No;
  if (!p.port.set()) return Reach::Yes;
  if (p.port.is_int) {
    int64_t last = p.end_port.set() ? p.end_port.value : p.port.int_value;
    return p.port.int_value <= port.number && port.number <= last ? Reach::Yes : Reach::No;
  }
  // A named port: the receiving pod's container port of that name and protocol.
  if (!receiver || parser::is_template_text(p.port.str_value)) return Reach::ClusterDecides;
  for (const schema::Container& c : receiver->spec.containers)
    for (const schema::ContainerPort& cp : c.ports) {
      std::string_view cp_protocol = cp.protocol.set() ? cp.protocol.value() : "TCP";
      if (cp.name.set() && cp.name.value() == p.port.str_value && cp_protocol == port.protocol &&
          cp.container_port.set() && cp.container_port.value == port.number)
        return Reach::Yes;
    }
  return Reach::No;
}

NetworkPolicies::NetworkPolicies(const schema::Model& model, const Topology& topology) : model_(model), topology_(topology) {
  for (auto [o, p] : model.of<NetworkPolicy>()) policies_.push_back({o.ns, topology_.scope(o), &o, &p});
  std::stable_sort(policies_.begin(), policies_.end(),
                   [](const Entry& a, const Entry& b) { return std::tie(a.ns, a.place) < std::tie(b.ns, b.place); });
}

std::vector<std::pair<const Object*, const NetworkPolicy*>> NetworkPolicies::isolating(const PodSource& pod, bool egress) const {
  std::vector<std::pair<const Object*, const NetworkPolicy*>> out;
  auto add = [&](const Entry& e) {
    const NetworkPolicy& p = *e.policy;
    if ((egress ? p.isolates_egress : p.isolates_ingress) && selects(p, pod.pod().meta.labels) &&
        topology_.deployed_together(*e.object, *pod.object))
      out.emplace_back(e.object, e.policy);
  };
  auto run = [&](std::string_view ns, std::optional<std::string_view> where) {
    auto less = [&](const Entry& e, std::pair<std::string_view, std::string_view> k) {
      return where ? std::tie(e.ns, e.place) < std::tie(k.first, k.second) : e.ns < k.first;
    };
    auto it = std::lower_bound(policies_.begin(), policies_.end(), std::pair(ns, where.value_or("")), less);
    for (; it != policies_.end() && it->ns == ns && (!where || it->place == *where); ++it) add(*it);
  };
  // A pod of the cluster is deployed with every policy; an input pod with those of its place
  // and the cluster's.
  if (pod.object->context) {
    run(pod.ns(), std::nullopt);
  } else {
    run(pod.ns(), topology_.scope(*pod.object));
    run(pod.ns(), Topology::kInTheCluster);
  }
  return out;
}

Reach NetworkPolicies::peer_admits(const NetworkPolicy::Peer& peer, std::string_view policy_ns, const PodSource* pod) const {
  if (peer.ip_block || !pod) return Reach::ClusterDecides;
  Reach ns = peer.namespaces.set() ? namespace_selected(model_, topology_, peer.namespaces, pod->ns(), *pod->object)
                                   : (pod->ns() == policy_ns ? Reach::Yes : Reach::No);
  if (ns == Reach::No || !peer.pods.set() || peer.pods.empty()) return ns;
  return both(ns, selector_reach(peer.pods, {&pod->pod().meta.labels, true, {}}));
}

Reach NetworkPolicies::direction(const PodSource& isolated, const PodSource* peer, const PodSource& receiver, TargetPort port,
                                 bool egress, std::vector<const Object*>* policies) const {
  auto iso = isolating(isolated, egress);
  if (iso.empty()) return Reach::Yes;
  Reach best = Reach::No;
  for (auto [o, p] : iso) {
    policies->push_back(o);
    for (const NetworkPolicy::Rule& rule : egress ? p->egress : p->ingress) {
      Reach ports = rule_ports_admit(rule, port, &receiver.pod());
      if (ports == Reach::No) continue;
      Reach peers = rule.peers.empty() ? Reach::Yes : Reach::No;
      for (const NetworkPolicy::Peer& q : rule.peers) peers = either(peers, peer_admits(q, o->ns, peer));
      best = either(best, both(ports, peers));
    }
  }
  return best;
}

Blocked NetworkPolicies::reach(const PodSource* from, const PodSource& to, TargetPort port) const {
  Blocked out;
  if (from) {
    out.reach = direction(*from, &to, to, port, true, &out.policies);
    out.at_egress = true;
    if (out.reach == Reach::No) return out;
  }
  Blocked in;
  in.reach = direction(to, from, to, port, false, &in.policies);
  if (in.reach == Reach::No || (in.reach == Reach::ClusterDecides && out.reach == Reach::Yes)) return in;
  return out.reach == Reach::Yes ? Blocked{} : out;
}

std::string_view ConsumerReach::summary() const {
  if (through + dropped + undecided == 0) return "no pods";
  if (cut_off()) return "no";
  if (dropped > 0 && through > 0) return "partly";
  return undecided > 0 ? "cluster decides" : "yes";
}

ConsumerReach consumer_reach(const Topology& t, const NetworkPolicies& policies, const ServiceConsumer& c) {
  ConsumerReach r;
  const ServiceLinks& s = *c.service;
  for (const schema::ServicePort& sp : s.service->ports) {
    if (c.port && c.port != &sp) continue;
    for (uint32_t i : s.selected) {
      const PodSource& target = t.pod_sources[i];
      if (!t.deployed_together(*target.object, *s.object)) continue;
      std::optional<TargetPort> port = target_port(sp, target.pod());
      Blocked b = port ? policies.reach(c.pod, target, *port) : Blocked{Reach::ClusterDecides, false, {}};
      if (b.reach == Reach::Yes) ++r.through;
      if (b.reach == Reach::ClusterDecides) ++r.undecided;
      if (b.reach != Reach::No) continue;
      if (r.dropped++ == 0) {
        r.blocked = std::move(b);
        r.target = &target;
        r.port = *port;
      }
    }
  }
  return r;
}

}  // namespace kmc::checks
