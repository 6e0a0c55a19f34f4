#include "core/heap.h"

#include <cstddef>

// jemalloc's control interface. Declared weak, so that the library needs no jemalloc header and
// links without it: with glibc's malloc (sanitizer and fuzzing builds) the symbol is null.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace kmc {

void return_free_heap_pages() {
  // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's unused dirty pages. 4096 is
  // MALLCTL_ARENAS_ALL in every jemalloc 5 release.
  if (mallctl) mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
}

}  // namespace kmc
