#pragma once
#include <cstdint>

namespace kmc {

// A place in an input file, 1-based as editors show it. `file` indexes SourceSet::files.
struct Position {
  static constexpr uint32_t kNoFile = UINT32_MAX;
  uint32_t file = kNoFile;
  uint32_t line = 0;
  uint32_t column = 0;

  bool valid() const { return file != kNoFile; }
  friend bool operator==(const Position&, const Position&) = default;
  friend auto operator<=>(const Position&, const Position&) = default;
};

}  // namespace kmc
