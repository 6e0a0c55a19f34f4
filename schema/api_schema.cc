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

// The row of a table sorted by kind, group and version (the kinds, the removals), or nullptr.
template <class Row>
const Row* find_gvk(std::span<const Row> rows, std::string_view group, std::string_view version, std::string_view kind) {
  auto key = std::make_tuple(kind, group, version);
  auto it = std::lower_bound(rows.begin(), rows.end(), key, [](const Row& r, const auto& key) {
    return std::make_tuple(r.kind, r.group, r.version) < key;
  });
  if (it == rows.end() || it->kind != kind || it->group != group || it->version != version) return nullptr;
  return &*it;
}

}  // namespace

const Field* Schema::find_field(const Definition& d, std::string_view name) const {
  auto fs = fields_of(d);
  auto it = std::lower_bound(fs.begin(), fs.end(), name, [](const Field& f, std::string_view n) { return name_less(f.name, n); });
  // Most fields have one form in every release: the first row is the answer.
  for (; it != fs.end() && it->name == name; ++it)
    if (has(*it)) return &*it;
  return nullptr;
}

ReleaseMask Schema::field_releases(const Definition& d, std::string_view name) const {
  auto fs = fields_of(d);
  auto it = std::lower_bound(fs.begin(), fs.end(), name, [](const Field& f, std::string_view n) { return name_less(f.name, n); });
  ReleaseMask mask = 0;
  for (; it != fs.end() && it->name == name; ++it) mask |= it->releases;
  return mask;
}

const Kind* Schema::find_kind_any(std::string_view group, std::string_view version, std::string_view kind) const {
  return find_gvk(kinds, group, version, kind);
}

const Kind* Schema::find_kind(std::string_view group, std::string_view version, std::string_view kind) const {
  const Kind* k = find_kind_any(group, version, kind);
  return k && serves(*k) ? k : nullptr;
}

std::span<const Kind> Schema::rows_of(std::string_view kind) const {
  auto first = std::lower_bound(kinds.begin(), kinds.end(), kind, [](const Kind& k, std::string_view n) { return k.kind < n; });
  auto last = first;
  while (last != kinds.end() && last->kind == kind) ++last;
  return {first, last};
}

std::vector<const Kind*> Schema::versions_of(std::string_view kind) const {
  std::vector<const Kind*> out;
  for (const Kind& k : rows_of(kind))
    if (serves(k)) out.push_back(&k);
  return out;
}

const Removal* Schema::find_removal(std::string_view group, std::string_view version, std::string_view kind) const {
  return find_gvk(removals, group, version, kind);
}

const Definition* Schema::find_definition(std::string_view name) const {
  auto it = std::lower_bound(definitions.begin(), definitions.end(), name,
                             [](const Definition& d, std::string_view n) { return d.name < n; });
  return it != definitions.end() && it->name == name ? &*it : nullptr;
}

const Schema& embedded_schema() { return embedded_releases().back(); }

const Schema* find_release(std::string_view name) {
  if (name.starts_with('v')) name.remove_prefix(1);
  for (const Schema& s : embedded_releases())
    if (name == s.release) return &s;
  return nullptr;
}

const Schema* added_after(ReleaseMask mask, const Schema& s) {
  for (const Schema& r : embedded_releases())
    if (r.bit > s.bit && (mask & r.bit)) return &r;
  return nullptr;
}

const Schema* dropped_before(ReleaseMask mask, const Schema& s) {
  const Schema* after_last = nullptr;
  bool had = false;
  for (const Schema& r : embedded_releases()) {
    if (r.bit >= s.bit) break;
    if (mask & r.bit) had = true, after_last = nullptr;
    else if (had && !after_last) after_last = &r;
  }
  return had ? (after_last ? after_last : &s) : nullptr;
}

const Schema* dropped_after(ReleaseMask mask, const Schema& s) {
  for (const Schema& r : embedded_releases())
    if (r.bit > s.bit && !(mask & r.bit)) return &r;
  return nullptr;
}

std::string release_range() {
  return std::string(embedded_releases().front().release) + " to " + embedded_releases().back().release;
}

int release_minor(std::string_view name) {
  if (name.starts_with('v')) name.remove_prefix(1);
  if (!name.starts_with("1.") || name.size() < 3 || name.size() > 4) return -1;
  int minor = 0;
  for (char c : name.substr(2)) {
    if (c < '0' || c > '9') return -1;
    minor = minor * 10 + (c - '0');
  }
  return minor;
}

std::string api_version_of(const Kind& k) {
  return k.group.empty() ? std::string(k.version) : std::string(k.group) + "/" + std::string(k.version);
}

}  // namespace kmc::api
