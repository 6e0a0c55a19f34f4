#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace kmc {

// The number of workers parallel_for will use, for sizing per-worker state.
inline unsigned parallel_workers(size_t count, unsigned jobs, size_t grain) {
  grain = std::max<size_t>(1, grain);
  return static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(std::max(1u, jobs), (count + grain - 1) / grain)));
}

// Runs `work(index, worker)` for every index in [0, count) on up to `jobs` threads (the caller's
// included), handing out `grain` consecutive indexes at a time so that uneven items (one huge
// file, one slow rule) do not leave a thread idle. `worker` is in [0, jobs): per-thread state
// (an arena, a validator) is indexed by it. With one job, or one item, nothing is spawned.
template <class Work>
void parallel_for(size_t count, unsigned jobs, size_t grain, const Work& work) {
  grain = std::max<size_t>(1, grain);
  unsigned threads = parallel_workers(count, jobs, grain);
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) work(i, 0u);
    return;
  }
  std::atomic<size_t> next{0};
  auto drain = [&](unsigned worker) {
    for (size_t begin; (begin = next.fetch_add(grain, std::memory_order_relaxed)) < count;)
      for (size_t i = begin, end = std::min(count, begin + grain); i < end; ++i) work(i, worker);
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(drain, t);
  drain(0);
  for (std::thread& t : pool) t.join();
}

}  // namespace kmc
