#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/arena.h"
#include "core/source.h"
#include "parser/load.h"

// The loader's memory as analysis is done with it: the parse trees and the files' bytes of a
// batch are let go region by region once every object in a region is built into the model
// (driver/model_builder.h is their one user). docs/performance.md has the figures.
namespace kmc::parser {

// A region of an arena that TreeRelease or SourceRelease lets go once its objects are done with.
struct ReleasableRegion {
  Arena* arena;
  size_t index;  // in the arena's regions()
  const char* begin;
  size_t size;
  size_t objects_end = 0;  // one past the last object with nodes or bytes here (0: none)
  bool released = false;
};

// Lets go of the parse trees' memory as analysis is done with the objects in it (ModelBuilder):
// each region of LoadMemory::nodes (from `arenas_begin` on: a batch's) is released once
// every object whose nodes lie in it is done with. Objects are done with in input order.
class TreeRelease {
 public:
  // Objects before `objects_begin` have no nodes in those arenas (an earlier batch's).
  explicit TreeRelease(LoadResult* input, size_t arenas_begin = 0, size_t objects_begin = 0);
  void done_through(size_t end);  // objects [0, end) of LoadResult::objects are done with
  size_t bytes_released() const { return released_; }

 private:
  using Region = ReleasableRegion;
  Region* region_of(const RawObject& o);
  std::vector<Region> regions_;  // by address
  size_t released_ = 0;
};

// Lets go of the files' bytes likewise: each region of LoadMemory::source (from
// `arenas_begin` on) once every object of every file in it is done with. Each file released
// keeps the lines asked for and those of its `kmc:ignore` comments (SourceFile::release_content).
// Only files from `files_begin` on can have bytes in those regions: a batch's releaser looks at
// the batch's files, not at every file read so far (that made the batches' cost grow with the
// square of the files).
class SourceRelease {
 public:
  explicit SourceRelease(LoadResult* input, size_t arenas_begin = 0, size_t objects_begin = 0, size_t files_begin = 0);
  void keep_lines(uint32_t file, uint32_t first, uint32_t last);
  void done_through(size_t end);  // objects [0, end) of LoadResult::objects are done with

 private:
  struct Region : ReleasableRegion {
    std::vector<uint32_t> files;  // whose bytes lie here
  };
  Region* region_of(uint32_t file);
  size_t files_begin_;
  std::vector<SourceFile*> files_;  // files files_begin_, files_begin_ + 1, …; stable (SourceSet holds them by pointer)
  Arena* kept_lines_;
  std::vector<Region> regions_;  // by address
  std::vector<std::vector<uint32_t>> keep_;  // lines to keep, as files_
};

}  // namespace kmc::parser
