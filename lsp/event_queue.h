#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "lsp/workspace_check.h"

// What wakes the server's message loop: a message the reader thread read, the end of the
// client's stream, or a finished check from the check thread. One queue, so the loop handles
// them in the order they happened and no state is shared between threads but this.
namespace kmc::lsp {

struct Event {
  enum Kind { Message, Skipped, End, Checked } kind;
  std::string text;  // the message's JSON, or why one was skipped
  std::unique_ptr<CheckResult> result;  // Checked
};

class EventQueue {
 public:
  void push(Event event) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    ready_.notify_one();
  }

  /// The next event; nullopt when `until` passes first (the debounce of a pending check).
  std::optional<Event> pop(std::optional<std::chrono::steady_clock::time_point> until) {
    std::unique_lock lock(mutex_);
    auto has = [&] { return !events_.empty(); };
    if (until) {
      if (!ready_.wait_until(lock, *until, has)) return std::nullopt;
    } else {
      ready_.wait(lock, has);
    }
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Event> events_;
};

}  // namespace kmc::lsp
