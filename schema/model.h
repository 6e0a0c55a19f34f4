#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/arena.h"
#include "core/finding.h"
#include "core/parallel.h"
#include "core/position.h"
#include "core/rule_catalogue.h"
#include "parser/load.h"
#include "parser/node.h"
#include "schema/model_arena.h"

namespace kmc {

// Every field a rule may point at keeps a node, hence its position: the model's own copy of the
// parse tree's node and of its text (schema/model_arena.h), so that the model outlives the trees
// and the files' bytes. A container kept for its position has no children; what a rule reads
// below it is decoded into the model.

// A string field: the node alone (8 bytes), since its text is the node's. The model holds
// millions of these on a large tree (bench/), so every byte here is megabytes there.
struct Text {
  const Node* node = nullptr;  // nullptr when the field is absent; else a non-null scalar
  std::string_view value() const { return node ? node->text() : std::string_view(); }
  bool set() const { return node != nullptr; }
  Position pos() const { return node ? node->pos() : Position{}; }
};

struct Int {
  int64_t value = 0;
  const Node* node = nullptr;
  bool set() const { return node != nullptr; }
};

// An int-or-string field (targetPort, maxSurge).
struct IntOrString {
  const Node* node = nullptr;
  bool is_int = false;
  int64_t int_value = 0;
  std::string_view str_value;
  bool set() const { return node != nullptr; }
};

// A map of string to string (labels, annotations, a Service's selector): the mapping node
// itself, read in place. Pairs whose key or value is not a scalar are skipped (the schema rules
// report them); a null value reads as "".
struct LabelMap {
  struct Entry {
    const Node* key_node;  // its value node follows it (a mapping's kids are key, value, …)
    std::string_view key() const { return key_node->text(); }
    std::string_view value() const { return key_node[1].is_null() ? std::string_view() : key_node[1].text(); }
  };
  class Iterator {
   public:
    Iterator(const Node* at, const Node* end) : at_(at), end_(end) { skip(); }
    Entry operator*() const { return {at_}; }
    Iterator& operator++() {
      at_ += 2;
      skip();
      return *this;
    }
    bool operator==(const Iterator& o) const { return at_ == o.at_; }

   private:
    void skip() {
      while (at_ != end_ && !(at_[0].is_scalar() && at_[1].is_scalar())) at_ += 2;
    }
    const Node* at_;
    const Node* end_;
  };

  const Node* node = nullptr;  // the mapping; nullptr when absent or not a mapping

  Iterator begin() const { return node ? Iterator(node->kids(), node->kids() + 2 * node->len) : Iterator(nullptr, nullptr); }
  Iterator end() const { return node ? Iterator(node->kids() + 2 * node->len, node->kids() + 2 * node->len) : Iterator(nullptr, nullptr); }
  bool set() const { return node != nullptr; }
  bool empty() const { return begin() == end(); }
  size_t size() const;
  // The value of `key`; the last one when the key is repeated, as after kubectl's decoding.
  std::optional<std::string_view> find(std::string_view key) const;
  // True when every entry of `this` is in `labels` with the same value.
  bool subset_of(const LabelMap& labels) const;
};

struct SelectorRequirement {
  Text key;
  Text op;  // In, NotIn, Exists, DoesNotExist (Gt, Lt for node selectors)
  std::vector<Text> values;
  const Node* node = nullptr;
};

// metav1.LabelSelector: matchLabels AND every matchExpression. A null selector matches nothing,
// an empty one everything; callers decide which applies (see set()).
struct LabelSelector {
  LabelMap match_labels;
  std::vector<SelectorRequirement> match_expressions;
  const Node* node = nullptr;

