#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
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

struct LoadOptions {
  LoaderLimits limits;
  unsigned jobs = 1;         // files parsed in parallel
  std::string stdin_name = "<stdin>";
  std::vector<std::string> exclude;  // globs (.kmc.yaml `exclude`)
};

struct LoadResult {
  SourceSet sources;
  std::vector<std::unique_ptr<Arena>> arenas;  // own every document and node
  std::vector<const Document*> documents;
  std::vector<RawObject> objects;   // in apply order
  std::vector<const Document*> kustomizations;  // kustomization.yaml files: build files, not objects
  std::vector<Finding> findings;    // syntax/* findings
  std::vector<std::string> errors;  // I/O errors (missing path, unreadable file): exit code 2
  uint64_t bytes = 0;
};

// Expands paths the way `kubectl apply -R -f` does: arguments in order, directories recursively
// in lexical order (only .yaml, .yml and .json files; symlinked directories are not followed,
// so a link loop cannot trap the walk), `-` for standard input.
// Files matching an `exclude` glob (whole path or any tail after a '/') are left out.
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                       const std::vector<std::string>& exclude = {});

LoadResult load_inputs(const std::vector<std::string>& paths, const LoadOptions& options);

// Appends more paths to a load. `context` marks them as objects that already exist in the
// cluster (`--context`): linked against, never reported on, and not counted in the summary.
void load_paths(LoadResult* into, const std::vector<std::string>& paths, const LoadOptions& options, bool context);

// Loads in-memory text as if it were a file named `name` (tests, stdin, the config's cluster).
void load_text(LoadResult* into, std::string name, std::string content, const LoadOptions& options,
               bool context = false);

// Splits a document into objects, expanding `kind: List`; reports `syntax/not-an-object`.
void extract_objects(const Document& doc, std::vector<RawObject>* objects, std::vector<Finding>* findings);

}  // namespace kmc
