#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "lsp/text_document.h"

// Reading a client's JSON without trusting its shape: every accessor answers "absent" for a
// missing member or one of another type, so a handler checks one optional, never a crash.
namespace kmc::lsp {
using Json = rapidjson::Value;
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

/// `value[key]` when `value` is an object that has it.
inline const Json* member(const Json* value, const char* key) {
  if (!value || !value->IsObject()) return nullptr;
  auto it = value->FindMember(key);
  return it == value->MemberEnd() ? nullptr : &it->value;
}

inline std::optional<std::string_view> string_at(const Json* value, const char* key) {
  const Json* v = member(value, key);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string_view(v->GetString(), v->GetStringLength());
}

inline std::optional<int64_t> integer_at(const Json* value, const char* key) {
  const Json* v = member(value, key);
  if (!v || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

/// A protocol Position (`{line, character}`), both unsigned 32-bit integers.
inline std::optional<LspPosition> position_at(const Json* value, const char* key) {
  const Json* p = member(value, key);
  const Json* line = member(p, "line");
  const Json* character = member(p, "character");
  if (!line || !character || !line->IsUint() || !character->IsUint()) return std::nullopt;
  return LspPosition{line->GetUint(), character->GetUint()};
}

inline std::optional<LspRange> range_at(const Json* value, const char* key) {
  const Json* r = member(value, key);
  auto start = position_at(r, "start");
  auto end = position_at(r, "end");
  if (!start || !end) return std::nullopt;
  return LspRange{*start, *end};
}

/// A JSON value as text (a request's id, echoed in its response).
inline std::string json_text(const Json& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  value.Accept(w);
  return buffer.GetString();
}

inline void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

inline void write_position(JsonWriter& w, LspPosition p) {
  w.StartObject();
  w.Key("line");
  w.Uint(p.line);
  w.Key("character");
  w.Uint(p.character);
  w.EndObject();
}

inline void write_range(JsonWriter& w, LspRange r) {
  w.StartObject();
  w.Key("start");
  write_position(w, r.start);
  w.Key("end");
  write_position(w, r.end);
  w.EndObject();
}

}  // namespace kmc::lsp
