#pragma once
#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "core/parallel.h"

namespace kmc {

// Writes items [0, count) to `out` in order, rendered in pieces of `piece` items on `jobs`
// threads: `render(begin, end, &text)` appends the text of items [begin, end). One window of a
// piece per thread is rendered at a time, so the text held is a few pieces, never the output.
// Large runs have tens of thousands of findings, and rendering them was the longest serial
// step after the analysis.
template <class Render>
void write_in_pieces(size_t count, unsigned jobs, size_t piece, std::ostream& out, const Render& render) {
  jobs = std::max(1u, jobs);
  for (size_t window = 0; window < count; window += piece * jobs) {
    size_t pieces = std::min<size_t>(jobs, (count - window + piece - 1) / piece);
    std::vector<std::string> text(pieces);
    parallel_for(pieces, jobs, 1, [&](size_t p, unsigned) {
      size_t begin = window + p * piece;
      render(begin, std::min(count, begin + piece), &text[p]);
    });
    for (const std::string& t : text) out.write(t.data(), static_cast<std::streamsize>(t.size()));
  }
}

}  // namespace kmc
