#pragma once
#include <optional>
#include <string>
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

struct Suppression {
  std::string rule;  // an id, or "family/*"
  Position pos;      // where it is written
  uint32_t first_line = 0, last_line = 0;  // comments: the lines it covers
  std::optional<ObjectRef> object;         // annotations: the object it covers
  bool used = false;
};

// The `# kmc:ignore[...]` comments of a run's files and the findings about bad ones, by file
// number. Read once: a run with kustomize roots applies them to each view of the same files.
struct CommentSuppressions {
  std::vector<std::vector<Suppression>> suppressions;
  std::vector<std::vector<Finding>> problems;
};

CommentSuppressions read_comment_suppressions(const LoadResult& input, const Workers& workers = Workers::serial());

// Removes suppressed findings and appends the findings about the suppressions themselves: the
// comments of `files` (sorted file numbers; null: of every file) and the annotations of the
// model's objects. The objects are looked through on `workers`; the result is the same for any.
void apply_suppressions(const CommentSuppressions& comments, const std::vector<uint32_t>* files, const Model& model,
                        std::vector<Finding>* findings, const Workers& workers = Workers::serial());

// Both, for the one view of a run without kustomize roots.
void apply_suppressions(const LoadResult& input, const Model& model, std::vector<Finding>* findings,
                        const Workers& workers = Workers::serial());

}  // namespace kmc::checks
