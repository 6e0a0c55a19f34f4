#pragma once
#include <string_view>
#include <vector>

#include "checks/topology.h"
#include "parser/node.h"
#include "schema/model.h"

namespace kmc::checks {
using parser::Node;
using schema::Container;

// The variable names a container's envFrom sources define: prefix + key of each ConfigMap or
// Secret found in the set, read in place from their data (a set of copies, built for every
// container, was most of what linking allocated). `open` is set when a source is not in the set:
// it may define anything.
struct EnvFromNames {
  struct Source {
    std::string_view prefix;
    const Node* data;         // mappings, or null
    const Node* string_data;  // (a Secret's stringData)
  };
  std::vector<Source> sources;
  bool open = false;

  // Whether a source found in the set defines `name`.
  bool defines(std::string_view name) const;
};
EnvFromNames env_from_names(const Topology& topology, const Container& container, std::string_view ns);

}  // namespace kmc::checks
