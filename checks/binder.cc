#include "checks/binder.h"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "checks/rules/wording.h"
#include "checks/topology.h"
#include "core/flat_map.h"

namespace kmc::checks {
using schema::Model;
using schema::Object;
using schema::ObjectMeta;
using schema::PersistentVolume;
using schema::PersistentVolumeClaim;
using schema::Quantity;
using schema::StorageClass;
using schema::Text;
using schema::Volume;
using schema::Workload;
using schema::parse_quantity;

namespace {

constexpr std::string_view kBetaClassAnnotation = "volume.beta.kubernetes.io/storage-class";
constexpr std::string_view kNoProvisioner = "kubernetes.io/no-provisioner";

std::string_view mode_or_filesystem(const Text& mode) { return mode.set() && !mode.value().empty() ? mode.value() : "Filesystem"; }

std::string show_class(std::string_view c) { return c.empty() ? std::string("no class (\"\")") : fmt::format("class \"{}\"", c); }

// The binder's checks, in the order of their nearness: a volume that fails a later check came
// nearer to serving the claim (a volume of the claim's class that is too small is nearer than
// one of another class).
enum class Reject : int { None = 0, ClaimRef = 1, Class = 2, AccessMode = 3, VolumeMode = 4, Selector = 5, Capacity = 6 };

// The claim object's uid when it was read back from a cluster; empty for a manifest's claim (the
// API server gives a new one on create) and for a StatefulSet's.
std::string_view claim_uid(const StorageClaim& c) {
  const PersistentVolumeClaim* pvc = c.object->as<PersistentVolumeClaim>();
  return pvc ? pvc->uid.value() : std::string_view();
}

// A claimRef with a uid names one claim object, which a volume was bound to: a claim of the name
// with another uid does not bind it, and the PV controller keeps the volume Released for the claim
// that is gone. A claim without a uid (a manifest's) may be that very object, applied again, so
// only two uids that differ tell (both read back from a cluster: a claim deleted and created anew).
bool bound_to_another_claim(const PersistentVolume& pv, const StorageClaim& c) {
  std::string_view uid = claim_uid(c);
  return !pv.claim_ref_uid.value().empty() && !uid.empty() && pv.claim_ref_uid.value() != uid;
}

// Whether `v` can serve `c`; `prebound` (spec.volumeName, claimRef) skips claimRef, class and
// selector, as checkVolumeSatisfyClaim does. Cheap: it formats nothing.
Reject check(const StorageVolume& v, const StorageClaim& c, bool prebound) {
  const PersistentVolume& pv = *v.pv;
  if (!prebound && !pv.claim_ref_name.value().empty() &&
      (pv.claim_ref_name.value() != c.name || (pv.claim_ref_namespace.set() && pv.claim_ref_namespace.value() != c.ns) ||
       bound_to_another_claim(pv, c)))
    return Reject::ClaimRef;
  // An unset class with no default in sight becomes the cluster's default class, which kmc
  // cannot know: any volume's class may be it.
  bool class_unknown = !c.class_explicit && !c.class_defaulted;
  if (!prebound && !class_unknown && v.class_name != c.class_name) return Reject::Class;
  for (const Text& want : c.spec->access_modes)
    if (std::none_of(pv.access_modes.begin(), pv.access_modes.end(), [&](const Text& t) { return t.value() == want.value(); }))
      return Reject::AccessMode;
  if (mode_or_filesystem(pv.volume_mode) != mode_or_filesystem(c.spec->volume_mode)) return Reject::VolumeMode;
  if (!prebound && c.spec->selector.set() && !c.spec->selector.matches(v.object->meta.labels)) return Reject::Selector;
  if (!v.capacity_ok || v.capacity < c.request) return Reject::Capacity;
  return Reject::None;
}

// Why, in words, for the message.
std::string explain(Reject r, const StorageVolume& v, const StorageClaim& c) {
  const PersistentVolume& pv = *v.pv;
  switch (r) {
    case Reject::None: return {};
    case Reject::ClaimRef:
      if (pv.claim_ref_name.value() == c.name && bound_to_another_claim(pv, c))
        return fmt::format("bound before to the claim of uid {} (spec.claimRef.uid), not to this one",
                           pv.claim_ref_uid.value());
      if (pv.claim_ref_name.value() == c.name && v.reserved_in_directory)
        return "reserved for the claim of this name in its own directory (spec.claimRef), another project's";
      return fmt::format("reserved for claim {}/{} (spec.claimRef)",
                         pv.claim_ref_namespace.value().empty() ? "default" : pv.claim_ref_namespace.value(), pv.claim_ref_name.value());
    case Reject::Class: return fmt::format("{}, the claim asks for {}", show_class(v.class_name), show_class(c.class_name));
    case Reject::AccessMode:
      for (const Text& want : c.spec->access_modes)
        if (std::none_of(pv.access_modes.begin(), pv.access_modes.end(), [&](const Text& t) { return t.value() == want.value(); }))
          return fmt::format("access modes [{}] lack {}", join_texts(pv.access_modes), want.value());
      return {};
    case Reject::VolumeMode:
      return fmt::format("volumeMode {}, the claim needs {}", mode_or_filesystem(pv.volume_mode), mode_or_filesystem(c.spec->volume_mode));
    case Reject::Selector: return fmt::format("labels ({}) do not match the claim's selector", format_labels(v.object->meta.labels));
    case Reject::Capacity:
      return v.capacity_ok ? fmt::format("{} < {} requested", v.capacity.str(), c.request.str())
                           : std::string("capacity.storage is missing or does not parse");
  }
  return {};
}

struct Verdict {
  std::string reason;
  int nearness = 0;
};

Verdict judge(const StorageVolume& v, const StorageClaim& c, bool prebound) {
  Reject r = check(v, c, prebound);
  return {explain(r, v, c), static_cast<int>(r)};
}

class Binder {
 public:
  Binder(const Model& model, const Topology& topology) : model_(model), topology_(topology) {}

