#pragma once

namespace kmc {

// Hands the heap's free pages back to the system now, where the allocator allows it (jemalloc,
// which kmc links when it is found: cli/malloc_conf.cc); a no-op with any other malloc.
//
// For the end of a phase that freed much: jemalloc keeps freed pages for reuse for a while, and
// what one phase freed in one size class stays resident beside the next phase's allocations of
// another. Called after each rule and as the rules' findings are joined (the run's peak is
// there), and after the model is built and after linking, which leave freed pages in the arenas
// of their threads (more with more threads) before the next phase allocates. Not after each
// batch of files: the next batch reuses most of those pages, and it lowered neither the peak
// (later, at the rules) nor its spread by more than the noise. Figures: docs/performance.md, "Measurements behind the code".
void return_free_heap_pages();

}  // namespace kmc
