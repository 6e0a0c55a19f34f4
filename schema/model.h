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
#include "core/position.h"
#include "core/rule_catalogue.h"
#include "parser/load.h"
#include "parser/node.h"
#include "schema/api_schema.h"
#include "schema/gateway_spec.h"
#include "schema/model_arena.h"
#include "schema/network_policy_spec.h"
#include "schema/specs.h"

// The typed model: every object of the input with its metadata and, for the kinds rules read,
// its typed spec (schema/specs.h, made of schema/fields.h); schema/model_decoder.h builds it.
namespace kmc::schema {
using parser::Node;
using parser::RawObject;

// Every kind's spec lives on the heap, so that an Object costs what its own kind needs: most
// objects of a large tree (ConfigMaps, Secrets, Namespaces, CRs) have no typed spec at all, and
// an inline variant would give each of them the size of the largest alternative.
using Spec = std::variant<std::monostate, std::unique_ptr<Workload>, std::unique_ptr<Service>, std::unique_ptr<Endpoints>,
                          std::unique_ptr<EndpointSlice>, std::unique_ptr<PersistentVolume>,
                          std::unique_ptr<PersistentVolumeClaim>, std::unique_ptr<StorageClass>, std::unique_ptr<Ingress>,
                          std::unique_ptr<ConfigData>, std::unique_ptr<Binding>, std::unique_ptr<Autoscaler>,
                          std::unique_ptr<DisruptionBudget>, std::unique_ptr<ResourceQuota>, std::unique_ptr<LimitRange>,
                          std::unique_ptr<Route>, std::unique_ptr<Gateway>, std::unique_ptr<ReferenceGrant>,
                          std::unique_ptr<NetworkPolicy>>;

// What the schema stage found wrong with one object, reported under `rule` (checks/rules/schema.cc).
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
  bool server_metadata = false;  // metadata has uid, creationTimestamp or resourceVersion: read back
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
  // The root mapping; once the trees are released, the model's copy: its position, no children.
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

  // Whether this exists before `other` is applied: context objects already; input in order.
  bool exists_before(const Object& other) const {
    return context ? true : !other.context && order() < other.order();
  }

 private:
  std::string_view api_version_, kind_;
};

// The alternative of Spec that holds a T (Spec's size when none does).
template <class T, class... Ts> constexpr size_t spec_index_of(const std::variant<Ts...>*) {
  constexpr bool kMatches[] = {std::is_same_v<Ts, std::unique_ptr<T>>...};
  for (size_t i = 0; i < sizeof...(Ts); ++i)
    if (kMatches[i]) return i;
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
  // The model's copies of the tree nodes it points at (schema/model_arena.h), one per decoder thread.
  std::vector<std::unique_ptr<Arena>> arenas;
  std::vector<Object> objects;
  // kustomize patches (RawObject::patch): fragments, validated but never linked or checked.
  std::vector<Object> patches;
  // The objects whose spec decoded as a T (Service, PersistentVolume, …), in input order. A rule
  // about one kind walks its list: a pass over every object of a large tree reads more than the
  // cache holds, and eleven rules and the binder each made one.
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
  const api::Schema* release = &api::embedded_schema();  // the target release (--kubernetes-version)
  const api::Schema* upgrade_to = nullptr;  // and what an upgrade to this one breaks (--upgrade-to)
  // A model of a few hundred objects (a kustomize root): ordinary pages, not zeroed huge pages.
  bool small = false;
};

// Whether a kind has no namespace (Namespace, PersistentVolume, StorageClass, ClusterRole, …).
bool is_cluster_scoped(std::string_view group, std::string_view kind);

}  // namespace kmc::schema
