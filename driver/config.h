#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"

// `.kmc.yaml`: a project's settings, found in the working directory or one of its parents (or
// given with --config). Read with kmc's own YAML loader, so a mistake in it is reported with a
// position like any manifest, and an unknown key is an error, not a silent no-op.
//
//   paths: [deploy/]                   # what `kmc check` reads when given no paths
//   exclude: ["*_test.yaml", vendor/*] # globs over file paths
//   context: [cluster/]                # objects already in the cluster (--context)
//   crds: [crds/, ~/catalog/]          # CRDs and catalogue schemas, as schemas only (--crds)
//   namespace: shop                    # for objects that name none (-n)
//   fail-on: warning                   # (--fail-on)
//   kubernetesVersion: "1.30"          # the release to check against (--kubernetes-version)
//   rules:
//     disable: [affinity/no-anti-affinity, storage]   # ids or whole families
//     enable: [storage/claim-unbound]                 # back on, more specific than a family
//     severity: {service/no-matching-pods: error}
//   podSecurity: {enforce: baseline, warn: restricted}  # for namespaces without a Namespace object
//   cluster:                           # what kmc cannot see in the manifests
//     nodes: [{name: n1, labels: {topology.kubernetes.io/zone: a}}]
//     storageClasses: [{name: standard, provisioner: pd.csi.storage.gke.io, default: true}]
namespace kmc::driver {

struct Config {
  std::string path;  // the file read; empty when there is none
  std::vector<std::string> paths, exclude, context, crds;
  std::optional<std::string> ns, fail_on;
  std::optional<std::string> kubernetes_version;  // an embedded release ("1.30"), checked when read
  std::vector<std::string> disable, enable;
  std::map<std::string, Severity, std::less<>> severity;
  // cluster.nodes and cluster.storageClasses as manifests (JSON documents), loaded as context.
  std::string cluster_manifests;
  // podSecurity: the Pod Security levels (and versions) of a namespace whose Namespace object
  // neither the input nor --context has, as its labels would give them less their prefix:
  // {"enforce", "baseline"}, {"warn-version", "v1.30"}.
  std::vector<std::pair<std::string, std::string>> pod_security;
};

// The nearest `.kmc.yaml` in `dir` or a parent, or empty.
std::string find_config(const std::string& dir);

// Reads a config file. Problems ("file:line:col: message") go to `errors`; false when any.
bool load_config(const std::string& path, Config* out, std::vector<std::string>* errors);
// The same for text in memory, as if it were the file `name` (tests, the config's fuzz target).
bool parse_config(const std::string& name, std::string text, Config* out, std::vector<std::string>* errors);

// Whether a rule is on under the config (enable beats disable when it is more specific).
bool rule_enabled(const Config& config, std::string_view id);

// Drops findings of disabled rules and applies severity overrides.
void apply_rule_config(const Config& config, std::vector<Finding>* findings);

}  // namespace kmc::driver
