#include "checks/analysis.h"

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

void limit_listed_findings(Analysis* a, size_t total) {
  if (total == 0 || a->findings.size() <= total) return;
  a->summary.not_shown += a->findings.size() - total;
  a->findings.erase(a->findings.begin() + static_cast<std::ptrdiff_t>(total), a->findings.end());
}

}  // namespace kmc::checks
