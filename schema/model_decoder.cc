#include "schema/model_decoder.h"

#include <algorithm>
#include <cstdlib>

namespace kmc::schema {
using parser::RawObject;

// Every object decodes on its own, in any order, and the model takes them in input order. The
// lists grow as objects are added, so a large tree's objects are touched as they are decoded,
// while the parse trees are released, not all before the first.
ModelDecoder::ModelDecoder(const ModelOptions& options, bool context, unsigned workers,
                           const SourceSet* copy_text_from)
    : options_(options), context_(context) {
  for (unsigned w = 0; w < std::max(workers, 1u); ++w) {
    model_.arenas.push_back(options.small ? std::make_unique<Arena>(Arena::kHugePage, false) : std::make_unique<Arena>());
    keepers_.emplace_back(model_.arenas.back().get(), copy_text_from);
  }
}

void ModelDecoder::set_sources(const SourceSet* copy_text_from) {
  for (NodeKeeper& k : keepers_) k.set_sources(copy_text_from);
}

Object ModelDecoder::decode(const RawObject& raw, unsigned worker) {
  return decode_object(&keepers_[worker], raw, options_, context_);
}

std::vector<Object*> ModelDecoder::make_room(const RawObject* raw, size_t count) {
  size_t patches = 0;
  for (size_t i = 0; i < count; ++i) patches += raw[i].patch;
  size_t o = model_.objects.size(), p = model_.patches.size();
  model_.objects.resize(o + count - patches);
  model_.patches.resize(p + patches);
  std::vector<Object*> places(count);
  for (size_t i = 0; i < count; ++i) places[i] = raw[i].patch ? &model_.patches[p++] : &model_.objects[o++];
  return places;
}

std::vector<Object*> ModelDecoder::point_at(std::vector<RawObject>& raw) {
  std::vector<Object*> out;
  out.reserve(raw.size());
  size_t o = 0, p = 0;
  for (RawObject& r : raw) {
    std::vector<Object>& list = r.patch ? model_.patches : model_.objects;
    size_t& at = r.patch ? p : o;
    if (at == list.size()) std::abort();  // every object was added
    Object& object = list[at++];
    object.raw = &r;
    out.push_back(&object);
  }
  return out;
}

std::vector<NodeKeeper::Lines> ModelDecoder::take_lines() {
  std::vector<NodeKeeper::Lines> out;
  for (NodeKeeper& k : keepers_) {
    std::vector<NodeKeeper::Lines> lines = k.take_lines();
    out.insert(out.end(), lines.begin(), lines.end());
  }
  return out;
}

Model ModelDecoder::finish() {
  Model& m = model_;
  for (uint32_t i = 0; i < m.objects.size(); ++i) {
    const Object& o = m.objects[i];
    if (o.spec.index() != 0) m.by_spec[o.spec.index()].push_back(i);
    else if (o.group().empty() && o.kind() == "Namespace") m.namespace_numbers.push_back(i);
  }
  return std::move(m);
}

Model decode_model(const std::vector<RawObject>& raw, const ModelOptions& options, bool context, const Workers& workers) {
  constexpr size_t kGrain = 256;
  ModelDecoder decoder(options, context, workers.workers_for(raw.size(), kGrain));
  std::vector<Object*> places = decoder.make_room(raw.data(), raw.size());
  workers.parallel_for(raw.size(), kGrain, [&](size_t i, unsigned worker) { *places[i] = decoder.decode(raw[i], worker); });
  return decoder.finish();
}

}  // namespace kmc::schema
