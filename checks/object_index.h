#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "schema/model.h"

namespace kmc::checks {
using schema::Object;

// An object's identity in the cluster: what `kubectl apply` updates in place.
struct ObjectIdentity {
  std::string_view group, kind, ns, name;

  static ObjectIdentity of(const Object& o) { return {o.group(), o.kind(), o.ns, o.name()}; }
  bool operator==(const ObjectIdentity&) const = default;
};

// The objects of a model by identity, the first of each in model order. A slot holds an object
// number and a hash fragment, 8 bytes; the key is read from the object itself. Keyed by a copy
// of its four names, the index took 56 bytes an object, and duplicate-object built a second one
// of 80: on a large tree both outgrew the cache that the linker and the rules share.
class ObjectIndex {
 public:
  // `objects` must outlive the index and not change; a vector moved elsewhere keeps its buffer.
  void build(const std::vector<Object>& objects);

  // The first object with this identity, or null.
  const Object* find(const ObjectIdentity& id) const;
  // The first object with the identity of `o`, an object of the indexed model: `o` itself
  // unless it repeats an earlier one (found without comparing names when it is `o`).
  const Object* first(const Object& o) const;
  // The numbers of the objects that repeat an earlier object's identity, in model order: found
  // while building, so that schema/duplicate-object need not probe for every object again.
  const std::vector<uint32_t>& repeats() const { return repeats_; }
  // Whether a later object repeats the identity of `first` (the first of its identity): two
  // projects' ConfigMaps of one name, say, of which kmc cannot tell which a pod meets.
  bool repeated(const Object& first) const;

 private:
  struct Slot {
    uint32_t tag;     // high half of the hash
    uint32_t object;  // object number + 1; 0 for an empty slot
  };
  static uint64_t hash(const ObjectIdentity& id);
  const Object* probe(const ObjectIdentity& id, const Object* self) const;

  const Object* objects_ = nullptr;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<uint32_t> repeats_;
  std::vector<uint32_t> repeated_;  // the numbers of the firsts that repeats_ repeat (sorted, each once)
};

}  // namespace kmc::checks
