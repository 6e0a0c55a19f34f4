#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "checks/topology.h"
#include "schema/model.h"

namespace kmc::checks {
using schema::kSpecIndex;
using schema::Model;
using schema::ObjectSubset;
using schema::Spec;
using schema::SpecSubset;

// A run of consecutive objects of the model (numbers [begin, end) of Model::objects): what one
// call of a rule about single objects checks (RuleContext::range). The rules run range by range,
// every rule on a range before the next range, so that a range's objects are read from the cache
// by all rules but the first: rule by rule over a large tree, each rule read every object from
// memory again (bench/: the simulated last-level cache misses of the rules grew x10 from 50 000 to
// 200 000 objects, where the objects outgrow the cache).
//
// A range holds its slice of every list a rule walks. Those lists are all in input order, so each
// slice is contiguous, and ObjectRanges finds them all in one pass over each list.
class ObjectRange {
 public:
  uint32_t begin() const { return begin_; }
  uint32_t end() const { return end_; }

  // The range's objects whose spec decoded as a T, as Model::of<T>.
  template <class T> SpecSubset<T> of() const {
    static_assert(kSpecIndex<T> < std::variant_size_v<Spec>, "not a typed spec of the model");
    return SpecSubset<T>(ObjectSubset(model_->objects, specs_[kSpecIndex<T>]));
  }
  std::span<const ServiceLinks> services() const { return services_; }
  std::span<const PodSource> pod_sources() const { return pod_sources_; }
  std::span<const IngressLink> ingress_links() const { return ingress_links_; }
  std::span<const ServiceVariableUse> variable_uses() const { return variable_uses_; }  // by pod source
  std::span<const DnsNameUse> dns_uses() const { return dns_uses_; }                    // by pod source

 private:
  friend class ObjectRanges;
  const Model* model_ = nullptr;
  uint32_t begin_ = 0, end_ = 0;
  std::array<std::span<const uint32_t>, std::variant_size_v<Spec>> specs_;
  std::span<const ServiceLinks> services_;
  std::span<const PodSource> pod_sources_;
  std::span<const IngressLink> ingress_links_;
  std::span<const ServiceVariableUse> variable_uses_;
  std::span<const DnsNameUse> dns_uses_;
};

// The model's objects cut into ranges of `per_range` consecutive objects (the last may be
// shorter; none when the model is empty), and the one range of them all.
class ObjectRanges {
 public:
  ObjectRanges(const Model& model, const Topology& topology, uint32_t per_range);
  size_t size() const { return ranges_.size(); }
  const ObjectRange& operator[](size_t i) const { return ranges_[i]; }
  const ObjectRange& whole() const { return whole_; }  // what a rule of the whole set reads

 private:
  // Hands every range its slice of `list`: the elements whose object number (`number_of`) is
  // in the range. `list` is in the order of those numbers.
  template <class T, class NumberOf, class SetSlice>
  void cut(std::span<const T> list, NumberOf number_of, SetSlice set_slice) {
    size_t at = 0;
    for (ObjectRange& r : ranges_) {
      size_t from = at;
      while (at < list.size() && number_of(list[at]) < r.end_) ++at;
      set_slice(r, list.subspan(from, at - from));
    }
  }

  std::vector<ObjectRange> ranges_;
  ObjectRange whole_;
};

}  // namespace kmc::checks
