#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "checks/binder.h"
#include "checks/consumers.h"
#include "checks/object_index.h"
#include "core/flat_map.h"
#include "core/parallel.h"
#include "core/postings.h"
#include "core/source.h"
#include "schema/model.h"

// The linked set: every name and selector of the input resolved once, read by rules and
// renderers alike (nobody recomputes a link). Lookups are hash indexes keyed by namespace,
// name and label, so linking is near-linear in the number of objects.
namespace kmc::checks {
using parser::Node;
using schema::Container;
using schema::Endpoints;
using schema::Ingress;
using schema::LabelMap;
using schema::LabelSelector;
using schema::Model;
using schema::Object;
using schema::PodTemplate;
using schema::Service;
using schema::ServicePort;
using schema::Workload;

// A pod template of the set and the object that stamps out its pods.
struct PodSource {
  const Object* object;
  const Workload* workload;
  const PodTemplate& pod() const { return workload->pod_template; }
  const std::string& ns() const { return object->ns; }
};

struct ServiceLinks {
  const Object* object;
  const Service* service;
  std::vector<uint32_t> selected;        // PodSources the selector matches
  std::vector<const Object*> endpoints;  // v1 Endpoints of the same name
  std::vector<const Object*> slices;     // EndpointSlices labelled kubernetes.io/service-name
  // Session affinity after the API server's defaulting: "None" or "ClientIP", and the
  // stickiness timeout in seconds (10800 by default for ClientIP, 0 for None).
  std::string_view affinity = "None";
  int64_t affinity_timeout = 0;
};

struct IngressLink {
  const Object* ingress;
  const Ingress::Backend* backend;
  const ServiceLinks* service = nullptr;
  const ServicePort* port = nullptr;
};

// A Gateway API route's backendRef to a Service (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute,
// UDPRoute): the Gateway's proxy sends the route's traffic there.
struct RouteLink {
  const Object* route;
  const schema::GatewayRef* backend;
  const ServiceLinks* service = nullptr;
  const ServicePort* port = nullptr;
};

// A pod a StatefulSet creates, with its stable name and DNS name.
struct StatefulPod {
  const Object* statefulset;
  int64_t ordinal;
  std::string name;  // <sts>-<ordinal>
  std::string dns;   // <pod>.<service>.<ns>.svc.cluster.local (empty without serviceName)
};

// An index key of up to three names (kind, namespace, name; or namespace, label key, value).
// The names point into the model and the documents, which outlive the topology: building and
// probing an index copies nothing.
struct NameKey {
  std::string_view a, b, c;
  bool operator==(const NameKey&) const = default;
};
struct NameKeyHash {
  uint64_t operator()(const NameKey& k) const noexcept { return hash_string(k.c, hash_string(k.b, hash_string(k.a))); }
};

struct Topology {
  std::vector<PodSource> pod_sources;
  std::vector<ServiceLinks> services;
  std::vector<ServiceVariableUse> variable_uses;
  std::vector<DnsNameUse> dns_uses;
  std::vector<IngressLink> ingress_links;
  std::vector<RouteLink> route_links;
  std::vector<StatefulPod> stateful_pods;
  std::vector<const Object*> orphan_endpoints;  // Endpoints/EndpointSlices whose Service is missing
  Storage storage;  // claims, volumes and what binds to what (checks/binder.h)
  // The cluster's Nodes, from --context (`kubectl get nodes -o yaml`); Node objects of the input
  // are test data or dumps, not the cluster the input goes to.
  std::vector<const Object*> nodes;

