#pragma once
#include <string>
#include <vector>

#include "checks/analysis.h"
#include "parser/load.h"

// Which cluster views a run checks. Without kustomizations there is one, the input as read.
// With them, every kustomization root under the paths given (one no other kustomization of the
// input lists as a resource or component) is rendered as kustomize builds it and is a view of
// its own; the files no rendered root reads are one more view, checked as they are. A root
// kustomize would refuse, or one kmc cannot render, is reported (kustomize/*) and its files
// stay with the plain ones.
namespace kmc::driver {
using checks::View;
using parser::LoadOptions;
using parser::LoadResult;

struct ViewPlan {
  std::vector<View> views;  // the plain view first (maybe empty), then each rendered root
  // The roots kmc does not render yet and why ("overlays/prod: `patches`"), for a note.
  std::vector<std::string> not_rendered;
};

// Renders the roots among `input`'s kustomizations (reading the files outside the paths given
// that they need into `input`), and splits its objects into views. kustomize/* findings go to
// input->findings; the rendered trees live in input->memory.
ViewPlan plan_views(LoadResult* input, const LoadOptions& load);

// The views `kmc compile` shows, as indices into Analysis::views: the roots the paths given name,
// when some do (`kmc compile overlays/prod` is that overlay's build, not also the builds of the
// roots below it); else every rendered root; else the plain view.
std::vector<size_t> views_to_show(const checks::Analysis& a, const std::vector<std::string>& paths);

}  // namespace kmc::driver
