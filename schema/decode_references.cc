#include "schema/decode_references.h"

namespace kmc::schema {

namespace {

using Kind = ConfigRef::Kind;
using Site = ConfigRef::Site;

class ReferenceReader : public FieldReader {
 public:
  explicit ReferenceReader(const FieldReader& reader) : FieldReader(reader) {}

  void container(const Node& n, Container* c) {
    if (const Node* resources = map_at(n, "resources")) {
      const Node* requests = map_at(*resources, "requests");
      const Node* limits = map_at(*resources, "limits");
      for (auto [name, out] : {std::pair{"cpu", &c->cpu_request}, std::pair{"memory", &c->memory_request}}) {
        if (requests) *out = text_at(*requests, name);
        if (!out->set() && limits) *out = text_at(*limits, name);
      }
      if (limits) {
        c->cpu_limit = text_at(*limits, "cpu");
        c->memory_limit = text_at(*limits, "memory");
      }
    }
    each_map(n, "volumeDevices", c->volume_devices, [&](const Node& d) {
      c->volume_devices.push_back({text_at(d, "name"), text_at(d, "devicePath"), {}, keep_.node(&d)});
    });
    static constexpr std::string_view kProbes[][2] = {
        {"livenessProbe", "livenessProbe"}, {"readinessProbe", "readinessProbe"}, {"startupProbe", "startupProbe"}};
    for (const auto& probe : kProbes)
      if (const Node* p = map_at(n, probe[0])) handlers(*p, probe[1], c);
    c->readiness_probe = map_at(n, "readinessProbe") != nullptr;
    if (const Node* lifecycle = map_at(n, "lifecycle")) {
      if (const Node* h = map_at(*lifecycle, "postStart")) handlers(*h, "lifecycle.postStart", c);
      if (const Node* h = map_at(*lifecycle, "preStop")) handlers(*h, "lifecycle.preStop", c);
    }
  }

  void pod(const Node& n, PodSpec* s) {
    s->priority_class = text_at(n, "priorityClassName");
    for (std::string_view list : {"initContainers", "containers", "ephemeralContainers"})
      each_map(n, list, [&](const Node& c) { container_refs(c, s); });
    each_map(n, "volumes", s->config_refs, [&](const Node& v) {
      if (const Node* cm = map_at(v, "configMap")) source(*cm, Kind::ConfigMap, "name", Site::Volume, s);
      if (const Node* sec = map_at(v, "secret")) source(*sec, Kind::Secret, "secretName", Site::Volume, s);
      if (const Node* projected = map_at(v, "projected"))
        each_map(*projected, "sources", [&](const Node& p) {
          if (const Node* cm = map_at(p, "configMap")) source(*cm, Kind::ConfigMap, "name", Site::Volume, s);
          if (const Node* sec = map_at(p, "secret")) source(*sec, Kind::Secret, "name", Site::Volume, s);
        });
    });
    each_map(n, "imagePullSecrets", s->config_refs, [&](const Node& p) {
      ConfigRef r;
      r.kind = Kind::Secret;
      r.site = Site::ImagePullSecret;
      r.name = text_at(p, "name");
      r.node = keep_.node(&p);
      if (r.name.set()) s->config_refs.push_back(r);
    });
  }

 private:
  // A probe's or hook's handlers that take a port: httpGet and tcpSocket (grpc's is a number).
  void handlers(const Node& h, std::string_view where, Container* c) {
    for (std::string_view handler : {"httpGet", "tcpSocket"}) {
      const Node* action = map_at(h, handler);
      if (!action) continue;
      IntOrString port = int_or_string_at(*action, "port");
      if (port.set() && !port.is_int) c->named_ports.push_back({Text{port.node}, where});
    }
  }

  void container_refs(const Node& c, PodSpec* s) {
    Text name = text_at(c, "name");
    each_map(c, "env", [&](const Node& e) {
      const Node* from = map_at(e, "valueFrom");
      if (!from) return;
      for (auto [field, kind] : {std::pair{"configMapKeyRef", Kind::ConfigMap}, std::pair{"secretKeyRef", Kind::Secret}})
        if (const Node* ref = map_at(*from, field)) {
          ConfigRef r = make(*ref, kind, "name", Site::Env);
          r.key = text_at(*ref, "key");
          r.container = name;
          s->config_refs.push_back(r);
        }
    });
    each_map(c, "envFrom", [&](const Node& e) {
      for (auto [field, kind] : {std::pair{"configMapRef", Kind::ConfigMap}, std::pair{"secretRef", Kind::Secret}})
        if (const Node* ref = map_at(e, field)) {
          ConfigRef r = make(*ref, kind, "name", Site::EnvFrom);
          r.container = name;
          s->config_refs.push_back(r);
        }
    });
  }

  ConfigRef make(const Node& n, Kind kind, std::string_view name_field, Site site) {
    ConfigRef r;
    r.kind = kind;
    r.site = site;
    r.optional = bool_at(n, "optional").value_or(false);
    r.name = text_at(n, name_field);
    r.node = keep_.node(&n);
    return r;
  }

  // A volume's or projected source's ConfigMap or Secret, and each of its items' keys.
  void source(const Node& n, Kind kind, std::string_view name_field, Site site, PodSpec* s) {
    ConfigRef whole = make(n, kind, name_field, site);
    s->config_refs.push_back(whole);
    each_map(n, "items", s->config_refs, [&](const Node& item) {
      ConfigRef r = whole;
      r.site = Site::VolumeItem;
      r.key = text_at(item, "key");
      r.node = keep_.node(&item);
      if (r.key.set()) s->config_refs.push_back(r);
    });
  }
};

}  // namespace

void decode_container_references(FieldReader* reader, const Node& n, Container* c) { ReferenceReader(*reader).container(n, c); }

void decode_pod_references(FieldReader* reader, const Node& n, PodSpec* s) { ReferenceReader(*reader).pod(n, s); }

}  // namespace kmc::schema
