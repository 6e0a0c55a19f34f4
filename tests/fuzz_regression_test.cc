// Inputs that once crashed the pipeline (found by `make fuzz`): each must now go through
// loading, validation, linking, every rule and every renderer without a crash (this suite also
// runs under ASan and UBSan).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "render/diagnostics.h"
#include "render/graph.h"
#include "support.h"

using namespace kmc;
namespace fs = std::filesystem;

TEST_CASE("fuzz regressions go through the whole pipeline", "[fuzz]") {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(test::source_dir()) / "testdata/fuzz")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    INFO(entry.path().string());
    Analysis a = test::analyze_text(text.str(), entry.path().filename().string());
    std::ostringstream sink;
    render_json(a, sink);
    render_sarif(a, sink);
    render_text(a, TextStyle{}, sink);
    Graph g = build_graph(a, {true});
    render_dot(g, sink);
    render_mermaid(g, sink);
    CHECK_FALSE(sink.str().empty());
    ++n;
  }
  CHECK(n >= 1);
}
