// jemalloc's start-up configuration, read before the first allocation (kmc links jemalloc when
// CMake finds it, outside sanitizer and fuzzing builds). MALLOC_CONF still overrides it.
//
// Why jemalloc: kmc allocates ~150 MB of heap on a large tree, in many small pieces (model
// vectors, strings, findings), from several threads; on the bench (bench/) it is a few percent
// faster than glibc's malloc at -j1 and -j2 for the same peak RSS.
//
// Why no transparent huge pages for the heap: the parse trees, most of kmc's memory, come from
// core/arena.cc, which maps its own 2 MiB-aligned chunks as huge pages. For the heap, huge pages
// were measured on the 100 000-object bench (4 interleaved rounds, commit "jemalloc: no huge
// pages for the heap"): -j1 1.45-1.78 s and 362 MB peak with them, 1.20-1.65 s and 351 MB
// without; -j2 0.71-1.10 s, 375-382 MB with, 0.69-0.87 s, 357-366 MB without. A huge page is
// zeroed whole on first touch, and the heap's younger, sparser regions pay for bytes they never use.
#ifdef KMC_HAVE_JEMALLOC
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf = "thp:default,metadata_thp:disabled,background_thread:false";
}
#endif
