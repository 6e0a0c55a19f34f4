#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "schema/model.h"
#include "schema/quantity.h"

// The PersistentVolume controller, run on the manifests: which PV each claim binds to, which
// claims a StorageClass provisions, and which stay Pending and why. Follows
// FindMatchingVolume / syncUnboundClaim (semantics.md 2.1-2.3): pre-bound volumes first, then
// the smallest volume that fits, each binding taking the volume away from later claims.
namespace kmc::checks {
using schema::Model;
using schema::Object;
using schema::PersistentVolume;
using schema::PersistentVolumeClaimSpec;
using schema::Quantity;
using schema::Text;
using schema::Volume;
using schema::Workload;

struct StorageVolume {
  const Object* object;
  const PersistentVolume* pv;
  Quantity capacity;
  bool capacity_ok = false;  // capacity.storage parses
  std::string class_name;    // effective class (beta annotation, then storageClassName)
  int32_t bound_to = -1;     // index of the first claim that took it (each directory binds on its own)
  // Its claimRef names a claim of its own directory: claims of the name elsewhere are others.
  bool reserved_in_directory = false;
};

// Why a claim is not served by a volume: the first check of the binder that rejected it.
struct Rejection {
  uint32_t volume;
  std::string reason;  // "5Gi < 10Gi requested"
};

enum class ClaimOutcome : uint8_t {
  Bound,        // to `volume`
  Provisioned,  // by `storage_class`'s provisioner
  Deferred,     // no StorageClass of its class in sight: the cluster may provide it
  Pending,      // nothing serves it
};

struct StorageClaim {
  const Object* object;  // the PersistentVolumeClaim, or the StatefulSet that stamps it out
  const PersistentVolumeClaimSpec* spec;
  const Workload::ClaimTemplate* from_template = nullptr;  // StatefulSet claims
  int64_t ordinal = 0;
  std::string name, ns;
  Position pos;  // the claim's name (or the template's)

  Quantity request;
  bool request_ok = true;
  std::string class_name;        // effective class after defaulting
  bool class_explicit = false;   // storageClassName (or the beta annotation) is set
  bool class_defaulted = false;  // unset, and a default StorageClass of the set filled it in
  const Object* storage_class = nullptr;  // the StorageClass of that name, if in the set

  ClaimOutcome outcome = ClaimOutcome::Pending;
  int32_t volume = -1;        // Bound: the volume
  int32_t reserved_volume = -1;  // the one volume it may bind (spec.volumeName, or a PV's claimRef)
  int32_t contended_by = -1;  // Pending: a claim that took a volume this one fits
  std::vector<Rejection> nearest;  // Pending: up to three volumes and why each was rejected
  bool volume_name_missing = false;  // spec.volumeName names a PV that is not in the set
  bool provisioning_blocked_by_selector = false;  // provisionable, but selectors are not supported

  bool context() const { return object->context; }
};

// A pod template's volume that names a claim.
struct ClaimMount {
  uint32_t pod_source;
  const Volume* volume;
  int32_t claim = -1;  // the claim of that name in the pod's namespace, or -1
};

struct Storage {
  std::vector<StorageVolume> volumes;
  std::vector<StorageClaim> claims;
  std::vector<ClaimMount> mounts;
  std::vector<const Object*> default_classes;  // StorageClasses marked default, in input order
  // StatefulSet claims are listed up to this many per template; beyond, counts are arithmetic.
  static constexpr int64_t kMaxClaimsPerTemplate = 1000;
};

struct Topology;
Storage bind_claims(const Model& model, const Topology& topology);

// "ReadWriteOnce, ReadOnlyMany"
std::string join_texts(const std::vector<Text>& texts);

}  // namespace kmc::checks
