// discovery/*: Services found through the environment variables the kubelet injects, and
// through in-cluster DNS names (semantics.md §1).
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/envvars.h"
#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"

namespace kmc::checks {
using schema::Container;
using schema::EnvVar;
using schema::Object;
using schema::Service;
using schema::ServicePort;

namespace {

bool links_disabled(const PodSource& p) {
  return p.pod().spec.enable_service_links.has_value() && !*p.pod().spec.enable_service_links;
}

bool has_cluster_ip(const Service& s) { return !s.headless() && !s.external(); }

std::string where_used(const ServiceVariableUse& u) {
  return fmt::format("in the {} of container \"{}\"", ref_site_name(u.site), u.container->name.value());
}

void service_after_consumer(const RuleContext& ctx, Sink& sink) {
  for (const ServiceVariableUse& u : ctx.range.variable_uses()) {
    const PodSource& p = ctx.topology.pod_sources[u.pod_source];
    if (!u.service || !u.generated || links_disabled(p) || !has_cluster_ip(*u.service->service)) continue;
    const Object& svc = *u.service->object;
    if (svc.exists_before(*p.object)) continue;
    Finding* f = sink.report(
        *p.object, u.pos,
        fmt::format("{} uses {} {}, but {} is applied after it ({}); the kubelet sets service variables only when a "
                    "container starts, so the first pods start without {}",
                    p.object->display(), u.variable, where_used(u), svc.display(), sink.where(svc.pos()), u.variable),
        fmt::format("apply {} before {} (`kmc compile` prints a safe order), or use its DNS name {}.{}.svc instead of "
                    "the variable",
                    svc.display(), p.object->display(), svc.name(), svc.ns));
    if (f) f->related.push_back({svc.pos(), fmt::format("{} is defined here, later in apply order", svc.display())});
  }
}

void unknown_service(const RuleContext& ctx, Sink& sink) {
  for (const ServiceVariableUse& u : ctx.range.variable_uses()) {
    if (u.service || u.elsewhere) continue;
    const PodSource& p = ctx.topology.pod_sources[u.pod_source];
    sink.report(*p.object, u.pos,
                fmt::format("{} uses {} {}, but no Service \"{}\" exists in namespace \"{}\" (in the input or "
                            "--context), so the variable is never set",
                            p.object->display(), u.variable, where_used(u), u.service_name, p.ns()),
                fmt::format("add Service \"{}\" to the namespace, pass the cluster's Services with --context, or "
                            "fix the variable name",
                            u.service_name));
  }
}

// Why the kubelet never sets the variable of `u`, and where to look and what to do about it; none
// when it does set it.
struct NeverSet {
  std::string why, fix;
  Position related;
  std::string related_note;
};

std::optional<NeverSet> never_set(const ServiceVariableUse& u, const PodSource& p) {
  NeverSet n;
  if (links_disabled(p) && (u.service || u.elsewhere)) {
    n.why = "the pod sets `enableServiceLinks: false`, so the kubelet injects no service variables";
    n.fix = "remove `enableServiceLinks: false`, or use the Service's DNS name";
  } else if (!u.service && u.elsewhere) {
    std::string where =
        u.services_elsewhere > 1
            ? fmt::format("the {} Services named \"{}\" are all in other namespaces (\"{}\" and {} more)",
                          u.services_elsewhere, u.service_name, u.elsewhere->ns, u.services_elsewhere - 1)
            : fmt::format("the only Service \"{}\" is in namespace \"{}\"", u.service_name, u.elsewhere->ns);
    n.why = where + "; the kubelet injects variables only for Services of the pod's own namespace";
    n.related = u.elsewhere->pos();
    n.related_note = fmt::format("{} is defined here{}", u.elsewhere->display(),
                                 u.services_elsewhere > 1 ? " (the first of them)" : "");
    n.fix = u.services_elsewhere > 1
                ? fmt::format("use the DNS name of the Service it means, such as {}.{}.svc", u.service_name,
                              u.elsewhere->ns)
                : fmt::format("use the DNS name {}.{}.svc instead", u.service_name, u.elsewhere->ns);
  } else if (u.service && u.service->service->headless()) {
    n.why = fmt::format("{} is headless (`clusterIP: None`); the kubelet injects variables only for Services with a "
                        "cluster IP",
                        u.service->object->display());
  } else if (u.service && u.service->service->external()) {
    n.why = fmt::format("{} is of type ExternalName; the kubelet injects variables only for Services with a cluster "
                        "IP",
                        u.service->object->display());
  } else if (u.service && !u.generated) {
    std::string ports;
    for (const ServicePort& sp : u.service->service->ports) ports += (ports.empty() ? "" : ", ") + format_port(sp);
    n.why = fmt::format("{} does not produce that variable (its ports: {})", u.service->object->display(),
                        ports.empty() ? "none" : ports);
    n.fix = "use a variable of a port the Service has; `_SERVICE_PORT_<NAME>` needs a port with that name";
  } else {
    return std::nullopt;
  }
  if (u.service && !n.related.valid()) {
    n.related = u.service->object->pos();
    n.related_note = fmt::format("{} is defined here", u.service->object->display());
  }
  if (n.fix.empty()) n.fix = fmt::format("use the DNS name {}.{}.svc instead of the variable", u.service_name, p.ns());
  return n;
}

void never_injected(const RuleContext& ctx, Sink& sink) {
  for (const ServiceVariableUse& u : ctx.range.variable_uses()) {
    const PodSource& p = ctx.topology.pod_sources[u.pod_source];
    std::optional<NeverSet> n = never_set(u, p);
    if (!n) continue;
    Finding* f = sink.report(*p.object, u.pos,
                             fmt::format("{} uses {} {}, but {}; it is never set", p.object->display(), u.variable,
                                         where_used(u), n->why),
                             n->fix);
    if (f && n->related.valid()) f->related.push_back({n->related, n->related_note});
  }
}

// Container variable name -> the first Service that generates it, by namespace.
using GeneratedVariables =
    std::unordered_map<std::string_view, std::unordered_map<std::string_view, const ServiceLinks*>>;

// The container variables that could be a Service's (few), by namespace; then, for the Services
// of those namespaces only, which of them each one generates.
GeneratedVariables generated_variables(const Topology& t) {
  GeneratedVariables generated;
  for (const PodSource& p : t.pod_sources) {
    if (links_disabled(p)) continue;
    for (const Container& c : p.pod().spec.containers)
      for (const EnvVar& e : c.env) {
        ServiceVariableName parsed;
        if (parse_service_variable(e.name.value(), &parsed) && parsed.strong) generated[p.ns()].emplace(e.name.value(), nullptr);
      }
  }
  if (generated.empty()) return generated;
  for (const ServiceLinks& s : t.services) {
    if (!has_cluster_ip(*s.service)) continue;
    auto ns = generated.find(s.object->ns);
    if (ns == generated.end()) continue;
    for (const std::string& v : service_variables(s.object->name(), *s.service)) {
      auto it = ns->second.find(v);
      if (it != ns->second.end() && !it->second) it->second = &s;  // the first Service that generates it
    }
  }
  return generated;
}

void shadowed(const RuleContext& ctx, Sink& sink) {
  const GeneratedVariables generated = generated_variables(ctx.topology);
  if (generated.empty()) return;
  for (const PodSource& p : ctx.topology.pod_sources) {
    if (links_disabled(p)) continue;
    auto ns = generated.find(p.ns());
    if (ns == generated.end()) continue;
    for (const Container& c : p.pod().spec.containers)
      for (const EnvVar& e : c.env) {
        auto it = ns->second.find(e.name.value());
        if (it == ns->second.end() || !it->second) continue;
        // A bare `FOO_PORT` of one's own is the usual cure for the Docker-link value the kubelet
        // would inject (`tcp://10.0.0.1:80`), not a mistake; only the unmistakable names count
        // (parse_service_variable's `strong`, checked above).
        Finding* f = sink.report(
            *p.object, e.name.pos(),
            fmt::format("container \"{}\" of {} defines {}, the name of a variable {} injects; the container's own "
                        "value wins and hides the Service's",
                        c.name.value(), p.object->display(), e.name.value(), it->second->object->display()),
            "rename the variable, or drop it and use the injected one");
        if (f) f->related.push_back({it->second->object->pos(),
                                     fmt::format("{} generates {}", it->second->object->display(), e.name.value())});
      }
  }
}

// " (in ConfigMap \"settings\", which it reads)" for a name in a value the pod reads; else "".
std::string where_written(const DnsNameUse& u) {
  if (!u.via) return {};
  return fmt::format(" (in {}, which it reads)", u.via->display());
}

void note_reader(Finding* f, const DnsNameUse& u, const Object& consumer) {
  if (f && u.via) f->related.push_back({consumer.pos(), fmt::format("{} reads it", consumer.display())});
}

// `cart:8080` where Service cart exposes 80 (to targetPort 8080): the port a client dials is the
// Service's `port`; the container's is reached only through it. A headless Service resolves to
// the pods themselves, so any of their ports is right, and an ExternalName one to another host.
void wrong_port(Sink& sink, const DnsNameUse& u, const Object& consumer) {
  const Service& s = *u.target->service;
  if (u.port.empty() || u.service_port || s.headless() || s.external() || s.ports.empty()) return;
  std::vector<std::string> ports;
  for (const ServicePort& sp : s.ports) {
    if (!sp.port.set()) continue;
    std::string target = sp.targets_own_port() ? std::string()
                         : sp.target_port.is_int ? fmt::format(" (to targetPort {})", sp.target_port.int_value)
                                                 : fmt::format(" (to targetPort {})", sp.target_port.str_value);
    ports.push_back(fmt::format("{}{}", sp.port.value, target));
  }
  Finding* f = sink.report(consumer, u.pos,
                           fmt::format("{} connects to \"{}:{}\"{}, but {} exposes port {}, not {}; connections to "
                                       "that port are refused or time out",
                                       consumer.display(), u.name, u.port, where_written(u),
                                       u.target->object->display(), fmt::join(ports, ", "), u.port),
                           fmt::format("dial the Service's port ({}), not the container's", fmt::join(ports, ", ")));
  if (f) f->related.push_back({u.target->object->pos(), fmt::format("{} is here", u.target->object->display())});
  note_reader(f, u, consumer);
}

// `cartservce:7070` beside Service `cartservice`: a short name one typo from a Service of the
// namespace, where the namespace's Services are known (closed world).
void misspelt_short_name(const RuleContext& ctx, Sink& sink, const DnsNameUse& u, const Object& consumer) {
  if (!ctx.topology.namespace_has_services(u.ns, consumer)) return;
  Finding* f = sink.report(consumer, u.pos,
                           fmt::format("{} connects to \"{}\"{}, but namespace \"{}\" has no Service \"{}\" (in the "
                                       "input or --context); Service \"{}\" is a typo away, and the name does not "
                                       "resolve",
                                       consumer.display(), u.port.empty() ? std::string(u.name) : fmt::format("{}:{}", u.name, u.port),
                                       where_written(u), u.ns, u.name, u.near),
                           fmt::format("did you mean \"{}\"?", u.near));
  note_reader(f, u, consumer);
}

void unknown_dns_name(const RuleContext& ctx, Sink& sink) {
  for (const DnsNameUse& u : ctx.range.dns_uses()) {
    const PodSource& p = ctx.topology.pod_sources[u.pod_source];
    if (u.short_name) {
      if (u.target) wrong_port(sink, u, *p.object);
      else misspelt_short_name(ctx, sink, u, *p.object);
      continue;
    }
    const std::string_view* moved_to = u.target ? nullptr : ctx.topology.moved_namespaces.find(u.ns);
    if (moved_to) {
      // The files' namespace, which kustomize's `namespace:` replaced: the name still says it.
      const ServiceLinks* now = ctx.topology.service(*moved_to, u.service, *p.object);
      Finding* f = sink.report(
          *p.object, u.pos,
          fmt::format("{} connects to \"{}\", but the kustomization's `namespace: {}` moved the objects of namespace "
                      "\"{}\" there{}; no Service \"{}\" is left in \"{}\", so the name does not resolve",
                      p.object->display(), u.name, *moved_to, u.ns,
                      now ? fmt::format(", Service \"{}\" among them", u.service) : std::string(), u.service, u.ns),
          now ? fmt::format("name the Service in its namespace (\"{}.{}.svc\"), or by its name alone from the same "
                            "namespace (\"{}\"), which follows the kustomization's namespace",
                            u.service, *moved_to, u.service)
              : fmt::format("fix the name, or add Service \"{}\" to namespace \"{}\"", u.service, u.ns));
      if (f && now) f->related.push_back({now->object->pos(), fmt::format("{} is here", now->object->display())});
    } else if (!u.target && !ctx.topology.namespace_has_services(u.ns, *p.object)) {
      // No Service of the namespace is deployed with the pod: the cluster may well hold them.
      sink.report(*p.object, Severity::Info, u.pos,
                  fmt::format("{} connects to \"{}\", but neither its directory nor --context holds a Service of "
                              "namespace \"{}\", so kmc cannot tell whether Service \"{}\" exists; if it is deployed "
                              "apart from these manifests, the name resolves",
                              p.object->display(), u.name, u.ns, u.service),
                  fmt::format("pass the namespace's Services with --context (kubectl get svc -n {} -o yaml) to check "
                              "the name",
                              u.ns));
    } else if (!u.target) {
      Finding* f = sink.report(*p.object, u.pos,
                               fmt::format("{} connects to \"{}\"{}, but no Service \"{}\" exists in namespace \"{}\" (in "
                                           "the input or --context); the name does not resolve",
                                           p.object->display(), u.name, where_written(u), u.service, u.ns),
                               fmt::format("fix the name, or add Service \"{}\" to namespace \"{}\"", u.service, u.ns));
      note_reader(f, u, *p.object);
    } else if (!u.pod_known) {
      Finding* f = sink.report(
          *p.object, u.pos,
          fmt::format("{} connects to \"{}\", but no pod \"{}\" is governed by {} (no StatefulSet ordinal below its "
                      "replicas, no pod with that hostname and subdomain); the name does not resolve",
                      p.object->display(), u.name, u.pod, u.target->object->display()),
          "check the StatefulSet name, its serviceName and its replicas");
      if (f) f->related.push_back({u.target->object->pos(), fmt::format("{} is here", u.target->object->display())});
    } else {
      wrong_port(sink, u, *p.object);
    }
  }
}

}  // namespace

void add_discovery_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::DiscoveryServiceAfterConsumer, RuleScope::ObjectAndLinks, service_after_consumer});
  t->push_back({RuleId::DiscoveryUnknownService, RuleScope::ObjectAndLinks, unknown_service});
  t->push_back({RuleId::DiscoveryNeverInjected, RuleScope::ObjectAndLinks, never_injected});
  t->push_back({RuleId::DiscoveryShadowed, RuleScope::Set, shadowed});
  t->push_back({RuleId::DiscoveryUnknownDnsName, RuleScope::ObjectAndLinks, unknown_dns_name});
}

}  // namespace kmc::checks
