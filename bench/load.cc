// Times each stage of `kmc check` separately, so a regression shows where it is:
//   kmc-bench-load [-j N] PATH...
// prints loader (read + parse), model+rules (decode, schema validation, linking, rules) and
// the schema validation alone, with documents/s and MB/s.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <algorithm>
#include <vector>

#include "checks/analysis.h"
#include "parser/load.h"
#include "schema/validate.h"

static double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

int main(int argc, char** argv) {
  kmc::LoadOptions options;
  options.jobs = 1;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "-j") && i + 1 < argc) options.jobs = static_cast<unsigned>(std::atoi(argv[++i]));
    else paths.push_back(argv[i]);
  }
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  kmc::LoadResult input = kmc::load_inputs(paths, options);
  auto t1 = clock::now();
  double rss_loaded = peak_rss_mb();
  uint64_t nodes = 0;
  for (const kmc::Document* d : input.documents) nodes += d->node_count;
  size_t docs = input.documents.size();
  double mb = static_cast<double>(input.bytes) / 1e6;
  kmc::Analysis a = kmc::analyze(std::move(input), kmc::AnalysisOptions{});
  auto t2 = clock::now();
  // The schema stage once more on its own (it is part of model+rules above).
  for (kmc::Object& o : a.model.objects) o.issues.clear();
  auto t3 = clock::now();
  kmc::validate_model(&a.model, a.input.sources);
  double schema_s = std::chrono::duration<double>(clock::now() - t3).count();
  double load_s = std::chrono::duration<double>(t1 - t0).count();
  double rest_s = std::chrono::duration<double>(t2 - t1).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("jobs=%u files=%zu documents=%zu objects=%zu bytes=%.1fMB findings=%zu\n", options.jobs,
              a.summary.files, docs, a.summary.objects, mb, a.findings.size());
  std::printf("  loader:        %7.3f s  %9.0f docs/s  %7.1f MB/s\n", load_s, docs / load_s, mb / load_s);
  std::printf("  model+rules:   %7.3f s  %9.0f docs/s\n", rest_s, docs / rest_s);
  std::printf("  of which schema:%6.3f s  %9.0f docs/s\n", schema_s, docs / schema_s);
  std::printf("  peak RSS:      %7.1f MB (%.2fx input); after loading %.1f MB (%llu nodes, %.1f B/node incl. text)\n",
              ru.ru_maxrss / 1024.0, ru.ru_maxrss / 1024.0 / mb, rss_loaded, static_cast<unsigned long long>(nodes),
              rss_loaded * 1e6 / std::max<uint64_t>(1, nodes));
  return 0;
}
