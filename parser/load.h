#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/parallel.h"
#include "core/source.h"
#include "parser/helm_sources.h"
#include "parser/node.h"
#include "parser/yaml_loader.h"

namespace kmc::parser {

// One top-level object as kubectl would send it: a document's root mapping, or one item of a
// `kind: List`. Knows nothing of Kubernetes beyond the two keys that identify every object.
struct RawObject {
  const Node* root = nullptr;
  const Document* doc = nullptr;
  uint32_t file = 0;
  uint32_t order = 0;  // index in apply order over the whole run
  bool context = false;  // from --context: already in the cluster
  std::string_view api_version;
  std::string_view kind;
  bool patch = false;  // a fragment a kustomization patches into an object (parser/kustomize.h)
  bool completed_by_kustomize = false;  // kustomize adds its selector and labels (commonLabels)
  // Rendered from a kustomization (kustomize/): `root` is a tree no file holds as it is, and
  // `doc` is null; `file` is the file of the resource it was rendered from.
  bool rendered = false;
  // Rendered into another namespace than its resource file's (kustomize's `namespace:`): the
  // namespace it had there ("default" when the file named none), for the names that still say it.
  std::string_view moved_from_ns;
};

struct LoadResult;

// What a streaming load hands over after each batch of files: its objects, and the arenas that
// hold its parse trees and its files' bytes (to the end of LoadMemory::nodes and source).
struct LoadBatch {
  size_t objects_begin, objects_end;
  size_t node_arenas_begin, source_arenas_begin;
  uint64_t bytes_read = 0, bytes_total = 0;  // of this load's files, through this batch and in all
  size_t files_begin = 0;  // the batch's files are SourceSet's from here on
  // The load has kustomization files (they are collected with their batch, but known from the
  // first): a run that renders them keeps every tree (driver/views.h).
  bool kustomizations = false;
};

// Texts read in place of the files at their paths (a language server's open, unsaved editor
// buffers), by absolute, lexically normal path (core/paths.h, absolute_path).
using SourceBuffers = std::map<std::string, std::string, std::less<>>;

struct LoadOptions {
  LoaderLimits limits;
  const SourceBuffers* buffers = nullptr;  // may be null
  const Workers* workers = &Workers::serial();  // the run's threads, which parse files in parallel
  std::string stdin_name = "<stdin>";
  std::vector<std::string> exclude;  // globs (.kmc.yaml `exclude`)
  // Set, the files are read in batches of about `batch_bytes`, and each batch is handed over
  // once collected: analysis builds the model from it and lets its trees and bytes go before
  // the next batch is read (checks/analysis.h, ModelBuilder). kustomization files are read first.
  std::function<void(LoadResult&, const LoadBatch&)> on_batch;
  uint64_t batch_bytes = 4u << 20;
};

// The memory a load's documents, parse trees and files' bytes live in: the one owner of it, and
// the one place that says how long each part lives.
struct LoadMemory {
  // Where the arenas below put the chunks they release, for the next batches' arenas: declared
  // before them, it outlives them. Open while a load runs (parser/load.cc).
  std::unique_ptr<ChunkCache> chunk_cache = std::make_unique<ChunkCache>(Arena::kHugePage, 8);
  // The documents, copied scalar text and the kustomizations' trees (a streaming load reads them
  // first and keeps them): for the whole run.
  std::vector<std::unique_ptr<Arena>> text;
  // The files' bytes (SourceFile::content). The model builder (driver/model_builder.h) releases
  // these region by region, as the model, which copies the text it keeps, is built from them
  // (SourceRelease, SourceFile::release_content).
  std::vector<std::unique_ptr<Arena>> source;
  // The other parse trees' nodes. The model keeps copies of what it uses (schema/model_arena.h),
  // and the model builder releases these region by region once the objects in them are decoded
  // and validated (TreeRelease); from then on RawObject::root is the model's copy of the root,
  // and Document::root dangles.
  std::vector<std::unique_ptr<Arena>> nodes;
  // The lines a released file keeps (SourceRelease). An arena of their own: the parse of the
  // next batch allocates in `text` while the model builder releases this one's files.
  std::unique_ptr<Arena> kept_lines = std::make_unique<Arena>(Arena::kHugePage, false);
  uint64_t chunks_reused = 0;  // chunks of released trees and files that later batches mapped again
};

struct LoadResult {
  SourceSet sources;
  LoadMemory memory;
  std::vector<const Document*> documents;
  std::vector<RawObject> objects;   // in apply order
  std::vector<const Document*> kustomizations;  // kustomization.yaml files: build files, not objects
  std::vector<Finding> findings;    // syntax/* findings
  std::vector<std::string> errors;  // I/O errors (missing path, unreadable file): exit code 2
  // Entries a directory walk left out on purpose (a symlink pointing outside the directory, a
  // FIFO or a device named *.yaml): said on stderr, not an error.
  std::vector<std::string> notices;
  size_t skipped_charts = 0;  // Helm charts a walk left out (their directories hold Chart.yaml)
  std::vector<HelmSource> helm_sources;  // `helm template` output's `# Source:` comments, on stdin
  uint64_t bytes = 0;
};

LoadResult load_inputs(const std::vector<std::string>& paths, const LoadOptions& options);

// Appends more paths to a load. `context` marks them as objects that already exist in the
// cluster (`--context`): linked against, never reported on, and not counted in the summary.
void load_paths(LoadResult* into, const std::vector<std::string>& paths, const LoadOptions& options, bool context);

// Loads in-memory text as if it were a file named `name` (tests, stdin, the config's cluster).
void load_text(LoadResult* into, std::string name, std::string content, const LoadOptions& options,
               bool context = false);

// Splits a document into objects, expanding `kind: List`; reports `syntax/not-an-object`.
void extract_objects(const Document& doc, std::vector<RawObject>* objects, std::vector<Finding>* findings);

}  // namespace kmc::parser
