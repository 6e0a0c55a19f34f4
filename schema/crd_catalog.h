#pragma once
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/source.h"
#include "parser/node.h"

// What a CustomResourceDefinition says of its custom resources, from a CRD of the input or
// --context (an Object of the run), or from --crds (`crds:` of .kmc.yaml): CRD manifests and
// JSON Schemas laid out as kubeconform's CRD catalogues are ({group}/{kind}_{version}.json, the
// layout of datreeio/CRDs-catalog), read as schemas only — never objects to check, link or
// report.
namespace kmc::schema {
using parser::Node;

struct CrdVersion {
  std::string_view name;
  const Node* schema = nullptr;  // openAPIV3Schema, or nullptr: fields are not checked
  bool served = true;
  bool deprecated = false;
  std::string_view warning;  // deprecationWarning, when the CRD words its own
};

struct Object;

struct CrdDefinition {
  const Object* object = nullptr;  // the run's CRD; nullptr for one of --crds
  std::string_view source;         // --crds: the file it came from
  std::string_view group, kind;
  bool kind_from_file_name = false;  // a catalogue's file name: lower-case, compared ignoring case
  // apiextensions v1beta1's spec.preserveUnknownFields (true unless set false there): no field
  // of the custom resource is unknown.
  bool preserve_unknown = false;
  std::vector<CrdVersion> versions;
};

// The definition a CRD object's tree gives (`api_version`: the CRD's own, apiextensions.k8s.io/v1
// or v1beta1); false when it names no group or kind.
bool read_crd(const Node& root, std::string_view api_version, CrdDefinition* out);

// --crds: CRDs and catalogue schemas read from files and directories (recursively: .yaml, .yml,
// .json), kept for the run.
class CrdCatalog {
 public:
  // Reads `paths`; a path that cannot be read, or a file named in `paths` with nothing CRD-like,
  // is a line in `errors` ("path: why"), and the rest are read.
  void load(const std::vector<std::string>& paths, std::vector<std::string>* errors);
  std::span<const CrdDefinition> crds() const { return crds_; }

 private:
  void load_file(const std::string& path, bool named, std::vector<std::string>* errors);

  Arena arena_;
  std::deque<SourceFile> files_;
  std::deque<std::string> names_;  // group, kind and version text that no file holds
  std::vector<CrdDefinition> crds_;
};

}  // namespace kmc::schema
