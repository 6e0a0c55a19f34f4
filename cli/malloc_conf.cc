// jemalloc's start-up configuration, read before the first allocation (kmc links jemalloc when
// CMake finds it, outside sanitizer and fuzzing builds).
//
// Why: kmc allocates a few hundred MB for a large tree, in many small pieces (nodes of hash
// maps, model vectors, strings). On the 2-core VMs we measure on (bench/), the first touch of a
// 4 KiB page costs ~12 µs; with transparent huge pages for the heap the 100 000-object bench
// takes 66 000 page faults fewer and runs ~1.5x faster (numbers in the commit and issue 6).
// glibc's malloc can do the same only through the GLIBC_TUNABLES environment variable.
#ifdef KMC_HAVE_JEMALLOC
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf = "thp:always,metadata_thp:always,background_thread:false";
}
#endif
