#pragma once
#include <string>

// Renders Graphviz dot text to an SVG, PNG or PDF file with the Graphviz library, loaded at run
// time when it is installed (libgvc.so.6: Debian libgvc6). Returns false and says why (and how to
// get it) in `error` otherwise.
namespace kmc::render {

bool graphviz_available();
bool render_image(const std::string& dot, const std::string& path, std::string* error);

}  // namespace kmc::render
