#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>

namespace kmc {

// The number of workers a parallel_for over `count` items uses (Workers::workers_for).
inline unsigned parallel_workers(size_t count, unsigned jobs, size_t grain) {
  grain = std::max<size_t>(1, grain);
  return static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(std::max(1u, jobs), (count + grain - 1) / grain)));
}

namespace detail {

// One parallel_for in flight. Its indexes go out `grain` at a time to the caller and to the pool
// threads that join it; each gets its own worker number.
struct ParallelJob {
  void (*call)(const void* work, size_t index, unsigned worker);
  const void* work;
  size_t count, grain;
  unsigned workers;              // the caller and at most workers - 1 pool threads
  std::atomic<size_t> next{0};
  unsigned joined = 1;           // worker numbers handed out (the caller is 0); under the pool's lock
  unsigned running = 0;          // pool threads inside drain(); under the pool's lock
  // Set, the caller runs this before it drains (run_beside): the job's indexes are for the pool.
  void (*caller_first)(const void* work) = nullptr;
  const void* caller_work = nullptr;

  void drain(unsigned worker) {
    for (size_t begin; (begin = next.fetch_add(grain, std::memory_order_relaxed)) < count;)
      for (size_t i = begin, end = std::min(count, begin + grain); i < end; ++i) call(work, i, worker);
  }
};

class Pool;

// Runs `job` on the calling thread and on idle threads of `pool`; returns when every index is
// done (core/parallel.cc).
void run_parallel(Pool& pool, ParallelJob& job);

}  // namespace detail

// The threads of one run: the caller's and up to jobs() - 1 more, which the run owns and which end
// with it. The stages borrow them (const Workers&) instead of each taking a thread count; every
// call on one Workers is served by the same threads.
//
// The threads are a pool kept for the whole run, not threads started for each call: the model
// builder alone makes ~120 calls on a large tree, and each fresh thread began with an empty
// allocator cache and ended by flushing it. They start when a call first wants them. A call made
// from inside another's work (the linker's reference scan beside the binder) is served by
// whichever threads are idle, the caller of the outer call included while it waits: none of them
// ever waits for work that nobody runs.
class Workers {
 public:
  explicit Workers(unsigned jobs = 1);  // at least one: the caller
  Workers(Workers&&) noexcept;
  Workers& operator=(Workers&&) noexcept;
  ~Workers();

  // The caller alone: what a stage uses when nobody hands it threads (tests, tools).
  static const Workers& serial();

  unsigned jobs() const { return jobs_; }
  // How many workers a call over `count` items handed out `grain` at a time uses, for sizing
  // per-worker state.
  unsigned workers_for(size_t count, size_t grain) const { return parallel_workers(count, jobs_, grain); }

  // Runs `work(index, worker)` for every index in [0, count), handing out `grain` consecutive
  // indexes at a time so that uneven items (one huge file, one slow rule) do not leave a thread
  // idle. `worker` is in [0, workers_for(count, grain)): per-thread state (an arena, a validator)
  // is indexed by it. With one job, or one item, nothing else runs it.
  template <class Work>
  void parallel_for(size_t count, size_t grain, const Work& work) const {
    grain = std::max<size_t>(1, grain);
    unsigned workers = workers_for(count, grain);
    if (workers <= 1) {
      for (size_t i = 0; i < count; ++i) work(i, 0u);
      return;
    }
    detail::ParallelJob job;
    job.call = [](const void* w, size_t i, unsigned worker) { (*static_cast<const Work*>(w))(i, worker); };
    job.work = &work;
    job.count = count;
    job.grain = grain;
    job.workers = workers;
    detail::run_parallel(*pool_, job);
  }

  // Runs `main` on the calling thread and, at the same time, `beside` on an idle thread; returns
  // when both are done. If no thread has taken `beside` by the time `main` ends (all busy, or one
  // job), the caller runs it then. Work either calls parallel_for inside is served by the same
  // threads: the streaming load parses the next batch of files beside the model builder's work
  // on this one, and each fills the other's serial stretches.
  template <class Main, class Beside>
  void run_beside(const Main& main, const Beside& beside) const {
    if (jobs_ <= 1) {
      main();
      beside();
      return;
    }
    detail::ParallelJob job;
    job.call = [](const void* w, size_t, unsigned) { (*static_cast<const Beside*>(w))(); };
    job.work = &beside;
    job.count = 1;
    job.grain = 1;
    job.workers = 2;
    job.caller_first = [](const void* w) { (*static_cast<const Main*>(w))(); };
    job.caller_work = &main;
    detail::run_parallel(*pool_, job);
  }

 private:
  unsigned jobs_;
  std::unique_ptr<detail::Pool> pool_;  // none with one job
};

}  // namespace kmc

namespace kmc {

// The most threads a run uses: four per core, and at least 8. More only cost memory (per-worker
// arenas and validators) and start-up time (docs/performance.md, "Measurements behind the code").
inline constexpr unsigned kJobsPerCore = 4;
unsigned max_jobs();
// `requested` (0: one per core) within [1, max_jobs()].
unsigned effective_jobs(unsigned requested);

}  // namespace kmc
