#include "parser/release.h"

#include <algorithm>

namespace kmc::parser {

namespace {

// The regions of arenas [begin, end), sorted by address, for region_containing().
template <class Region>
std::vector<Region> regions_by_address(const std::vector<std::unique_ptr<Arena>>& arenas, size_t begin) {
  std::vector<Region> out;
  for (size_t a = begin; a < arenas.size(); ++a) {
    std::vector<Arena::Region> regions = arenas[a]->regions();
    for (size_t i = 0; i < regions.size(); ++i) out.push_back({arenas[a].get(), i, regions[i].begin, regions[i].size});
  }
  std::sort(out.begin(), out.end(), [](const Region& a, const Region& b) { return std::less<const char*>()(a.begin, b.begin); });
  return out;
}

template <class Region> Region* region_containing(std::vector<Region>& regions, const void* at) {
  auto it = std::upper_bound(regions.begin(), regions.end(), at, [](const void* p, const Region& r) {
    return std::less<const void*>()(p, r.begin);
  });
  if (it == regions.begin()) return nullptr;
  --it;
  return Arena::Region{it->begin, it->size}.contains(at) ? &*it : nullptr;
}

template <class Region> size_t release(Region& r) {
  size_t before = r.arena->bytes_released();
  r.arena->release(r.index);
  r.released = true;
  return r.arena->bytes_released() - before;
}

}  // namespace

TreeRelease::TreeRelease(LoadResult* input, size_t arenas_begin, size_t objects_begin)
    : regions_(regions_by_address<Region>(input->memory.nodes, arenas_begin)) {
  for (size_t i = objects_begin; i < input->objects.size(); ++i)
    if (Region* r = region_of(input->objects[i])) r->objects_end = i + 1;
}

// A document's nodes are one allocation, so any of them names the region; a document's root is
// not among them (it lives in its Document), but its children are, as is the root of a List item.
TreeRelease::Region* TreeRelease::region_of(const RawObject& o) {
  return region_containing(regions_, o.root->is_scalar() || o.root->size() == 0 ? static_cast<const void*>(o.root)
                                                                                : o.root->kids());
}

void TreeRelease::done_through(size_t end) {
  for (Region& r : regions_)
    if (!r.released && r.objects_end <= end) released_ += release(r);
}

SourceRelease::SourceRelease(LoadResult* input, size_t arenas_begin, size_t objects_begin, size_t files_begin)
    : files_begin_(std::min<size_t>(files_begin, input->sources.size())),
      kept_lines_(input->memory.kept_lines.get()),
      regions_(regions_by_address<Region>(input->memory.source, arenas_begin)),
      keep_(input->sources.size() - files_begin_) {
  for (size_t f = files_begin_; f < input->sources.size(); ++f) files_.push_back(input->sources.files[f].get());
  for (size_t f = files_begin_; f < input->sources.size(); ++f)
    if (Region* r = region_of(static_cast<uint32_t>(f))) r->files.push_back(static_cast<uint32_t>(f));
  for (size_t i = objects_begin; i < input->objects.size(); ++i)
    if (Region* r = region_of(input->objects[i].file)) r->objects_end = i + 1;
}

// Standard input and in-memory text are in no region: they are kept. Files before files_begin_
// are in none of these regions.
SourceRelease::Region* SourceRelease::region_of(uint32_t file) {
  if (file < files_begin_ || file - files_begin_ >= files_.size()) return nullptr;
  const SourceFile& f = *files_[file - files_begin_];
  if (f.content.empty()) return nullptr;
  return region_containing(regions_, f.content.data());
}

void SourceRelease::keep_lines(uint32_t file, uint32_t first, uint32_t last) {
  if (file < files_begin_ || file - files_begin_ >= keep_.size()) return;
  for (uint32_t line = first; line <= last; ++line) keep_[file - files_begin_].push_back(line);
}

void SourceRelease::done_through(size_t end) {
  for (Region& r : regions_) {
    if (r.released || r.objects_end > end) continue;
    for (uint32_t f : r.files) {
      SourceFile& src = *files_[f - files_begin_];
      std::vector<uint32_t>& keep = keep_[f - files_begin_];
      // Suppression comments are read after the rules have run (checks/suppress.h).
      std::string_view c = src.content;
      uint32_t line = 1;
      size_t counted = 0;
      for (size_t at = c.find("kmc:ignore"); at != std::string_view::npos; at = c.find("kmc:ignore", at + 1)) {
        line += static_cast<uint32_t>(std::count(c.begin() + counted, c.begin() + at, '\n'));
        counted = at;
        keep.push_back(line);
      }
      src.release_content(std::move(keep), kept_lines_);
      std::vector<uint32_t>().swap(keep);
    }
    release(r);
  }
}

}  // namespace kmc::parser
