// endpoints/*: the manual backends of selector-less Services.
#include <arpa/inet.h>

#include <cstring>
#include <set>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"

namespace kmc::checks {
using schema::EndpointAddress;
using schema::EndpointPort;
using schema::EndpointSlice;
using schema::EndpointSubset;
using schema::Endpoints;
using schema::LabelMap;
using schema::Object;
using schema::ServicePort;

namespace {

Position name_pos(const Object& o) { return o.meta.name.set() ? o.meta.name.pos() : o.pos(); }

void orphan(const RuleContext& ctx, Sink& sink) {
  for (const Object* o : ctx.topology.orphan_endpoints) {
    if (o->kind() == "Endpoints") {
      sink.report(*o, name_pos(*o),
                  fmt::format("{} has no Service named \"{}\" in namespace \"{}\" (in the input or --context); "
                              "Endpoints only carry traffic for the Service of the same name",
                              o->display(), o->name(), o->ns),
                  fmt::format("add a selector-less Service named \"{}\", or rename the Endpoints after the Service "
                              "it should back",
                              o->name()));
    } else {
      std::string_view svc = *o->meta.labels.find("kubernetes.io/service-name");
      Position at = name_pos(*o);
      for (LabelMap::Entry e : o->meta.labels)
        if (e.key() == "kubernetes.io/service-name") at = e.key_node->pos();
      sink.report(*o, at,
                  fmt::format("{} is labelled for Service \"{}\", but no such Service exists in namespace \"{}\" "
                              "(in the input or --context); its endpoints serve nothing",
                              o->display(), svc, o->ns),
                  "fix the `kubernetes.io/service-name` label, or add the Service");
    }
  }
}

// An object read back from a cluster (`kubectl get -o yaml`) carries server-set metadata; its
// Endpoints were written by the controller, not by hand.
bool from_live_cluster(const Object& o) { return o.server_metadata; }

void overwritten(const RuleContext& ctx, Sink& sink) {
  for (const ServiceLinks& s : ctx.range.services()) {
    if (s.service->selector.empty() || s.service->external()) continue;
    for (const Object* e : s.endpoints) {
      if (from_live_cluster(*e)) continue;
      Finding* f = sink.report(
          *e, name_pos(*e),
          fmt::format("{} is written by hand for {}, which has a selector; the endpoints controller owns the "
                      "Endpoints of a Service with a selector and overwrites these with the selected pods",
                      e->display(), s.object->display()),
          "remove the Endpoints, or remove the Service's selector if the backends really are managed by hand");
      if (f) f->related.push_back({s.service->selector.node->pos(), "the Service's selector is here"});
    }
  }
}

struct PortNames {
  std::set<std::string_view> names;
  Position where;
};

PortNames backend_port_names(const ServiceLinks& s) {
  PortNames out;
  for (const Object* e : s.endpoints) {
    if (!out.where.valid()) out.where = name_pos(*e);
    for (const EndpointSubset& sub : e->as<Endpoints>()->subsets)
      for (const EndpointPort& p : sub.ports) out.names.insert(p.name.value());
  }
  for (const Object* e : s.slices) {
    if (!out.where.valid()) out.where = name_pos(*e);
    for (const EndpointPort& p : e->as<EndpointSlice>()->ports) out.names.insert(p.name.value());
  }
  return out;
}

void port_mismatch(const RuleContext& ctx, Sink& sink) {
  for (const ServiceLinks& s : ctx.range.services()) {
    if (!s.service->selector.empty() || s.service->external()) continue;
    if (s.endpoints.empty() && s.slices.empty()) continue;
    PortNames backends = backend_port_names(s);
    if (backends.names.empty()) continue;  // no ports listed at all: nothing to compare (and nothing routed)
    for (const ServicePort& p : s.service->ports) {
      std::string_view name = p.name.value();
      if (backends.names.count(name)) continue;
      std::string have;
      for (std::string_view n : backends.names) have += (have.empty() ? "" : ", ") + (n.empty() ? std::string("an unnamed port") : fmt::format("\"{}\"", n));
      std::string want = name.empty() ? std::string("an unnamed port") : fmt::format("a port named \"{}\"", name);
      Finding* f = sink.report(
          *s.object, p.node->pos(),
          fmt::format("{} {} has no backend port: its Endpoints/EndpointSlices list {} but not {}; kube-proxy pairs "
                      "Service and endpoint ports by name, so this port has no backends",
                      s.object->display(), format_port(p), have, want),
          "give the endpoint port the same name as the Service port (both unnamed is fine for a single port)");
      if (f) f->related.push_back({backends.where, "the backends are listed here"});
    }
  }
}

// Why an address is refused (ValidateNonSpecialIP), or empty when it is a fine endpoint IP.
std::string address_problem(std::string_view text, std::string_view address_type) {
  std::string ip(text);
  unsigned char b[16];
  if (inet_pton(AF_INET, ip.c_str(), b) == 1) {
    if (address_type == "IPv6") return "is an IPv4 address in an IPv6 EndpointSlice";
    if (!std::memcmp(b, "\0\0\0\0", 4)) return "is the unspecified address";
    if (b[0] == 127) return "is a loopback address (127.0.0.0/8)";
    if (b[0] == 169 && b[1] == 254) return "is link-local (169.254.0.0/16)";
    if (b[0] == 224 && b[1] == 0 && b[2] == 0) return "is link-local multicast (224.0.0.0/24)";
    return {};
  }
  if (inet_pton(AF_INET6, ip.c_str(), b) == 1) {
    if (address_type == "IPv4") return "is an IPv6 address in an IPv4 EndpointSlice";
    static const unsigned char zero[16] = {};
    unsigned char loop[16] = {};
    loop[15] = 1;
    if (!std::memcmp(b, zero, 16)) return "is the unspecified address";
    if (!std::memcmp(b, loop, 16)) return "is the loopback address";
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "is link-local (fe80::/10)";
    if (b[0] == 0xff && (b[1] & 0x0f) == 0x02) return "is link-local multicast (ff02::/16)";
    return {};
  }
  return "is not an IP address";
}

void invalid_address(const RuleContext& ctx, Sink& sink) {
  auto check = [&](const Object& o, const EndpointAddress& a, std::string_view type) {
    if (!a.ip.set()) return;
    std::string problem = address_problem(a.ip.value(), type);
    if (problem.empty()) return;
    sink.report(o, a.ip.pos(),
                fmt::format("{} lists \"{}\", which {}; the API server rejects it and kube-proxy could not route "
                            "to it from other nodes",
                            o.display(), a.ip.value(), problem),
                "list the routable IP of the backend (a host name belongs in an ExternalName Service or an FQDN "
                "EndpointSlice)");
  };
  for (auto [o, endpoints] : ctx.range.of<Endpoints>())
    for (const EndpointSubset& sub : endpoints.subsets) {
      for (const EndpointAddress& a : sub.addresses) check(o, a, "");
      for (const EndpointAddress& a : sub.not_ready_addresses) check(o, a, "");
    }
  for (auto [o, slice] : ctx.range.of<EndpointSlice>()) {
    if (slice.address_type.value() != "IPv4" && slice.address_type.value() != "IPv6") continue;  // FQDN: host names
    for (const EndpointAddress& a : slice.addresses) check(o, a, slice.address_type.value());
  }
}

void deprecated_api(const RuleContext& ctx, Sink& sink) {
  // Deprecated in 1.33 (KEP-4974): an older cluster neither warns nor has a reason to.
  if (ctx.settings.kubernetes_minor < 33) return;
  for (auto [o, endpoints] : ctx.range.of<Endpoints>()) {
    sink.report(o, endpoints.kind_key ? endpoints.kind_key->pos() : o.pos(),
                fmt::format("{} uses the v1 Endpoints API, deprecated since Kubernetes 1.33 (the API server warns "
                            "on every write); EndpointSlice is its replacement",
                            o.display()),
                fmt::format("write a discovery.k8s.io/v1 EndpointSlice labelled `kubernetes.io/service-name: {}` "
                            "with the same addresses and ports",
                            o.name()));
  }
}

}  // namespace

void add_endpoints_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::EndpointsOrphan, RuleScope::Set, orphan});
  t->push_back({RuleId::EndpointsOverwritten, RuleScope::ObjectAndLinks, overwritten});
  t->push_back({RuleId::EndpointsPortMismatch, RuleScope::ObjectAndLinks, port_mismatch});
  t->push_back({RuleId::EndpointsInvalidAddress, RuleScope::Object, invalid_address});
  t->push_back({RuleId::EndpointsDeprecatedApi, RuleScope::Object, deprecated_api});
}

}  // namespace kmc::checks
