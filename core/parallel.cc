#include "core/parallel.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace kmc::detail {

// The threads of one Workers. They sleep until a job wants helpers, join it, and go back to
// sleep; they grow to the most helpers a call has asked for and end with the Workers.
class Pool {
 public:
  // noexcept: work that throws ends the program, as it did on threads of its own, rather than
  // leave the pool holding a job that is gone.
  void run(ParallelJob& job) noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    grow(job.workers - 1);
    open_.push_back(&job);
    lock.unlock();
    wake_.notify_all();
    done_.notify_all();  // callers waiting for their helpers may help with this one meanwhile
    if (job.caller_first) job.caller_first(job.caller_work);
    job.drain(0);
    lock.lock();
    close(&job);  // no thread joins it from now on: `running` only falls
    // Until the threads that joined are done, help with any other job that wants helpers (one
    // called from inside this one's work, say) instead of only waiting.
    while (job.running > 0) {
      if (ParallelJob* other = next_open()) {
        help(other, lock);
        continue;
      }
      done_.wait(lock);
    }
  }

  // Starts threads up to `helpers`. When the system refuses one (a low `ulimit -u`, a container's
  // pid limit), the pool stays as large as it is: the caller drains whatever no helper takes, so
  // a job only runs on fewer threads, and the output does not depend on how many.
  void grow(unsigned helpers) noexcept {
    if (refused_) return;
    while (threads_.size() < helpers) {
      try {
        threads_.emplace_back([this] { serve(); });
      } catch (const std::system_error&) {
        refused_ = true;
        return;
      }
    }
  }

  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ParallelJob* job = nullptr;
      wake_.wait(lock, [&] { return stopping_ || (job = next_open()) != nullptr; });
      if (stopping_) return;
      help(job, lock);
    }
  }

  // Drains `job` as its next worker; called and returns with the lock held.
  void help(ParallelJob* job, std::unique_lock<std::mutex>& lock) noexcept {
    unsigned worker = job->joined++;
    ++job->running;
    if (job->joined == job->workers) close(job);
    lock.unlock();
    job->drain(worker);
    lock.lock();
    if (--job->running == 0) done_.notify_all();
  }

  // The oldest job that still has indexes to hand out and room for a worker.
  ParallelJob* next_open() {
    for (ParallelJob* job : open_)
      if (job->next.load(std::memory_order_relaxed) < job->count) return job;
    return nullptr;
  }

  void close(ParallelJob* job) { open_.erase(std::remove(open_.begin(), open_.end(), job), open_.end()); }

  std::mutex mutex_;
  std::condition_variable wake_;  // a job opened, or the pool is stopping
  std::condition_variable done_;  // a job's last pool thread left it, or a job opened
  std::vector<ParallelJob*> open_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
  bool refused_ = false;  // the system refused a thread: ask no more
};

void run_parallel(Pool& pool, ParallelJob& job) { pool.run(job); }

}  // namespace kmc::detail

namespace kmc {

Workers::Workers(unsigned jobs) : jobs_(std::max(1u, jobs)) {
  if (jobs_ > 1) pool_ = std::make_unique<detail::Pool>();
}
Workers::Workers(Workers&&) noexcept = default;
Workers& Workers::operator=(Workers&&) noexcept = default;
Workers::~Workers() = default;

const Workers& Workers::serial() {
  static const Workers one(1);
  return one;
}

unsigned max_jobs() { return std::max(8u, kJobsPerCore * std::max(1u, std::thread::hardware_concurrency())); }

unsigned effective_jobs(unsigned requested) {
  if (requested == 0) return std::max(1u, std::thread::hardware_concurrency());
  return std::min(requested, max_jobs());
}

}  // namespace kmc
