#include "core/arena.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace kmc {
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
  munmap(m.base, m.size);
  m.released = true;
  released_ += m.usable;
}

char* Arena::map_chunk(size_t size) {
  // Map one huge page more than needed, so that the usable part can start on a 2 MiB boundary.
  size_t span = size + kHugePage;
  void* p = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  mappings_.push_back({p, span, size});
  mapped_ += span;
  uintptr_t aligned = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
#ifdef MADV_HUGEPAGE
  if (huge_) madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
#endif
  return reinterpret_cast<char*>(aligned);
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
