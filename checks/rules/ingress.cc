// ingress/*: every backend an Ingress routes to exists.
#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"

namespace kmc::checks {
using schema::Ingress;
using schema::Object;
using schema::Service;
using schema::ServicePort;

namespace {

void backend_not_found(const RuleContext& ctx, Sink& sink) {
  for (const IngressLink& l : ctx.range.ingress_links()) {
    const Ingress::Backend& b = *l.backend;
    const Object& ing = *l.ingress;
    if (!l.service) {
      // The cluster could have the Service from another pipeline: a warning, not an error.
      sink.report(ing, Severity::Warning, b.service_name.pos(),
                  fmt::format("{} routes to Service \"{}\", which does not exist in namespace \"{}\" (in the input or "
                              "--context); unless the cluster already has it, the controller answers 503 for this path",
                              ing.display(), b.service_name.value(), ing.ns),
                  "fix the service name, or add the Service to the Ingress's namespace (an Ingress cannot route "
                  "to another namespace)");
      continue;
    }
    if (l.port || (!b.port_number.set() && !b.port_name.set())) continue;
    const Service& s = *l.service->service;
    if (s.external() && s.ports.empty()) continue;  // an ExternalName alias: the port is the far end's
    std::string ports;
    for (const ServicePort& p : s.ports) ports += (ports.empty() ? "" : ", ") + format_port(p);
    std::string want = b.port_number.set() ? fmt::format("port {}", b.port_number.value)
                                           : fmt::format("a port named \"{}\"", b.port_name.value());
    Position at = b.port_number.set() ? b.port_number.node->pos() : b.port_name.pos();
    Finding* f = sink.report(ing, at,
                             fmt::format("{} routes to {} of {}, which exposes {}; the controller has no endpoints "
                                         "for this backend",
                                         ing.display(), want, l.service->object->display(),
                                         ports.empty() ? "no ports" : ports),
                             "use one of the Service's port numbers (`port`, not `targetPort`) or port names");
    if (f) f->related.push_back({l.service->object->pos(), fmt::format("{} is here", l.service->object->display())});
  }
}

}  // namespace

void add_ingress_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::IngressBackendNotFound, RuleScope::ObjectAndLinks, backend_not_found});
}

}  // namespace kmc::checks