  bool set() const { return node != nullptr; }
  bool empty() const { return match_labels.empty() && match_expressions.empty(); }
  bool matches(const LabelMap& labels) const;
};

struct ObjectMeta {
  Text name, generate_name, ns;
  LabelMap labels, annotations;
  const Node* node = nullptr;
};

struct ContainerPort {
  Text name;
  Int container_port;
  Text protocol;
  const Node* node = nullptr;
};

struct EnvVar {
  Text name;
  Text value;
  bool has_value_from = false;
  const Node* node = nullptr;
};

struct EnvFromSource {
  Text prefix, config_map, secret;
  const Node* node = nullptr;
};

struct VolumeMount {
  Text name, mount_path, sub_path_expr;
  const Node* node = nullptr;
};

struct Container {
  Text name, image;
  std::vector<ContainerPort> ports;
  std::vector<EnvVar> env;
  std::vector<EnvFromSource> env_from;
  std::vector<Text> command, args;
  std::vector<VolumeMount> volume_mounts;
  bool init = false;  // an init (or sidecar) container
  const Node* node = nullptr;
};

struct Volume {
  Text name;
  Text claim_name;  // persistentVolumeClaim.claimName
  const Node* node = nullptr;
};

struct NodeSelectorTerm {
  std::vector<SelectorRequirement> match_expressions, match_fields;
  const Node* node = nullptr;
};

struct PodAffinityTerm {
  LabelSelector label_selector;
  std::vector<Text> namespaces;
  LabelSelector namespace_selector;
  Text topology_key;
  std::vector<Text> match_label_keys, mismatch_label_keys;
  const Node* node = nullptr;
};

struct WeightedPodAffinityTerm {
  Int weight;
  PodAffinityTerm term;
  const Node* node = nullptr;
};

struct PreferredSchedulingTerm {
  Int weight;
  NodeSelectorTerm preference;
  const Node* node = nullptr;
};

struct PodAffinityRules {
  std::vector<PodAffinityTerm> required;
  std::vector<WeightedPodAffinityTerm> preferred;
  const Node* node = nullptr;
};

struct Affinity {
  std::vector<NodeSelectorTerm> node_required;
  const Node* node_required_node = nullptr;
  std::vector<PreferredSchedulingTerm> node_preferred;
  PodAffinityRules pod_affinity, pod_anti_affinity;
  const Node* node = nullptr;
};

struct TopologySpreadConstraint {
  Int max_skew;
  Text topology_key, when_unsatisfiable;
  LabelSelector label_selector;
  std::vector<Text> match_label_keys;
  const Node* node = nullptr;
};

struct PodSpec {
  std::vector<Container> containers;  // init containers first (init = true), then the app ones
  std::vector<Volume> volumes;
  // On the heap, present only when the pod spec has `affinity`: most pods have none, and the
  // 176 bytes of an empty one were 5 MB of a 100 000-object tree's model.
  std::unique_ptr<const Affinity> affinity_if_set;
  const Affinity& affinity() const;  // an empty Affinity when unset
  std::vector<TopologySpreadConstraint> topology_spread;
  std::optional<bool> enable_service_links;
  Text hostname, subdomain, service_account;
  const Node* node = nullptr;
};

struct PodTemplate {
  ObjectMeta meta;
  PodSpec spec;
  const Node* node = nullptr;
};

struct PersistentVolumeClaimSpec {
  std::vector<Text> access_modes;
  Text storage_request;
  const Node* storage_class = nullptr;  // null node vs "" differ: see semantics 2.1
  std::string_view storage_class_name;
  Text volume_name, volume_mode;
  LabelSelector selector;
  const Node* node = nullptr;
};

// Anything that stamps out pods: Deployment, StatefulSet, DaemonSet, ReplicaSet,
// ReplicationController, Job, CronJob, PodTemplate, and a bare Pod (its own template).
struct Workload {
  std::optional<Int> replicas;  // absent: the kind's default (1), or none for DaemonSet/Job
  LabelSelector selector;       // ReplicationController's map selector becomes matchLabels
  PodTemplate template_;
  Text service_name;            // StatefulSet
  Int ordinals_start;           // StatefulSet spec.ordinals.start (default 0)
  struct ClaimTemplate {
    ObjectMeta meta;
    PersistentVolumeClaimSpec spec;
    const Node* node = nullptr;
  };
  std::vector<ClaimTemplate> volume_claim_templates;
  // spec.strategy.rollingUpdate (updateStrategy for StatefulSets and DaemonSets). On the heap,
  // present only when the workload sets it: most leave the default, and the 112 bytes of an
  // empty one were 3 MB of a 100 000-object tree's model.
  struct RollingUpdate {
    Text strategy_type;  // the strategy's `type`, beside it
    IntOrString max_surge, max_unavailable;
    const Node* node = nullptr;
    const Node* key = nullptr;  // the `rollingUpdate` key
  };
  std::unique_ptr<const RollingUpdate> rolling_update;
};

struct ServicePort {
  Text name, protocol;
  Int port, node_port;
  IntOrString target_port;
  const Node* node = nullptr;
  // The API server defaults a targetPort that is absent, 0 or "" to the port itself.
  bool targets_own_port() const {
    return !target_port.set() || (target_port.is_int ? target_port.int_value == 0 : target_port.str_value.empty());
  }
};

struct Service {
  Text type, cluster_ip, external_name, session_affinity;
  LabelMap selector;
  std::vector<ServicePort> ports;
  Int session_affinity_timeout;
  const Node* session_affinity_config_key = nullptr;  // set when sessionAffinityConfig is a mapping
  bool publish_not_ready_addresses = false;
  const Node* spec = nullptr;

