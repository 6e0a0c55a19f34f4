#pragma once
#include <memory>
#include <vector>

#include "parser/load.h"
#include "schema/model.h"
#include "schema/model_decoder.h"
#include "schema/model_arena.h"
#include "schema/validate.h"

namespace kmc::driver {
using parser::LoadBatch;
using parser::LoadResult;
using schema::Model;
using schema::ModelDecoder;
using schema::ModelValidator;
using schema::NodeKeeper;

struct AnalysisOptions;

// Builds the model from the loaded objects, batch by batch as a streaming load hands them over
// (LoadOptions::on_batch), and lets each batch's parse trees and files' bytes go once its
// objects are decoded and validated: the model keeps copies of the nodes it points at and of
// their text (schema/model_arena.h), so the trees and files (most of a large run's memory) are
// never all in memory at once, nor beside the whole model.
//
// An object whose kind the embedded API schema does not know (a custom resource, most likely)
// waits until finish(), when every CustomResourceDefinition of the run is known, on a whole copy
// of its tree; so do the CRDs' own trees. Without on_batch, finish() builds everything.
class ModelBuilder {
 public:
  explicit ModelBuilder(const AnalysisOptions& options);
  ~ModelBuilder();
  ModelBuilder(const ModelBuilder&) = delete;
  ModelBuilder& operator=(const ModelBuilder&) = delete;

  // Decodes and validates the objects of a batch (LoadBatch), in input order.
  void add(LoadResult& input, const LoadBatch& batch);
  // Adds what no batch handed over (load_text, a load without on_batch), validates the objects
  // that waited, lets the rest of the trees and files go, and returns the model.
  Model finish(LoadResult& input);

  double decode_seconds() const { return decode_s_; }
  double schema_seconds() const { return schema_s_; }

 private:
  struct Batch;
  bool release() const;
  void add_range(LoadResult& input, ModelValidator& validator, Batch& batch, size_t begin, size_t end);

  const AnalysisOptions& options_;
  unsigned worker_count_;
  std::unique_ptr<ModelDecoder> decoder_;
  size_t added_ = 0;  // objects of LoadResult::objects handed to the decoder
  size_t node_arenas_seen_ = 0, source_arenas_seen_ = 0;
  std::vector<size_t> waiting_;  // objects validated in finish(), by index
  std::vector<size_t> kept_whole_;  // objects whose trees stay until finish(): those and the CRDs
  std::unique_ptr<Arena> waiting_trees_;  // their copies
  std::unique_ptr<NodeKeeper> waiting_keeper_;
  double decode_s_ = 0, schema_s_ = 0;
};

}  // namespace kmc::driver
