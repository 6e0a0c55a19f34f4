// textDocument/definition: from a reference to what it names, through the check's topology —
// the same links the rules read, so a jump goes where kmc resolved the name.
#include <algorithm>

#include "checks/topology.h"
#include "core/paths.h"
#include "driver/run.h"
#include "lsp/diagnostics.h"
#include "lsp/requests.h"
#include "lsp/uri.h"
#include "lsp/workspace_check.h"

namespace kmc::lsp {
namespace {
using checks::Topology;
using schema::Object;

// The places a definition answers with, as the check's positions.
class Targets {
 public:
  explicit Targets(const SourceSet& sources) : sources_(sources) {}
  void add(Position p) {
    if (p.valid() && p.file < sources_.size() && std::find(places_.begin(), places_.end(), p) == places_.end())
      places_.push_back(p);
  }
  void add(const Object* o) {
    if (o) add(o->pos());
  }
  void write(JsonWriter& w, Encoding encoding) const {
    for (Position p : places_) {
      const SourceFile& file = sources_[p.file];
      w.StartObject();
      w.Key("uri");
      write_string(w, uri_of_path(absolute_path(file.path)));
      w.Key("range");
      write_range(w, finding_range(file.line_text(p.line), p.line, p.column, encoding));
      w.EndObject();
    }
  }
  bool empty() const { return places_.empty(); }

 private:
  const SourceSet& sources_;
  std::vector<Position> places_;
};

// Where key `key` of a ConfigMap's or Secret's data is written, else the object.
Position key_position(const Object& o, std::string_view key) {
  if (const auto* data = o.as<schema::ConfigData>()) {
    for (const parser::Node* map : {data->data, data->string_data, data->binary_data})
      if (map && map->is_map() && !key.empty())
        if (const parser::Node* value = map->get(key)) return (value - 1)->pos();  // the key precedes its value
  }
  return o.pos();
}

bool on_line(Position p, uint32_t line) { return p.valid() && p.line == line; }

// A pod's references on the cursor's line: ConfigMaps and Secrets (to the key when it names
// one), claims, the StatefulSet's governing Service, Services by variable or DNS name.
void pod_references(const Topology& t, const Object& o, uint32_t line, Targets* out) {
  const auto* workload = o.as<schema::Workload>();
  if (!workload) return;
  const schema::PodSpec& pod = workload->pod_template.spec;
  for (const schema::ConfigRef& r : pod.config_refs) {
    if (!on_line(r.name.pos(), line) && !on_line(r.key.pos(), line)) continue;
    std::string_view kind = r.kind == schema::ConfigRef::Kind::ConfigMap ? "ConfigMap" : "Secret";
    if (const Object* target = t.find("", kind, o.ns, r.name.value())) out->add(key_position(*target, r.key.value()));
  }
  for (const schema::Volume& v : pod.volumes)
    if (on_line(v.claim_name.pos(), line))
      for (const checks::StorageClaim& claim : t.storage.claims)
        if (claim.ns == o.ns && claim.name == v.claim_name.value()) out->add(claim.object);
  if (on_line(workload->service_name.pos(), line))
    if (const checks::ServiceLinks* s = t.service(o.ns, workload->service_name.value(), o)) out->add(s->object);
  for (const checks::ServiceVariableUse& u : t.variable_uses)
    if (u.service && on_line(u.pos, line) && t.pod_sources[u.pod_source].object == &o) out->add(u.service->object);
  for (const checks::DnsNameUse& u : t.dns_uses)
    if (u.target && on_line(u.pos, line) && t.pod_sources[u.pod_source].object == &o) out->add(u.target->object);
}

// A Service: the pod templates it selects (their labels) and its Endpoints. A claim: the volume
// it binds. An Ingress backend: its Service.
void object_links(const Topology& t, const Object& o, uint32_t line, Targets* out) {
  for (const checks::ServiceLinks& s : t.services) {
    if (s.object != &o) continue;
    for (uint32_t p : s.selected) {
      const schema::PodTemplate& pod = t.pod_sources[p].pod();
      out->add(pod.meta.labels.node ? pod.meta.labels.node->pos() : t.pod_sources[p].object->pos());
    }
    for (const Object* e : s.endpoints) out->add(e);
    for (const Object* e : s.slices) out->add(e);
  }
  const auto& claims = t.storage.claims;
  for (size_t i = 0; i < claims.size(); ++i)
    if (claims[i].object == &o && !claims[i].from_template)
      for (const checks::StorageVolume& v : t.storage.volumes)
        if (v.bound_to == static_cast<int32_t>(i)) out->add(v.object);
  for (const checks::IngressLink& l : t.ingress_links)
    if (l.ingress == &o && l.service && on_line(l.backend->service_name.pos(), line)) out->add(l.service->object);
}

}  // namespace

void definition(const RequestContext& c, LspPosition at, JsonWriter& w) {
  uint32_t line = at.line + 1;
  if (!c.check) {
    w.Null();
    return;
  }
  for (const auto& run : c.check->runs) {
    const checks::Analysis& a = run->analysis;
    Targets targets(a.input.sources);
    auto look = [&](const schema::Model& model, const Topology& t) {
      // The object whose text holds the cursor: the last one starting at or before its line.
      const Object* at_cursor = nullptr;
      for (const Object& o : model.objects) {
        if (!o.raw || o.raw->rendered || o.raw->patch || o.pos().line > line) continue;
        if (absolute_path(a.input.sources[o.raw->file].path) != c.document.path) continue;
        if (!at_cursor || o.pos().line > at_cursor->pos().line) at_cursor = &o;
      }
      if (!at_cursor) return;
      pod_references(t, *at_cursor, line, &targets);
      if (targets.empty()) object_links(t, *at_cursor, line, &targets);
    };
    look(a.model, a.topology);
    for (const auto& view : a.views)
      if (view && targets.empty()) look(view->model, view->topology);
    if (!targets.empty()) {
      w.StartArray();
      targets.write(w, c.encoding);
      w.EndArray();
      return;
    }
  }
  w.Null();
}

}  // namespace kmc::lsp
