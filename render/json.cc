#include <rapidjson/prettywriter.h>

#include "render/json_stream.h"

#include "render/diagnostics.h"

namespace kmc {
namespace {

using Writer = rapidjson::PrettyWriter<BufferedJsonStream>;

void string_field(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void position_fields(Writer& w, const SourceSet& sources, Position p) {
  string_field(w, "file", p.valid() && p.file < sources.size() ? std::string_view(sources[p.file].path) : "");
  w.Key("line");
  w.Uint(p.line);
  w.Key("column");
  w.Uint(p.column);
}

}  // namespace

void render_json(const Analysis& a, std::ostream& out) {
  BufferedJsonStream stream(out);
  Writer w(stream);
  w.SetIndent(' ', 2);
  const SourceSet& sources = a.input.sources;
  w.StartObject();
  w.Key("version");
  w.Uint(1);
  w.Key("findings");
  w.StartArray();
  for (const Finding& f : a.findings) {
    w.StartObject();
    string_field(w, "rule", f.rule);
    string_field(w, "severity", severity_name(f.severity));
    string_field(w, "message", f.message);
    position_fields(w, sources, f.pos);
    w.Key("object");
    if (f.object) {
      w.StartObject();
      string_field(w, "apiVersion", f.object->api_version);
      string_field(w, "kind", f.object->kind);
      string_field(w, "namespace", f.object->ns);
      string_field(w, "name", f.object->name);
      w.EndObject();
    } else {
      w.Null();
    }
    w.Key("related");
    w.StartArray();
    for (const Related& r : f.related) {
      w.StartObject();
      position_fields(w, sources, r.pos);
      string_field(w, "message", r.message);
      w.EndObject();
    }
    w.EndArray();
    string_field(w, "fix", f.fix);
    w.EndObject();
  }
  w.EndArray();
  w.Key("summary");
  w.StartObject();
  const Summary& s = a.summary;
  for (auto [key, value] : {std::pair{"files", s.files}, {"documents", s.documents}, {"objects", s.objects},
                            {"errors", s.errors}, {"warnings", s.warnings}, {"infos", s.infos}}) {
    w.Key(key);
    w.Uint64(value);
  }
  w.EndObject();
  w.EndObject();
  stream.Flush();
  out << "\n";
}

}  // namespace kmc
