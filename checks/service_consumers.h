#pragma once
#include <string>
#include <vector>

#include "checks/topology.h"

// Who sends traffic to each Service, from the links the linker made: pod templates that name it
// (service variables, DNS and short names) and the Ingresses and Gateway routes whose proxies
// forward to it. Read by network-policy/blocks-consumer and by `kmc graph`.
namespace kmc::checks {

struct ServiceConsumer {
  const ServiceLinks* service;
  const PodSource* pod = nullptr;     // the calling pods; null for an Ingress or a route, whose
                                      // proxy runs outside the input
  const Object* client;               // the pod template's object, the Ingress or the route
  const Object* written_in;           // where the reference is: `client`, or the ConfigMap it reads
  Position pos;                       // the reference
  const ServicePort* port = nullptr;  // the Service port it names; null when it names none
  std::string as;                     // as written: `cart:7070`, a variable; empty for a proxy
};

// Once per client, Service and port, the first reference of each, in the topology's order.
// References that name no port of the Service (`cart:9999`) are left out: discovery rules report
// them; so are route backends of weight 0, which are sent nothing.
std::vector<ServiceConsumer> service_consumers(const Topology& t);

}  // namespace kmc::checks
