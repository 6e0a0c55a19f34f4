// libFuzzer target: one input through the whole pipeline (loader, schema, linking, every rule,
// JSON, SARIF and text output, the graph), twice: whole, as text in memory, and cut into files
// at lines "#%file <path>" that are read from disk as `kmc check` reads a directory, a file a
// batch, each released once its objects are built (tests/fuzz_input.h). `make fuzz` builds it
// with clang and runs it on a seed corpus made from testdata/ and fuzz/seeds/; a crash it finds
// becomes a regression case in testdata/fuzz/.
// It also parses the input with libyaml alone and aborts when the block scanner's tree differs
// (tests/tree_diff.h): the fuzzer searches for a text the two read differently.
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>

#include "checks/analysis.h"
#include "driver/pipeline.h"
#include "parser/load.h"
#include "tests/fuzz_input.h"
#include "tests/tree_diff.h"

namespace {
void check_block_scanner(const uint8_t* data, size_t size) {
  kmc::SourceFile src;
  src.own(std::string(reinterpret_cast<const char*>(data), size));
  src.ascii = true;
  for (size_t i = 0; i < size; ++i) src.ascii = src.ascii && data[i] < 0x80;
  kmc::parser::LoaderLimits limits;
  kmc::Arena fast_arena, reference_arena;
  kmc::parser::ParsedFile fast = kmc::parser::parse_yaml(src, 0, limits, &fast_arena, kmc::parser::YamlScanner::Auto);
  kmc::parser::ParsedFile reference = kmc::parser::parse_yaml(src, 0, limits, &reference_arena, kmc::parser::YamlScanner::Libyaml);
  std::string difference = kmc::test::parse_difference(fast, reference);
  if (!difference.empty()) {
    std::fprintf(stderr, "block scanner and libyaml differ: %s\n", difference.c_str());
    std::abort();
  }
}

std::filesystem::path make_files_dir() {
  std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path().string();
  std::string pattern = base + "/kmc-fuzz-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror("kmc-fuzz: mkdtemp");
    std::abort();
  }
  return pattern;
}

// A directory of this process's own for the files (`make fuzz` runs several), removed at exit:
// the handler is registered after the path is made, so it runs before the path is destroyed.
const std::filesystem::path& files_dir() {
  static const std::filesystem::path dir = make_files_dir();
  static const bool removed_at_exit = std::atexit([] { std::filesystem::remove_all(files_dir()); }) == 0;
  (void)removed_at_exit;
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check_block_scanner(data, size);
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::ostringstream sink;
  kmc::parser::LoadOptions options;
  options.limits.max_file_bytes = 1 << 20;
  {
    kmc::parser::LoadResult input;
    kmc::parser::load_text(&input, "fuzz.yaml", text, options);
    kmc::test::render_everything(kmc::driver::analyze(std::move(input), kmc::test::fuzz_analysis_options(size)), sink);
  }
  kmc::test::write_fuzz_files(files_dir(), kmc::test::split_fuzz_files(text));
  kmc::test::render_everything(kmc::test::load_and_analyze({files_dir().string()}, options), sink);
  return 0;
}