  Storage run() {
    collect_classes();
    collect_volumes();
    collect_claims();
    resolve_reservations();
    // Claims already in the cluster hold their volumes first; then, in each group, claims a
    // volume is reserved for (claimRef, volumeName), then the rest in apply order.
    std::vector<uint32_t> order;
    for (int pass = 0; pass < 4; ++pass)
      for (uint32_t i = 0; i < s_.claims.size(); ++i) {
        const StorageClaim& c = s_.claims[i];
        bool reserved = c.spec->volume_name.set() || reserved_for(c) >= 0;
        if (c.context() == (pass < 2) && reserved == (pass % 2 == 0)) order.push_back(i);
      }
    for (uint32_t i : order) bind(i);
    collect_mounts();
    return std::move(s_);
  }

 private:
  // A default StorageClass is a setting of the cluster it is applied to: it serves the claims of
  // its own directory, and one from --context serves every claim. A project that ships none
  // relies on its cluster's, not on the one another project beside it ships. Of several, the
  // DefaultStorageClass admission plugin picks the newest: the last applied.
  void collect_classes() {
    for (auto [o, sc] : model_.of<StorageClass>()) {
      if (!sc.is_default) continue;
      s_.default_classes.push_back(&o);
      if (o.context) cluster_default_ = &o;
      else default_in_directory_.find_or_insert(topology_.directory(o), [] { return nullptr; }).first->value = &o;
    }
  }

  const Object* default_class(const Object& claim) const {
    if (!claim.context)
      if (const Object* const* own = default_in_directory_.find(topology_.directory(claim))) return *own;
    return cluster_default_;
  }

  const Object* storage_class(std::string_view name) const {
    return name.empty() ? nullptr : topology_.find("storage.k8s.io", "StorageClass", "", name);
  }

