#pragma once
#include <string>
#include <vector>

#include "checks/analysis.h"

namespace kmc::driver {
using checks::Analysis;

// `kmc check --only-files FILE…` (what the pre-commit hook runs with the staged files): the
// whole tree is checked, because a change in one file can break an object in another, and the
// findings kept are those that involve a listed file:
//  - its position, or a related position (a note), is in a listed file; or
//  - its object is defined in a listed file; or
//  - its rule relates objects to each other (Rule::relates_objects: a Service that selects no
//    pod, a claim no volume satisfies) and its object shares a namespace with an object of a
//    listed file, or a listed file defines a cluster-scoped object (a PersistentVolume, a
//    StorageClass): the change may be what broke it. A Deployment whose labels change in
//    `deploy/api.yaml` so makes the Service of `deploy/svc.yaml` fail the commit.
// Files compare by real path, whatever mix of relative, absolute, `./` and config-relative forms
// names them. A listed file that the run did not read goes to `unread` (as the user named it).
void keep_findings_involving(Analysis* analysis, const std::vector<std::string>& files,
                             std::vector<std::string>* unread);

}  // namespace kmc::driver
