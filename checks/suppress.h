#pragma once
#include <vector>

#include "core/finding.h"
#include "core/parallel.h"
#include "parser/load.h"
#include "schema/model.h"

// Suppressions written in the manifests: the annotation `kmc.dev/ignore: "rule-a, rule-b"` on an
// object (or its pod template) silences those rules for that object; a comment
// `# kmc:ignore[rule-a, rule-b]` silences them on its own line and the line below. Ids may be a
// whole family (`storage/*`). A suppression must name its rules (a bare `kmc:ignore` is refused:
// syntax/bad-suppression), and one that silences nothing is reported (syntax/unused-suppression),
// so stale ones do not pile up.
namespace kmc::checks {
using parser::LoadResult;
using schema::Model;

// Removes suppressed findings and appends the findings about the suppressions themselves.
// The files and objects are looked through on `jobs` threads; the result is the same for any.
void apply_suppressions(const LoadResult& input, const Model& model, std::vector<Finding>* findings,
                        const Workers& workers = Workers::serial());

}  // namespace kmc::checks
