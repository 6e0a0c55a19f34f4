#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "core/heap.h"

using namespace kmc;

namespace {

// Resident pages of this process, from /proc/self/statm.
size_t resident_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int read = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return read == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace

TEST_CASE("freed heap pages go back to the system when asked", "[heap]") {
  constexpr size_t kBlock = 64u << 20, kPiece = 16u << 10;
  size_t before = resident_bytes();
  REQUIRE(before > 0);
  {
    // In pieces of the sizes a run frees (a huge block goes back at once either way).
    std::vector<std::unique_ptr<char[]>> pieces;
    for (size_t i = 0; i < kBlock / kPiece; ++i) {
      pieces.push_back(std::make_unique<char[]>(kPiece));
      std::memset(pieces.back().get(), 1, kPiece);  // resident now
    }
    CHECK(resident_bytes() >= before + kBlock / 2);
  }
  // jemalloc keeps freed pages resident for reuse (10 s) unless asked; glibc's malloc trims the
  // top of its heap when the pieces there go. A sanitizer's allocator holds freed memory in
  // quarantine on purpose: there the call only has to be harmless.
  return_free_heap_pages();
#if defined(__SANITIZE_ADDRESS__)
  constexpr bool kQuarantine = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  constexpr bool kQuarantine = true;
#else
  constexpr bool kQuarantine = false;
#endif
#else
  constexpr bool kQuarantine = false;
#endif
  if (!kQuarantine) CHECK(resident_bytes() < before + kBlock / 4);
}
