// libFuzzer target: one input through the whole pipeline (loader, schema, linking, every rule,
// JSON and SARIF output, the graph). `make fuzz` builds it with clang and runs it on a seed
// corpus made from testdata/; a crash it finds becomes a regression case in testdata/.
// It also parses the input with libyaml alone and aborts when the block scanner's tree differs
// (tests/tree_diff.h): the fuzzer searches for a text the two read differently.
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <sstream>
#include <string>

#include "checks/analysis.h"
#include "parser/load.h"
#include "render/diagnostics.h"
#include "render/graph.h"
#include "tests/tree_diff.h"

namespace {
void check_block_scanner(const uint8_t* data, size_t size) {
  kmc::SourceFile src;
  src.own(std::string(reinterpret_cast<const char*>(data), size));
  src.ascii = true;
  for (size_t i = 0; i < size; ++i) src.ascii = src.ascii && data[i] < 0x80;
  kmc::LoaderLimits limits;
  kmc::Arena fast_arena, reference_arena;
  kmc::ParsedFile fast = kmc::parse_yaml(src, 0, limits, &fast_arena, kmc::YamlScanner::Auto);
  kmc::ParsedFile reference = kmc::parse_yaml(src, 0, limits, &reference_arena, kmc::YamlScanner::Libyaml);
  std::string difference = kmc::test::parse_difference(fast, reference);
  if (!difference.empty()) {
    std::fprintf(stderr, "block scanner and libyaml differ: %s\n", difference.c_str());
    std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check_block_scanner(data, size);
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
