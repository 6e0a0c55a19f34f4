// The storage family: will every claim bind? All rules read the binder's result
// (Topology::storage, checks/binder.h); none re-derives a binding.
#include <map>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"
#include "core/flat_map.h"
#include "parser/scalar.h"

namespace kmc::checks {
using parser::Node;
using parser::is_template_text;
using schema::Object;
using schema::PersistentVolume;
using schema::StorageClass;
using schema::Text;
using schema::Workload;

namespace {

std::string describe_claim(const StorageClaim& c) {
  std::string modes = join_texts(c.spec->access_modes);
  std::string cls = !c.class_name.empty()   ? fmt::format("class \"{}\"", c.class_name)
                    : c.class_explicit ? std::string("no class")
                                       : std::string("class unset");
  if (c.class_defaulted) cls += " (the default)";
  return fmt::format("{}{}{}, {}", c.request_ok && c.spec->storage_request.set() ? c.request.str() : std::string("no size"),
                     modes.empty() ? "" : ", ", modes, cls);
}

// Why no StorageClass makes a volume for the claim.
std::string why_not_provisioned(const StorageClaim& c) {
  if (c.class_name.empty())
    return c.class_explicit ? "storageClassName \"\" asks for no class, which is never provisioned dynamically"
                            : "it has no storageClassName and no default StorageClass is in its directory or --context, so it "
                              "is left to PersistentVolumes without a class";
  if (c.storage_class) {
    const StorageClass* sc = c.storage_class->as<StorageClass>();
    std::string_view p = sc ? sc->provisioner.value() : std::string_view();
    return p.empty() ? fmt::format("StorageClass \"{}\" has no provisioner", c.class_name)
                     : fmt::format("StorageClass \"{}\" has provisioner {}, which provisions nothing: only existing "
                                   "PersistentVolumes can serve it",
                                   c.class_name, p);
  }
  return fmt::format("no StorageClass \"{}\" is in the input or --context, and the PersistentVolumes of that class "
                     "here are made by hand; only a StorageClass \"{}\" with a provisioner in the cluster (or a static "
                     "provisioner that creates such volumes) would make more",
                     c.class_name, c.class_name);
}

std::string nearest(const Storage& s, const StorageClaim& c) {
  if (c.nearest.empty()) return "there is no PersistentVolume in the input or --context";
  std::string out = "nearest: ";
  for (size_t i = 0; i < c.nearest.size(); ++i)
    out += fmt::format("{}{} ({})", i ? "; " : "", s.volumes[c.nearest[i].volume].object->name(), c.nearest[i].reason);
  return out;
}

void add_volume_notes(Finding* f, const Storage& s, const StorageClaim& c) {
  if (!f) return;
  for (const Rejection& r : c.nearest) {
    const Object& pv = *s.volumes[r.volume].object;
    f->related.push_back({pv.meta.name.set() ? pv.meta.name.pos() : pv.pos(), fmt::format("PersistentVolume \"{}\": {}", pv.name(), r.reason)});
  }
}

void claim_unbound(const RuleContext& ctx, Sink& sink) {
  const Storage& s = ctx.topology.storage;
  for (const StorageClaim& c : s.claims) {
    if (c.from_template || c.outcome != ClaimOutcome::Pending || c.contended_by >= 0 || c.provisioning_blocked_by_selector) continue;
    const Object& o = *c.object;
    if (c.volume_name_missing) {
      sink.report(o, Severity::Warning, c.spec->volume_name.pos(),
                  fmt::format("{} names PersistentVolume \"{}\" in spec.volumeName, which is not in the input or "
                              "--context; the claim stays Pending until that volume exists",
                              o.display(), c.spec->volume_name.value()),
                  "add the PersistentVolume, pass the cluster's with --context, or remove spec.volumeName");
      continue;
    }
    if (c.reserved_volume >= 0) {
      const Object& pv = *s.volumes[c.reserved_volume].object;
      bool by_name = c.spec->volume_name.set();
      Finding* f = sink.report(o, by_name ? c.spec->volume_name.pos() : c.pos,
                               fmt::format("{} ({}) is tied to PersistentVolume \"{}\" ({}), which cannot serve it: {}; "
                                           "the claim stays Pending",
                                           o.display(), describe_claim(c), pv.name(),
                                           by_name ? "its spec.volumeName" : "the volume's spec.claimRef", c.nearest.front().reason),
                               "make the PersistentVolume fit the claim, or tie the claim to one that does");
      add_volume_notes(f, s, c);
      continue;
    }
    // A class provisioned by hand (PVs of it, no StorageClass) or a claim the cluster's default
    // class might still serve: likely, not certainly, Pending.
    bool likely = (!c.class_name.empty() && !c.storage_class) || (!c.class_explicit && !c.class_defaulted);
    Finding* f = sink.report(
        o, likely ? Severity::Warning : Severity::Error, c.pos,
        fmt::format("{} ({}) will stay Pending: no PersistentVolume fits it ({}), and {}", o.display(), describe_claim(c),
                    nearest(s, c), why_not_provisioned(c)),
        c.class_name.empty() || !c.storage_class
            ? "create a PersistentVolume that fits, or name a StorageClass that provisions volumes"
            : "create a PersistentVolume of this class that fits the claim");
    add_volume_notes(f, s, c);
  }
}

void volume_contention(const RuleContext& ctx, Sink& sink) {
  const Storage& s = ctx.topology.storage;
  for (const StorageClaim& c : s.claims) {
    if (c.from_template || c.outcome != ClaimOutcome::Pending || c.contended_by < 0) continue;
    const StorageClaim& winner = s.claims[c.contended_by];
    const Object& pv = *s.volumes[winner.volume].object;
    std::string who = winner.from_template ? fmt::format("claim \"{}\" of StatefulSet \"{}\"", winner.name, winner.object->name())
                                           : fmt::format("PersistentVolumeClaim \"{}\"", winner.name);
    Finding* f = sink.report(
        *c.object, c.pos,
        fmt::format("{} ({}) can only bind PersistentVolume \"{}\", but {} ({}) takes it first; a volume binds one "
                    "claim, so this one stays Pending",
                    c.object->display(), describe_claim(c), pv.name(), who, sink.where(winner.pos)),
        "add another PersistentVolume that fits, or let a StorageClass provision one of the claims");
    if (f) {
      f->related.push_back({winner.pos, "this claim binds the volume first"});
      f->related.push_back({pv.meta.name.set() ? pv.meta.name.pos() : pv.pos(), "the contended volume"});
    }
  }
}

void claim_not_found(const RuleContext& ctx, Sink& sink) {
  for (const ClaimMount& m : ctx.topology.storage.mounts) {
    if (m.claim >= 0) continue;
    const PodSource& src = ctx.topology.pod_sources[m.pod_source];
    if (is_template_text(m.volume->claim_name.value())) continue;
    // A StatefulSet's volumeClaimTemplate replaces the pod volume of the same name.
    bool overridden = false;
    for (const Workload::ClaimTemplate& tmpl : src.workload->volume_claim_templates)
      overridden |= tmpl.meta.name.value() == m.volume->name.value();
    if (overridden) continue;
    sink.report(*src.object, m.volume->claim_name.pos(),
                fmt::format("{} mounts PersistentVolumeClaim \"{}\" (volume \"{}\"), but no claim of that name is in "
                            "namespace \"{}\" (in the input, --context, or a StatefulSet's volumeClaimTemplates); its "
                            "pods stay Pending",
                            src.object->display(), m.volume->claim_name.value(), m.volume->name.value(), src.ns()),
                "add the PersistentVolumeClaim, or fix claimName");
  }
}

void statefulset_claims(const RuleContext& ctx, Sink& sink) {
  const Storage& s = ctx.topology.storage;
  // Per StatefulSet template, in the order of its first claim: its claims, and those of them
  // that stay Pending. A flat table, not a std::map: its tree was the one term of the rules that
  // grew faster than the objects (n log n in instructions on the bench trees).
  struct Claims {
    const Workload::ClaimTemplate* tmpl;
    size_t total = 0;
    std::vector<const StorageClaim*> pending;
  };
  std::vector<Claims> templates;
  FlatMap<const Workload::ClaimTemplate*, uint32_t, PointerHash> number_of;
  for (const StorageClaim& c : s.claims) {
    if (!c.from_template) continue;
    auto [entry, fresh] = number_of.try_emplace(c.from_template, static_cast<uint32_t>(templates.size()));
    if (fresh) templates.push_back({c.from_template, 0, {}});
    Claims& group = templates[entry->value];
    ++group.total;
    if (c.outcome == ClaimOutcome::Pending && !c.provisioning_blocked_by_selector) group.pending.push_back(&c);
  }
  for (const Claims& group : templates) {
    const std::vector<const StorageClaim*>& claims = group.pending;
    if (claims.empty()) continue;
    const Workload::ClaimTemplate* tmpl = group.tmpl;
    const StorageClaim& first = *claims.front();
    size_t bound = group.total - claims.size();
    std::string names;
    for (size_t i = 0; i < claims.size() && i < 4; ++i) names += (i ? ", " : "") + claims[i]->name;
    if (claims.size() > 4) names += fmt::format(" and {} more", claims.size() - 4);
    // As for single claims: a class provisioned by hand, or one the cluster may default, is
    // likely (not certainly) short of volumes.
    bool likely = (!first.class_name.empty() && !first.storage_class) || (!first.class_explicit && !first.class_defaulted);
    Finding* f = sink.report(
        *first.object, likely ? Severity::Warning : Severity::Error, first.pos,
        fmt::format("{} needs {} claims from template \"{}\" ({}), but only {} PersistentVolume{} fit, and {}: {} "
                    "stay Pending, and so do their pods",
                    first.object->display(), group.total, tmpl->meta.name.value(), describe_claim(first), bound,
                    bound == 1 ? " (one)" : "s", why_not_provisioned(first), names),
        "add a PersistentVolume per replica, lower replicas, or use a StorageClass that provisions volumes");
    add_volume_notes(f, s, first);
  }
}

void selector_with_provisioning(const RuleContext& ctx, Sink& sink) {
  std::map<const Workload::ClaimTemplate*, int> seen;
  for (const StorageClaim& c : ctx.topology.storage.claims) {
    if (!c.provisioning_blocked_by_selector) continue;
    if (c.from_template && seen[c.from_template]++) continue;
    sink.report(*c.object, c.spec->node ? key_pos(c.spec->node, "selector") : c.pos,
                fmt::format("{} has a selector that no PersistentVolume matches, so it relies on StorageClass \"{}\" to "
                            "provision a volume, but dynamic provisioning ignores selectors and provisioners refuse "
                            "such claims; it stays Pending",
                            c.from_template ? fmt::format("claim \"{}\" of {}", c.name, c.object->display()) : c.object->display(),
                            c.class_name),
                "remove the selector to let the class provision the volume, or create a PersistentVolume with the "
                "selected labels");
  }
}

bool only_single_node(const StorageClaim& c) {
  bool any = false;
  for (const Text& m : c.spec->access_modes) {
    if (m.value() == "ReadWriteMany" || m.value() == "ReadOnlyMany") return false;
    any |= m.value() == "ReadWriteOnce" || m.value() == "ReadWriteOncePod";
  }
  return any;
}

void rwo_shared(const RuleContext& ctx, Sink& sink) {
  const Storage& s = ctx.topology.storage;
  for (const ClaimMount& m : s.mounts) {
    if (m.claim < 0) continue;
    const StorageClaim& c = s.claims[m.claim];
    if (c.from_template || !only_single_node(c)) continue;
    const PodSource& src = ctx.topology.pod_sources[m.pod_source];
    const Object& o = *src.object;
    int64_t replicas = 1;
    bool daemon = o.kind() == "DaemonSet";
    if (src.workload->replicas && src.workload->replicas->node) replicas = src.workload->replicas->value;
    if (!daemon && replicas <= 1) continue;
    bool pod_only = false;
    for (const Text& mode : c.spec->access_modes) pod_only |= mode.value() == "ReadWriteOncePod";
    std::string who = daemon ? std::string("runs a pod on every node") : fmt::format("has {} replicas", replicas);
    sink.report(o, m.volume->claim_name.pos(),
                fmt::format("{} {} that all mount PersistentVolumeClaim \"{}\", which is {}: {}", o.display(), who, c.name,
                            join_texts(c.spec->access_modes),
                            pod_only ? "only one pod can use it, the others stay Pending"
                                     : "only pods on the node that has it attached can start; the others fail with a "
                                       "Multi-Attach error"),
                "use a ReadWriteMany claim, a StatefulSet with volumeClaimTemplates (a claim per pod), or one replica");
  }
}

void reclaim_recycle(const RuleContext& ctx, Sink& sink) {
  for (auto [o, pv] : ctx.range.of<PersistentVolume>()) {
    if (pv.reclaim_policy.value() != "Recycle") continue;
    sink.report(o, pv.reclaim_policy.pos(),
                fmt::format("{} uses persistentVolumeReclaimPolicy Recycle, which is deprecated and was only ever "
                            "implemented for NFS and HostPath volumes; its data is scrubbed with `rm -rf` when the claim "
                            "goes away",
                            o.display()),
                "use Retain (keep the data, reuse by hand) or Delete (with dynamic provisioning)");
  }
}

void pv_source(const RuleContext& ctx, Sink& sink) {
  for (auto [o, pv] : ctx.range.of<PersistentVolume>()) {
    if (!pv.spec || pv.sources.size() == 1) continue;
    if (pv.sources.empty()) {
      sink.report(o, pv.spec_key ? pv.spec_key->pos() : o.pos(),
                  fmt::format("{} has no volume source (csi, nfs, hostPath, local, …); the API server rejects it: "
                              "\"must specify a volume type\"",
                              o.display()),
                  "add exactly one volume source under spec");
      continue;
    }
    std::string names;
    for (const Node* k : pv.sources) names += (names.empty() ? "" : ", ") + std::string(k->text());
    sink.report(o, pv.sources[1]->pos(),
                fmt::format("{} has {} volume sources ({}); a PersistentVolume is exactly one, and the API server "
                            "rejects it: \"may not specify more than 1 volume type\"",
                            o.display(), pv.sources.size(), names),
                "keep one volume source");
  }
}

void multiple_defaults(const RuleContext& ctx, Sink& sink) {
  // Distinct names only (one StorageClass written twice is one class), among classes applied
  // together; each is reported once, at the later of a pair.
  const auto& defaults = ctx.topology.storage.default_classes;
  for (size_t i = 1; i < defaults.size(); ++i) {
    const Object& o = *defaults[i];
    const Object* other = nullptr;
    for (size_t j = 0; j < i && !other; ++j)
      if (defaults[j]->name() != o.name() && ctx.topology.deployed_together(*defaults[j], o)) other = defaults[j];
    if (!other) continue;
    Finding* f = sink.report(
        o, o.meta.name.pos(),
        fmt::format("StorageClasses \"{}\" and \"{}\" are both marked default; a claim without storageClassName gets "
                    "the one created last, so which class it gets depends on creation order",
                    other->name(), o.name()),
        "keep storageclass.kubernetes.io/is-default-class: \"true\" on one StorageClass");
    if (f) f->related.push_back({other->meta.name.pos(), "also marked default"});
  }
}

}  // namespace

void add_storage_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::StorageClaimUnbound, RuleScope::Set, claim_unbound});
  t->push_back({RuleId::StorageVolumeContention, RuleScope::Set, volume_contention});
  t->push_back({RuleId::StorageClaimNotFound, RuleScope::Set, claim_not_found});
  t->push_back({RuleId::StorageStatefulsetClaims, RuleScope::Set, statefulset_claims});
  t->push_back({RuleId::StorageSelectorWithProvisioning, RuleScope::Set, selector_with_provisioning});
  t->push_back({RuleId::StorageRwoShared, RuleScope::Set, rwo_shared});
  t->push_back({RuleId::StorageReclaimRecycle, RuleScope::Object, reclaim_recycle});
  t->push_back({RuleId::StoragePvSource, RuleScope::Object, pv_source});
  t->push_back({RuleId::StorageMultipleDefaults, RuleScope::Set, multiple_defaults});
}

}  // namespace kmc::checks
