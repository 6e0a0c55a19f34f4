#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <span>
#include <string_view>

#include "render/diagnostics.h"
#include "render/json_stream.h"
#include "render/pieces.h"

namespace kmc::render {
using checks::Analysis;
using checks::Summary;

namespace {

template <class Writer> void string_field(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

template <class Writer> void position_fields(Writer& w, const SourceSet& sources, Position p) {
  string_field(w, "file", p.valid() && p.file < sources.size() ? std::string_view(sources[p.file].path) : "");
  w.Key("line");
  w.Uint(p.line);
  w.Key("column");
  w.Uint(p.column);
}

template <class Writer> void finding_object(Writer& w, const SourceSet& sources, const Finding& f) {
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

template <class Writer> void document(Writer& w, const Analysis& a, std::span<const Finding> findings) {
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("version");
  w.Uint(1);
  w.Key("findings");
  w.StartArray();
  for (const Finding& f : findings) finding_object(w, a.input.sources, f);
  w.EndArray();
  w.Key("summary");
  w.StartObject();
  const Summary& s = a.summary;
  for (auto [key, value] : {std::pair{"files", s.files}, {"documents", s.documents}, {"objects", s.objects},
                            {"errors", s.errors}, {"warnings", s.warnings}, {"infos", s.infos}}) {
    w.Key(key);
    w.Uint64(value);
  }
  // Present only when they apply: the format stays as it was otherwise.
  for (auto [key, value] : {std::pair{"notShown", s.not_shown}, {"skipped", s.skipped}, {"charts", s.charts}}) {
    if (!value) continue;
    w.Key(key);
    w.Uint64(value);
  }
  if (!s.unchecked.empty()) {
    w.Key("unchecked");  // objects by kind that no schema checked
    w.StartObject();
    for (const auto& [kind, n] : s.unchecked) {
      w.Key(kind.data(), static_cast<rapidjson::SizeType>(kind.size()));
      w.Uint64(n);
    }
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
}

// The whole document for `findings`, appended to `text`.
void append_document(const Analysis& a, std::span<const Finding> findings, std::string* text) {
  StringJsonStream stream(text);
  rapidjson::PrettyWriter<StringJsonStream> w(stream);
  document(w, a, findings);
}

// Findings are ~800 bytes of JSON each. With several threads they are rendered in pieces of 256
// (render/pieces.h): each piece is a whole document() of its findings, cut down to its array's
// contents (after "[", before "\n  ]"), which start with "\n    {" and join with ','. The
// frame around them is the document with no findings. The bytes are those of the streaming
// one-thread renderer (tested).
constexpr size_t kPiece = 256;

void render_in_pieces(const Analysis& a, std::ostream& out, const Workers& workers) {
  constexpr std::string_view kEmpty = "\"findings\": []", kClose = "\n  ]";
  std::string frame;
  append_document(a, {}, &frame);
  const size_t open = frame.find(kEmpty) + kEmpty.size() - 1;  // through '['; no finding text before
  const size_t after = frame.size() - open - 1;                 // what follows the empty list's ']'
  out.write(frame.data(), static_cast<std::streamsize>(open));
  const std::span<const Finding> all(a.findings);
  write_in_pieces(all.size(), workers, kPiece, out, [&](size_t begin, size_t end, std::string* piece) {
    // Cut in place, not copied out: at the run's end, a piece's text twice over, on every
    // thread, was what raised the peak.
    append_document(a, all.subspan(begin, end - begin), piece);
    piece->erase(piece->size() - after - kClose.size());
    if (begin > 0) (*piece)[open - 1] = ',';
    piece->erase(0, begin > 0 ? open - 1 : open);
  });
  out << kClose;
  out.write(frame.data() + open + 1, static_cast<std::streamsize>(after));
}

}  // namespace

void render_json(const Analysis& a, std::ostream& out, const Workers& workers) {
  if (workers.jobs() > 1 && a.findings.size() > kPiece) {
    render_in_pieces(a, out, workers);
  } else {
    BufferedJsonStream stream(out);
    rapidjson::PrettyWriter<BufferedJsonStream> w(stream);
    document(w, a, a.findings);
    stream.Flush();
  }
  out << "\n";
}

}  // namespace kmc::render
