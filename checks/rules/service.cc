// service/*: does each Service reach something? Selectors, target ports, port naming,
// node ports, selector-less and ExternalName services.
#include <arpa/inet.h>

#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "checks/object_index.h"
#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"
#include "parser/scalar.h"

namespace kmc::checks {
using parser::is_template_text;
using schema::Container;
using schema::ContainerPort;
using schema::LabelMap;
using schema::Object;
using schema::Service;
using schema::ServicePort;

namespace {

std::string_view type_of(const Service& s) { return s.type.set() && !s.type.value().empty() ? s.type.value() : "ClusterIP"; }

bool selectorless(const Service& s) { return s.selector.empty(); }

// The pod template in the namespace that carries most of the selector's labels, for the note.
const PodSource* nearest_pods(const Topology& t, const ServiceLinks& s, std::string* differs) {
  const PodSource* best = nullptr;
  size_t best_score = 0;
  size_t scanned = 0;
  for (uint32_t i : t.pods_by_namespace.find(s.object->ns)) {
    if (++scanned > 10000) break;  // a note, not a search: bounded on huge inputs
    const LabelMap& labels = t.pod_sources[i].pod().meta.labels;
    size_t score = 0;
    std::string first_diff;
    for (LabelMap::Entry e : s.service->selector) {
      std::optional<std::string_view> v = labels.find(e.key());
      if (v && *v == e.value()) ++score;
      else if (first_diff.empty())
        first_diff = v ? fmt::format("has `{}={}` where the Service wants `{}={}`", e.key(), *v, e.key(), e.value())
                       : fmt::format("has no label `{}`", e.key());
    }
    if (score > best_score) {
      best_score = score;
      best = &t.pod_sources[i];
      *differs = first_diff;
    }
  }
  return best;
}

void no_matching_pods(const RuleContext& ctx, Sink& sink) {
  for (const ServiceLinks& s : ctx.range.services()) {
    if (s.service->external() || selectorless(*s.service) || !s.selected.empty()) continue;
    if (ctx.topology.operator_namespace(s.object->ns)) continue;
    if (selects_control_plane(s.object->ns, s.service->selector)) continue;  // static pods, in no manifest
    std::string differs;
    const PodSource* near = nearest_pods(ctx.topology, s, &differs);
    // A one-label selector is wrong in its value more often than in its key, and in a rendered
    // object the value may come from elsewhere (a replacement, a patch): point at the value.
    const parser::Node* sel = s.service->selector.node;
    Position at = sel->is_map() && sel->size() == 1 ? sel->value(0).pos() : sel->pos();
    Finding* f = sink.report(
        *s.object, at,
        fmt::format("{} selects `{}`, but no pod template in namespace \"{}\" has these labels (nothing in the "
                    "input or --context); the Service gets no endpoints and its traffic goes nowhere",
                    s.object->display(), format_labels(s.service->selector), s.object->ns),
        "make the selector match the labels of the pods it should serve, or pass the workload with --context if it "
        "is deployed from elsewhere");
    if (f && near)
      f->related.push_back({near->pod().meta.labels.node ? near->pod().meta.labels.node->pos() : near->object->pos(),
                            fmt::format("closest: {} {}", near->object->display(), differs)});
  }
}

// Every container port of the selected pods, with the workload that declares it.
struct DeclaredPort {
  const ContainerPort* port;
  const PodSource* source;
};
std::vector<DeclaredPort> declared_ports(const Topology& t, const ServiceLinks& s) {
  std::vector<DeclaredPort> out;
  for (uint32_t i : s.selected)
    for (const Container& c : t.pod_sources[i].pod().spec.containers)
      for (const ContainerPort& p : c.ports) out.push_back({&p, &t.pod_sources[i]});
  return out;
}

void target_port_not_found(const RuleContext& ctx, Sink& sink) {
  for (const ServiceLinks& s : ctx.range.services()) {
    if (s.selected.empty()) continue;
    std::vector<DeclaredPort> declared = declared_ports(ctx.topology, s);
    for (const ServicePort& p : s.service->ports) {
      if (p.targets_own_port() || p.target_port.is_int || is_template_text(p.target_port.str_value)) continue;
      std::string_view want = p.target_port.str_value;
      bool found = false;
      std::set<std::string_view> names;
      for (const DeclaredPort& d : declared) {
        if (d.port->name.value() == want) found = true;
        if (d.port->name.set()) names.insert(d.port->name.value());
      }
      if (found) continue;
      const PodSource& first = ctx.topology.pod_sources[s.selected.front()];
      std::string have = names.empty() ? "declare no named ports" : "declare only ";
      for (std::string_view n : names) have += (have.back() == ' ' ? "" : ", ") + fmt::format("\"{}\"", n);
      Finding* f = sink.report(
          *s.object, p.target_port.node->pos(),
          fmt::format("{} targets port \"{}\", but no container of the pods it selects declares a port named \"{}\" "
                      "(they {}); the endpoints controller leaves this port without backends",
                      s.object->display(), want, want, have),
          fmt::format("name the container port \"{}\" in {}, or use the port number as targetPort", want,
                      first.object->display()));
      if (f) f->related.push_back({first.pod().spec.node ? first.pod().spec.node->pos() : first.object->pos(),
                                   fmt::format("{} is selected; its containers are here", first.object->display())});
    }
  }
}

// The container port number a Service port sends traffic to, when it is a number: its
// targetPort, or the port itself when targetPort is absent or equal to it.
std::optional<int64_t> target_number(const ServicePort& p) {
  if (p.targets_own_port()) return p.port.set() ? std::optional<int64_t>(p.port.value) : std::nullopt;
  return p.target_port.is_int ? std::optional<int64_t>(p.target_port.int_value) : std::nullopt;
}

// How a message names where a port sends traffic to.
std::string target_phrase(const ServicePort& p, int64_t want) {
  if (!p.targets_own_port()) return fmt::format("targetPort {}", want);
  if (p.target_port.set()) return fmt::format("targetPort {}, which means the port itself, {}", p.target_port.node->text(), want);
  return fmt::format("no targetPort, so traffic goes to port {}", want);
}

void target_port_not_exposed(const RuleContext& ctx, Sink& sink) {
  for (const ServiceLinks& s : ctx.range.services()) {
    if (s.selected.empty()) continue;
    std::vector<DeclaredPort> declared = declared_ports(ctx.topology, s);
    std::set<int64_t> numbers;
    for (const DeclaredPort& d : declared)
      if (d.port->container_port.set()) numbers.insert(d.port->container_port.value);
    // Declaring ports is optional; with none declared there is nothing to compare.
    if (numbers.empty()) continue;
    std::string list;
    for (int64_t n : numbers) list += (list.empty() ? "" : ", ") + std::to_string(n);
    for (const ServicePort& p : s.service->ports) {
      std::optional<int64_t> want = target_number(p);
      if (!want || numbers.count(*want)) continue;
      Position where = p.target_port.set() ? p.target_port.node->pos() : p.port.node->pos();
      Finding* f = sink.report(
          *s.object, where,
          fmt::format("{} {} has {}, but the pods it selects declare containerPort {} only; unless a process listens "
                      "on {} anyway, connections are refused",
                      s.object->display(), format_port(p), target_phrase(p, *want), list, *want),
          "set targetPort to the port the container listens on (or declare that containerPort)");
      const PodSource& first = ctx.topology.pod_sources[s.selected.front()];
      if (f) f->related.push_back({declared.front().port->node->pos(),
                                   fmt::format("{} declares its ports here", first.object->display())});
    }
  }
}

void port_names(const RuleContext& ctx, Sink& sink) {
  for (auto [o, s] : ctx.range.of<Service>()) {
    std::map<std::string_view, const ServicePort*> names;
    std::map<std::pair<int64_t, std::string_view>, const ServicePort*> numbers;
    for (const ServicePort& p : s.ports) {
      bool named = p.name.set() && !p.name.value().empty();
      if (!named && s.ports.size() > 1) {
        sink.report(o, p.node->pos(),
                    fmt::format("{} has {} ports and {} has no name; the API server requires a name on every port "
                                "of a multi-port Service",
                                o.display(), s.ports.size(), format_port(p)),
                    "give each port a unique name (a DNS label such as \"http\" or \"metrics\")");
      }
      if (named) {
        auto [it, fresh] = names.emplace(p.name.value(), &p);
        if (!fresh) {
          Finding* f = sink.report(o, p.name.pos(),
                                   fmt::format("{} names two ports \"{}\"; port names must be unique", o.display(),
                                               p.name.value()),
                                   "rename one of the ports");
          if (f) f->related.push_back({it->second->name.pos(), "the first port with this name"});
        }
      }
      if (p.port.set()) {
        auto [it, fresh] = numbers.emplace(std::pair{p.port.value, protocol_or_tcp(p.protocol)}, &p);
        if (!fresh) {
          Finding* f = sink.report(o, p.port.node->pos(),
                                   fmt::format("{} declares port {}/{} twice; the API server rejects duplicate "
                                               "port and protocol pairs",
                                               o.display(), p.port.value, protocol_or_tcp(p.protocol)),
                                   "remove the duplicate, or give it another port number or protocol");
          if (f) f->related.push_back({it->second->port.node->pos(), "the first declaration"});
        }
      }
    }
  }
}

// A node port is allocated cluster-wide, but the input may hold several projects: a Service
// conflicts only with one deployed together with it (Topology::deployed_together: its own
// directory, or the cluster). A second definition of the same Service (a copy, a render beside
// its source) updates it when applied; it does not allocate the port again.
// What is wrong with one port's nodePort on its own. False when the Service's type has no node
// ports, so that the port holds none.
bool holds_node_port(const Object& o, std::string_view type, const ServicePort& p, Position at, Sink& sink) {
  if (type == "ClusterIP" || type == "ExternalName") {
    sink.report(o, at,
                fmt::format("{} is of type {} but sets nodePort {}; the API server rejects a nodePort "
                            "on a Service that is not NodePort or LoadBalancer",
                            o.display(), type, p.node_port.value),
                "remove nodePort, or set `type: NodePort`");
    return false;
  }
  if (p.node_port.value < 30000 || p.node_port.value > 32767)
    sink.report(o, at,
                fmt::format("{} asks for nodePort {}, outside the default node port range 30000-32767; the "
                            "API server refuses to allocate it unless --service-node-port-range was widened",
                            o.display(), p.node_port.value),
                "pick a port in 30000-32767, or leave nodePort out and let the cluster allocate one");
  return true;
}

// Who holds each node port: the cluster's Services (context) first, as they already exist, then
// the first Service of each directory that asks for it.
class NodePortHolders {
 public:
  struct Holder {
    const Object* object;
    Position at;
  };
  using Port = std::pair<int64_t, std::string_view>;  // number, protocol

