#include "checks/service_consumers.h"

#include <set>
#include <tuple>

namespace kmc::checks {

std::vector<ServiceConsumer> service_consumers(const Topology& t) {
  std::vector<ServiceConsumer> out;
  std::set<std::tuple<const Object*, const ServiceLinks*, const ServicePort*>> seen;
  auto add = [&](ServiceConsumer c) {
    if (seen.insert({c.client, c.service, c.port}).second) out.push_back(std::move(c));
  };
  for (const ServiceVariableUse& u : t.variable_uses) {
    if (!u.service) continue;
    const PodSource& p = t.pod_sources[u.pod_source];
    add({u.service, &p, p.object, p.object, u.pos, nullptr, std::string(u.variable)});
  }
  for (const DnsNameUse& u : t.dns_uses) {
    if (!u.target || (!u.port.empty() && !u.service_port)) continue;
    const PodSource& p = t.pod_sources[u.pod_source];
    std::string as(u.name);
    if (!u.port.empty()) as += ":" + std::string(u.port);
    add({u.target, &p, p.object, u.via ? u.via : p.object, u.pos, u.service_port, std::move(as)});
  }
  for (const IngressLink& l : t.ingress_links)
    if (l.service && l.port) add({l.service, nullptr, l.ingress, l.ingress, l.backend->service_name.pos(), l.port, {}});
  for (const RouteLink& l : t.route_links)  // a backend of weight 0 is sent nothing
    if (l.service && l.port && !(l.backend->weight.set() && l.backend->weight.value == 0)) add({l.service, nullptr, l.route, l.route, l.backend->name.pos(), l.port, {}});
  return out;
}

}  // namespace kmc::checks
