#pragma once
#include <string>

// Renders Graphviz dot text to an SVG, PNG or PDF file with the Graphviz library, when kmc was built
// with it (Debian libgraphviz-dev). Returns false and says why in `error` otherwise.
namespace kmc {

bool graphviz_available();
bool render_image(const std::string& dot, const std::string& path, std::string* error);

}  // namespace kmc
