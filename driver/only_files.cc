#include "driver/only_files.h"

#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "checks/rule.h"
#include "core/paths.h"

namespace kmc::driver {
using schema::Object;
using checks::Analysis;
using checks::Rule;
using checks::find_rule;
using checks::summarize;

void keep_findings_involving(Analysis* analysis, const std::vector<std::string>& files,
                             std::vector<std::string>* unread) {
  Analysis& a = *analysis;
  const SourceSet& sources = a.input.sources;
  std::unordered_map<std::string, bool> wanted;  // canonical path -> met among the sources
  for (const std::string& f : files) wanted.emplace(canonical_path(f), false);
  std::vector<bool> listed(sources.size(), false);
  for (uint32_t i = 0; i < sources.size(); ++i) {
    if (sources[i].context || sources[i].path.empty() || sources[i].path.front() == '<') continue;
    auto it = wanted.find(canonical_path(sources[i].path));
    if (it == wanted.end()) continue;
    listed[i] = true;
    it->second = true;
  }
  for (const std::string& f : files)
    if (!wanted[canonical_path(f)]) unread->push_back(f);

  // The objects of the listed files, by what a finding names them with; their namespaces.
  using Key = std::tuple<std::string_view, std::string_view, std::string_view>;  // kind, ns, name
  std::set<Key> objects;
  std::set<std::string_view> namespaces;
  bool cluster_scoped = false;
  for (const Object& o : a.model.objects) {
    if (o.context || o.raw->file >= listed.size() || !listed[o.raw->file]) continue;
    objects.insert({o.kind(), o.ns, o.name()});
    if (o.cluster_scoped) cluster_scoped = true;
    else namespaces.insert(o.ns);
  }
  auto in_listed = [&](Position p) { return p.valid() && p.file < listed.size() && listed[p.file]; };
  auto involves = [&](const Finding& f) {
    if (in_listed(f.pos)) return true;
    for (const Related& r : f.related)
      if (in_listed(r.pos)) return true;
    if (!f.object) return false;
    if (objects.count({f.object->kind, f.object->ns, f.object->name})) return true;
    const Rule* rule = find_rule(f.rule);
    if (!rule || !rule->relates_objects()) return false;
    return cluster_scoped || namespaces.count(f.object->ns) > 0;
  };
  std::erase_if(a.findings, [&](const Finding& f) { return !involves(f); });
  a.summary = summarize(a.input, a.findings);
}

}  // namespace kmc::driver
