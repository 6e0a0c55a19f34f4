#include "schema/decode_network_policy.h"

namespace kmc::schema {
namespace {

class NetworkPolicyReader : public FieldReader {
 public:
  explicit NetworkPolicyReader(const FieldReader& reader) : FieldReader(reader) {}

  NetworkPolicy::Rule rule(const Node& n, const char* peers_key) {
    NetworkPolicy::Rule r;
    r.node = keep_.node(&n);
    each_map(n, peers_key, r.peers, [&](const Node& p) {
      NetworkPolicy::Peer peer;
      peer.node = keep_.node(&p);
      peer.pods = label_selector(p.get("podSelector"));
      peer.namespaces = label_selector(p.get("namespaceSelector"));
      peer.ip_block = map_at(p, "ipBlock") != nullptr;
      r.peers.push_back(peer);
    });
    each_map(n, "ports", r.ports, [&](const Node& p) {
      r.ports.push_back({text_at(p, "protocol"), int_or_string_at(p, "port"), int_at(p, "endPort"), keep_.node(&p)});
    });
    return r;
  }

  NetworkPolicy policy(const Node& root) {
    NetworkPolicy out;
    const Node* spec = map_at(root, "spec");
    if (!spec) return out;
    out.pod_selector = label_selector(spec->get("podSelector"));
    each_map(*spec, "ingress", out.ingress, [&](const Node& r) { out.ingress.push_back(rule(r, "from")); });
    each_map(*spec, "egress", out.egress, [&](const Node& r) { out.egress.push_back(rule(r, "to")); });
    const Node* egress = spec->get("egress");
    std::vector<Text> types = texts_at(*spec, "policyTypes");
    if (types.empty()) {
      out.isolates_egress = egress && egress->is_seq() && egress->size() > 0;
    } else {
      out.isolates_ingress = out.isolates_egress = false;
      for (const Text& t : types) {
        out.isolates_ingress = out.isolates_ingress || t.value() == "Ingress";
        out.isolates_egress = out.isolates_egress || t.value() == "Egress";
      }
    }
    return out;
  }
};

}  // namespace

void decode_network_policy_spec(FieldReader* reader, Object& o) {
  o.spec = std::make_unique<NetworkPolicy>(NetworkPolicyReader(*reader).policy(o.node()));
}

}  // namespace kmc::schema
