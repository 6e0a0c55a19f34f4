#pragma once
#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "core/parallel.h"

namespace kmc::render {

// Writes items [0, count) to `out` in order, rendered in pieces of `piece` items on
// `workers`: `render(begin, end, &text)` appends the text of items [begin, end) to an empty
// string. One window of a piece per thread is rendered at a time, so the text held is a few
// pieces, never the output; and the same strings take every window's pieces, so that their
// memory is had once and not again from a heap that keeps what the last window freed.
// Large runs have tens of thousands of findings, and rendering them was the longest serial
// step after the analysis.
template <class Render>
void write_in_pieces(size_t count, const Workers& workers, size_t piece, std::ostream& out, const Render& render) {
  const unsigned jobs = workers.jobs();
  std::vector<std::string> text(std::min<size_t>(jobs, (count + piece - 1) / piece));
  for (size_t window = 0; window < count; window += piece * jobs) {
    size_t pieces = std::min<size_t>(jobs, (count - window + piece - 1) / piece);
    workers.parallel_for(pieces, 1, [&](size_t p, unsigned) {
      size_t begin = window + p * piece;
      text[p].clear();
      render(begin, std::min(count, begin + piece), &text[p]);
    });
    for (size_t p = 0; p < pieces; ++p) out.write(text[p].data(), static_cast<std::streamsize>(text[p].size()));
  }
}

}  // namespace kmc::render
