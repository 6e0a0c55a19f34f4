#include "checks/object_range.h"

#include <algorithm>

namespace kmc::checks {
using schema::Model;
using schema::Object;

ObjectRanges::ObjectRanges(const Model& model, const Topology& t, uint32_t per_range) {
  const size_t objects = model.objects.size();
  const size_t step = std::max<uint32_t>(per_range, 1);
  for (size_t begin = 0; begin < objects; begin += step) {
    ObjectRange r;
    r.model_ = &model;
    r.begin_ = static_cast<uint32_t>(begin);
    r.end_ = static_cast<uint32_t>(std::min(objects, begin + step));
    ranges_.push_back(r);
  }
  whole_.model_ = &model;
  whole_.end_ = static_cast<uint32_t>(objects);
  for (size_t spec = 0; spec < model.by_spec.size(); ++spec) whole_.specs_[spec] = model.by_spec[spec];
  whole_.services_ = t.services;
  whole_.pod_sources_ = t.pod_sources;
  whole_.ingress_links_ = t.ingress_links;
  whole_.variable_uses_ = t.variable_uses;
  whole_.dns_uses_ = t.dns_uses;
  const Object* first = model.objects.data();
  auto number = [first](const Object* o) { return static_cast<uint32_t>(o - first); };
  for (size_t spec = 0; spec < model.by_spec.size(); ++spec)
    cut<uint32_t>(model.by_spec[spec], [](uint32_t n) { return n; },
                  [spec](ObjectRange& r, std::span<const uint32_t> s) { r.specs_[spec] = s; });
  auto slice_of = [&](auto member) { return [member](ObjectRange& r, auto s) { r.*member = s; }; };
  cut<ServiceLinks>(t.services, [&](const ServiceLinks& s) { return number(s.object); },
                    slice_of(&ObjectRange::services_));
  cut<PodSource>(t.pod_sources, [&](const PodSource& p) { return number(p.object); },
                 slice_of(&ObjectRange::pod_sources_));
  cut<IngressLink>(t.ingress_links, [&](const IngressLink& l) { return number(l.ingress); },
                   slice_of(&ObjectRange::ingress_links_));
  // Uses are in the order of their pod sources.
  auto source = [&](uint32_t pod_source) { return number(t.pod_sources[pod_source].object); };
  cut<ServiceVariableUse>(t.variable_uses, [&](const ServiceVariableUse& u) { return source(u.pod_source); },
                          slice_of(&ObjectRange::variable_uses_));
  cut<DnsNameUse>(t.dns_uses, [&](const DnsNameUse& u) { return source(u.pod_source); },
                  slice_of(&ObjectRange::dns_uses_));
}

}  // namespace kmc::checks