  // The indexes' keys are views of the model's text and of the sources' paths, which outlive the
  // binder: keys copied into strings were a third of the binder's instructions.
  void collect_volumes() {
    for (auto [o, pv] : model_.of<PersistentVolume>()) {
      StorageVolume v{&o, &pv, {}, false, {}, -1};
      std::string error;
      v.capacity_ok = pv.capacity.set() && parse_quantity(pv.capacity.value(), &v.capacity, &error);
      std::optional<std::string_view> beta = o.meta.annotations.find(kBetaClassAnnotation);
      std::string_view class_name = beta ? *beta : pv.storage_class_name;
      v.class_name = std::string(class_name);
      uint32_t index = static_cast<uint32_t>(s_.volumes.size());
      volume_index_[o.name()].push_back(index);
      if (!pv.claim_ref_name.value().empty()) {
        NameKey claim{pv.claim_ref_namespace.value().empty() ? "default" : pv.claim_ref_namespace.value(),
                      pv.claim_ref_name.value(), topology_.scope(o)};
        reserved_index_.try_emplace(claim, index);
        reserving_.push_back(index);
      }
      hand_classes_.try_emplace(NameKey{topology_.scope(o), class_name, {}}, true);
      if (v.capacity_ok) by_capacity_.push_back(index);
      s_.volumes.push_back(std::move(v));
      holders_.emplace_back();
      first_context_holder_.push_back(-1);
    }
    // Ascending capacity; equal sizes keep input order ("the first encountered wins").
    auto by_size = [this](uint32_t a, uint32_t b) { return s_.volumes[a].capacity < s_.volumes[b].capacity; };
    std::stable_sort(by_capacity_.begin(), by_capacity_.end(), by_size);
    // Each class's pool in the same order; the volumes are all collected, so views of their
    // class names stay valid.
    for (uint32_t v : by_capacity_) by_class_[s_.volumes[v].class_name].push_back(v);
  }

  void resolve_class(StorageClaim& c, const ObjectMeta& meta) {
    std::optional<std::string_view> beta = meta.annotations.find(kBetaClassAnnotation);
    if (beta) {
      c.class_name = std::string(*beta);
      c.class_explicit = true;
    } else if (c.spec->storage_class) {
      c.class_name = std::string(c.spec->storage_class_name);
      c.class_explicit = true;
    } else if (const Object* d = default_class(*c.object)) {
      // The DefaultStorageClass admission plugin fills in the default at creation.
      c.class_name = std::string(d->name());
      c.class_defaulted = true;
    }
    c.storage_class = storage_class(c.class_name);
    std::string error;
    if (c.spec->storage_request.set())
      c.request_ok = parse_quantity(c.spec->storage_request.value(), &c.request, &error);
  }

  void collect_claims() {
    s_.claims.reserve(claims_at_most());
    for (auto [o, pvc] : model_.of<PersistentVolumeClaim>()) {
      StorageClaim c;
      c.object = &o;
      c.spec = &pvc.spec;
      c.name = std::string(o.name());
      c.ns = o.ns;
      c.pos = o.meta.name.set() ? o.meta.name.pos() : o.pos();
      resolve_class(c, o.meta);
      add_claim(std::move(c));
    }
    // A StatefulSet's claims: <template>-<sts>-<ordinal>, unless a claim of that name exists
    // (the StatefulSet adopts it).
    for (auto [o, w] : model_.of<Workload>()) {
      int64_t per_template = claims_per_template(o, w);
      if (per_template == 0) continue;
      int64_t start = std::max<int64_t>(0, w.ordinals_start.value);
      for (const Workload::ClaimTemplate& t : w.volume_claim_templates) {
        for (int64_t i = 0; i < per_template; ++i) {
          std::string name = fmt::format("{}-{}-{}", t.meta.name.value(), o.name(), start + i);
          if (claim_index_.contains(NameKey{o.ns, name, {}})) continue;
          StorageClaim c;
          c.object = &o;
          c.spec = &t.spec;
          c.from_template = &t;
          c.ordinal = start + i;
          c.name = std::move(name);
          c.ns = o.ns;
          c.pos = t.meta.name.set() ? t.meta.name.pos() : (t.node ? t.node->pos() : o.pos());
          resolve_class(c, t.meta);
          add_claim(std::move(c));
        }
      }
    }
  }

  // The claims a StatefulSet stamps out per template (none for any other object), as listed.
  static int64_t claims_per_template(const Object& o, const Workload& w) {
    if (o.kind() != "StatefulSet" || w.volume_claim_templates.empty()) return 0;
    int64_t replicas = w.replicas && w.replicas->node ? std::max<int64_t>(0, w.replicas->value) : 1;
    return std::min(replicas, Storage::kMaxClaimsPerTemplate);
  }

