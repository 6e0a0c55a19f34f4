#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "checks/analysis.h"
#include "driver/pipeline.h"
#include "driver/views.h"
#include "driver/model_builder.h"
#include "parser/load.h"

namespace kmc::test {
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

// A file's bytes, whole.
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs the whole pipeline on in-memory YAML, as if it were a file named `name`.
inline Analysis analyze_text(std::string yaml, std::string name = "test.yaml") {
  LoadResult input;
  load_text(&input, std::move(name), std::move(yaml), LoadOptions{});
  return analyze(std::move(input), AnalysisOptions{});
}

// The same, keeping the parse trees whole, as `kmc compile` does.
inline Analysis analyze_text_keeping_trees(std::string yaml, std::string name = "test.yaml") {
  LoadResult input;
  load_text(&input, std::move(name), std::move(yaml), LoadOptions{});
  AnalysisOptions options;
  options.keep_trees = true;
  return analyze(std::move(input), options);
}

// Loads and analyses paths as `kmc check` does: the model is built batch by batch as the files
// are read (driver/model_builder.h). The default batch is a file, so that every object whose
// CRD or kustomization comes in a later file meets the case.
inline Analysis load_and_analyze(const std::vector<std::string>& paths, LoadOptions load = {},
                                 const AnalysisOptions& options = {}, uint64_t batch_bytes = 1) {
  ModelBuilder builder(options);
  load.batch_bytes = batch_bytes;
  load.on_batch = [&](LoadResult& input, const LoadBatch& batch) {
    if (!batch.kustomizations) builder.add(input, batch);
  };
  LoadResult input = load_inputs(paths, load);
  if (input.kustomizations.empty()) return analyze(std::move(input), options, &builder);
  load.on_batch = nullptr;
  driver::ViewPlan plan = driver::plan_views(&input, load);
  return analyze_views(std::move(input), std::move(plan.views), options);
}

// The same run with everything read first, then built (and kept whole, with keep_trees).
inline Analysis load_whole_and_analyze(const std::vector<std::string>& paths, LoadOptions load = {},
                                       const AnalysisOptions& options = {}) {
  load.on_batch = nullptr;
  LoadResult input = load_inputs(paths, load);
  if (input.kustomizations.empty()) return analyze(std::move(input), options);
  driver::ViewPlan plan = driver::plan_views(&input, load);
  return analyze_views(std::move(input), std::move(plan.views), options);
}

inline LoadResult load_string(std::string yaml, LoaderLimits limits = {}) {
  LoadResult input;
  LoadOptions options;
  options.limits = limits;
  load_text(&input, "test.yaml", std::move(yaml), options);
  return input;
}

// A CustomResourceDefinition of kind Widget (example.com/v1) whose spec.size is an integer.
inline constexpr const char* kWidgetCrd = R"Y(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
)Y";

// How many of the run's files were released once their objects were built.
inline size_t released_files(const Analysis& a) {
  size_t n = 0;
  for (const auto& f : a.input.sources.files) n += f->released();
  return n;
}

// A directory of this test process's own, removed with it.
struct TempDir {
  explicit TempDir(const std::string& name = "kmc-test")
      : path(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  void write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((path / name).parent_path());
    std::ofstream(path / name) << text;
  }
  std::filesystem::path path;
};

// The root directory of the source tree (testdata/, examples/, ../shared).
inline std::string source_dir() { return KMC_SOURCE_DIR; }

}  // namespace kmc::test
