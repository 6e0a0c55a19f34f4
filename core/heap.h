#pragma once

namespace kmc {

// Hands the heap's free pages back to the system now, where the allocator allows it (jemalloc,
// which kmc links when it is found: cli/malloc_conf.cc); a no-op with any other malloc.
//
// For the moment before a phase that allocates much at once: jemalloc keeps freed pages for
// reuse for 10 s, and what earlier phases freed in one size class stays resident beside the new
// allocations of another. Called once before the findings are joined (the run's peak), it took
// the bench tree's peak RSS from 247 to 240 MiB at -j1, at no measurable cost.
void return_free_heap_pages();

}  // namespace kmc
