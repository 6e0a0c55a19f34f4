#pragma once
// How the fuzz target (fuzz/pipeline_fuzz.cc) and its regression test (fuzz_regression_test.cc)
// put one input through kmc: whole, as text in memory; and cut into files on disk, read as
// `kmc check` reads a directory. The second way reaches what only a directory does: the model
// built a batch (a file) at a time, custom resources waiting for a CRD in a later file, patches
// named by a kustomization, files' bytes released and their lines kept, snippets read again.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "render/diagnostics.h"
#include "render/graph.h"
#include "support.h"

namespace kmc::test {
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
using namespace kmc::render;

struct FuzzFile {
  std::string path;  // relative, and safe: letters, digits, '.', '-', '_', at most one '/'
  std::string text;
};

// The input's files: a line "#%file <path>" starts one (a path that is not safe, or is taken,
// becomes part<N>.yaml); the text before the first such line is input.yaml. At most 16 files.
inline std::vector<FuzzFile> split_fuzz_files(std::string_view input) {
  constexpr std::string_view kMarker = "#%file ";
  constexpr size_t kMostFiles = 16;
  auto safe = [](std::string_view p) {
    if (p.empty() || p.size() > 40 || p.front() == '/' || p.back() == '/' || p.front() == '.') return false;
    size_t slashes = 0;
    for (size_t i = 0; i < p.size(); ++i) {
      char c = p[i];
      if (c == '/') {
        if (++slashes > 1 || p[i + 1] == '.') return false;
      } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                   c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  };
  std::vector<FuzzFile> files{{"input.yaml", ""}};
  size_t at = 0;
  while (at < input.size()) {
    size_t nl = input.find('\n', at);
    size_t end = nl == std::string_view::npos ? input.size() : nl + 1;
    std::string_view line = input.substr(at, end - at);
    if (line.starts_with(kMarker) && files.size() < kMostFiles) {
      std::string_view path = line.substr(kMarker.size());
      while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.remove_suffix(1);
      bool taken = false;
      for (const FuzzFile& f : files) taken = taken || f.path == path;
      files.push_back({safe(path) && !taken ? std::string(path) : "part" + std::to_string(files.size()) + ".yaml", ""});
    } else {
      files.back().text += line;
    }
    at = end;
  }
  return files;
}

// Writes the files under `dir`, emptied first.
inline void write_fuzz_files(const std::filesystem::path& dir, const std::vector<FuzzFile>& files) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const FuzzFile& f : files) {
    std::filesystem::path path = dir / f.path;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream(path, std::ios::binary) << f.text;  // a path that is a directory already: not written
  }
}

// Every renderer of findings and of the topology, into `out`.
// How the fuzz target analyses an input of `size` bytes whole: at a release its size picks, with
// an upgrade to the newest, so that every release's view of the tables and the upgrade's second
// validation meet the same inputs.
inline AnalysisOptions fuzz_analysis_options(size_t size) {
  AnalysisOptions options;
  std::span<const api::Schema> releases = api::embedded_releases();
  options.model.release = &releases[size % releases.size()];
  if (options.model.release != &releases.back()) options.model.upgrade_to = &releases.back();
  return options;
}

inline void render_everything(const Analysis& a, std::ostream& out) {
  render_json(a, out);
  render_sarif(a, out);
  render_text(a, TextStyle{}, out);
  Graph g = build_graph(a, {true});
  render_dot(g, out);
  render_mermaid(g, out);
}

}  // namespace kmc::test
