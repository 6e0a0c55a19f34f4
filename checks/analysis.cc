#include "checks/analysis.h"

#include <algorithm>
#include <map>
#include <set>

namespace kmc::checks {
using parser::Document;
using parser::LoadResult;
using parser::RawObject;

Analysis& Analysis::operator=(Analysis&& other) noexcept {
  input = std::move(other.input);
  model = std::move(other.model);
  topology = std::move(other.topology);
  views = std::move(other.views);
  primary_root = std::move(other.primary_root);
  fix_texts = std::move(other.fix_texts);
  findings = std::move(other.findings);
  summary = other.summary;
  // Only topologies that were linked read sources (an empty one has none to read).
  if (topology.sources) topology.sources = &input.sources;
  for (auto& v : views)
    if (v->topology.sources) v->topology.sources = &input.sources;
  return *this;
}

Summary summarize(const LoadResult& input, const std::vector<Finding>& findings) {
  Summary s;
  for (const auto& f : input.sources.files) {
    s.files += !f->context && !f->skipped;
    s.skipped += !f->context && f->skipped;
  }
  s.charts = input.skipped_charts;
  for (const Document* d : input.documents) s.documents += !input.sources[d->file].context;
  for (const RawObject& o : input.objects) s.objects += !o.context;
  for (const Finding& f : findings) {
    switch (f.severity) {
      case Severity::Error: ++s.errors; break;
      case Severity::Warning: ++s.warnings; break;
      case Severity::Info: ++s.infos; break;
    }
  }
  return s;
}

std::vector<std::pair<std::string, size_t>> unchecked_by_kind(const Analysis& a) {
  std::map<std::string, size_t, std::less<>> counts;
  std::set<Position> seen;
  auto count = [&](const Model& m) {
    for (const Object* o : m.with_issues)
      for (const schema::SchemaIssue& i : o->issues)
        if (i.rule == RuleId::SchemaUnknownKind && !o->context && seen.insert(o->pos()).second) ++counts[std::string(o->kind())];
  };
  count(a.model);
  for (const auto& v : a.views) count(v->model);
  std::vector<std::pair<std::string, size_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  return out;
}

void limit_listed_findings(Analysis* a, size_t total) {
  if (total == 0 || a->findings.size() <= total) return;
  a->summary.not_shown += a->findings.size() - total;
  a->findings.erase(a->findings.begin() + static_cast<std::ptrdiff_t>(total), a->findings.end());
}

}  // namespace kmc::checks
