#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace kmc {

// Chunks that arenas released, kept mapped for the arenas that share the cache to map again.
// The streaming load lets a batch's parse trees and files' bytes go while the next batch parses
// into fresh chunks: reusing the released ones spares the kernel zeroing every fresh page, which
// showed in a two-job run's samples (docs/performance.md, "Measurements behind the code").
// Thread-safe: one thread releases while another maps.
class ChunkCache {
 public:
  // Holds at most `max_chunks` chunks of `chunk_bytes` each; beyond that, a release unmaps.
  ChunkCache(size_t chunk_bytes, size_t max_chunks) : chunk_(chunk_bytes), max_(max_chunks) {}
  ChunkCache(const ChunkCache&) = delete;
  ChunkCache& operator=(const ChunkCache&) = delete;
  ~ChunkCache() { close(); }

  // Unmaps the chunks held and holds none until opened again: the end of a load, before the
  // memory they hold could count towards the run's peak.
  void close();
  void open();  // takes released chunks again (the next load into the same result)
  size_t chunk_bytes() const { return chunk_; }
  size_t reused() const;  // chunks handed out again so far

 private:
  friend class Arena;
  // Takes a released mapping of `span` bytes whose usable part starts at `usable`; false if it
  // does not (closed, or full): the caller unmaps it.
  bool keep(void* base, size_t span, void* usable);
  std::pair<void*, size_t> take();  // a kept mapping (base, span), or {nullptr, 0}

  struct Kept {
    void* base;
    size_t span;
    void* usable;
  };
  size_t chunk_, max_;
  mutable std::mutex mutex_;
  std::vector<Kept> kept_;
  size_t reused_ = 0;
  bool closed_ = false;
};

// A bump allocator for what lives as long as the run: parsed nodes, their text, documents.
// Chunks are 2 MiB-aligned and advised as transparent huge pages: on the machines we measured,
// page faults on ordinary 4 KiB pages cost more than libyaml's whole parse (bench/).
// Not thread-safe: one arena per worker.
class Arena {
 public:
  static constexpr size_t kHugePage = 2u << 20;
  // `chunk_bytes`: the size of each region mapped (a multiple of kHugePage). Arenas that are
  // released region by region take small ones, so that a region goes soon after its objects.
  // `huge_pages`: false for an arena that stays small (a few KiB would fault in a whole 2 MiB page).
  // `cache`: released chunks of the arena's size go there, and new chunks come from there first;
  // borrowed, it must outlive the arena (LoadResult declares its cache before its arenas).
  explicit Arena(size_t chunk_bytes = 4 * kHugePage, bool huge_pages = true, ChunkCache* cache = nullptr)
      : chunk_(chunk_bytes), huge_(huge_pages), cache_(cache && cache->chunk_bytes() == chunk_bytes ? cache : nullptr) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  void* allocate(size_t bytes, size_t align = alignof(std::max_align_t));

  template <class T> T* copy_array(const T* data, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (n == 0) return nullptr;
    T* out = static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
    std::memcpy(static_cast<void*>(out), data, n * sizeof(T));
    return out;
  }

  template <class T, class... Args> T* make(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>, "the arena never runs destructors");
    return new (allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
  }

  const char* copy_text(const char* data, size_t len);

  size_t bytes_mapped() const { return mapped_; }
  size_t bytes_used() const { return used_; }  // asked for, alignment included

  // The regions mapped so far, in the order they were mapped: every allocation lies wholly in
  // one of them. Once nothing in region `i` is used any more, release(i) returns its memory to
  // the system, or to the cache (the model is built from the parse trees and then lets them go,
  // region by region).
  struct Region {
    const char* begin;
    size_t size;
    bool contains(const void* p) const {
      auto at = reinterpret_cast<uintptr_t>(p), base = reinterpret_cast<uintptr_t>(begin);
      return at >= base && at - base < size;
    }
  };
  std::vector<Region> regions() const;
  void release(size_t region);
  size_t bytes_released() const { return released_; }  // of the usable parts

 private:
  struct Mapping {
    void* base;
    size_t size;    // mapped, with the slack that aligns the usable part
    size_t usable;  // what allocations may use
    bool released = false;
  };
  char* map_chunk(size_t size);
  static char* usable_part(void* base);

  size_t chunk_;
  bool huge_;
  ChunkCache* cache_;
  std::vector<Mapping> mappings_;
  char* cursor_ = nullptr;
  size_t left_ = 0;
  size_t mapped_ = 0;
  size_t released_ = 0;
  size_t used_ = 0;
};

}  // namespace kmc