  // Service by namespace and name, or null: the first of that name in the input.
  const ServiceLinks* service(std::string_view ns, std::string_view name) const;
  // The Service that `from` refers to by name: where projects side by side in the input each
  // define a Service of that name, the one deployed together with `from`, else the first.
  const ServiceLinks* service(std::string_view ns, std::string_view name, const Object& from) const;
  // The PodSources a selector matches in a namespace, through the label index.
  std::vector<uint32_t> select(std::string_view ns, const LabelSelector& selector) const;
  std::vector<uint32_t> select(std::string_view ns, const LabelMap& selector) const;
  // Whether it matches any (a test that stops at the first).
  bool selects_any(std::string_view ns, const LabelSelector& selector) const;
  // The same among the pods deployed together with `near` in its namespace (deployed_together):
  // two runs of the scope index, however many projects share the namespace.
  std::vector<uint32_t> select_together(const Object& near, const LabelSelector& selector) const;
  std::vector<uint32_t> select_together(const Object& near, const LabelMap& selector) const;
  // The PodSources of `ns` carrying every label of `labels` (all of the namespace's for none);
  // with `among`, only those of `among` (sorted).
  std::vector<uint32_t> pods_with_labels(std::string_view ns, const LabelMap& labels) const;
  std::vector<uint32_t> pods_with_labels(std::string_view ns, const LabelMap& labels, std::span<const uint32_t> among) const;
  // The object of `group` and `kind` named `name` in `ns` (ConfigMap, Secret, StatefulSet, …),
  // the first one when there are several, or null.
  const Object* find(std::string_view group, std::string_view kind, std::string_view ns, std::string_view name) const;
  // Whether `ns` is a namespace the input (not only the context) declares or puts objects in.
  bool namespace_in_input(std::string_view ns) const;
  // Whether the context, or the input in the directory of `consumer`, holds a Service of `ns`:
  // only then is a Service name of `ns` that none of them defines known to be missing (the
  // cluster may hold the namespace's Services: a mesh control plane installed apart from the
  // workloads it injects, or the rest of a namespace that other repositories deploy).
  bool namespace_has_services(std::string_view ns, const Object& consumer) const;
  // The same for ConfigMaps, Secrets, ServiceAccounts, Roles, ClusterRoles, PriorityClasses.
  bool namespace_has(std::string_view kind, std::string_view ns, const Object& consumer) const;
  // Whether `ns` holds a custom resource (a Prometheus, a CephCluster, a LeaderWorkerSet), input
  // or context: an operator there likely creates pods kmc cannot see, so rules that would say
  // "no pod does X" stay silent there.
  bool operator_namespace(std::string_view ns) const;
  // Whether two objects are deployed together: both from one directory, both rendered by the
  // view's kustomization root, or one of them already in the cluster. Rules that report a *conflict* between two objects compare only these, so
  // a repository of alternatives (examples, overlays) is not one big clash; rules that report
  // a *missing* object look at the whole input, so a split layout is not "missing" anything.
  bool deployed_together(const Object& a, const Object& b) const;
  // The directory of an object's file ("" at the top): what deployed_together compares for
  // input objects. A view of the source's path.
  std::string_view directory(const Object& o) const;
  static constexpr std::string_view kInTheCluster = "\x01context";  // the scope of --context objects
  static constexpr std::string_view kRendered = "\x02rendered";     // of what the view's root rendered
  // Where an object is deployed from, as deployed_together compares: the cluster (--context),
  // the view's kustomization root (a view never mixes rendered and plain objects), or the
  // directory of its file.
  std::string_view scope(const Object& o) const;

  const SourceSet* sources = nullptr;

  // Indexes.
  FlatMap<NameKey, uint32_t, NameKeyHash> service_index;               // {ns, name}: the first
  // {ns, name, directory}: the Services after the first of their name, each in a directory that
  // is not deployed together with an earlier one (another project's Service of that name).
  FlatMap<NameKey, uint32_t, NameKeyHash> service_in_directory;
  Postings<NameKey, NameKeyHash> label_index;                          // {ns, key, value} -> pods
  Postings<std::string_view, StringHash> pods_by_namespace;
  Postings<NameKey, NameKeyHash> pods_by_scope;  // {ns, scope, ""} -> pods
  ObjectIndex object_index;                                            // {group, kind, ns, name}
  FlatMap<std::string_view, bool, StringHash> input_namespaces;  // a set: the value is unused
  // Namespaces a kustomization's `namespace:` emptied, and the namespace it moved their objects to.
  FlatMap<std::string_view, std::string_view, StringHash> moved_namespaces;
  FlatMap<NameKey, bool, NameKeyHash> service_namespaces;  // {ns, scope} of every Service (a set)
  FlatMap<NameKey, bool, NameKeyHash> config_namespaces;   // {kind, ns, scope} of those kinds
  Postings<NameKey, NameKeyHash> referenced_objects;        // {kind, ns}: their object numbers
  std::vector<std::string_view> operator_namespaces;             // sorted, each once
};

// The steps of linking, timed for kmc-bench-load to show which step a regression is in (on two
// threads they add up to more than the stage). `names` reads every object once: a linear pass.
struct LinkTimes {
  enum Step { ObjectIndex, Names, Pods, Services, Binder, Selectors, Endpoints, StatefulSets, References, Ingresses, StepCount };
  static std::string_view name(Step s);
  double seconds[StepCount] = {};
};

// Links the model; pod templates are scanned for references on the run's threads.
Topology link(const Model& model, const SourceSet& sources, const Workers& workers, LinkTimes* times = nullptr);

// The position of `offset` bytes into scalar `node`'s text, as exactly as the source allows.
Position position_in(const SourceSet& sources, const Node* node, size_t offset, std::string_view fragment);

// Services every cluster has: `kubernetes` in `default` (the API server) and the cluster DNS,
// `kube-dns` in `kube-system` (CoreDNS keeps the name). A reference to one is never missing.
bool cluster_service(std::string_view ns, std::string_view name);

// Whether `selector` selects the control plane's static pods of `kube-system`, which every
// kubeadm-style cluster runs and no manifest defines: `component` is kube-apiserver,
// kube-controller-manager, kube-scheduler or etcd, with at most `tier: control-plane` besides.
bool selects_control_plane(std::string_view ns, const LabelMap& selector);

}  // namespace kmc::checks
