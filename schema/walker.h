#pragma once
// Internal to schema/: the walk of one object's node tree beside a schema, shared by the
// built-in API schema (walker.cc) and CRD schemas (crd_schema.cc).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/spelling.h"
#include "parser/node.h"
#include "schema/api_schema.h"
#include "schema/model.h"

namespace kmc::schema {
using parser::Node;

class SchemaWalker {
 public:
  SchemaWalker(const api::Schema& schema, const Object& object, std::vector<SchemaIssue>* out);

  // A value of the given API type at the current path.
  void value(const Node& n, uint16_t type);
  // A mapping that must have the fields of `d`.
  void structure(const Node& n, const api::Definition& d);
  // A value of a CRD's structural schema (a node of its openAPIV3Schema).
  void crd_value(const Node& n, const Node& schema);
  // The root of a custom resource: apiVersion, kind and metadata as for any object, the rest
  // after the CRD's schema.
  void custom_resource(const Node& root, const Node& schema);

  void issue(RuleId rule, Position pos, std::string message, std::string fix = {},
             std::vector<Related> related = {});
  // The fix hints of names: DNS labels and subdomains, and IANA service names (named ports).
  static constexpr std::string_view kDnsNameFix =
      "use lower-case letters, digits and '-', starting and ending with a letter or digit";
  static constexpr std::string_view kPortNameFix =
      "at most 15 lower-case letters, digits and '-', with at least one letter, as the container declares it";
  // A name field's value `n` of the mapping at the current path, held to `check`'s syntax
  // (schema/name); empty and template values are not judged.
  void name_value(const Node& n, std::string_view field, std::string_view what, std::string (*check)(std::string_view),
                  std::string_view fix = kDnsNameFix);
  // Findings of a custom resource point also at the CRD whose schema they come from.
  void set_crd(Position crd) { crd_ = crd; }
  // A CRD that keeps unknown fields everywhere (apiextensions v1beta1's preserveUnknownFields).
  void set_preserve_unknown(bool preserve) { preserve_unknown_ = preserve; }
  // "spec.ports[0].targetPort", or "the object" at the root.
  std::string path() const;
  std::string path_with(std::string_view key) const;

  struct Segment {
    std::string_view key;
    int64_t index = -1;
    const Node* key_node = nullptr;  // the mapping key, to point at `spec:` rather than inside it
  };
  void push(std::string_view key, const Node* key_node = nullptr) { path_.push_back({key, -1, key_node}); }
  void push(int64_t index) { path_.push_back({{}, index, nullptr}); }
  // Where to report something missing from the mapping `n`: its key, or its first line.
  Position missing_pos(const Node& n) const {
    return !path_.empty() && path_.back().key_node ? path_.back().key_node->pos() : n.pos();
  }
  void pop() { path_.pop_back(); }

  // A strategic-merge patch (kustomize) names only what it changes: no field is required.
  void set_patch(bool patch) { patch_ = patch; }
  // kustomize's commonLabels writes `selector` into the resources it builds.
  void set_selector_completed(bool completed) { selector_completed_ = completed; }

  const api::Schema& schema() const { return schema_; }
  const Object& object() const { return object_; }

 private:
  void scalar(const Node& n, const api::Type& t);
  // The parts of scalar: an integer or int-or-string, a quantity, a value of the wrong type.
  void integer_value(const Node& n, const api::Type& t);
  void quantity_value(const Node& n, const api::Type& t);
  void type_mismatch(const Node& n, const api::Type& t, std::string fix);
  // The parts of crd_value (schema/crd_schema.cc): a mapping, a scalar of `type`, a wrong type.
  void crd_object(const Node& n, const Node& schema);
  void crd_scalar(const Node& n, const Node& schema, std::string_view type);
  void crd_mismatch(const Node& n, std::string_view expected);
  void enum_value(const Node& n, std::span<const char* const> allowed);
  void unknown_field(const Node& key, const api::Definition& d);
  void field_of_other_release(const Node& key, api::ReleaseMask releases);
  void hooks(const Node& n, const api::Definition& d);
  void label_map(const Node& n, bool values_are_labels);
  void label_selector(const Node& n);
  void dns_name(const Node& parent, std::string_view field, std::string_view what, std::string (*check)(std::string_view),
                std::string_view fix = kDnsNameFix);

  const api::Schema& schema_;
  const Object& object_;
  std::vector<SchemaIssue>* out_;
  std::vector<Segment> path_;
  size_t budget_ = 200;
  bool patch_ = false;
  bool selector_completed_ = false;
  Position crd_;
  bool preserve_unknown_ = false;
  // Inside `status`: the API server decodes it (types and fields count) but resets it on create
  // before validation, so required fields, enum values and name syntax do not apply there.
  int in_status_ = 0;
  bool checks_values() const { return in_status_ == 0; }
  bool checks_required() const { return in_status_ == 0 && !patch_; }  // findings per object: past this a manifest is not what the schema thinks

  // Definitions whose values have rules beyond their types (names, labels, selectors).
  struct Known {
    const api::Definition *object_meta, *label_selector, *selector_requirement, *service_spec, *service_port,
        *pod_spec, *container, *ephemeral_container, *volume, *container_port, *pod_affinity_term;
  };
  static const Known& known(const api::Schema& s);
  const Known& known_;
  const uint8_t* field_checks_;  // schema/field_constraints.h, by field index
};

// "ServicePort" from "io.k8s.api.core.v1.ServicePort".
std::string_view short_name(const api::Definition& d);
// "an integer", "a string", "a mapping"… for a node as Kubernetes will read it.
std::string describe_node(const Node& n);

}  // namespace kmc::schema
