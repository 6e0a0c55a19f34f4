#pragma once
#include <vector>

#include "schema/fields.h"

// A NetworkPolicy (networking.k8s.io/v1) as the network-policy/* rules read it: the pods it
// selects, the directions it isolates them in, and its rules' peers and ports
// (../shared/docs/semantics.md; the API reference of NetworkPolicySpec).
namespace kmc::schema {

struct NetworkPolicy {
  struct Port {
    Text protocol;     // TCP when unset
    IntOrString port;  // unset: every port; a name is looked up on the target pod's containers
    Int end_port;      // with a numeric port: the range port..endPort
    const Node* node = nullptr;
  };
  // `from`/`to` item: pods of the policy's namespace (podSelector alone), every pod of the
  // selected namespaces (namespaceSelector alone), those pods of those namespaces (both), or
  // addresses (ipBlock, which kmc cannot resolve to pods: the cluster decides).
  struct Peer {
    LabelSelector pods, namespaces;  // .set() when given
    bool ip_block = false;
    const Node* node = nullptr;
  };
  struct Rule {
    std::vector<Peer> peers;  // empty: every source (ingress) or destination (egress)
    std::vector<Port> ports;  // empty: every port
    const Node* node = nullptr;
  };
  LabelSelector pod_selector;  // empty: every pod of the namespace
  // policyTypes after the API server's defaulting: Ingress always, Egress when the policy has
  // egress rules, unless policyTypes says otherwise.
  bool isolates_ingress = true, isolates_egress = false;
  std::vector<Rule> ingress, egress;
};

}  // namespace kmc::schema
