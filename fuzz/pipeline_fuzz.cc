// libFuzzer target: one input through the whole pipeline (loader, schema, linking, every rule,
// JSON and SARIF output, the graph). `make fuzz` builds it with clang and runs it on a seed
// corpus made from testdata/; a crash it finds becomes a regression case in testdata/.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "checks/analysis.h"
#include "parser/load.h"
#include "render/diagnostics.h"
#include "render/graph.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kmc::LoadResult input;
  kmc::LoadOptions options;
  options.limits.max_file_bytes = 1 << 20;
  kmc::load_text(&input, "fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size), options);
  kmc::Analysis a = kmc::analyze(std::move(input), kmc::AnalysisOptions{});
  std::ostringstream sink;
  kmc::render_json(a, sink);
  kmc::render_sarif(a, sink);
  kmc::render_text(a, kmc::TextStyle{}, sink);
  kmc::Graph g = kmc::build_graph(a, {true});
  kmc::render_dot(g, sink);
  kmc::render_mermaid(g, sink);
  return 0;
}