  void hold_in_cluster(Port port, Holder holder) { in_cluster_.emplace(port, holder); }
  // The holder of `port` for a Service of `directory`: `asking` itself when it is the first.
  const Holder& claim(Port port, std::string_view directory, Holder asking) {
    if (auto it = in_cluster_.find(port); it != in_cluster_.end()) return it->second;
    return in_directory_.emplace(std::tuple{port.first, port.second, directory}, asking).first->second;
  }

 private:
  std::map<Port, Holder> in_cluster_;
  std::map<std::tuple<int64_t, std::string_view, std::string_view>, Holder> in_directory_;
};

void node_port(const RuleContext& ctx, Sink& sink) {
  NodePortHolders holders;
  // Context services hold their node ports first: they already exist.
  for (int pass = 0; pass < 2; ++pass) {
    for (auto [o, s] : ctx.model.of<Service>()) {
      if (o.context != (pass == 0)) continue;
      std::string_view type = type_of(s);
      for (const ServicePort& p : s.ports) {
        if (!p.node_port.set() || p.node_port.value == 0) continue;
        Position at = p.node_port.node->pos();
        if (!holds_node_port(o, type, p, at, sink)) continue;
        NodePortHolders::Port port{p.node_port.value, protocol_or_tcp(p.protocol)};
        if (o.context) {
          holders.hold_in_cluster(port, {&o, at});
          continue;
        }
        const NodePortHolders::Holder& holder = holders.claim(port, ctx.topology.directory(o), {&o, at});
        if (holder.object == &o || ObjectIdentity::of(*holder.object) == ObjectIdentity::of(o)) continue;
        Finding* f = sink.report(o, at,
                                 fmt::format("{} asks for nodePort {}/{}, which {} already uses; the second "
                                             "Service is rejected (\"provided port is already allocated\")",
                                             o.display(), port.first, port.second, holder.object->display()),
                                 "give one of them another nodePort, or leave it out to get a free one");
        if (f) f->related.push_back({holder.at, fmt::format("{} uses it here", holder.object->display())});
      }
    }
  }
}

void selectorless_without_endpoints(const RuleContext& ctx, Sink& sink) {
  for (const ServiceLinks& s : ctx.range.services()) {
    if (s.service->external() || !selectorless(*s.service)) continue;
    if (!s.endpoints.empty() || !s.slices.empty()) continue;
    // The API server's own Service: the API server writes its endpoints (its own addresses).
    if (s.object->ns == "default" && s.object->name() == "kubernetes") continue;
    // A resource of a kustomization with commonLabels: kustomize writes its selector.
    if (s.object->raw->completed_by_kustomize) continue;
    Position at = s.object->meta.name.set() ? s.object->meta.name.pos() : s.object->pos();
    sink.report(*s.object, at,
                fmt::format("{} has no selector, and no Endpoints or EndpointSlice named \"{}\" exists in namespace "
                            "\"{}\" (in the input or --context); nothing fills its endpoints, so its traffic goes "
                            "nowhere",
                            s.object->display(), s.object->name(), s.object->ns),
                fmt::format("add a selector for the pods that serve it, or an EndpointSlice labelled "
                            "`kubernetes.io/service-name: {}` (or an Endpoints named \"{}\") listing the backends",
                            s.object->name(), s.object->name()));
  }
}

// RFC 1123 subdomain, with the trailing dot newer API servers accept for externalName.
bool valid_external_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  // The API accepts `10.2.3.4` as a subdomain of digits, but DNS servers never resolve it.
  unsigned char ip[16];
  if (inet_pton(AF_INET, std::string(name).c_str(), ip) == 1) return false;
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size() && name[i] != '.') {
      char c = name[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
      continue;
    }
    std::string_view label = name.substr(start, i - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    start = i + 1;
  }
  return true;
}

void external_name(const RuleContext& ctx, Sink& sink) {
  for (auto [o, s] : ctx.range.of<Service>()) {
    if (!s.external()) {
      if (s.external_name.set() && !s.external_name.value().empty())
        sink.report(o, Severity::Warning, s.external_name.pos(),
                    fmt::format("{} sets externalName \"{}\", but its type is {}; externalName is used only by "
                                "`type: ExternalName`, so no DNS alias is created",
                                o.display(), s.external_name.value(), type_of(s)),
                    "add `type: ExternalName` (and remove selector and clusterIP), or remove externalName");
      continue;
    }
    if (!s.external_name.set() || s.external_name.value().empty()) {
      sink.report(o, s.type.pos(),
                  fmt::format("{} is of type ExternalName but has no externalName; the API server rejects it",
                              o.display()),
                  "set spec.externalName to the DNS name the Service should alias (e.g. db.example.com)");
    } else if (!valid_external_name(s.external_name.value())) {
      sink.report(o, s.external_name.pos(),
                  fmt::format("{} aliases \"{}\", which is not a valid DNS name (lower-case RFC 1123 labels of at "
                              "most 63 characters, 253 in all; an IP address is not allowed)",
                              o.display(), s.external_name.value()),
                  "use a DNS host name; for a fixed IP use a selector-less Service with an EndpointSlice instead");
    }
    if (s.cluster_ip.set() && !s.cluster_ip.value().empty())
      sink.report(o, s.cluster_ip.pos(),
                  fmt::format("{} is of type ExternalName and sets clusterIP \"{}\"; the API server requires it "
                              "to be empty",
                              o.display(), s.cluster_ip.value()),
                  "remove clusterIP");
    if (!s.selector.empty())
      sink.report(o, Severity::Warning, s.selector.node->pos(),
                  fmt::format("{} is of type ExternalName, which ignores its selector; no endpoints are made and "
                              "the name resolves to \"{}\" whatever pods match",
                              o.display(), s.external_name.value()),
                  "remove the selector, or change the type if the Service should route to those pods");
  }
}

}  // namespace

void add_service_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::ServiceNoMatchingPods, RuleScope::ObjectAndLinks, no_matching_pods});
  t->push_back({RuleId::ServiceTargetPortNotFound, RuleScope::ObjectAndLinks, target_port_not_found});
  t->push_back({RuleId::ServiceTargetPortNotExposed, RuleScope::ObjectAndLinks, target_port_not_exposed});
  t->push_back({RuleId::ServicePortNames, RuleScope::Object, port_names});
  t->push_back({RuleId::ServiceNodePort, RuleScope::Set, node_port});
  t->push_back({RuleId::ServiceSelectorlessWithoutEndpoints, RuleScope::ObjectAndLinks, selectorless_without_endpoints});
  t->push_back({RuleId::ServiceExternalName, RuleScope::Object, external_name});
}

}  // namespace kmc::checks
