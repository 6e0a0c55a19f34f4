#include "driver/model_builder.h"

#include <algorithm>
#include <chrono>

#include "checks/analysis.h"
#include "driver/pipeline.h"
#include "core/parallel.h"
#include "parser/release.h"
#include "schema/validate.h"

namespace kmc::driver {
using parser::LoadBatch;
using parser::LoadResult;
using parser::RawObject;
using parser::SourceRelease;
using parser::TreeRelease;
using schema::Model;
using schema::ModelDecoder;
using schema::ModelValidator;
using schema::NodeKeeper;
using schema::Object;
using schema::is_crd;
using schema::list_objects_with_issues;
using schema::validates_without_crds;

namespace {
constexpr size_t kGrain = 256, kRange = 2048;
}  // namespace

// A batch's releasers.
struct ModelBuilder::Batch {
  Batch(LoadResult* input, const LoadBatch& b)
      : trees(input, b.node_arenas_begin, b.objects_begin),
        files(input, b.source_arenas_begin, b.objects_begin, b.files_begin) {}
  TreeRelease trees;
  SourceRelease files;
};

ModelBuilder::ModelBuilder(const AnalysisOptions& options)
    : options_(options), worker_count_(options.workers->jobs()), waiting_trees_(std::make_unique<Arena>()) {}

ModelBuilder::~ModelBuilder() = default;

bool ModelBuilder::release() const { return !options_.keep_trees; }

void ModelBuilder::add(LoadResult& input, const LoadBatch& batch) {
  if (!decoder_)
    decoder_ = std::make_unique<ModelDecoder>(options_.model, false, worker_count_, release() ? &input.sources : nullptr);
  decoder_->set_sources(release() ? &input.sources : nullptr);
  // As many objects as the bytes read so far promise for all the bytes, and a half more (no
  // object takes fewer than 16 bytes of YAML).
  if (batch.bytes_read > 0 && batch.objects_end > 0)
    decoder_->reserve(std::min<size_t>(batch.bytes_total / 16,
                                       static_cast<size_t>(1.5 * static_cast<double>(batch.objects_end) *
                                                           static_cast<double>(batch.bytes_total) /
                                                           static_cast<double>(batch.bytes_read))));
  if (release()) waiting_keeper_ = std::make_unique<NodeKeeper>(waiting_trees_.get(), &input.sources);
  Batch releases(&input, batch);
  // The validator of a batch knows no CRD: the objects it validates are those whose validation
  // none could change; the others wait.
  ModelValidator validator(options_.model, {}, nullptr, input.sources, worker_count_);
  for (size_t begin = batch.objects_begin; begin < batch.objects_end; begin += kRange)
    add_range(input, validator, releases, begin, std::min(batch.objects_end, begin + kRange));
  added_ = batch.objects_end;
  node_arenas_seen_ = input.memory.nodes.size();
  source_arenas_seen_ = input.memory.source.size();
}

// Decodes and validates a range of objects, and lets each region of the trees and of the files
// go once the objects in it are done with. The objects that wait, and the CRDs they wait for,
// take whole copies of their trees, so that no region stays for them: on a repository of
// operators, with custom resources in every directory, that kept every region.
void ModelBuilder::add_range(LoadResult& input, ModelValidator& validator, Batch& batch, size_t begin, size_t end) {
  std::vector<RawObject>& raw = input.objects;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Object*> decoded = decoder_->make_room(&raw[begin], end - begin);
  options_.workers->parallel_for(end - begin, kGrain,
               [&](size_t k, unsigned worker) { *decoded[k] = decoder_->decode(raw[begin + k], worker); });
  auto t1 = std::chrono::steady_clock::now();
  // What an object waits for: nothing, the CRDs (to be validated), or the custom resources
  // (a CRD: every waiting object validates against its tree).
  enum Wait : char { Ready, ForCrds, Crd };
  std::vector<char> waits(end - begin, Ready);
  options_.workers->parallel_for(end - begin, kGrain, [&](size_t k, unsigned worker) {
    Object& o = *decoded[k];
    RawObject& r = raw[begin + k];
    if (!validates_without_crds(o, *options_.model.release)) {
      waits[k] = ForCrds;
      return;
    }
    validator.validate(o, r.patch, worker);
    if (!release()) return;
    if (is_crd(r)) {
      waits[k] = Crd;
      return;
    }
    r.root = decoder_->keep_root(r.root, worker);
    r.api_version = o.api_version();
    r.kind = o.kind();
  });
  for (size_t k = 0; k < end - begin; ++k) {
    if (waits[k] == Ready) continue;
    if (waits[k] == ForCrds) waiting_.push_back(begin + k);
    if (release()) {
      RawObject& r = raw[begin + k];
      kept_whole_.push_back(begin + k);
      r.root = waiting_keeper_->whole(r.root);
      r.api_version = decoded[k]->api_version();
      r.kind = decoded[k]->kind();
      waiting_keeper_->take_lines();  // the model's own copies ask for the lines rules read
    }
  }
  auto t2 = std::chrono::steady_clock::now();
  if (release()) {
    for (const NodeKeeper::Lines& l : decoder_->take_lines()) batch.files.keep_lines(l.file, l.first, l.last);
    batch.trees.done_through(end);
    batch.files.done_through(end);
  }
  decode_s_ += std::chrono::duration<double>(t1 - t0).count();
  schema_s_ += std::chrono::duration<double>(t2 - t1).count();
}

Model ModelBuilder::finish(LoadResult& input) {
  if (!decoder_ || added_ < input.objects.size())
    add(input, {added_, input.objects.size(), node_arenas_seen_, source_arenas_seen_});
  auto t0 = std::chrono::steady_clock::now();
  decoder_->set_sources(release() ? &input.sources : nullptr);
  std::vector<RawObject>& raw = input.objects;
  std::vector<Object*> objects = decoder_->point_at(raw);
  // The model's own CRD objects: their roots are still whole trees (copies, once released).
  std::vector<const Object*> crds;
  for (size_t i = 0; i < raw.size(); ++i)
    if (is_crd(raw[i])) crds.push_back(objects[i]);
  ModelValidator validator(options_.model, crds, options_.crds, input.sources, worker_count_);
  options_.workers->parallel_for(waiting_.size(), kGrain, [&](size_t k, unsigned worker) {
    size_t i = waiting_[k];
    validator.validate(*objects[i], raw[i].patch, worker);
  });
  if (release()) {
    // Validation is done with the CRDs' trees and the waiting objects': they stand on copies too,
    // and the trees and files they kept go.
    for (size_t i : kept_whole_) {
      RawObject& r = raw[i];
      r.root = decoder_->keep_root(r.root, 0);
      r.api_version = objects[i]->api_version();
      r.kind = objects[i]->kind();
    }
    decoder_->take_lines();  // every file is released by now
  }
  schema_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Model model = decoder_->finish();
  // Neither its tables of short texts (2 MiB a thread) nor the waiting trees are the model's.
  decoder_.reset();
  waiting_keeper_.reset();
  waiting_trees_ = std::make_unique<Arena>();
  list_objects_with_issues(&model);
  return model;
}

}  // namespace kmc::driver
