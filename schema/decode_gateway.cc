#include "schema/decode_gateway.h"

namespace kmc::schema {

namespace {

class GatewayReader : public FieldReader {
 public:
  explicit GatewayReader(const FieldReader& reader) : FieldReader(reader) {}

  GatewayRef ref(const Node& n) {
    GatewayRef r;
    r.node = keep_.node(&n);
    r.group = text_at(n, "group");
    r.kind = text_at(n, "kind");
    r.ns = text_at(n, "namespace");
    r.name = text_at(n, "name");
    r.section_name = text_at(n, "sectionName");
    r.port = int_at(n, "port");
    return r;
  }

  Route route(const Node& root) {
    Route out;
    const Node* spec = map_at(root, "spec");
    if (!spec) return out;
    each_map(*spec, "parentRefs", out.parents, [&](const Node& p) { out.parents.push_back(ref(p)); });
    each_map(*spec, "rules", [&](const Node& rule) {
      each_map(rule, "backendRefs", out.backends, [&](const Node& b) { out.backends.push_back(ref(b)); });
    });
    return out;
  }

  Gateway gateway(const Node& root) {
    Gateway out;
    const Node* spec = map_at(root, "spec");
    if (!spec) return out;
    each_map(*spec, "listeners", out.listeners, [&](const Node& l) {
      out.listeners.push_back({text_at(l, "name"), text_at(l, "protocol"), int_at(l, "port"), keep_.node(&l)});
    });
    return out;
  }
};

}  // namespace

bool is_gateway_route(std::string_view group, std::string_view kind) {
  return group == "gateway.networking.k8s.io" &&
         (kind == "HTTPRoute" || kind == "GRPCRoute" || kind == "TCPRoute" || kind == "TLSRoute" || kind == "UDPRoute");
}

Route decode_route(FieldReader* reader, const Node& root) { return GatewayReader(*reader).route(root); }

Gateway decode_gateway(FieldReader* reader, const Node& root) { return GatewayReader(*reader).gateway(root); }

}  // namespace kmc::schema
