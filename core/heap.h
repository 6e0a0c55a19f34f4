#pragma once

namespace kmc {

// Hands the heap's free pages back to the system now, where the allocator allows it (jemalloc,
// which kmc links when it is found: cli/malloc_conf.cc); a no-op with any other malloc.
//
// For the end of a phase that freed much: jemalloc keeps freed pages for reuse for 10 s, and what
// one phase freed in one size class stays resident beside the next phase's allocations of
// another. Called after each rule and as the rules' findings are joined (the run's peak is
// there), it took the bench tree's peak RSS down by 7 and then 9 MiB at -j1. Called after the
// model is built and after linking, it hands back the 20-35 MiB that building leaves freed in
// the arenas of its threads (more with more threads) before linking and the rules allocate.
// Not after each batch of files: the next batch reuses most of those pages, and in interleaved
// runs it lowered neither the peak (later, at the rules) nor its spread by more than the noise.
void return_free_heap_pages();

}  // namespace kmc