  bool headless() const { return cluster_ip.value() == "None"; }
  bool external() const { return type.value() == "ExternalName"; }
};

struct EndpointAddress {
  Text ip, hostname;
  const Node* node = nullptr;
};

struct EndpointPort {
  Text name, protocol;
  Int port;
  const Node* node = nullptr;
};

struct EndpointSubset {
  std::vector<EndpointAddress> addresses, not_ready_addresses;
  std::vector<EndpointPort> ports;
  const Node* node = nullptr;
};

struct Endpoints {
  std::vector<EndpointSubset> subsets;
  const Node* kind_key = nullptr;  // the object's `kind` key
};

struct EndpointSlice {
  Text address_type;
  std::vector<EndpointAddress> addresses;  // every endpoints[].addresses[] entry
  std::vector<EndpointPort> ports;
};

struct PersistentVolume {
  Text capacity;  // capacity.storage
  std::vector<Text> access_modes;
  Text volume_mode, reclaim_policy;
  const Node* storage_class = nullptr;
  std::string_view storage_class_name;
  Text claim_ref_namespace, claim_ref_name;
  Text claim_ref_uid;  // set: bound before, to the claim object of this uid (read back from a cluster)
  std::vector<const Node*> sources;  // keys of spec that are volume sources
  std::vector<NodeSelectorTerm> node_affinity;
  const Node* spec = nullptr;
  const Node* spec_key = nullptr;  // the object's `spec` key
};

struct PersistentVolumeClaim {
  PersistentVolumeClaimSpec spec;
  Text uid;  // metadata.uid: set only on a claim read back from a cluster
};

// A ConfigMap's or a Secret's data: the keys its envFrom consumers get as variables.
struct ConfigData {
  const Node* data = nullptr;         // `data` with its keys, when a mapping
  const Node* string_data = nullptr;  // `stringData` (a Secret's), likewise
};

struct StorageClass {
  Text provisioner, volume_binding_mode;
  bool is_default = false;
};

struct Ingress {
  struct Backend {
    Text service_name;
    Int port_number;
    Text port_name;
    const Node* node = nullptr;
  };
  std::vector<Backend> backends;  // the default backend and every rule path's backend
};

// Every kind's spec lives on the heap, so that an Object costs what its own kind needs: most
// objects of a large tree (ConfigMaps, Secrets, Namespaces, CRs) have no typed spec at all, and
// an inline variant would give each of them the size of the largest alternative.
using Spec = std::variant<std::monostate, std::unique_ptr<Workload>, std::unique_ptr<Service>, std::unique_ptr<Endpoints>,
                          std::unique_ptr<EndpointSlice>, std::unique_ptr<PersistentVolume>,
                          std::unique_ptr<PersistentVolumeClaim>, std::unique_ptr<StorageClass>, std::unique_ptr<Ingress>,
                          std::unique_ptr<ConfigData>>;

// What the schema stage found wrong with one object; checks/rules/schema.cc reports it under
// `rule` (a schema/* id of the rule table).
struct SchemaIssue {
  RuleId rule;
  Position pos;
  std::string message;
  std::string fix;
  std::vector<Related> related;  // e.g. the CRD whose schema says so
};

struct Object {
  const RawObject* raw = nullptr;
  ObjectMeta meta;
  std::string ns;        // defaulted; empty for cluster-scoped kinds
  bool cluster_scoped = false;
  bool context = false;  // from --context: linked against, never reported on
  // metadata has uid, creationTimestamp or resourceVersion: read back from a cluster.
  bool server_metadata = false;
  bool owned = false;  // metadata.ownerReferences is set: a controller made it

