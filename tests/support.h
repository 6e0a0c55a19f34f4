#pragma once
#include <string>

#include "checks/analysis.h"
#include "parser/load.h"

namespace kmc::test {

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

inline LoadResult load_string(std::string yaml, LoaderLimits limits = {}) {
  LoadResult input;
  LoadOptions options;
  options.limits = limits;
  load_text(&input, "test.yaml", std::move(yaml), options);
  return input;
}

// The root directory of the source tree (testdata/, examples/, ../shared).
inline std::string source_dir() { return KMC_SOURCE_DIR; }

}  // namespace kmc::test
