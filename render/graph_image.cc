#include "render/graph_image.h"

#include <dlfcn.h>

#include <cctype>

namespace kmc::render {
namespace {

// Graphviz is loaded when an image is asked for, not linked: a kmc copied onto a machine without
// it runs, and says how to get it only when it needs it. The few entry points kmc calls, with
// the types of gvc.h and cgraph.h (a context and a graph are opaque to kmc).
struct Graphviz {
  void* (*context)() = nullptr;                                        // gvContext
  int (*free_context)(void*) = nullptr;                                // gvFreeContext
  void* (*read)(const char*) = nullptr;                                // agmemread
  int (*close)(void*) = nullptr;                                       // agclose
  int (*layout)(void*, void*, const char*) = nullptr;                  // gvLayout
  int (*render)(void*, void*, const char*, const char*) = nullptr;     // gvRenderFilename
  int (*free_layout)(void*, void*) = nullptr;                          // gvFreeLayout
  bool loaded = false;
};

template <typename F>
bool bind(void* library, const char* name, F* out) {
  void* symbol = dlsym(library, name);
  *out = reinterpret_cast<F>(symbol);
  return symbol != nullptr;
}

// The library of Graphviz 2.x–12.x (soname libgvc.so.6); it brings libcgraph with it. Loaded
// once and kept for the process, as Graphviz's plugins cannot be unloaded safely.
const Graphviz& graphviz() {
  static const Graphviz g = [] {
    Graphviz g;
    void* library = dlopen("libgvc.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!library) return g;
    g.loaded = bind(library, "gvContext", &g.context) && bind(library, "gvFreeContext", &g.free_context) &&
               bind(library, "agmemread", &g.read) && bind(library, "agclose", &g.close) &&
               bind(library, "gvLayout", &g.layout) && bind(library, "gvRenderFilename", &g.render) &&
               bind(library, "gvFreeLayout", &g.free_layout);
    return g;
  }();
  return g;
}

}  // namespace

bool graphviz_available() { return graphviz().loaded; }

bool render_image(const std::string& dot, const std::string& path, std::string* error) {
  std::string format = path.size() > 4 ? path.substr(path.size() - 3) : "";
  for (char& c : format) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (format != "svg" && format != "png" && format != "pdf") {
    *error = "the image format is taken from the file name: .svg, .png or .pdf";
    return false;
  }
  const Graphviz& gv = graphviz();
  if (!gv.loaded) {
    *error = "drawing " + format + " needs the Graphviz library (libgvc.so.6), which is not installed: apt-get "
             "install libgvc6 (Debian, Ubuntu), dnf install graphviz, brew install graphviz; or write dot and render "
             "it: kmc graph -o topology.dot && dot -T" + format + " topology.dot -o " + path;
    return false;
  }
  void* context = gv.context();
  void* graph = context ? gv.read(dot.c_str()) : nullptr;
  if (!graph) {
    if (context) gv.free_context(context);
    *error = "Graphviz could not read the graph";
    return false;
  }
  bool ok = gv.layout(context, graph, "dot") == 0 && gv.render(context, graph, format.c_str(), path.c_str()) == 0;
  gv.free_layout(context, graph);
  gv.close(graph);
  gv.free_context(context);
  if (!ok)
    *error = "Graphviz could not lay out or write " + path + " (is its " + format +
             " plugin installed? .svg needs none: kmc graph -o topology.svg)";
  return ok;
}

}  // namespace kmc::render
