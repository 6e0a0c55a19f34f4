#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "checks/selector_reach.h"
#include "checks/service_consumers.h"
#include "checks/topology.h"
#include "schema/network_policy_spec.h"

// Whether NetworkPolicies let a connection through, exactly as the API reference of
// NetworkPolicySpec has it (../shared/docs/semantics.md): a pod is isolated in a direction by any
// policy of its namespace that selects it with that policy type, and then admits what the union
// of those policies' rules admits; a connection needs the sender's egress and the receiver's
// ingress. Read by the network-policy rules and by `kmc graph`, so both say the same.
//
// Three answers, because the input is not the cluster: a namespace kmc holds no Namespace object
// for has only the labels the API server always sets (kubernetes.io/metadata.name); an ipBlock
// is addresses; a client outside the input (an ingress controller, a Gateway's proxy) has
// labels and a namespace kmc does not know. What depends on those, the cluster decides.
namespace kmc::checks {
using schema::NetworkPolicy;

// The port a connection arrives on at the receiving pod: a Service's targetPort, resolved.
struct TargetPort {
  std::string_view protocol = "TCP";
  int64_t number = 0;
};

// The targetPort of Service port `p` on a pod of `pod`: a name is looked up among its
// containers' ports; nullopt when it names none (service/target-port-not-found's case).
std::optional<TargetPort> target_port(const schema::ServicePort& p, const schema::PodTemplate& pod);

// What blocks a connection: the side whose isolation no rule opens, and the policies isolating it.
struct Blocked {
  Reach reach = Reach::Yes;  // No: blocked; ClusterDecides: it depends on what kmc cannot see
  bool at_egress = false;    // the sender's egress (else the receiver's ingress)
  std::vector<const schema::Object*> policies;  // the policies isolating that side
};

class NetworkPolicies {
 public:
  NetworkPolicies(const schema::Model& model, const Topology& topology);
  bool empty() const { return policies_.empty(); }

  // A connection from the pods of `from` (nullptr: a client outside the input) to the pods of
  // `to` on `port`. Only policies deployed together with a pod apply to it: a directory of
  // another project's examples in the same namespace is not this cluster.
  Blocked reach(const PodSource* from, const PodSource& to, TargetPort port) const;

  // The policies of `pod`'s namespace (deployed with it) that isolate it in a direction.
  std::vector<std::pair<const schema::Object*, const NetworkPolicy*>> isolating(const PodSource& pod, bool egress) const;

  // Whether a peer of a policy of `policy_ns` admits the pods of `pod` (nullptr: outside the
  // input); also what the selector rules use.
  Reach peer_admits(const NetworkPolicy::Peer& peer, std::string_view policy_ns, const PodSource* pod) const;

  const schema::Model& model() const { return model_; }
  const Topology& topology() const { return topology_; }

 private:
  Reach direction(const PodSource& isolated, const PodSource* peer, const PodSource& receiver, TargetPort port,
                  bool egress, std::vector<const schema::Object*>* policies) const;

  const schema::Model& model_;
  const Topology& topology_;
  // Sorted by namespace and where deployed (Topology::scope): a pod's candidates are one run of
  // its own place and one of the cluster's, however many projects share the namespace.
  struct Entry {
    std::string_view ns, place;
    const schema::Object* object;
    const NetworkPolicy* policy;
  };
  std::vector<Entry> policies_;
};

// How a consumer's connections fare: one to each pod template its Service selects (deployed
// with the Service), on the port it names, or on each of the Service's ports when it names none.
struct ConsumerReach {
  size_t through = 0, dropped = 0, undecided = 0;  // undecided: the cluster decides, or a
                                                   // targetPort names no container port
  // The first dropped connection: what blocks it, the pods it was for, the port.
  Blocked blocked;
  const PodSource* target = nullptr;
  TargetPort port;

  // network-policy/blocks-consumer's case: connections, every one of them dropped.
  bool cut_off() const { return dropped > 0 && through == 0 && undecided == 0; }
  // "yes", "no" (cut off), "partly" (some dropped, some not), "cluster decides", "no pods".
  std::string_view summary() const;
};
ConsumerReach consumer_reach(const Topology& t, const NetworkPolicies& policies, const ServiceConsumer& c);

// Whether a policy port (`ports` item) admits `port` at a pod of `receiver` (nullptr: pods kmc
// does not hold, whose port names the cluster resolves).
Reach port_admits(const NetworkPolicy::Port& p, TargetPort port, const schema::PodTemplate* receiver);

}  // namespace kmc::checks