  // The claims collect_claims() can make: a claim is ~260 bytes, and a list grown by doubling
  // held up to three times what it needed while it grew.
  size_t claims_at_most() const {
    size_t n = model_.of<PersistentVolumeClaim>().size();
    for (auto [o, w] : model_.of<Workload>())
      if (int64_t per = claims_per_template(o, w)) n += w.volume_claim_templates.size() * static_cast<size_t>(per);
    return n;
  }

  void add_claim(StorageClaim c) {
    // One claim defined twice where both are applied together (a copy, a cluster dump beside the
    // source) is one claim. The first of its name may be another project's, elsewhere in the
    // input: the later claims of that name are indexed by directory too.
    const uint32_t* first = claim_index_.find(NameKey{c.ns, c.name, {}});
    if (first && topology_.deployed_together(*s_.claims[*first].object, *c.object)) return;
    if (first && claims_in_directory_.contains(NameKey{c.ns, c.name, topology_.directory(*c.object)})) return;
    // Keys that outlive the claim list's growth: the object's namespace and its name, or, for a
    // StatefulSet's claim, a copy of the generated name in a deque (which never moves them).
    std::string_view name = c.from_template ? std::string_view(template_claim_names_.emplace_back(c.name))
                                            : c.object->name();
    uint32_t number = static_cast<uint32_t>(s_.claims.size());
    if (!first) claim_index_.try_emplace(NameKey{c.object->ns, name, {}}, number);
    else claims_in_directory_.try_emplace(NameKey{c.object->ns, name, topology_.directory(*c.object)}, number);
    s_.claims.push_back(std::move(c));
  }

  // Whether a claim of that namespace and name is deployed together with volume `v`.
  bool claim_beside(const StorageVolume& v, std::string_view ns, std::string_view name) const {
    const uint32_t* first = claim_index_.find(NameKey{ns, name, {}});
    if (!first) return false;
    if (together(v, s_.claims[*first])) return true;
    return !claims_in_directory_.empty() && claims_in_directory_.contains(NameKey{ns, name, topology_.directory(*v.object)});
  }

  // A claimRef names a claim of the volume's own directory when that directory has one of the
  // name (another project's claim of the name is not the one meant); a volume from the cluster
  // or from a directory without such a claim (a folder of volumes) reserves for the claim of the
  // name wherever it is.
  void resolve_reservations() {
    for (uint32_t i : reserving_) {
      StorageVolume& v = s_.volumes[i];
      std::string_view ns = v.pv->claim_ref_namespace.value().empty() ? "default" : v.pv->claim_ref_namespace.value();
      if (!v.object->context && claim_beside(v, ns, v.pv->claim_ref_name.value())) v.reserved_in_directory = true;
      else reserved_anywhere_.try_emplace(NameKey{ns, v.pv->claim_ref_name.value(), {}}, i);
    }
    reservation_.resize(s_.claims.size(), -1);
    for (uint32_t i = 0; i < s_.claims.size(); ++i) {
      const StorageClaim& c = s_.claims[i];
      const uint32_t* v = c.context() ? nullptr : reserved_index_.find(NameKey{c.ns, c.name, topology_.directory(*c.object)});
      if (!v) v = reserved_anywhere_.find(NameKey{c.ns, c.name, {}});
      if (v) reservation_[i] = static_cast<int32_t>(*v);
    }
  }

  // The volume whose claimRef names this claim, or -1.
  int32_t reserved_for(const StorageClaim& c) const { return reservation_[static_cast<size_t>(&c - s_.claims.data())]; }

  void take(uint32_t claim, uint32_t volume) {
    s_.claims[claim].outcome = ClaimOutcome::Bound;
    s_.claims[claim].volume = static_cast<int32_t>(volume);
    if (s_.volumes[volume].bound_to < 0) s_.volumes[volume].bound_to = static_cast<int32_t>(claim);
    uint32_t seq = static_cast<uint32_t>(holders_[volume].size());
    holders_[volume].push_back(claim);
    if (s_.claims[claim].context()) {
      if (first_context_holder_[volume] < 0) first_context_holder_[volume] = static_cast<int32_t>(seq);
    } else {
      first_holder_in_dir_.try_emplace(VolumeInDir{volume, topology_.directory(*s_.claims[claim].object)}, seq);
    }
  }

