#pragma once
#include <cstddef>
#include <vector>

#include "core/parallel.h"
#include "core/source.h"
#include "parser/load.h"
#include "schema/model.h"
#include "schema/model_arena.h"

namespace kmc::schema {
using parser::Node;
using parser::RawObject;

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

// Decodes one object's tree into the model, every node it stores copied by `keeper` (schema/decode.cc).
Object decode_object(NodeKeeper* keeper, const RawObject& raw, const ModelOptions& options, bool context);

// Decodes every raw object into the typed model, on the run's threads.
Model decode_model(const std::vector<RawObject>& raw, const ModelOptions& options, bool context = false,
                   const Workers& workers = Workers::serial());

}  // namespace kmc::schema