 private:
  uint32_t version_at_ = 0;  // after the '/' of apiVersion, 0 without one; in the flags' padding

 public:
  Spec spec;
  std::vector<SchemaIssue> issues;  // filled by schema validation (schema/validate.h)

  std::string_view api_version() const { return api_version_; }
  std::string_view kind() const { return kind_; }
  void set_type(std::string_view api_version, std::string_view kind);  // the decoder's
  // apiVersion split at its '/': group "" for the core API. Kept as where the version starts,
  // not as two more views: a model holds an object for every document of a large tree, and those
  // views were 32 of its 200 bytes.
  std::string_view group() const { return api_version_.substr(0, version_at_ ? version_at_ - 1 : 0); }
  std::string_view version() const { return api_version_.substr(version_at_); }
  // The root mapping. Once the model is built and the parse trees released, the model's copy of
  // it: its position, no children.
  const Node& node() const { return *raw->root; }
  Position pos() const { return raw->root->pos(); }
  uint32_t order() const { return raw->order; }
  std::string_view name() const { return meta.name.value(); }
  // "Deployment \"web\"" as messages name it
  std::string display() const;

  template <class T> const T* as() const {
    const auto* p = std::get_if<std::unique_ptr<T>>(&spec);
    return p ? p->get() : nullptr;
  }

  // Whether this object exists before `other` is applied: context objects are already in the
  // cluster; input objects are applied in order.
  bool exists_before(const Object& other) const {
    return context ? true : !other.context && order() < other.order();
  }

 private:
  std::string_view api_version_, kind_;
};

// The alternative of Spec that holds a T (Spec's size when none does).
template <class T, class... Ts> constexpr size_t spec_index_of(const std::variant<Ts...>*) {
  constexpr bool match[] = {std::is_same_v<Ts, std::unique_ptr<T>>...};
  for (size_t i = 0; i < sizeof...(Ts); ++i)
    if (match[i]) return i;
  return sizeof...(Ts);
}
template <class T> constexpr size_t kSpecIndex = spec_index_of<T>(static_cast<const Spec*>(nullptr));

// Some of a model's objects, by number, read as objects.
class ObjectSubset {
 public:
  class Iterator {
   public:
    Iterator(const Object* objects, const uint32_t* at) : objects_(objects), at_(at) {}
    const Object& operator*() const { return objects_[*at_]; }
    Iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return at_ == o.at_; }

   private:
    const Object* objects_;
    const uint32_t* at_;
  };
  ObjectSubset(const std::vector<Object>& objects, std::span<const uint32_t> numbers)
      : objects_(objects.data()), numbers_(numbers) {}
  Iterator begin() const { return {objects_, numbers_.data()}; }
  Iterator end() const { return {objects_, numbers_.data() + numbers_.size()}; }
  size_t size() const { return numbers_.size(); }

 private:
  const Object* objects_;
  std::span<const uint32_t> numbers_;
};

// The objects of a model whose spec decoded as a T, each with that spec:
// `for (auto [object, service] : model.of<Service>())`.
template <class T> class SpecSubset {
 public:
  struct Entry {
    const Object& object;
    const T& spec;
  };
  class Iterator {
   public:
    explicit Iterator(ObjectSubset::Iterator at) : at_(at) {}
    Entry operator*() const {
      const Object& o = *at_;
      return {o, *o.as<T>()};  // the decoder lists only objects whose spec it made a T
    }
    Iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return at_ == o.at_; }

   private:
    ObjectSubset::Iterator at_;
  };
  explicit SpecSubset(ObjectSubset objects) : objects_(objects) {}
  Iterator begin() const { return Iterator(objects_.begin()); }
  Iterator end() const { return Iterator(objects_.end()); }
  size_t size() const { return objects_.size(); }

 private:
  ObjectSubset objects_;
};

