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
  Int weight;         // backendRefs: its share of the rule's traffic (1 when unset; 0: none)
  const Node* node = nullptr;

  // A reference to a core Service: group "" and kind Service, a backendRef's defaults.
  bool names_service() const { return group.value().empty() && (!kind.set() || kind.value() == "Service"); }
  // A reference to a Gateway: group gateway.networking.k8s.io and kind Gateway, a parentRef's defaults.
  bool names_gateway() const {
    return (!group.set() || group.value() == "gateway.networking.k8s.io") && (!kind.set() || kind.value() == "Gateway");
  }
};

// An HTTPRoute, GRPCRoute, TCPRoute, TLSRoute or UDPRoute.
struct Route {
  std::vector<GatewayRef> parents;   // spec.parentRefs
  std::vector<GatewayRef> backends;  // spec.rules[].backendRefs
  std::vector<Text> hostnames;       // spec.hostnames (HTTPRoute, GRPCRoute, TLSRoute): none, every one
};

// A Gateway: its listeners, by name and port, the routes each admits, its certificates.
struct Gateway {
  struct Listener {
    Text name, protocol, hostname;  // hostname: unset, every one
    Int port;
    Text allowed_from;                 // allowedRoutes.namespaces.from: Same (default), All, Selector
    LabelSelector allowed_selector;    // allowedRoutes.namespaces.selector
    std::vector<GatewayRef> allowed_kinds;  // allowedRoutes.kinds (group, kind)
    std::vector<GatewayRef> certificates;   // tls.certificateRefs
    const Node* node = nullptr;
  };
  std::vector<Listener> listeners;
};

// A ReferenceGrant: what it lets objects of other namespaces refer to in its own.
struct ReferenceGrant {
  std::vector<GatewayRef> from;  // group, kind, namespace
  std::vector<GatewayRef> to;    // group, kind, name (empty: every name)
};

}  // namespace kmc::schema