  // The claim deployed together with `c` that holds volume `v`, or -1. Claims of unrelated
  // directories (alternative examples, overlays) do not compete for a volume: each directory
  // is its own simulation, while volumes from anywhere may serve a claim. This is
  // Topology::deployed_together over the holders, answered from indexes: a volume that every
  // directory's claims take (the smallest of a common size) has as many holders as directories.
  int32_t holder_for(uint32_t v, const StorageClaim& c) const {
    const std::vector<uint32_t>& holders = holders_[v];
    if (holders.empty()) return -1;
    if (c.context()) return static_cast<int32_t>(holders.front());  // in the cluster: competes with all
    int32_t first = first_context_holder_[v];
    const uint32_t* in_dir = first_holder_in_dir_.find(VolumeInDir{v, topology_.directory(*c.object)});
    if (in_dir && (first < 0 || *in_dir < static_cast<uint32_t>(first))) first = static_cast<int32_t>(*in_dir);
    return first < 0 ? -1 : static_cast<int32_t>(holders[static_cast<size_t>(first)]);
  }

  bool together(const StorageVolume& v, const StorageClaim& c) const {
    return topology_.deployed_together(*v.object, *c.object);
  }

  // check() for a volume that is not reserved for `c`: one reserved for a claim of its own
  // directory also turns away the claims of that name elsewhere.
  Reject fits(const StorageVolume& v, const StorageClaim& c) const {
    if (v.reserved_in_directory && !together(v, c)) return Reject::ClaimRef;
    return check(v, c, false);
  }

  // PVs of `class_name` deployed with the claim: that class is provisioned by hand there.
  bool hand_provisioned(const StorageClaim& c, std::string_view class_name) const {
    return hand_classes_.contains(NameKey{Topology::kInTheCluster, class_name, {}}) ||
           hand_classes_.contains(NameKey{topology_.directory(*c.object), class_name, {}}) ||
           (c.context() && std::any_of(s_.volumes.begin(), s_.volumes.end(), [&](const StorageVolume& v) { return v.class_name == class_name; }));
  }

  void bind(uint32_t index) {
    StorageClaim& c = s_.claims[index];
    if (!c.request_ok) {  // schema/quantity reports it; nothing to compare with
      c.outcome = ClaimOutcome::Deferred;
      return;
    }
    // A volume reserved for this claim (claimRef) or named by it (volumeName): only that one.
    int32_t reserved = reserved_for(c);
    if (reserved < 0 && c.spec->volume_name.set()) {
      reserved = named_volume(c);
      if (reserved < 0) {
        c.volume_name_missing = true;
        c.outcome = ClaimOutcome::Pending;
        return;
      }
    }
    if (reserved >= 0) return bind_reserved(index, static_cast<uint32_t>(reserved));

    // The smallest free volume that passes every check: walk the claim's class pool (or every
    // volume, for a class kmc cannot know) in ascending capacity from the request up.
    bool class_unknown = !c.class_explicit && !c.class_defaulted;
    static const std::vector<uint32_t> none;
    const std::vector<uint32_t>* of_class = by_class_.find(c.class_name);
    const std::vector<uint32_t>& pool = class_unknown ? by_capacity_ : of_class ? *of_class : none;
    auto first = std::lower_bound(pool.begin(), pool.end(), c.request,
                                  [&](uint32_t v, const Quantity& q) { return s_.volumes[v].capacity < q; });
    int32_t taken = -1;
    for (auto it = first; it != pool.end(); ++it) {
      if (fits(s_.volumes[*it], c) != Reject::None) continue;
      if (holder_for(*it, c) < 0) return take(index, *it);
      if (taken < 0) taken = static_cast<int32_t>(*it);
    }

    c.outcome = provisioning(c);
    if (c.outcome != ClaimOutcome::Pending) return;
    if (taken >= 0) c.contended_by = holder_for(static_cast<uint32_t>(taken), c);
    explain_nearest(c);
  }

  // The volume a claim's spec.volumeName names, the one deployed with the claim first; -1 when
  // there is none.
  int32_t named_volume(const StorageClaim& c) const {
    const std::vector<uint32_t>* named = volume_index_.find(c.spec->volume_name.value());
    if (!named) return -1;
    for (uint32_t v : *named)
      if (together(s_.volumes[v], c)) return static_cast<int32_t>(v);
    return static_cast<int32_t>(named->front());
  }