struct Model {
  // The model's copies of the tree nodes it points at (schema/model_arena.h), one per thread
  // that decoded.
  std::vector<std::unique_ptr<Arena>> arenas;
  std::vector<Object> objects;
  // kustomize patches (RawObject::patch): fragments, not objects. Validated for fields and
  // types, but never linked or checked as objects of the cluster.
  std::vector<Object> patches;
  // The objects whose spec decoded as a T (Service, PersistentVolume, …), in input order. A rule
  // about one kind walks its list: a pass over every object of a large tree reads 20 MB, and
  // eleven rules and the binder each made one.
  template <class T> SpecSubset<T> of() const {
    static_assert(kSpecIndex<T> < std::variant_size_v<Spec>, "not a typed spec of the model");
    return SpecSubset<T>(ObjectSubset(objects, by_spec[kSpecIndex<T>]));
  }
  // The core Namespace objects, in input order.
  ObjectSubset namespaces() const { return {objects, namespace_numbers}; }
  // Objects and then patches that have schema issues (list_objects_with_issues).
  std::vector<const Object*> with_issues;

  // Filled by ModelDecoder::finish.
  std::array<std::vector<uint32_t>, std::variant_size_v<Spec>> by_spec;
  std::vector<uint32_t> namespace_numbers;
};

struct ModelOptions {
  std::string default_namespace = "default";
};

// Whether a kind has no namespace (Namespace, PersistentVolume, StorageClass, ClusterRole, …).
bool is_cluster_scoped(std::string_view group, std::string_view kind);

// The decoders of the two shapes rules and tests build by hand; `n` may be null or of the
// wrong shape (the result is then unset).
LabelMap decode_label_map(const Node* n);
LabelSelector decode_label_selector(const Node* n);

// Decodes raw objects one at a time, in any order and on several threads: the model builder
// (driver/model_builder.h) decodes, validates and lets go of the parse trees a batch of files at a
// time. Never fails: a field of the wrong type is left unset here and reported by the schema rules.
class ModelDecoder {
 public:
  // With `copy_text_from`, the model copies the text it keeps out of those files, which can then
  // be released (NodeKeeper); without, it points into them.
  ModelDecoder(const ModelOptions& options, bool context, unsigned workers, const SourceSet* copy_text_from = nullptr);
  // The same files, where they are now (a LoadResult that moved).
  void set_sources(const SourceSet* copy_text_from);
  // Decodes one object, on thread `worker` (< workers).
  Object decode(const RawObject& raw, unsigned worker);
  // Places in the model for the next `count` objects, in input order (among the objects, or the
  // patches: RawObject::patch), for any thread to decode into: `*place = decode(raw, worker)`.
  // Good until the next call. Decoded in place, no thread moves a whole batch's objects in after.
  std::vector<Object*> make_room(const RawObject* raw, size_t count);
  // Room for about `objects` in all, so that the list need not move as it grows. (Room is
  // address space: a page of it counts once an object is written there.)
  void reserve(size_t objects) { model_.objects.reserve(objects); }
  // The model's copy of a root, without children (to stand in for it once the trees go).
  const Node* keep_root(const Node* root, unsigned worker) { return keepers_[worker].node(root); }
  // The lines the files must keep for the model's copies so far (NodeKeeper::take_lines).
  std::vector<NodeKeeper::Lines> take_lines();
  // The objects added so far, the patches after them, in input order, pointing at `raw` (the
  // objects they were decoded from, which may have moved since); for the last checks before
  // finish().
  std::vector<Object*> point_at(std::vector<RawObject>& raw);
  // The model, with its per-kind lists; the decoder is spent.
  Model finish();

 private:
  ModelOptions options_;
  bool context_;
  Model model_;
  std::vector<NodeKeeper> keepers_;
};

// Decodes every raw object into the typed model, on the run's threads.
Model decode_model(const std::vector<RawObject>& raw, const ModelOptions& options, bool context = false,
                   const Workers& workers = Workers::serial());

}  // namespace kmc
