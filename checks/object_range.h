#pragma once
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "checks/topology.h"
#include "schema/model.h"

namespace kmc {

// A run of consecutive objects of the model (numbers [begin, end) of Model::objects): what one
// call of a rule about single objects checks (Rule::run_on_range). The rules run range by range,
// every rule on a range before the next range, so that a range's objects are read from the cache
// by all rules but the first: rule by rule over a large tree, each rule read every object from
// memory again (bench/: the simulated last-level cache misses of the rules grew x10 from 50 000 to
// 200 000 objects, where the objects outgrow the cache).
//
// Every list a rule walks is in input order, so a range picks a contiguous slice of each.
class ObjectRange {
 public:
  ObjectRange(const Model& model, uint32_t begin, uint32_t end) : model_(&model), begin_(begin), end_(end) {}
  static ObjectRange all(const Model& model) { return {model, 0, static_cast<uint32_t>(model.objects.size())}; }

  uint32_t begin() const { return begin_; }
  uint32_t end() const { return end_; }
  bool contains(const Object& o) const {
    const Object* first = model_->objects.data();
    return std::less_equal<const Object*>()(first + begin_, &o) && std::less<const Object*>()(&o, first + end_);
  }

  // The range's objects whose spec decoded as a T, as Model::of<T>.
  template <class T> SpecSubset<T> of() const {
    std::span<const uint32_t> all = model_->of<T>().numbers();
    auto from = std::lower_bound(all.begin(), all.end(), begin_);
    auto to = std::lower_bound(from, all.end(), end_);
    return SpecSubset<T>(ObjectSubset(model_->objects, all.subspan(from - all.begin(), to - from)));
  }
  std::span<const ServiceLinks> services(const Topology& t) const {
    return slice(t.services, [](const ServiceLinks& s) { return s.object; });
  }
  std::span<const PodSource> pod_sources(const Topology& t) const {
    return slice(t.pod_sources, [](const PodSource& p) { return p.object; });
  }
  std::span<const IngressLink> ingress_links(const Topology& t) const {
    return slice(t.ingress_links, [](const IngressLink& l) { return l.ingress; });
  }
  // Uses are in the order of their pod sources.
  std::span<const ServiceVariableUse> variable_uses(const Topology& t) const { return uses(t, t.variable_uses); }
  std::span<const DnsNameUse> dns_uses(const Topology& t) const { return uses(t, t.dns_uses); }

 private:
  // The elements of `list`, sorted by their object's place in the model, whose object is in range.
  template <class T, class ObjectOf> std::span<const T> slice(const std::vector<T>& list, ObjectOf object_of) const {
    const Object* first = model_->objects.data();
    auto number = [&](const T& e) { return static_cast<uint32_t>(object_of(e) - first); };
    auto from = std::partition_point(list.begin(), list.end(), [&](const T& e) { return number(e) < begin_; });
    auto to = std::partition_point(from, list.end(), [&](const T& e) { return number(e) < end_; });
    return {list.data() + (from - list.begin()), static_cast<size_t>(to - from)};
  }
  template <class Use> std::span<const Use> uses(const Topology& t, const std::vector<Use>& list) const {
    std::span<const PodSource> sources = pod_sources(t);
    uint32_t lo = static_cast<uint32_t>(sources.data() - t.pod_sources.data());
    uint32_t hi = lo + static_cast<uint32_t>(sources.size());
    auto from = std::partition_point(list.begin(), list.end(), [&](const Use& u) { return u.pod_source < lo; });
    auto to = std::partition_point(from, list.end(), [&](const Use& u) { return u.pod_source < hi; });
    return {list.data() + (from - list.begin()), static_cast<size_t>(to - from)};
  }

  const Model* model_;
  uint32_t begin_, end_;
};

}  // namespace kmc
