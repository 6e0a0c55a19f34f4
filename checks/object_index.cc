#include "checks/object_index.h"

#include <algorithm>

#include "core/flat_map.h"

namespace kmc::checks {
using schema::Object;

uint64_t ObjectIndex::hash(const ObjectIdentity& id) {
  return hash_string(id.name, hash_string(id.ns, hash_string(id.kind, hash_string(id.group))));
}

void ObjectIndex::build(const std::vector<Object>& objects) {
  objects_ = objects.data();
  size_t n = 16;
  while (n < objects.size() * 2) n *= 2;  // at most half full: probes stay short
  slots_.assign(n, Slot{0, 0});
  repeats_.clear();
  repeated_.clear();
  mask_ = n - 1;
  // Hashed in one pass, inserted in another. The objects and their names stream through the
  // cache; interleaved with the inserts, they evicted the slots the inserts probe at random, and
  // the build grew faster than linearly with the tree; now no faster than a plain pass over the
  // objects (docs/performance.md, "Measurements behind the code").
  std::vector<uint64_t> hashes(objects.size());
  for (uint32_t i = 0; i < objects.size(); ++i) hashes[i] = hash(ObjectIdentity::of(objects[i]));
  for (uint32_t i = 0; i < objects.size(); ++i) {
    uint64_t h = hashes[i];
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      Slot& slot = slots_[s];
      if (slot.object == 0) {
        slot = {tag, i + 1};
        break;
      }
      if (slot.tag == tag && ObjectIdentity::of(objects_[slot.object - 1]) == ObjectIdentity::of(objects[i])) {
        repeats_.push_back(i);
        repeated_.push_back(slot.object - 1);
        break;
      }
    }
  }
  std::sort(repeated_.begin(), repeated_.end());
  repeated_.erase(std::unique(repeated_.begin(), repeated_.end()), repeated_.end());
}

bool ObjectIndex::repeated(const Object& first) const {
  return std::binary_search(repeated_.begin(), repeated_.end(), static_cast<uint32_t>(&first - objects_));
}

const Object* ObjectIndex::find(const ObjectIdentity& id) const { return probe(id, nullptr); }

const Object* ObjectIndex::first(const Object& o) const { return probe(ObjectIdentity::of(o), &o); }

const Object* ObjectIndex::probe(const ObjectIdentity& id, const Object* self) const {
  if (slots_.empty()) return nullptr;
  uint64_t h = hash(id);
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  for (size_t s = h & mask_;; s = (s + 1) & mask_) {
    const Slot& slot = slots_[s];
    if (slot.object == 0) return nullptr;
    const Object& o = objects_[slot.object - 1];
    if (slot.tag == tag && (&o == self || ObjectIdentity::of(o) == id)) return &o;
  }
}

}  // namespace kmc::checks
