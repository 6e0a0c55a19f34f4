#pragma once
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <vector>

namespace kmc {

// A bump allocator for what lives as long as the run: parsed nodes, their text, documents.
// Chunks are 2 MiB-aligned and advised as transparent huge pages: on the machines we measured,
// page faults on ordinary 4 KiB pages cost more than libyaml's whole parse (bench/).
// Not thread-safe: one arena per worker.
class Arena {
 public:
  Arena() = default;
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

 private:
  struct Mapping {
    void* base;
    size_t size;
  };
  char* map_chunk(size_t size);

  std::vector<Mapping> mappings_;
  char* cursor_ = nullptr;
  size_t left_ = 0;
  size_t mapped_ = 0;
};

}  // namespace kmc
