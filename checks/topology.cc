#include "checks/topology.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>

#include "checks/env_from.h"
#include "checks/envvars.h"
#include "checks/host_names.h"
#include "core/spelling.h"
#include "core/parallel.h"

namespace kmc::checks {
using parser::Node;
using parser::TextPlace;
using parser::locate_text;
using schema::ConfigData;
using schema::Container;
using schema::EndpointSlice;
using schema::Endpoints;
using schema::EnvFromSource;
using schema::EnvVar;
using schema::Ingress;
using schema::LabelMap;
using schema::LabelSelector;
using schema::Model;
using schema::Object;
using schema::PodSpec;
using schema::Service;
using schema::ServicePort;
using schema::Text;
using schema::Workload;

namespace {

constexpr int64_t kMaxListedStatefulPods = 1000;  // per StatefulSet; DNS names resolve arithmetically beyond


// A custom resource (a Prometheus, a CephCluster, a LeaderWorkerSet) usually means an operator
// that creates pods kmc cannot see.
bool is_custom_resource(const Object& o) {
  std::string_view g = o.group();
  if (g.empty() || g == "apps" || g == "batch" || g == "autoscaling" || g == "policy" || g == "extensions") return false;
  return !(g.size() > 7 && g.substr(g.size() - 7) == ".k8s.io");
}

// The kinds that pods, bindings and autoscalers name, whose presence in a namespace (and directory) says
// whether a name of that kind is known to be missing (Topology::namespace_has).
bool referenced_kind(const Object& o) {
  std::string_view k = o.kind(), g = o.group();
  if (g.empty())
    return k == "ConfigMap" || k == "Secret" || k == "ServiceAccount" || k == "ReplicationController" || k == "LimitRange";
  if (g == "rbac.authorization.k8s.io") return k == "Role" || k == "ClusterRole";
  if (g == "apps") return k == "Deployment" || k == "StatefulSet" || k == "ReplicaSet";  // autoscaler targets
  if (g == "gateway.networking.k8s.io") return k == "Gateway" || k == "ReferenceGrant";  // routes' parents, grants
  return g == "scheduling.k8s.io" && k == "PriorityClass";
}

// Runs `step`, adding its seconds to `times` when there are any.
template <class Step> void timed(LinkTimes* times, LinkTimes::Step which, const Step& step) {
  if (!times) return step();
  auto start = std::chrono::steady_clock::now();
  step();
  times->seconds[which] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class Linker {
 public:
  Linker(const Model& model, const SourceSet& sources, Topology* t, const Workers& workers, LinkTimes* times)
      : model_(model), sources_(sources), t_(*t), workers_(workers), times_(times) {}

  // The indexes: four independent parts, built side by side (each in input order), the longest
  // first so that two threads end together: as two halves (the pods with the Services, the
  // rest), one thread waited for the other (docs/performance.md, "Measurements behind the code").
  void index() {
    workers_.parallel_for(4, 1, [&](size_t part, unsigned) {
      switch (part) {
        case 0: return timed(times_, LinkTimes::Pods, [&] { index_pod_sources(); });
        case 1: return timed(times_, LinkTimes::Services, [&] { index_services(); });
        case 2: return timed(times_, LinkTimes::ObjectIndex, [&] { t_.object_index.build(model_.objects); });
        default: return timed(times_, LinkTimes::Names, [&] { index_names(); });
      }
    });
  }

  // Everything after the indexes; reads them, never changes them.
  void link() {
    timed(times_, LinkTimes::Selectors, [&] { link_services(); });
    timed(times_, LinkTimes::Endpoints, [&] { link_endpoints(); });
    timed(times_, LinkTimes::StatefulSets, [&] { expand_statefulsets(); });
    timed(times_, LinkTimes::References, [&] { scan_pod_sources(); });
    timed(times_, LinkTimes::Ingresses, [&] { link_ingresses(); });
  }

 private:
  void index_names() {
    std::vector<std::string_view>& operators = t_.operator_namespaces;
    for (const Object& o : model_.objects) {
      if (o.group().empty() && o.kind() == "Node" && o.context) t_.nodes.push_back(&o);
      if (is_custom_resource(o) && (operators.empty() || operators.back() != o.ns)) operators.push_back(o.ns);
      if (referenced_kind(o)) {
        t_.config_namespaces.try_emplace(NameKey{o.kind(), o.ns, t_.scope(o)}, true);
        t_.referenced_objects.add(NameKey{o.kind(), o.ns, {}}, static_cast<uint32_t>(&o - model_.objects.data()));
      }
      if (!o.context) {
        if (!o.ns.empty()) t_.input_namespaces.try_emplace(o.ns, true);
        if (o.kind() == "Namespace" && o.group().empty()) t_.input_namespaces.try_emplace(o.name(), true);
        // The namespace the files wrote is still the input's: a name that says it is judged.
        if (o.raw && !o.raw->moved_from_ns.empty()) {
          t_.input_namespaces.try_emplace(o.raw->moved_from_ns, true);
          t_.moved_namespaces.try_emplace(o.raw->moved_from_ns, std::string_view(o.ns));
        }
      }
    }
    std::sort(operators.begin(), operators.end());
    operators.erase(std::unique(operators.begin(), operators.end()), operators.end());
    t_.referenced_objects.seal();
  }

  // Over the model's lists by kind, not every object: a pass over every object of a large tree
  // reads the whole object array, more than the cache holds.
  void index_pod_sources() {
    for (auto [o, w] : model_.of<Workload>()) {
      if (!w.pod_template.node) continue;
      uint32_t index = static_cast<uint32_t>(t_.pod_sources.size());
      t_.pod_sources.push_back({&o, &w});
      t_.pods_by_namespace.add(o.ns, index);
      t_.pods_by_scope.add(NameKey{o.ns, t_.scope(o), {}}, index);
      for (LabelMap::Entry e : w.pod_template.meta.labels) t_.label_index.add(NameKey{o.ns, e.key(), e.value()}, index);
      // The Job controller labels a Job's pods with the Job's name (a headless Service of an
      // indexed Job selects them by it).
      if (o.kind() == "Job" && o.group() == "batch" && !o.name().empty())
        for (std::string_view key : {"job-name", "batch.kubernetes.io/job-name"})
          if (!w.pod_template.meta.labels.find(key)) t_.label_index.add(NameKey{o.ns, key, o.name()}, index);
    }
    t_.pods_by_namespace.seal();
    t_.pods_by_scope.seal();
    t_.label_index.seal();
  }

  void index_services() {
    for (auto [o, s] : model_.of<Service>()) {
      uint32_t number = static_cast<uint32_t>(t_.services.size());
      t_.service_namespaces.try_emplace(NameKey{o.ns, t_.scope(o), {}}, true);
      auto [first, fresh] = t_.service_index.try_emplace(NameKey{o.ns, o.name(), {}}, number);
      // A Service defined again where the first is applied too (a duplicate, a copy, a render
      // beside its source) is that Service. Another project's Service of the same name is one
      // of its own, linked and checked as such.
      if (!fresh && (t_.deployed_together(*t_.services[first->value].object, o) ||
                     !t_.service_in_directory.try_emplace(NameKey{o.ns, o.name(), t_.directory(o)}, number).second))
        continue;
      ServiceLinks links{&o, &s, {}, {}, {}};
      if (s.session_affinity.value() == "ClientIP") {
        links.affinity = "ClientIP";
        links.affinity_timeout = s.session_affinity_timeout.set() ? s.session_affinity_timeout.value : 10800;
      }
      t_.services.push_back(std::move(links));
      if (fresh) service_names_.find_or_insert(NameKey{o.ns, {}, {}}, [] { return std::vector<std::string_view>(); }).first->value.push_back(o.name());
      if (fresh) ++services_by_name_.find_or_insert(o.name(), [&] { return NamedServices{number, 0}; }).first->value.count;
    }
  }

  void link_services() {
    for (ServiceLinks& s : t_.services) {
      if (s.service->external() || s.service->selector.empty()) continue;
      // An input may hold several projects whose namespaces share a name (examples side by
      // side, each `default`): a Service selects its own project's pods, not every pod of that
      // name elsewhere in the input. Its pods are those deployed together with it when it
      // selects any; otherwise (Services in one directory, workloads in another) all it selects.
      s.selected = t_.select_together(*s.object, s.service->selector);
      if (s.selected.empty()) s.selected = t_.select(s.object->ns, s.service->selector);
    }
  }

  void link_endpoints() {
    // Only objects that decoded as these kinds: `discovery.k4s.io` EndpointSlice is not one.
    for (auto [o, endpoints] : model_.of<Endpoints>()) {
      if (ServiceLinks* s = mutable_service(o.ns, o.name(), o)) s->endpoints.push_back(&o);
      else t_.orphan_endpoints.push_back(&o);
    }
    for (auto [o, slice] : model_.of<EndpointSlice>()) {
      std::optional<std::string_view> svc = o.meta.labels.find("kubernetes.io/service-name");
      if (!svc) continue;
      if (ServiceLinks* s = mutable_service(o.ns, *svc, o)) s->slices.push_back(&o);
      else t_.orphan_endpoints.push_back(&o);
    }
    // In input order, Endpoints and EndpointSlices mixed: the objects are one array.
    std::sort(t_.orphan_endpoints.begin(), t_.orphan_endpoints.end(), std::less<const Object*>());
  }

  void expand_statefulsets() {
    for (const PodSource& p : t_.pod_sources) {
      if (p.object->kind() != "StatefulSet") continue;
      const Workload& w = *p.workload;
      int64_t replicas = w.replicas ? w.replicas->value : 1;
      int64_t start = w.ordinals_start.set() ? w.ordinals_start.value : 0;
      for (int64_t i = 0; i < std::min(replicas, kMaxListedStatefulPods); ++i) {
        StatefulPod pod{p.object, start + i, std::string(p.object->name()) + "-" + std::to_string(start + i), {}};
        if (w.service_name.set() && !w.service_name.value().empty())
          pod.dns = pod.name + "." + std::string(w.service_name.value()) + "." + p.object->ns + ".svc.cluster.local";
        t_.stateful_pods.push_back(std::move(pod));
      }
    }
  }

  // What one pod template references: scanned in parallel (reading the indexes only), then
  // joined in pod-source order, so the topology never depends on the threads.
  struct References {
    std::vector<ServiceVariableUse> variables;
    std::vector<DnsNameUse> dns;
  };

  void scan_pod_sources() {
    std::vector<References> found(t_.pod_sources.size());
    workers_.parallel_for(found.size(), 64, [&](size_t i, unsigned) { scan_pod_source(static_cast<uint32_t>(i), found[i]); });
    size_t variables = 0, dns = 0;
    for (const References& r : found) {
      variables += r.variables.size();
      dns += r.dns.size();
    }
    t_.variable_uses.reserve(variables);
    t_.dns_uses.reserve(dns);
    for (References& r : found) {
      std::move(r.variables.begin(), r.variables.end(), std::back_inserter(t_.variable_uses));
      std::move(r.dns.begin(), r.dns.end(), std::back_inserter(t_.dns_uses));
    }
  }

  // What one container defines for itself, and the variables already recorded for it.
  struct ContainerScope {
    const Container& c;
    EnvFromNames from;
    std::vector<std::string_view> seen;
    // A container has a handful of variables: a linear scan beats hashing copies of them.
    bool defined(std::string_view name) const {
      for (const EnvVar& e : c.env)
        if (e.name.value() == name) return true;
      return from.open || from.defines(name);
    }
  };

  void scan_pod_source(uint32_t index, References& out) {
    const PodSource& p = t_.pod_sources[index];
    for (const Container& c : p.pod().spec.containers) {
      ContainerScope scope{c, c.env_from.empty() ? EnvFromNames{} : env_from_names(t_, c, p.ns()), {}};
      auto scan = [&](const Text& text, RefSite site, std::string_view key) {
        for (const VariableRef& r : kubelet_refs(text.value())) variable(index, scope, r.name, text, r.offset, site, out);
        scan_dns(index, c, text.node, {site, nullptr, key}, out);
      };
      for (const EnvVar& e : c.env)
        if (e.value.set()) scan(e.value, RefSite::EnvValue, e.name.value());
      for (const Text& t : c.command) scan(t, RefSite::Command, {});
      for (const Text& t : c.args) scan(t, RefSite::Args, {});
      if (const Text* script = shell_script(c))
        for (const VariableRef& r : shell_refs(script->value()))
          variable(index, scope, r.name, *script, r.offset, RefSite::ShellScript, out);
    }
    scan_config_values(index, out);
  }

  // The values of the ConfigMaps (and Secrets' stringData) a container reads into its
  // environment: `PRODUCT_CATALOG_SERVICE_ADDR: productcatalogservice:3550` is a call to that
  // Service wherever the pod takes it from. Each map once per pod template, whatever reads it.
  void scan_config_values(uint32_t index, References& out) {
    const PodSource& p = t_.pod_sources[index];
    std::vector<std::pair<const Object*, std::string_view>> seen;  // (map, key; empty: all keys)
    for (const schema::ConfigRef& r : p.pod().spec.config_refs) {
      if (r.site != schema::ConfigRef::Site::Env && r.site != schema::ConfigRef::Site::EnvFrom) continue;
      bool secret = r.kind == schema::ConfigRef::Kind::Secret;
      const Object* map = t_.find("", secret ? "Secret" : "ConfigMap", p.ns(), r.name.value());
      const auto* data = map ? map->as<schema::ConfigData>() : nullptr;
      const Node* values = data ? (secret ? data->string_data : data->data) : nullptr;
      if (!values || !values->is_map()) continue;
      std::string_view key = r.site == schema::ConfigRef::Site::Env ? r.key.value() : std::string_view();
      if (std::find(seen.begin(), seen.end(), std::pair{map, key}) != seen.end()) continue;
      seen.emplace_back(map, key);
      const Container* c = container_named(p, r.container.value());
      for (uint32_t i = 0; c && i < values->size(); ++i)
        if (key.empty() || values->key(i).text() == key)
          scan_dns(index, *c, &values->value(i), {RefSite::ConfigValue, map, values->key(i).text()}, out);
    }
  }

  static const Container* container_named(const PodSource& p, std::string_view name) {
    for (const Container& c : p.pod().spec.containers)
      if (c.name.value() == name) return &c;
    return nullptr;
  }

  // A reference to variable `name` at `offset` into `where`: recorded when it names a Service's
  // variable the container does not define itself.
  void variable(uint32_t index, ContainerScope& scope, std::string_view name, const Text& where, size_t offset,
                RefSite site, References& out) {
    if (scope.defined(name) || std::find(scope.seen.begin(), scope.seen.end(), name) != scope.seen.end()) return;
    ServiceVariableName parsed;
    if (!parse_service_variable(name, &parsed) || parsed.service == "kubernetes") return;
    const PodSource& p = t_.pod_sources[index];
    const ServiceLinks* svc = t_.service(p.ns(), parsed.service, *p.object);
    const Object* elsewhere = nullptr;
    uint32_t services_elsewhere = 0;
    if (!svc) {  // Services of that name in other namespaces name the mistake
      if (const NamedServices* named = services_by_name_.find(parsed.service)) {
        elsewhere = t_.services[named->first].object;
        services_elsewhere = named->count;
      }
    }
    if (!parsed.strong && !svc) return;
    scope.seen.push_back(name);
    ServiceVariableUse use{index, services_elsewhere, &scope.c, name, parsed.service,
                           position_in(sources_, where.node, offset, name), site, svc, elsewhere, false};
    if (svc) use.generated = is_service_variable(name, parsed.service, *svc->service);
    out.variables.push_back(std::move(use));
  }

  // In-cluster DNS names in a string (checks/host_names.h): `<svc>.<ns>.svc[.cluster.local]`,
  // `<pod>.<svc>.<ns>.svc[.cluster.local]`, `<svc>.<ns>` when `<ns>` is a namespace of the input,
  // and a Service of the pod's namespace by its short name where the string says it is a host.
  // Where a string was found: its site, the ConfigMap or Secret holding it, and the name it is
  // the value of (an env variable's, a ConfigMap key's; empty in command and args).
  struct Written {
    RefSite site;
    const Object* via;
    std::string_view key;
  };

  void scan_dns(uint32_t index, const Container& c, const Node* text, Written written, References& out) {
    if (!text || !text->is_scalar()) return;
    RefSite site = written.site;
    const Object* via = written.via;
    for (const HostName& h : host_names(text->text())) {
      size_t before = out.dns.size();
      if (h.single_label) short_name(index, c, h, written.key, out);
      else dns_token(index, c, h, out);
      for (size_t i = before; i < out.dns.size(); ++i) {
        DnsNameUse& use = out.dns[i];
        use.pos = position_in(sources_, text, h.offset, h.name);
        use.site = site;
        use.via = via;
        use.port = h.port;
        if (use.target && !h.port.empty()) use.service_port = port_numbered(*use.target, h.port);
      }
    }
  }

  static const ServicePort* port_numbered(const ServiceLinks& s, std::string_view port) {
    for (const ServicePort& p : s.service->ports)
      if (p.port.set() && std::to_string(p.port.value) == port) return &p;
    return nullptr;
  }

  // `cart:7070`, `http://cart/api`, and `cart` as the value of a name that says it is a host
  // (`CART_ADDR: cart`, `--cart-host=cart`): a Service of the pod's namespace deployed with it.
  // A bare word elsewhere is a program, a database or a user name as often as a host (`sleep`,
  // `wordpress`, `default`). The pod's own Services (a pod naming the Service in front of it)
  // are no call.
  void short_name(uint32_t index, const Container& c, const HostName& h, std::string_view key, References& out) {
    if (!h.host_context || h.name.front() < 'a' || h.name.front() > 'z' || !is_dns_label(h.name)) return;
    bool strong = !h.port.empty() || h.in_url;
    if (!strong && !names_a_host(h.assignee.empty() ? key : h.assignee)) return;
    const PodSource& p = t_.pod_sources[index];
    DnsNameUse use;
    use.pod_source = index;
    use.container = &c;
    use.name = h.name;
    use.service = h.name;
    use.ns = p.ns();
    use.short_name = true;
    use.target = t_.service(p.ns(), h.name, *p.object);
    // A Service of that name in another project of the input (examples side by side) is not
    // this pod's: no call, and no typo either.
    if (use.target && !t_.deployed_together(*use.target->object, *p.object)) return;
    if (use.target) {
      if (std::find(use.target->selected.begin(), use.target->selected.end(), index) != use.target->selected.end()) return;
    } else {
      // Unknown: only a near miss of a Service of the namespace, written as a host with a port
      // or in a URL, is recorded; anything else may be a word, a host outside the cluster.
      const std::vector<std::string_view>* names = service_names_.find(NameKey{p.ns(), {}, {}});
      if (!strong || h.name.size() < 5 || !names) return;
      use.near = closest(h.name, *names);
      if (use.near.empty()) return;
    }
    out.dns.push_back(std::move(use));
  }

  void dns_token(uint32_t index, const Container& c, const HostName& h, References& out) {
    std::string_view token = h.name;
    std::vector<std::string_view> labels = split_labels(token);
    if (labels.size() < 2) return;
    for (std::string_view l : labels)
      if (!is_dns_label(l)) return;
    size_t n = labels.size();
    if (n >= 3 && labels[n - 3] == "svc" && labels[n - 2] == "cluster" && labels[n - 1] == "local") n -= 3;
    else if (labels[n - 1] == "svc") n -= 1;
    else if (n != 2) return;
    bool svc_form = n != labels.size();
    const Object& from = *t_.pod_sources[index].object;
    // `<a>.<b>` is read as a Service name only when `<b>` is declared by a Namespace object of
    // the set, or holds a Service `<a>`: two-label host names are otherwise ordinary domains.
    if (!svc_form && n == 2 && !t_.find("", "Namespace", "", labels[1]) && !t_.service(labels[1], labels[0], from)) return;
    DnsNameUse use;
    use.pod_source = index;
    use.container = &c;
    use.name = token;
    if (n == 2) {
      use.service = labels[0];
      use.ns = labels[1];
    } else if (n == 3) {
      use.pod = labels[0];
      use.service = labels[1];
      use.ns = labels[2];
    } else {
      return;
    }
    if (!t_.namespace_in_input(use.ns)) return;  // closed world only where the input has the namespace
    if (cluster_service(use.ns, use.service)) return;  // every cluster has it
    use.target = t_.service(use.ns, use.service, from);
    if (!use.pod.empty()) use.pod_known = pod_exists(use.ns, use.service, use.pod);
    out.dns.push_back(std::move(use));
  }

  // A pod named `pod` whose subdomain is `service`: a StatefulSet ordinal, or a pod template
  // that sets hostname and subdomain itself.
  bool pod_exists(std::string_view ns, std::string_view service, std::string_view pod) {
    size_t dash = pod.rfind('-');
    if (dash != std::string_view::npos && dash + 1 < pod.size()) {
      std::string_view ordinal = pod.substr(dash + 1);
      bool digits = std::all_of(ordinal.begin(), ordinal.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (digits && ordinal.size() < 12) {
        const Object* sts = t_.find("apps", "StatefulSet", ns, pod.substr(0, dash));
        if (const Workload* w = sts ? sts->as<Workload>() : nullptr) {
          int64_t n = std::stoll(std::string(ordinal));
          int64_t start = w->ordinals_start.set() ? w->ordinals_start.value : 0;
          int64_t replicas = w->replicas ? w->replicas->value : 1;
          if (w->service_name.value() == service && n >= start && n < start + replicas) return true;
        }
      }
    }
    for (uint32_t i : t_.pods_by_namespace.find(ns)) {
      const PodSpec& spec = t_.pod_sources[i].pod().spec;
      if (spec.hostname.value() == pod && spec.subdomain.value() == service) return true;
    }
    return false;
  }

  void link_ingresses() {
    for (auto [o, ing] : model_.of<Ingress>()) {
      for (const Ingress::Backend& b : ing.backends) {
        if (!b.service_name.set()) continue;
        IngressLink link{&o, &b, t_.service(o.ns, b.service_name.value(), o), nullptr};
        if (link.service)
          for (const ServicePort& sp : link.service->service->ports)
            if ((b.port_number.set() && sp.port.set() && sp.port.value == b.port_number.value) ||
                (b.port_name.set() && sp.name.value() == b.port_name.value()))
              link.port = &sp;
        t_.ingress_links.push_back(link);
      }
    }
    for (auto [o, route] : model_.of<schema::Route>())
      for (const schema::GatewayRef& b : route.backends) {
        if (!b.names_service() || !b.name.set()) continue;
        std::string_view ns = b.ns.set() && !b.ns.value().empty() ? b.ns.value() : std::string_view(o.ns);
        RouteLink link{&o, &b, t_.service(ns, b.name.value(), o), nullptr};
        if (link.service && b.port.set())
          for (const ServicePort& sp : link.service->service->ports)
            if (sp.port.set() && sp.port.value == b.port.value) link.port = &sp;
        t_.route_links.push_back(link);
      }
  }

  ServiceLinks* mutable_service(std::string_view ns, std::string_view name, const Object& from) {
    return const_cast<ServiceLinks*>(t_.service(ns, name, from));
  }

  const Model& model_;
  const SourceSet& sources_;
  Topology& t_;
  const Workers& workers_;
  LinkTimes* times_;
  struct NamedServices {
    uint32_t first;  // in t_.services
    uint32_t count;
  };
  FlatMap<std::string_view, NamedServices, StringHash> services_by_name_;
  // The Service names of each namespace, for a near miss's nearest name.
  FlatMap<NameKey, std::vector<std::string_view>, NameKeyHash> service_names_;
};

}  // namespace

std::string_view LinkTimes::name(Step s) {
  switch (s) {
    case ObjectIndex: return "object-index";
    case Names: return "names";
    case Pods: return "pods";
    case Services: return "services";
    case Binder: return "binder";
    case Selectors: return "selectors";
    case Endpoints: return "endpoints";
    case StatefulSets: return "statefulsets";
    case References: return "references";
    case Ingresses: return "ingresses";
    case StepCount: break;
  }
  return "?";
}

Topology link(const Model& model, const SourceSet& sources, const Workers& workers, LinkTimes* times) {
  Topology t;
  t.sources = &sources;
  Linker linker(model, sources, &t, workers, times);
  linker.index();
  // The binder reads only the indexes and the sources: it runs beside the rest of the linking.
  // Each side writes its own members of `t`, so the result is the same for any -j.
  workers.parallel_for(2, 1, [&](size_t side, unsigned) {
    if (side == 0) timed(times, LinkTimes::Binder, [&] { t.storage = bind_claims(model, t); });
    else linker.link();
  });
  return t;
}

}  // namespace kmc::checks
