#include "checks/rules/common.h"

#include <fmt/format.h>

namespace kmc {

std::string format_labels(const LabelMap& labels) {
  if (labels.empty()) return "no labels";
  std::string out;
  for (LabelMap::Entry e : labels) {
    if (!out.empty()) out += ",";
    out += fmt::format("{}={}", e.key(), e.value());
  }
  return out;
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

bool is_custom_resource(const Object& o) {
  std::string_view g = o.group();
  if (g.empty() || g == "apps" || g == "batch" || g == "autoscaling" || g == "policy" || g == "extensions") return false;
  return !(g.size() > 7 && g.substr(g.size() - 7) == ".k8s.io");
}

std::set<std::string_view> operator_namespaces(const Model& model) {
  std::set<std::string_view> out;
  for (const Object& o : model.objects)
    if (is_custom_resource(o)) out.insert(o.ns);
  return out;
}

}  // namespace kmc
