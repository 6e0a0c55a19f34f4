#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/parallel.h"
#include "core/source.h"
#include "parser/node.h"
#include "parser/yaml_loader.h"

namespace kmc {

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
};

struct LoadResult;

// What a streaming load hands over after each batch of files: its objects, and the arenas that
// hold its parse trees and its files' bytes (to the end of LoadResult::node_arenas and
// source_arenas).
struct LoadBatch {
  size_t objects_begin, objects_end;
  size_t node_arenas_begin, source_arenas_begin;
  uint64_t bytes_read = 0, bytes_total = 0;  // of this load's files, through this batch and in all
  size_t files_begin = 0;  // the batch's files are SourceSet's from here on
};

struct LoadOptions {
  LoaderLimits limits;
  const Workers* workers = &Workers::serial();  // the run's threads, which parse files in parallel
  std::string stdin_name = "<stdin>";
  std::vector<std::string> exclude;  // globs (.kmc.yaml `exclude`)
  // Set, the files are read in batches of about `batch_bytes`, and each batch is handed over
  // once collected: analysis builds the model from it and lets its trees and bytes go before
  // the next batch is read (checks/analysis.h, ModelBuilder). kustomization files are read first.
  std::function<void(LoadResult&, const LoadBatch&)> on_batch;
  uint64_t batch_bytes = 4u << 20;
};

struct LoadResult {
  SourceSet sources;
  std::vector<std::unique_ptr<Arena>> arenas;  // the documents, copied scalar text, kept lines
  // The files' bytes (SourceFile::content). The model builder (driver/model_builder.h) releases
  // these region by region too, as the model, which copies the text it keeps, is built from them
  // (SourceFile::release_content).
  std::vector<std::unique_ptr<Arena>> source_arenas;
  // The parse trees' nodes, but for kustomizations' (in `arenas`: a streaming load reads them
  // first and keeps them). The model keeps copies of what it uses (schema/model_arena.h), and the model
  // builder releases these region by region once the objects in them are decoded and validated;
  // from then on RawObject::root is the model's copy of the root, and Document::root dangles.
  std::vector<std::unique_ptr<Arena>> node_arenas;
  // The lines a released file keeps (SourceRelease). An arena of their own: the parse of the
  // next batch allocates in `arenas` while the model builder releases this one's files.
  std::unique_ptr<Arena> kept_lines = std::make_unique<Arena>(Arena::kHugePage, false);
  std::vector<const Document*> documents;
  std::vector<RawObject> objects;   // in apply order
  std::vector<const Document*> kustomizations;  // kustomization.yaml files: build files, not objects
  std::vector<Finding> findings;    // syntax/* findings
  std::vector<std::string> errors;  // I/O errors (missing path, unreadable file): exit code 2
  // Entries a directory walk left out on purpose (a symlink pointing outside the directory, a
  // FIFO or a device named *.yaml): said on stderr, not an error.
  std::vector<std::string> notices;
  size_t skipped_charts = 0;  // Helm charts a walk left out (their directories hold Chart.yaml)
  uint64_t bytes = 0;
  uint64_t chunks_reused = 0;  // chunks of released trees and files that later batches mapped again
};

// Expands paths the way `kubectl apply -R -f` does: arguments in order, directories recursively
// in lexical order (only .yaml, .yml and .json files; symlinked directories are not followed,
// so a link loop cannot trap the walk), `-` for standard input. Only regular files are read: a
// walk skips FIFOs, sockets, devices and file symlinks whose target is outside the directory
// given (LoadResult::notices), and a named one that is not a file is an error. A walk leaves out
// Helm charts (a directory with Chart.yaml), and a file it found that is no manifest (no
// document with `apiVersion` or `kind`: SourceFile::skipped) is read but yields nothing.
// Files matching an `exclude` glob (whole path or any tail after a '/') are left out. The walk
// runs on up to `jobs` threads and gives the same list as on one.
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                       const std::vector<std::string>& exclude = {},
                                       const Workers& workers = Workers::serial());

// Whether `path` matches one of the `exclude` globs: the whole path, or any tail of it after a
// '/' (`vendor/*` and `*_test.yaml` work wherever the tree starts); `*` also matches '/'.
bool excluded(const std::string& path, const std::vector<std::string>& patterns);

LoadResult load_inputs(const std::vector<std::string>& paths, const LoadOptions& options);

// Appends more paths to a load. `context` marks them as objects that already exist in the
// cluster (`--context`): linked against, never reported on, and not counted in the summary.
void load_paths(LoadResult* into, const std::vector<std::string>& paths, const LoadOptions& options, bool context);

// Loads in-memory text as if it were a file named `name` (tests, stdin, the config's cluster).
void load_text(LoadResult* into, std::string name, std::string content, const LoadOptions& options,
               bool context = false);

// A region of an arena that TreeRelease or SourceRelease lets go once its objects are done with.
struct ReleasableRegion {
  Arena* arena;
  size_t index;  // in the arena's regions()
  const char* begin;
  size_t size;
  size_t objects_end = 0;  // one past the last object with nodes or bytes here (0: none)
  bool released = false;
};

// Lets go of the parse trees' memory as analysis is done with the objects in it (ModelBuilder):
// each region of LoadResult::node_arenas (from `arenas_begin` on: a batch's) is released once
// every object whose nodes lie in it is done with. Objects are done with in input order.
class TreeRelease {
 public:
  // Objects before `objects_begin` have no nodes in those arenas (an earlier batch's).
  explicit TreeRelease(LoadResult* input, size_t arenas_begin = 0, size_t objects_begin = 0);
  void done_through(size_t end);  // objects [0, end) of LoadResult::objects are done with
  size_t bytes_released() const { return released_; }

 private:
  using Region = ReleasableRegion;
  Region* region_of(const RawObject& o);
  std::vector<Region> regions_;  // by address
  size_t released_ = 0;
};

// Lets go of the files' bytes likewise: each region of LoadResult::source_arenas (from
// `arenas_begin` on) once every object of every file in it is done with. Each file released
// keeps the lines asked for and those of its `kmc:ignore` comments (SourceFile::release_content).
// Only files from `files_begin` on can have bytes in those regions: a batch's releaser looks at
// the batch's files, not at every file read so far (that made the batches' cost grow with the
// square of the files).
class SourceRelease {
 public:
  explicit SourceRelease(LoadResult* input, size_t arenas_begin = 0, size_t objects_begin = 0, size_t files_begin = 0);
  void keep_lines(uint32_t file, uint32_t first, uint32_t last);
  void done_through(size_t end);  // objects [0, end) of LoadResult::objects are done with

 private:
  struct Region : ReleasableRegion {
    std::vector<uint32_t> files;  // whose bytes lie here
  };
  Region* region_of(uint32_t file);
  size_t files_begin_;
  std::vector<SourceFile*> files_;  // files files_begin_, files_begin_ + 1, …; stable (SourceSet holds them by pointer)
  Arena* kept_lines_;
  std::vector<Region> regions_;  // by address
  std::vector<std::vector<uint32_t>> keep_;  // lines to keep, as files_
};

// Splits a document into objects, expanding `kind: List`; reports `syntax/not-an-object`.
void extract_objects(const Document& doc, std::vector<RawObject>* objects, std::vector<Finding>* findings);

}  // namespace kmc