  // A claim with its one volume (claimRef or volumeName): bound to it, or pending and why.
  void bind_reserved(uint32_t index, uint32_t reserved) {
    StorageClaim& c = s_.claims[index];
    c.reserved_volume = static_cast<int32_t>(reserved);
    StorageVolume& v = s_.volumes[reserved];
    // spec.volumeName binding checks the class too (checkVolumeSatisfyClaim); claimRef does not.
    bool by_claim_ref = reserved_for(c) == static_cast<int32_t>(reserved);
    Verdict verdict = judge(v, c, true);
    bool class_unknown = !c.class_explicit && !c.class_defaulted;
    if (verdict.reason.empty() && !by_claim_ref && !class_unknown && v.class_name != c.class_name)
      verdict.reason = fmt::format("{}, the claim asks for {}", show_class(v.class_name), show_class(c.class_name));
    if (verdict.reason.empty() && !by_claim_ref && !v.pv->claim_ref_name.value().empty())
      verdict = {explain(fits(v, c), v, c), 0};  // reserved for another claim
    if (verdict.reason.empty() && by_claim_ref && bound_to_another_claim(*v.pv, c))
      verdict.reason = fmt::format("bound before to the claim of uid {} (spec.claimRef.uid), which this claim (uid {}) "
                                   "is not: a claim deleted and created anew gets a new uid, and the volume stays Released",
                                   v.pv->claim_ref_uid.value(), claim_uid(c));
    if (!v.capacity_ok) {  // an invalid volume: its own findings say so; nothing to add here
      c.outcome = ClaimOutcome::Deferred;
      return;
    }
    if (int32_t h = holder_for(reserved, c); verdict.reason.empty() && h >= 0) {
      c.contended_by = h;
      verdict.reason = "already bound";
    }
    if (verdict.reason.empty()) return take(index, reserved);
    c.outcome = ClaimOutcome::Pending;
    c.nearest.push_back({reserved, verdict.reason});
  }

  // A pending claim: the nearest volumes and why each was rejected.
  void explain_nearest(StorageClaim& c) {
    // Every volume is checked (cheap); only the three shown are explained in words (a tree with
    // many pending claims and many volumes would otherwise format claims x volumes messages).
    struct Rejected {
      int nearness;  // the Reject, plus 10 for a volume of the claim's own directory
      uint32_t volume;
    };
    std::vector<Rejected> rejected;
    constexpr int kNearest = static_cast<int>(Reject::Capacity) + 10;  // only too small, and beside the claim
    int nearest_found = 0;
    for (uint32_t i = 0; i < s_.volumes.size() && nearest_found < 3; ++i) {
      Reject r = fits(s_.volumes[i], c);
      if (r == Reject::None) continue;
      // Volumes of the claim's own directory first: they are what the author meant.
      rejected.push_back({static_cast<int>(r) + (together(s_.volumes[i], c) ? 10 : 0), i});
      // Three volumes as near as can be: no later volume would be shown before them.
      nearest_found += rejected.back().nearness == kNearest;
    }
    std::stable_sort(rejected.begin(), rejected.end(), [](const Rejected& a, const Rejected& b) { return a.nearness > b.nearness; });
    // When a volume of the claim's class came near, volumes of other classes are no help.
    if (!rejected.empty() && rejected.front().nearness % 10 > static_cast<int>(Reject::Class))
      rejected.erase(std::remove_if(rejected.begin(), rejected.end(),
                                    [](const Rejected& r) { return r.nearness % 10 <= static_cast<int>(Reject::Class); }),
                     rejected.end());
    for (size_t i = 0; i < rejected.size() && i < 3; ++i) {
      const StorageVolume& v = s_.volumes[rejected[i].volume];
      c.nearest.push_back({rejected[i].volume, explain(static_cast<Reject>(rejected[i].nearness % 10), v, c)});
    }
  }

