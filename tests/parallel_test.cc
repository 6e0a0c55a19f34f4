// The pipeline's threads must never show in its output: the same input gives the same bytes
// with one thread and with many (decoding, schema validation and rules run in parallel).
#include <atomic>
#include <chrono>
#include <filesystem>
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
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
using namespace kmc::render;
namespace {

std::string check_json(const std::vector<std::string>& paths, unsigned jobs) {
  const Workers workers(jobs);
  LoadOptions load;
  load.workers = &workers;
  AnalysisOptions options;
  options.workers = &workers;
  Analysis a = analyze(load_inputs(paths, load), options);
  std::ostringstream out;
  render_json(a, out, workers);
  return out.str();
}

TEST_CASE("parallel_for visits every index exactly once, on at most `jobs` workers", "[parallel]") {
  for (unsigned jobs : {1u, 2u, 3u, 8u}) {
    const Workers workers(jobs);
    CHECK(workers.jobs() == jobs);
    for (size_t count : {0u, 1u, 7u, 1000u}) {
      std::vector<std::atomic<int>> visits(count);
      std::atomic<unsigned> max_worker{0};
      workers.parallel_for(count, 16, [&](size_t i, unsigned worker) {
        visits[i].fetch_add(1);
        unsigned seen = max_worker.load();
        while (worker > seen && !max_worker.compare_exchange_weak(seen, worker)) {
        }
      });
      for (size_t i = 0; i < count; ++i) CHECK(visits[i].load() == 1);
      CHECK(max_worker.load() < workers.workers_for(count, 16));
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
    const Workers workers(jobs);
    std::vector<std::atomic<int>> visits(64 * 100);
    std::atomic<int> shared_worker{0};
    workers.parallel_for(64, 1, [&](size_t outer, unsigned) {
      std::vector<std::atomic<int>> busy(jobs);
      workers.parallel_for(100, 3, [&](size_t inner, unsigned worker) {
        if (busy[worker].fetch_add(1) != 0) shared_worker.fetch_add(1);
        visits[outer * 100 + inner].fetch_add(1);
        busy[worker].fetch_sub(1);
      });
    });
    for (const std::atomic<int>& v : visits) CHECK(v.load() == 1);
    CHECK(shared_worker.load() == 0);
  }
  // Independent callers share the run's threads.
  const Workers three(3);
  std::vector<std::atomic<int>> visits(4 * 5000);
  std::vector<std::thread> callers;
  for (size_t c = 0; c < 4; ++c)
    callers.emplace_back([&, c] {
      for (int round = 0; round < 50; ++round)
        three.parallel_for(100, 7, [&](size_t i, unsigned) { visits[c * 5000 + round * 100 + i].fetch_add(1); });
    });
  for (std::thread& t : callers) t.join();
  for (const std::atomic<int>& v : visits) CHECK(v.load() == 1);
}

TEST_CASE("run_beside runs its main work on the caller and the other beside it", "[parallel]") {
  for (unsigned jobs : {1u, 2u, 4u}) {
    CAPTURE(jobs);
    const Workers workers(jobs);
    std::thread::id main_thread, beside_thread;
    std::atomic<bool> beside_started{false}, seen_while_main_ran{false};
    std::vector<std::atomic<int>> visits(2 * 500);
    std::vector<int> order;
    std::mutex order_lock;
    workers.run_beside(
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
          workers.parallel_for(500, 7, [&](size_t i, unsigned) { visits[i].fetch_add(1); });
        },
        [&] {
          beside_thread = std::this_thread::get_id();
          beside_started = true;
          {
            std::lock_guard<std::mutex> lock(order_lock);
            order.push_back(1);
          }
          workers.parallel_for(500, 7, [&](size_t i, unsigned) { visits[500 + i].fetch_add(1); });
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

// The threads the process has now (Linux: one entry per thread in /proc/self/task).
size_t process_threads() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

TEST_CASE("a run's threads start when its work wants them and end with it", "[parallel]") {
  const size_t before = process_threads();
  {
    Workers workers(4);
    CHECK(process_threads() == before);  // none until a call wants helpers
    std::atomic<size_t> visits{0};
    workers.parallel_for(1000, 1, [&](size_t, unsigned) { visits.fetch_add(1); });
    CHECK(visits.load() == 1000);
    CHECK(process_threads() > before);
    CHECK(process_threads() <= before + 3);  // the caller is the fourth
    Workers moved = std::move(workers);  // a Run is a value: its threads move with it
    moved.parallel_for(1000, 1, [&](size_t, unsigned) { visits.fetch_add(1); });
    CHECK(visits.load() == 2000);
  }
  CHECK(process_threads() == before);
  CHECK(Workers::serial().jobs() == 1);
  CHECK(Workers(0).jobs() == 1);  // the caller, at least
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
