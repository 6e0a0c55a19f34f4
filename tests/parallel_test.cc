// The pipeline's threads must never show in its output: the same input gives the same bytes
// with one thread and with many (decoding, schema validation and rules run in parallel).
#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "checks/analysis.h"
#include "driver/pipeline.h"
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

TEST_CASE("parallel_for called from inside its own work, and from several threads at once, ends", "[parallel]") {
  // Nested: the linker scans references on several threads beside the binder. Every index of
  // every inner call runs once, and no worker number is shared by two items running at once.
  // (Catch's assertions are for the test's own thread: the workers only count.)
  for (unsigned jobs : {2u, 3u, 8u}) {
    std::vector<std::atomic<int>> visits(64 * 100);
    std::atomic<int> shared_worker{0};
    parallel_for(64, jobs, 1, [&](size_t outer, unsigned) {
      std::vector<std::atomic<int>> busy(jobs);
      parallel_for(100, jobs, 3, [&](size_t inner, unsigned worker) {
        if (busy[worker].fetch_add(1) != 0) shared_worker.fetch_add(1);
        visits[outer * 100 + inner].fetch_add(1);
        busy[worker].fetch_sub(1);
      });
    });
    for (const std::atomic<int>& v : visits) CHECK(v.load() == 1);
    CHECK(shared_worker.load() == 0);
  }
  // Independent callers share the pool.
  std::vector<std::atomic<int>> visits(4 * 5000);
  std::vector<std::thread> callers;
  for (size_t c = 0; c < 4; ++c)
    callers.emplace_back([&, c] {
      for (int round = 0; round < 50; ++round)
        parallel_for(100, 3, 7, [&](size_t i, unsigned) { visits[c * 5000 + round * 100 + i].fetch_add(1); });
    });
  for (std::thread& t : callers) t.join();
  for (const std::atomic<int>& v : visits) CHECK(v.load() == 1);
}

TEST_CASE("run_beside runs its main work on the caller and the other beside it", "[parallel]") {
  for (unsigned jobs : {1u, 2u, 4u}) {
    CAPTURE(jobs);
    std::thread::id main_thread, beside_thread;
    std::atomic<bool> beside_started{false}, seen_while_main_ran{false};
    std::vector<std::atomic<int>> visits(2 * 500);
    std::vector<int> order;
    std::mutex order_lock;
    run_beside(
        jobs,
        [&] {
          main_thread = std::this_thread::get_id();
          {
            std::lock_guard<std::mutex> lock(order_lock);
            order.push_back(0);
          }
          // With a second thread, the other work starts while this one still runs.
          if (jobs > 1) {
            auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (!beside_started.load() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
            seen_while_main_ran = beside_started.load();
          }
          parallel_for(500, jobs, 7, [&](size_t i, unsigned) { visits[i].fetch_add(1); });
        },
        [&] {
          beside_thread = std::this_thread::get_id();
          beside_started = true;
          {
            std::lock_guard<std::mutex> lock(order_lock);
            order.push_back(1);
          }
          parallel_for(500, jobs, 7, [&](size_t i, unsigned) { visits[500 + i].fetch_add(1); });
        });
    CHECK(main_thread == std::this_thread::get_id());
    for (const std::atomic<int>& v : visits) CHECK(v.load() == 1);
    if (jobs == 1) {
      CHECK(order == std::vector<int>{0, 1});
      CHECK(beside_thread == std::this_thread::get_id());
    } else {
      CHECK(seen_while_main_ran.load());
      CHECK(beside_thread != std::this_thread::get_id());
    }
  }
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
