#include "schema/api_versions.h"

#include <fmt/format.h>

namespace kmc::schema {

namespace {

// Built-in APIs removed before the removal history begins, or alpha APIs it does not list: no
// release kmc embeds serves them. Anything under such a group is a removed API, not a custom
// resource.
struct RemovedGroup {
  std::string_view group, kind, release, instead;
};
constexpr RemovedGroup kRemovedGroups[] = {
    {"extensions", "", "1.22", "apps/v1 (Deployment, DaemonSet, ReplicaSet), networking.k8s.io/v1 (Ingress, NetworkPolicy)"},
    {"policy", "PodSecurityPolicy", "1.25", "Pod Security admission (namespace labels pod-security.kubernetes.io/*)"},
    {"settings.k8s.io", "", "1.20", "a mutating admission webhook"},
    {"auditregistration.k8s.io", "", "1.19", "the API server's audit configuration"},
};

const RemovedGroup* removed_group(std::string_view group, std::string_view kind) {
  for (const RemovedGroup& r : kRemovedGroups)
    if (r.group == group && (r.kind.empty() || r.kind == kind)) return &r;
  return nullptr;
}

int minor(std::string_view release) { return api::release_minor(release); }

// "use apps/v1 (…note)": the replacement a removal names, else the version the target serves.
std::string replacement(const api::Removal* r, const std::vector<const api::Kind*>& served) {
  std::string use;
  if (r && !r->replacement.empty()) use = fmt::format("use {}", r->replacement);
  else if (!served.empty()) use = fmt::format("use {}", api_version_of(*preferred_version(served)));
  if (r && !r->note.empty()) use += use.empty() ? std::string(r->note) : fmt::format("; {}", r->note);
  return use;
}

}  // namespace

const api::Kind* preferred_version(const std::vector<const api::Kind*>& kinds, std::string_view group) {
  const api::Kind* best = nullptr;
  auto rank = [](std::string_view v) { return v.find("alpha") != v.npos ? 2 : v.find("beta") != v.npos ? 1 : 0; };
  // Of two of one stability, the later (v1beta3 over v1beta2, which is removed first).
  for (const api::Kind* k : kinds) {
    if (!group.empty() && k->group != group) continue;
    if (!best || rank(k->version) < rank(best->version) ||
        (rank(k->version) == rank(best->version) && k->version > best->version))
      best = k;
  }
  return best ? best : kinds.front();
}

bool report_unserved_api(SchemaWalker& w, const api::Schema& s, const Object& o, Position av_pos) {
  std::vector<const api::Kind*> served = s.versions_of(o.kind());
  const api::Removal* removal = s.find_removal(o.group(), o.version(), o.kind());
  const char* why = "the API server answers \"no matches for kind\" and the apply fails";
  if (const api::Kind* k = s.find_kind_any(o.group(), o.version(), o.kind())) {
    const api::Schema* gone = api::dropped_before(k->releases, s);
    const api::Schema* from = api::added_after(k->releases, s);
    if (!gone && from) {
      w.issue(RuleId::VersionRemoved, av_pos,
              fmt::format("Kubernetes {} does not serve {} {} yet: it is served from {}, so on {} {}", s.release,
                          o.api_version(), o.kind(), from->release, s.release, why),
              served.empty() ? fmt::format("target Kubernetes {} or later (--kubernetes-version), or leave it out", from->release)
                             : fmt::format("use {} on {}, or target Kubernetes {} or later", api_version_of(*preferred_version(served)),
                                           s.release, from->release));
      return true;
    }
    w.issue(RuleId::VersionRemoved, av_pos,
            fmt::format("Kubernetes {} removed {} {}{}, so on {} {}", gone ? gone->release : s.release, o.api_version(),
                        o.kind(), removal ? fmt::format(" (deprecated since {})", removal->deprecated) : std::string(),
                        s.release, why),
            replacement(removal, served));
    return true;
  }
  if (removal && minor(removal->removed) <= minor(s.release)) {
    w.issue(RuleId::VersionRemoved, av_pos,
            fmt::format("Kubernetes {} removed {} {} (deprecated since {}), so on {} {}", removal->removed, o.api_version(),
                        o.kind(), removal->deprecated, s.release, why),
            replacement(removal, served));
    return true;
  }
  if (const RemovedGroup* r = removed_group(o.group(), o.kind())) {
    std::string what = r->kind.empty() ? fmt::format("the {} API group", r->group)
                                       : fmt::format("{} (every version of it) from the {} API group", r->kind, r->group);
    w.issue(RuleId::VersionRemoved, av_pos,
            fmt::format("Kubernetes {} removed {}, so {} {} is not served: on {} {}", r->release, what, o.api_version(),
                        o.kind(), s.release, why),
            served.empty() ? fmt::format("use {}", r->instead) : fmt::format("use {}", api_version_of(*preferred_version(served))));
    return true;
  }
  return false;
}

void report_deprecated_api(SchemaWalker& w, const api::Schema& s, const Object& o, const api::Kind& k, Position av_pos) {
  // Nearly every kind is served by every later release: one pass over nine bits says so.
  const api::Schema* gone = api::dropped_after(k.releases, s);
  if (!gone) return;
  const api::Removal* removal = s.find_removal(o.group(), o.version(), o.kind());
  // Deprecated in a later release than the target: not yet (the history knows when). An API the
  // history does not list (alpha, mostly) has no deprecation period: its removal is the news.
  if (removal && minor(removal->deprecated) > minor(s.release)) return;
  std::vector<const api::Kind*> then = gone->versions_of(o.kind());
  w.issue(RuleId::VersionDeprecated, av_pos,
          fmt::format("{} {} is {}removed in Kubernetes {}: {} serves it, but after an upgrade to {} the API server no "
                      "longer does and applying this object fails",
                      o.api_version(), o.kind(),
                      removal ? fmt::format("deprecated since {} and ", removal->deprecated) : std::string(),
                      gone->release, s.release, gone->release),
          replacement(removal, then).empty() ? "plan its replacement before the upgrade"
                                             : replacement(removal, then) + " before the upgrade");
}

}  // namespace kmc::schema
