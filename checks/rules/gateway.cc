// gateway/*: a Gateway API route attaches to Gateways and listeners that exist, and sends its
// traffic to Services that exist and expose the port it names.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/references.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"
#include "checks/selector_reach.h"
#include "core/spelling.h"
#include "parser/scalar.h"

namespace kmc::checks {
using parser::is_template_text;
using schema::Gateway;
using schema::GatewayRef;
using schema::Object;
using schema::LabelMap;
using schema::ReferenceGrant;
using schema::Route;
using schema::ServicePort;

namespace {

constexpr std::string_view kGatewayGroup = "gateway.networking.k8s.io";

// The namespace a reference points into: its own, else the route's.
std::string_view target_namespace(const GatewayRef& r, const Object& route) {
  return r.ns.set() && !r.ns.value().empty() ? r.ns.value() : std::string_view(route.ns);
}

bool usable_name(const Text& name) { return name.set() && !name.value().empty() && !is_template_text(name.value()); }

void backend_not_found(const RuleContext& ctx, Sink& sink) {
  for (auto [o, route] : ctx.range.of<Route>())
    for (const GatewayRef& b : route.backends) {
      if (!b.names_service() || !usable_name(b.name)) continue;
      std::string_view ns = target_namespace(b, o);
      const ServiceLinks* s = ctx.topology.service(ns, b.name.value(), o);
      if (!s) {
        // Only where the input (or --context) holds the namespace's Services is one known to
        // be missing; the cluster could have it from another pipeline: a warning.
        if (!ctx.topology.namespace_has_services(ns, o)) continue;
        sink.report(o, Severity::Warning, b.name.pos(),
                    fmt::format("{} sends traffic to Service \"{}\", which does not exist in namespace \"{}\" (in the "
                                "input or --context); unless the cluster already has it, the Gateway answers 500 for "
                                "the requests this rule matches",
                                o.display(), b.name.value(), ns),
                    "fix the backend's name, or add the Service");
        continue;
      }
      const schema::Service& svc = *s->service;
      // The port is judged against the Service deployed with the route (a Service of that name
      // elsewhere in the input is another project's), and one with ports: an ExternalName alias
      // has the far end's, and a Service without ports is schema/invalid-value's.
      if (svc.ports.empty() || !ctx.topology.deployed_together(*s->object, o)) continue;
      if (!b.port.set()) {
        sink.report(o, b.name.pos(),
                    fmt::format("{} names Service \"{}\" as a backend without a port; the API server rejects a Service "
                                "backendRef without one (the route's CRD validation)",
                                o.display(), b.name.value()),
                    "add `port:` with one of the Service's ports");
        continue;
      }
      bool exposed = false;
      std::string ports;
      for (const ServicePort& p : svc.ports) {
        exposed = exposed || (p.port.set() && p.port.value == b.port.value);
        ports += (ports.empty() ? "" : ", ") + format_port(p);
      }
      if (exposed) continue;
      Finding* f = sink.report(o, b.port.node->pos(),
                               fmt::format("{} sends traffic to port {} of {}, which exposes {}; the Gateway has no "
                                           "endpoints for this backend",
                                           o.display(), b.port.value, s->object->display(), ports.empty() ? "no ports" : ports),
                               "use one of the Service's ports (`port`, not `targetPort`)");
      if (f) f->related.push_back({s->object->pos(), fmt::format("{} is here", s->object->display())});
    }
}

// The Gateway whose listeners a parentRef is judged against: the one in the route's file, else
// the only one of that name deployed with it (a directory of examples defines one Gateway name
// many times, each with other listeners); nullptr when there is no such one.
const Object* listening_gateway(const RuleContext& ctx, const Object& route, std::string_view ns, std::string_view name) {
  const Object* together = nullptr;
  size_t count = 0;
  for (auto [gw, spec] : ctx.model.of<Gateway>()) {
    if (gw.ns != ns || gw.name() != name) continue;
    if (gw.raw->file == route.raw->file) return &gw;
    if (ctx.topology.deployed_together(gw, route)) together = &gw, ++count;
  }
  return count == 1 ? together : nullptr;
}

// A parentRef's sectionName and port against the Gateway's listeners.
void check_listener(const Object& route, const GatewayRef& p, const Object& gw, Sink& sink) {
  const Gateway* g = gw.as<Gateway>();
  if (!g || g->listeners.empty()) return;
  std::vector<std::string_view> names;
  bool named = !p.section_name.set(), on_port = !p.port.set();
  for (const Gateway::Listener& l : g->listeners) {
    names.push_back(l.name.value());
    bool this_one = !p.section_name.set() || l.name.value() == p.section_name.value();
    named = named || this_one;
    on_port = on_port || (this_one && l.port.set() && l.port.value == p.port.value);
  }
  if (!named) {
    std::string_view guess = closest(p.section_name.value(), names);
    Finding* f = sink.report(route, p.section_name.pos(),
                             fmt::format("{} attaches to listener \"{}\" of {}, which has no listener of that name (it "
                                         "has {}); the route is not accepted and serves nothing",
                                         route.display(), p.section_name.value(), gw.display(),
                                         names.empty() ? std::string("none") : fmt::format("\"{}\"", fmt::join(names, "\", \""))),
                             guess.empty() ? "name one of the Gateway's listeners in sectionName, or remove it"
                                           : fmt::format("did you mean \"{}\"?", guess));
    if (f) f->related.push_back({gw.pos(), fmt::format("{} is here", gw.display())});
    return;
  }
  if (on_port) return;
  Finding* f = sink.report(route, p.port.node->pos(),
                           fmt::format("{} attaches to port {} of {}, where no listener{} listens; the route is not "
                                       "accepted and serves nothing",
                                       route.display(), p.port.value, gw.display(),
                                       p.section_name.set() ? fmt::format(" named \"{}\"", p.section_name.value()) : ""),
                           "use the port of one of the Gateway's listeners, or remove `port:`");
  if (f) f->related.push_back({gw.pos(), fmt::format("{} is here", gw.display())});
}

void parent_not_found(const RuleContext& ctx, Sink& sink) {
  for (auto [o, route] : ctx.range.of<Route>())
    for (const GatewayRef& p : route.parents) {
      if (!p.names_gateway() || !usable_name(p.name)) continue;
      std::string_view ns = target_namespace(p, o);
      if (ctx.topology.find(kGatewayGroup, "Gateway", ns, p.name.value())) {
        if (const Object* gw = listening_gateway(ctx, o, ns, p.name.value())) check_listener(o, p, *gw, sink);
        continue;
      }
      // Shared Gateways usually live in a namespace of their own, installed apart: a missing
      // one is known only where the input (or --context) holds that namespace's Gateways.
      if (!ctx.topology.namespace_has("Gateway", ns, o)) continue;
      std::string_view guess = nearest_name(ctx.model, ctx.topology, "Gateway", ns, p.name.value());
      sink.report(o, p.name.pos(),
                  fmt::format("{} attaches to Gateway \"{}\", which does not exist in namespace \"{}\" (in the input or "
                              "--context); the route is not accepted and serves nothing",
                              o.display(), p.name.value(), ns),
                  guess.empty() ? "fix the parentRef's name (and namespace), or add the Gateway"
                                : fmt::format("did you mean \"{}\"?", guess));
    }
}

// Whether a listener admits a route of `route`'s namespace and kind; nullopt when the cluster
// decides (a namespace selector over a Namespace the input does not hold).
std::optional<bool> admits(const RuleContext& ctx, const Gateway::Listener& l, const Object& gw, const Object& route) {
  // allowedRoutes.kinds, when given (without, the protocol's kinds, which are not judged here).
  auto kind_matches = [&](const GatewayRef& k) {
    std::string_view group = k.group.set() ? k.group.value() : kGatewayGroup;
    return group == route.group() && k.kind.value() == route.kind();
  };
  if (!l.allowed_kinds.empty() && std::none_of(l.allowed_kinds.begin(), l.allowed_kinds.end(), kind_matches)) return false;
  std::string_view from = l.allowed_from.set() ? l.allowed_from.value() : "Same";
  if (from == "All") return true;
  if (from == "Same") return route.ns == gw.ns;
  if (from != "Selector" || !l.allowed_selector.set()) return std::nullopt;
  Reach r = namespace_selected(ctx.model, ctx.topology, l.allowed_selector, route.ns, route);
  return r == Reach::ClusterDecides ? std::nullopt : std::optional<bool>(r == Reach::Yes);
}

// Whether two hostnames have a host in common, as listeners and routes are matched: equal, or a
// wildcard `*.example.com` and a name below it (`shop.example.com`, `a.shop.example.com`, or a
// narrower wildcard), in either order.
bool hostnames_meet(std::string_view a, std::string_view b) {
  if (a == b) return true;
  auto below = [](std::string_view wildcard, std::string_view name) {
    if (!wildcard.starts_with("*.")) return false;
    std::string_view suffix = wildcard.substr(1);  // ".example.com"
    if (name.starts_with("*.")) name.remove_prefix(1);  // a narrower wildcard: ".shop.example.com"
    return name.size() > suffix.size() && name.ends_with(suffix) && name != suffix;
  };
  return below(a, b) || below(b, a);
}

// Whether a listener's hostname admits one of a route's; nullopt for a templated name.
std::optional<bool> hostname_fits(const Gateway::Listener& l, const Route& route) {
  if (!l.hostname.set() || l.hostname.value().empty() || route.hostnames.empty()) return true;
  if (is_template_text(l.hostname.value())) return std::nullopt;
  for (const schema::Text& h : route.hostnames) {
    if (is_template_text(h.value())) return std::nullopt;
    if (hostnames_meet(l.hostname.value(), h.value())) return true;
  }
  return false;
}

void report_no_hostname(Sink& sink, const Object& o, const Route& route, const Object& gw, const std::vector<std::string_view>& hosts) {
  std::vector<std::string_view> mine;
  for (const schema::Text& h : route.hostnames) mine.push_back(h.value());
  Finding* f = sink.report(o, route.hostnames.front().pos(),
                           fmt::format("{} serves hostnames \"{}\", but the listener{} of {} that admit{} it serve{} only "
                                       "\"{}\"; no hostname meets, so the route is not accepted "
                                       "(NoMatchingListenerHostname) and serves nothing",
                                       o.display(), fmt::join(mine, "\", \""), hosts.size() == 1 ? "" : "s", gw.display(),
                                       hosts.size() == 1 ? "s" : "", hosts.size() == 1 ? "s" : "", fmt::join(hosts, "\", \"")),
                           "use a hostname the listener serves (`*.example.com` covers `shop.example.com`), or attach "
                           "the route to a listener for its hostnames");
  if (f) f->related.push_back({gw.pos(), fmt::format("{} is here", gw.display())});
}

// What the listeners a parentRef selects say of a route: whether any is selected, admits it
// (or leaves it to the cluster), and whether one that admits it serves one of its hostnames.
struct ListenerSurvey {
  bool selected = false, admits = false, unknown = false, fits = false;
  std::vector<std::string_view> names, hosts;  // the selected listeners; the admitting ones' hostnames
};

ListenerSurvey survey(const RuleContext& ctx, const GatewayRef& p, const Object& gw, const Gateway& g, const Object& o,
                      const Route& route) {
  ListenerSurvey s;
  for (const Gateway::Listener& l : g.listeners) {
    if (p.section_name.set() && l.name.value() != p.section_name.value()) continue;
    if (p.port.set() && (!l.port.set() || l.port.value != p.port.value)) continue;
    s.selected = true;
    s.names.push_back(l.name.value());
    std::optional<bool> a = admits(ctx, l, gw, o);
    s.unknown = s.unknown || !a;
    if (!a.value_or(false)) continue;
    s.admits = true;
    s.fits = s.fits || hostname_fits(l, route).value_or(true);
    if (l.hostname.set()) s.hosts.push_back(l.hostname.value());
  }
  return s;
}

void route_not_allowed(const RuleContext& ctx, Sink& sink) {
  for (auto [o, route] : ctx.range.of<Route>())
    for (const GatewayRef& p : route.parents) {
      if (!p.names_gateway() || !usable_name(p.name)) continue;
      const Object* gw = listening_gateway(ctx, o, target_namespace(p, o), p.name.value());
      const Gateway* g = gw ? gw->as<Gateway>() : nullptr;
      if (!g) continue;
      ListenerSurvey s = survey(ctx, p, *gw, *g, o, route);
      // Admitted by a listener whose hostname meets none of the route's.
      if (s.admits && !s.unknown && !s.fits) report_no_hostname(sink, o, route, *gw, s.hosts);
      if (!s.selected || s.admits || s.unknown) continue;  // no listener: parent-not-found's
      Finding* f = sink.report(o, p.name.pos(),
                               fmt::format("{} in namespace \"{}\" attaches to {} in namespace \"{}\", but the "
                                           "allowedRoutes of its listener{} \"{}\" admit no {} of namespace \"{}\"; the "
                                           "route is not accepted (NotAllowedByListeners) and serves nothing",
                                           o.display(), o.ns, gw->display(), gw->ns, s.names.size() == 1 ? "" : "s",
                                           fmt::join(s.names, "\", \""), o.kind(), o.ns),
                               "widen the listener's allowedRoutes (namespaces.from: All, or a selector that matches "
                               "the route's namespace; kinds), or move the route");
      if (f) f->related.push_back({gw->pos(), fmt::format("{} is here", gw->display())});
    }
}

// Whether a ReferenceGrant of `ns` lets `from_kind` objects of `from_ns` refer to `to_kind`
// `name` there; nullopt when the input (directory or --context) holds no grant of `ns`.
std::optional<bool> granted(const RuleContext& ctx, const Object& referrer, std::string_view ns, std::string_view to_kind,
                            std::string_view name) {
  if (!ctx.topology.namespace_has("ReferenceGrant", ns, referrer)) return std::nullopt;
  for (auto [grant_object, grant] : ctx.model.of<ReferenceGrant>()) {
    if (grant_object.ns != ns) continue;
    bool from = false, to = false;
    for (const GatewayRef& f : grant.from)
      from = from || (f.group.value() == referrer.group() && f.kind.value() == referrer.kind() && f.ns.value() == referrer.ns);
    for (const GatewayRef& t : grant.to)
      to = to || (t.group.value().empty() && t.kind.value() == to_kind && (!t.name.set() || t.name.value() == name));
    if (from && to) return true;
  }
  return false;
}

void report_ungranted(Sink& sink, const Object& referrer, const GatewayRef& r, std::string_view what, std::string_view ns,
                      std::string_view kind) {
  sink.report(referrer, r.ns.pos(),
              fmt::format("{} refers to {} \"{}\" in namespace \"{}\", and no ReferenceGrant there lets {}s of namespace "
                          "\"{}\" refer to it; the reference is refused ({}: RefNotPermitted)",
                          referrer.display(), kind, r.name.value(), ns, referrer.kind(), referrer.ns, what),
              fmt::format("add a ReferenceGrant in namespace \"{}\" from {} {} of namespace \"{}\" to {} \"{}\"", ns,
                          kGatewayGroup, referrer.kind(), referrer.ns, kind, r.name.value()));
}

void missing_reference_grant(const RuleContext& ctx, Sink& sink) {
  for (auto [o, route] : ctx.range.of<Route>())
    for (const GatewayRef& b : route.backends) {
      if (!b.names_service() || !usable_name(b.name) || !b.ns.set() || b.ns.value() == o.ns) continue;
      if (granted(ctx, o, b.ns.value(), "Service", b.name.value()) == false)
        report_ungranted(sink, o, b, "ResolvedRefs", b.ns.value(), "Service");
    }
  for (auto [o, gateway] : ctx.range.of<Gateway>())
    for (const Gateway::Listener& l : gateway.listeners)
      for (const GatewayRef& c : l.certificates) {
        bool secret = c.group.value().empty() && (!c.kind.set() || c.kind.value() == "Secret");
        if (!secret || !usable_name(c.name) || !c.ns.set() || c.ns.value() == o.ns) continue;
        if (granted(ctx, o, c.ns.value(), "Secret", c.name.value()) == false)
          report_ungranted(sink, o, c, "the listener's ResolvedRefs", c.ns.value(), "Secret");
      }
}

}  // namespace

void add_gateway_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::GatewayParentNotFound, RuleScope::ObjectAndLinks, parent_not_found});
  t->push_back({RuleId::GatewayBackendNotFound, RuleScope::ObjectAndLinks, backend_not_found});
  t->push_back({RuleId::GatewayMissingReferenceGrant, RuleScope::ObjectAndLinks, missing_reference_grant});
  t->push_back({RuleId::GatewayRouteNotAllowed, RuleScope::ObjectAndLinks, route_not_allowed});
}

}  // namespace kmc::checks
