// jemalloc's start-up configuration, read before the first allocation (kmc links jemalloc when
// CMake finds it, outside sanitizer and fuzzing builds). MALLOC_CONF still overrides it.
//
// Why jemalloc: kmc allocates much of its heap on a large tree in many small pieces (model
// vectors, strings, findings), from several threads; on the bench (bench/) it is a few percent
// faster than glibc's malloc at -j1 and -j2 for the same peak RSS.
//
// Why no transparent huge pages for the heap: the parse trees, most of kmc's memory, come from
// core/arena.cc, which maps its own 2 MiB-aligned chunks as huge pages. For the heap, huge pages
// were slower and larger on the bench (docs/performance.md, "Measurements behind the code"): a huge page is
// zeroed whole on first touch, and the heap's younger, sparser regions pay for bytes they never use.
#ifdef KMC_HAVE_JEMALLOC
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf = "thp:default,metadata_thp:disabled,background_thread:false";
}
#endif
