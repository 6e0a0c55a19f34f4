#include "core/arena.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
#define KMC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KMC_ASAN 1
#endif
#endif
#ifdef KMC_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace kmc {
namespace {

// A kept chunk is poisoned until it is mapped again, so that AddressSanitizer still reports a
// read through a released region, which unmapping made a fault.
void set_poisoned(void* usable, size_t size, bool poisoned) {
#ifdef KMC_ASAN
  if (poisoned) ASAN_POISON_MEMORY_REGION(usable, size);
  else ASAN_UNPOISON_MEMORY_REGION(usable, size);
#else
  (void)usable, (void)size, (void)poisoned;
#endif
}

}  // namespace

bool ChunkCache::keep(void* base, size_t span, void* usable) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || kept_.size() >= max_) return false;
  set_poisoned(usable, chunk_, true);
  kept_.push_back({base, span, usable});
  return true;
}

std::pair<void*, size_t> ChunkCache::take() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (kept_.empty()) return {nullptr, 0};
  Kept k = kept_.back();  // the last released: the likeliest still in the cache
  kept_.pop_back();
  set_poisoned(k.usable, chunk_, false);
  ++reused_;
  return {k.base, k.span};
}

void ChunkCache::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  for (const Kept& k : kept_) {
    set_poisoned(k.usable, chunk_, false);
    munmap(k.base, k.span);
  }
  kept_.clear();
  kept_.shrink_to_fit();
}

void ChunkCache::open() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = false;
}

size_t ChunkCache::reused() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reused_;
}

Arena::~Arena() {
  for (const Mapping& m : mappings_)
    if (!m.released) munmap(m.base, m.size);
}

std::vector<Arena::Region> Arena::regions() const {
  std::vector<Region> out;
  out.reserve(mappings_.size());
  for (const Mapping& m : mappings_) out.push_back({static_cast<const char*>(m.base), m.size});
  return out;
}

void Arena::release(size_t region) {
  Mapping& m = mappings_.at(region);
  if (m.released) return;
  // Releasing the region being allocated from ends it: the next allocation maps a new one.
  Region r{static_cast<const char*>(m.base), m.size};
  if (cursor_ && (r.contains(cursor_) || r.contains(cursor_ - 1))) {
    cursor_ = nullptr;
    left_ = 0;
  }
  if (!(cache_ && m.usable == chunk_ && cache_->keep(m.base, m.size, usable_part(m.base)))) munmap(m.base, m.size);
  m.released = true;
  released_ += m.usable;
}

char* Arena::usable_part(void* base) {
  return reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(base) + kHugePage - 1) & ~(kHugePage - 1));
}

char* Arena::map_chunk(size_t size) {
  // A chunk from the cache is already aligned, advised and, mostly, in memory.
  if (cache_ && size == chunk_) {
    if (auto [base, span] = cache_->take(); base) {
      mappings_.push_back({base, span, size});
      mapped_ += span;
      return usable_part(base);
    }
  }
  // Map one huge page more than needed, so that the usable part can start on a 2 MiB boundary.
  size_t span = size + kHugePage;
  void* p = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  mappings_.push_back({p, span, size});
  mapped_ += span;
  char* usable = usable_part(p);
#ifdef MADV_HUGEPAGE
  if (huge_) madvise(usable, size, MADV_HUGEPAGE);
#endif
  return usable;
}

void* Arena::allocate(size_t bytes, size_t align) {
  uintptr_t at = (reinterpret_cast<uintptr_t>(cursor_) + align - 1) & ~(align - 1);
  size_t pad = cursor_ ? at - reinterpret_cast<uintptr_t>(cursor_) : 0;
  if (!cursor_ || pad + bytes > left_) {
    if (bytes > chunk_ / 4) {  // large: its own mapping
      used_ += bytes;
      return map_chunk(bytes);
    }
    cursor_ = map_chunk(chunk_);
    left_ = chunk_;
    at = reinterpret_cast<uintptr_t>(cursor_);
    pad = 0;
  }
  cursor_ += pad + bytes;
  left_ -= pad + bytes;
  used_ += pad + bytes;
  return reinterpret_cast<void*>(at);
}

const char* Arena::copy_text(const char* data, size_t len) {
  if (len == 0) return "";
  char* out = static_cast<char*>(allocate(len, 1));
  std::memcpy(out, data, len);
  return out;
}

}  // namespace kmc
