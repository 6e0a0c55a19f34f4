#pragma once
#include <vector>

#include "schema/fields.h"

// Gateway API objects (gateway.networking.k8s.io), as the gateway/* rules link them: routes to
// the Gateways they attach to and the Services they send traffic to.
namespace kmc::schema {

// A reference of the Gateway API (parentRefs, backendRefs, certificateRefs): group and kind as
// written (empty when left to their defaults), the namespace when it names one.
struct GatewayRef {
  Text group, kind, ns, name;
  Text section_name;  // parentRefs: a listener's name
  Int port;           // parentRefs: a listener's port; backendRefs: the Service's port
  const Node* node = nullptr;
};

// An HTTPRoute, GRPCRoute, TCPRoute, TLSRoute or UDPRoute.
struct Route {
  std::vector<GatewayRef> parents;   // spec.parentRefs
  std::vector<GatewayRef> backends;  // spec.rules[].backendRefs
};

// A Gateway: its listeners, by name and port.
struct Gateway {
  struct Listener {
    Text name, protocol;
    Int port;
    const Node* node = nullptr;
  };
  std::vector<Listener> listeners;
};

}  // namespace kmc::schema
