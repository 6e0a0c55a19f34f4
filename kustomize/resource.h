#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kustomize/rnode.h"

// A resource as kustomize carries it through a build: its tree, where it was read, and the ids
// it had before each renaming (name references and `replicas` find it by any of them).
namespace kmc::kustomize {

// An apiVersion's two parts: "apps/v1" is group "apps", version "v1"; "v1" has no group.
struct GroupVersion {
  std::string_view group, version;
};
GroupVersion split_api_version(std::string_view api_version);

// Whether kustomize v5.7 takes a kind to be cluster-scoped. It knows only the kinds of its
// embedded Kubernetes 1.21 schema: a later cluster-scoped kind, or a cluster-scoped custom
// resource, is namespaced to it (and gets the kustomization's namespace).
bool kustomize_cluster_scoped(std::string_view api_version, std::string_view kind);

struct ResId {
  std::string api_version, kind, ns, name;
  bool cluster = false;  // kustomize_cluster_scoped(api_version, kind), asked once

  static ResId of(const RNode& object);
  std::string group() const;
  bool cluster_scoped() const { return cluster; }
  // The namespace kustomize compares: "" and "default" are one, and none for cluster-scoped kinds.
  std::string_view effective_ns() const;
  // kustomize's ResId equality: the same group, version, kind and name, in the same namespace.
  bool same(const ResId& o) const {
    return api_version == o.api_version && kind == o.kind && name == o.name && effective_ns() == o.effective_ns();
  }
  // "Deployment.v1.apps/web.prod", as kustomize's messages name ids.
  std::string describe() const;
  // A key equal for ids that are same().
  std::string key() const;
};

// Annotated `config.kubernetes.io/local-config` other than "false": a resource kustomize reads
// (a generator's or transformer's input) but does not output.
bool local_config(const RNode& object);

struct Resource {
  RNode tree;
  uint32_t file = UINT32_MAX;  // the file it was read from
  std::vector<ResId> previous;  // its ids before each renaming, the original first
  std::vector<std::string_view> prefixes, suffixes;  // the name prefixes and suffixes added, in order
  bool needs_hash = false;  // generated: the root's build ends by suffixing its content hash
  ResId id() const { return ResId::of(tree); }
  ResId original() const { return previous.empty() ? id() : previous.front(); }
  // Remembers the current id before a renaming (kustomize's StorePreviousId): the namespace as
  // kustomize compares it.
  void store_previous_id() {
    ResId now = id();
    now.ns = std::string(now.effective_ns());
    previous.push_back(std::move(now));
  }
};

}  // namespace kmc::kustomize
