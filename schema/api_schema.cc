#include "schema/api_schema.h"

#include <algorithm>
#include <tuple>

namespace kmc::api {

namespace {

// Byte order, as std::string_view's operator<, but inline: the names of a definition's fields
// differ from a key in their first bytes, and a call to memcmp at each step of the search
// showed in a whole run (validation looks up every key of every object; docs/performance.md, "Measurements behind the code").
bool name_less(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  return a.size() < b.size();
}

}  // namespace

const Field* Schema::find_field(const Definition& d, std::string_view name) const {
  auto fs = fields_of(d);
  auto it = std::lower_bound(fs.begin(), fs.end(), name, [](const Field& f, std::string_view n) { return name_less(f.name, n); });
  return it != fs.end() && it->name == name ? &*it : nullptr;
}

const Kind* Schema::find_kind(std::string_view group, std::string_view version, std::string_view kind) const {
  auto key = std::make_tuple(kind, group, version);
  auto it = std::lower_bound(kinds.begin(), kinds.end(), key, [](const Kind& k, const auto& key) {
    return std::make_tuple(k.kind, k.group, k.version) < key;
  });
  if (it == kinds.end() || it->kind != kind || it->group != group || it->version != version) return nullptr;
  return &*it;
}

std::vector<const Kind*> Schema::versions_of(std::string_view kind) const {
  std::vector<const Kind*> out;
  auto it = std::lower_bound(kinds.begin(), kinds.end(), kind,
                             [](const Kind& k, std::string_view n) { return k.kind < n; });
  for (; it != kinds.end() && it->kind == kind; ++it) out.push_back(&*it);
  return out;
}

const Definition* Schema::find_definition(std::string_view name) const {
  auto it = std::lower_bound(definitions.begin(), definitions.end(), name,
                             [](const Definition& d, std::string_view n) { return d.name < n; });
  return it != definitions.end() && it->name == name ? &*it : nullptr;
}

std::string api_version_of(const Kind& k) {
  return k.group.empty() ? std::string(k.version) : std::string(k.group) + "/" + std::string(k.version);
}

}  // namespace kmc::api
