#include "render/graph_image.h"

#include <cctype>

#ifdef KMC_HAVE_GRAPHVIZ
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#endif

namespace kmc {

bool graphviz_available() {
#ifdef KMC_HAVE_GRAPHVIZ
  return true;
#else
  return false;
#endif
}

bool render_image(const std::string& dot, const std::string& path, std::string* error) {
  std::string format = path.size() > 4 ? path.substr(path.size() - 3) : "";
  for (char& c : format) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (format != "svg" && format != "png" && format != "pdf") {
    *error = "the image format is taken from the file name: .svg, .png or .pdf";
    return false;
  }
#ifdef KMC_HAVE_GRAPHVIZ
  GVC_t* gvc = gvContext();
  Agraph_t* g = agmemread(dot.c_str());
  if (!g) {
    gvFreeContext(gvc);
    *error = "Graphviz could not read the graph";
    return false;
  }
  bool ok = gvLayout(gvc, g, "dot") == 0 && gvRenderFilename(gvc, g, format.c_str(), path.c_str()) == 0;
  gvFreeLayout(gvc, g);
  agclose(g);
  gvFreeContext(gvc);
  if (!ok)
    *error = "Graphviz could not lay out or write " + path + " (is its " + format +
             " plugin installed? .svg needs none: kmc graph -o topology.svg)";
  return ok;
#else
  (void)dot;
  *error = "this kmc was built without the Graphviz library; write dot and render it: kmc graph > topology.dot && dot -Tsvg topology.dot -o " + path;
  return false;
#endif
}

}  // namespace kmc
