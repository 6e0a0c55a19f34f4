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
    r.weight = int_at(n, "weight");
    return r;
  }

  Route route(const Node& root) {
    Route out;
    const Node* spec = map_at(root, "spec");
    if (!spec) return out;
    each_map(*spec, "parentRefs", out.parents, [&](const Node& p) { out.parents.push_back(ref(p)); });
    out.hostnames = texts_at(*spec, "hostnames");
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
      Gateway::Listener listener;
      listener.node = keep_.node(&l);
      listener.name = text_at(l, "name");
      listener.protocol = text_at(l, "protocol");
      listener.hostname = text_at(l, "hostname");
      listener.port = int_at(l, "port");
      if (const Node* allowed = map_at(l, "allowedRoutes")) {
        if (const Node* ns = map_at(*allowed, "namespaces")) {
          listener.allowed_from = text_at(*ns, "from");
          listener.allowed_selector = label_selector(ns->get("selector"));
        }
        each_map(*allowed, "kinds", listener.allowed_kinds, [&](const Node& k) { listener.allowed_kinds.push_back(ref(k)); });
      }
      if (const Node* tls = map_at(l, "tls"))
        each_map(*tls, "certificateRefs", listener.certificates, [&](const Node& c) { listener.certificates.push_back(ref(c)); });
      out.listeners.push_back(std::move(listener));
    });
    return out;
  }

  ReferenceGrant grant(const Node& root) {
    ReferenceGrant out;
    const Node* spec = map_at(root, "spec");
    if (!spec) return out;
    each_map(*spec, "from", out.from, [&](const Node& f) { out.from.push_back(ref(f)); });
    each_map(*spec, "to", out.to, [&](const Node& t) { out.to.push_back(ref(t)); });
    return out;
  }
};

}  // namespace

bool is_gateway_route(std::string_view group, std::string_view kind) {
  return group == "gateway.networking.k8s.io" &&
         (kind == "HTTPRoute" || kind == "GRPCRoute" || kind == "TCPRoute" || kind == "TLSRoute" || kind == "UDPRoute");
}

void decode_gateway_spec(FieldReader* reader, Object& o) {
  GatewayReader r(*reader);
  std::string_view k = o.kind();
  if (is_gateway_route(o.group(), k)) o.spec = std::make_unique<Route>(r.route(o.node()));
  else if (k == "Gateway") o.spec = std::make_unique<Gateway>(r.gateway(o.node()));
  else if (k == "ReferenceGrant") o.spec = std::make_unique<ReferenceGrant>(r.grant(o.node()));
}

}  // namespace kmc::schema