  // No volume fits: can the cluster make one?
  ClaimOutcome provisioning(StorageClaim& c) {
    if (c.class_name.empty()) {
      // Unset, with no default class in sight: the cluster's default class (if it has one)
      // provisions it, unless the author provisions class "" by hand (PVs without a class).
      if (!c.class_explicit && !c.class_defaulted && !hand_provisioned(c, "")) return ClaimOutcome::Deferred;
      return ClaimOutcome::Pending;
    }
    if (c.storage_class) {
      const StorageClass* sc = c.storage_class->as<StorageClass>();
      if (!sc || sc->provisioner.value().empty() || sc->provisioner.value() == kNoProvisioner) return ClaimOutcome::Pending;
      if (c.spec->selector.set() && !c.spec->selector.empty()) {
        c.provisioning_blocked_by_selector = true;
        return ClaimOutcome::Pending;
      }
      return ClaimOutcome::Provisioned;
    }
    // The class names no StorageClass here. PVs of that class mean it is provisioned by hand.
    return hand_provisioned(c, c.class_name) ? ClaimOutcome::Pending : ClaimOutcome::Deferred;
  }

  void collect_mounts() {
    for (uint32_t p = 0; p < topology_.pod_sources.size(); ++p) {
      const PodSource& src = topology_.pod_sources[p];
      for (const Volume& v : src.pod().spec.volumes) {
        if (!v.claim_name.set() || v.claim_name.value().empty()) continue;
        ClaimMount m{p, &v, -1};
        // The claim of the pod's own directory, where another project has one of that name too.
        const uint32_t* claim =
            claims_in_directory_.empty()
                ? nullptr
                : claims_in_directory_.find(NameKey{src.ns(), v.claim_name.value(), topology_.directory(*src.object)});
        if (!claim) claim = claim_index_.find(NameKey{src.ns(), v.claim_name.value(), {}});
        if (claim) m.claim = static_cast<int32_t>(*claim);
        s_.mounts.push_back(m);
      }
    }
  }

  const Model& model_;
  const Topology& topology_;
  Storage s_;
  // PVs by name (copies in several directories).
  FlatMap<std::string_view, std::vector<uint32_t>, StringHash> volume_index_;
  FlatMap<NameKey, uint32_t, NameKeyHash> claim_index_;     // {ns, claim}
  std::deque<std::string> template_claim_names_;
  // {ns, claim, directory}: the claims after the first of their name, each in a directory not
  // deployed together with an earlier one (another project's claim of that name).
  FlatMap<NameKey, uint32_t, NameKeyHash> claims_in_directory_;
  // {ns, claim, directory of the volume} -> the first volume whose claimRef names the claim.
  FlatMap<NameKey, uint32_t, NameKeyHash> reserved_index_;
  // {ns, claim} -> the first of those whose own directory has no claim of the name.
  FlatMap<NameKey, uint32_t, NameKeyHash> reserved_anywhere_;
  std::vector<uint32_t> reserving_;    // the volumes with a claimRef
  std::vector<int32_t> reservation_;   // per claim: the volume reserved for it, or -1
  const Object* cluster_default_ = nullptr;  // the last default StorageClass of --context
  FlatMap<std::string_view, const Object*, StringHash> default_in_directory_;  // the last of each directory
  FlatMap<std::string_view, std::vector<uint32_t>, StringHash> by_class_;  // volumes per class, by capacity
  std::vector<uint32_t> by_capacity_;  // every volume with a capacity, by capacity
  FlatMap<NameKey, bool, NameKeyHash> hand_classes_;  // {scope, class} of every volume
  std::vector<std::vector<uint32_t>> holders_;  // per volume: the claims bound to it, in binding order
  // Per volume, the position in holders_ of the first context claim holding it (-1: none), and
  // of the first claim of each directory.
  std::vector<int32_t> first_context_holder_;
  struct VolumeInDir {
    uint32_t volume;
    std::string_view dir;
    bool operator==(const VolumeInDir&) const = default;
  };
  struct VolumeInDirHash {
    uint64_t operator()(const VolumeInDir& k) const noexcept { return hash_string(k.dir, k.volume); }
  };
  FlatMap<VolumeInDir, uint32_t, VolumeInDirHash> first_holder_in_dir_;
};

}  // namespace

std::string join_texts(const std::vector<Text>& texts) {
  std::string out;
  for (const Text& t : texts) out += (out.empty() ? "" : ", ") + std::string(t.value());
  return out;
}

Storage bind_claims(const Model& model, const Topology& topology) { return Binder(model, topology).run(); }

}  // namespace kmc::checks
