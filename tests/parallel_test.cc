// The pipeline's threads must never show in its output: the same input gives the same bytes
// with one thread and with many (decoding, schema validation and rules run in parallel).
#include <atomic>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "checks/analysis.h"
#include "core/parallel.h"
#include "parser/load.h"
#include "render/diagnostics.h"
#include "support.h"

namespace kmc {
namespace {

std::string check_json(const std::vector<std::string>& paths, unsigned jobs) {
  LoadOptions load;
  load.jobs = jobs;
  AnalysisOptions options;
  options.jobs = jobs;
  Analysis a = analyze(load_inputs(paths, load), options);
  std::ostringstream out;
  render_json(a, out, jobs);
  return out.str();
}

TEST_CASE("parallel_for visits every index exactly once, on at most `jobs` workers", "[parallel]") {
  for (unsigned jobs : {1u, 2u, 3u, 8u}) {
    for (size_t count : {0u, 1u, 7u, 1000u}) {
      std::vector<std::atomic<int>> visits(count);
      std::atomic<unsigned> max_worker{0};
      parallel_for(count, jobs, 16, [&](size_t i, unsigned worker) {
        visits[i].fetch_add(1);
        unsigned seen = max_worker.load();
        while (worker > seen && !max_worker.compare_exchange_weak(seen, worker)) {
        }
      });
      for (size_t i = 0; i < count; ++i) CHECK(visits[i].load() == 1);
      CHECK(max_worker.load() < parallel_workers(count, jobs, 16));
    }
  }
  CHECK(parallel_workers(1000, 4, 16) == 4);
  CHECK(parallel_workers(20, 4, 16) == 2);  // two grains of work: two workers
  CHECK(parallel_workers(0, 4, 16) == 1);
}

TEST_CASE("findings are byte-identical with one thread and with four", "[parallel]") {
  std::vector<std::string> paths = {test::source_dir() + "/testdata", test::source_dir() + "/examples"};
  std::string serial = check_json(paths, 1);
  CHECK(serial.size() > 10000);  // the golden cases have findings: the comparison means something
  CHECK(check_json(paths, 4) == serial);
  CHECK(check_json(paths, 2) == serial);
}

}  // namespace
}  // namespace kmc
