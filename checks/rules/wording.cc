#include "checks/rules/wording.h"

#include <fmt/format.h>

namespace kmc::checks {
using parser::Node;
using schema::LabelMap;
using schema::ServicePort;
using schema::Text;

std::string format_labels(const LabelMap& labels) {
  if (labels.empty()) return "no labels";
  std::string out;
  for (LabelMap::Entry e : labels) {
    if (!out.empty()) out += ",";
    out += fmt::format("{}={}", e.key(), e.value());
  }
  return out;
}

std::string format_selector(const schema::LabelSelector& selector) {
  std::string out = selector.match_labels.empty() ? std::string() : format_labels(selector.match_labels);
  for (const schema::SelectorRequirement& r : selector.match_expressions) {
    if (!out.empty()) out += ",";
    std::string_view op = r.op.value();
    if (op == "Exists") out += r.key.value();
    else if (op == "DoesNotExist") out += fmt::format("!{}", r.key.value());
    else {
      std::string values;
      for (const Text& v : r.values) values += fmt::format("{}{}", values.empty() ? "" : ",", v.value());
      out += fmt::format("{} {} ({})", r.key.value(), op == "In" ? "in" : op == "NotIn" ? "notin" : op, values);
    }
  }
  return out.empty() ? "no labels" : out;
}

std::string_view protocol_or_tcp(const Text& protocol) {
  return protocol.set() && !protocol.value().empty() ? protocol.value() : "TCP";
}

std::string format_port(const ServicePort& p) {
  if (p.name.set() && !p.name.value().empty())
    return fmt::format("port \"{}\" ({}/{})", p.name.value(), p.port.value, protocol_or_tcp(p.protocol));
  return fmt::format("port {}/{}", p.port.value, protocol_or_tcp(p.protocol));
}

Position key_pos(const Node* map, std::string_view key) {
  if (!map || !map->is_map()) return {};
  const Node* k = map->key_node(key);
  return k ? k->pos() : map->pos();
}

}  // namespace kmc::checks
