#include "kustomize/field_spec.h"

#include <string>

#include "kustomize/resource.h"

namespace kmc::kustomize {

Gvk Gvk::of(const RNode& object) {
  Gvk g;
  GroupVersion gv = split_api_version(object.get_text("apiVersion"));
  g.group = std::string(gv.group);
  g.version = std::string(gv.version);
  g.kind = std::string(object.get_text("kind"));
  return g;
}

namespace {

// kyaml's field spec walk: a list met on the way is walked item by item (with or without `[]` in
// the path); a null or missing field ends the walk, unless `create` makes it (never a list,
// never when `leaf` is Null: a transformer that only edits what is there).
void visit_path(RNode& node, std::string_view path, bool create, NodeKind leaf, Position pos,
                const std::function<void(RNode&)>& edit) {
  if (path.empty()) return edit(node);
  if (node.is_seq()) {
    for (RNode& item : node.kids) visit_path(item, path, create, leaf, pos, edit);
    return;
  }
  if (!node.is_map()) return;
  // `\/` is a slash inside a segment (an annotation key such as `nginx.ingress.kubernetes.io\/auth-secret`).
  size_t slash = path.find('/');
  while (slash != std::string_view::npos && slash > 0 && path[slash - 1] == '\\') slash = path.find('/', slash + 1);
  // A created key points at its text: the path's own, a literal of the tables, unless it was
  // unescaped (only the name-reference table escapes, and it never creates).
  std::string unescaped;
  std::string_view segment = path.substr(0, slash);
  if (segment.find("\\/") != std::string_view::npos) {
    unescaped = segment;
    for (size_t at; (at = unescaped.find("\\/")) != std::string::npos;) unescaped.erase(at, 1);
    segment = unescaped;
    create = false;
  }
  std::string_view rest = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  bool list_field = segment.ends_with("[]");
  if (list_field) segment.remove_suffix(2);
  bool can_create = create && leaf != NodeKind::Null && !list_field;
  NodeKind made = rest.empty() ? leaf : NodeKind::Map;
  RNode* next = node.get(segment);
  if (!next) {
    if (!can_create) return;
    RNode fresh = made == NodeKind::Map ? RNode::map(pos) : RNode::string("", pos);
    fresh.kind = made;
    next = &node.set(segment, std::move(fresh), pos);
  } else if (next->kind == NodeKind::Null) {
    if (!can_create) return;
    next->kind = made;
    next->text = {};
  }
  visit_path(*next, rest, create, leaf, pos, edit);
}

}  // namespace

void visit_field(RNode& object, const Gvk& gvk, const FieldSpec& spec, NodeKind leaf, Position pos,
                 const std::function<void(RNode&)>& edit) {
  if (!gvk.matches(spec.gvk)) return;
  visit_path(object, spec.path, spec.create, leaf, pos, edit);
}

namespace {

// metadataLabelsFieldSpecs: an object's labels and its pod templates' (templateLabels).
constexpr FieldSpec kTemplateLabels[] = {
    {{}, "metadata/labels", true},
    {{"", "v1", "ReplicationController"}, "spec/template/metadata/labels", true},
    {{"", "", "Deployment"}, "spec/template/metadata/labels", true},
    {{"", "", "ReplicaSet"}, "spec/template/metadata/labels", true},
    {{"", "", "DaemonSet"}, "spec/template/metadata/labels", true},
    {{"apps", "", "StatefulSet"}, "spec/template/metadata/labels", true},
    {{"apps", "", "StatefulSet"}, "spec/volumeClaimTemplates[]/metadata/labels", true},
    {{"batch", "", "Job"}, "spec/template/metadata/labels", true},
    {{"batch", "", "CronJob"}, "spec/jobTemplate/metadata/labels", true},
    {{"batch", "", "CronJob"}, "spec/jobTemplate/spec/template/metadata/labels", true},
};

constexpr std::string_view kPodAffinityPaths[] = {
    "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/"
    "labelSelector/matchLabels",
    "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/"
    "labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/"
    "matchLabels",
    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
};

// commonLabelFieldSpecs, in kustomize's order, then metadataLabelsFieldSpecs.
std::vector<FieldSpec> make_common_labels() {
  std::vector<FieldSpec> v = {
      {{"", "v1", "Service"}, "spec/selector", true},
      {{"", "v1", "ReplicationController"}, "spec/selector", true},
      {{"", "", "Deployment"}, "spec/selector/matchLabels", true},
  };
  for (std::string_view p : kPodAffinityPaths) v.push_back({{"apps", "", "Deployment"}, p, false});
  v.push_back({{"", "", "ReplicaSet"}, "spec/selector/matchLabels", true});
  v.push_back({{"", "", "DaemonSet"}, "spec/selector/matchLabels", true});
  v.push_back({{"apps", "", "StatefulSet"}, "spec/selector/matchLabels", true});
  v.push_back({{"apps", "", "StatefulSet"}, "spec/volumeClaimTemplates[]/metadata/labels", true});
  for (std::string_view p : kPodAffinityPaths) v.push_back({{"apps", "", "StatefulSet"}, p, false});
  v.push_back({{"batch", "", "Job"}, "spec/selector/matchLabels", false});
  v.push_back({{"batch", "", "CronJob"}, "spec/jobTemplate/spec/selector/matchLabels", false});
  v.push_back({{"policy", "", "PodDisruptionBudget"}, "spec/selector/matchLabels", false});
  v.push_back({{"networking.k8s.io", "", "NetworkPolicy"}, "spec/podSelector/matchLabels", false});
  v.push_back({{"networking.k8s.io", "", "NetworkPolicy"}, "spec/ingress/from/podSelector/matchLabels", false});
  v.push_back({{"networking.k8s.io", "", "NetworkPolicy"}, "spec/egress/to/podSelector/matchLabels", false});
  for (const FieldSpec& f : kTemplateLabels) v.push_back(f);
  return v;
}

constexpr FieldSpec kCommonAnnotations[] = {
    {{}, "metadata/annotations", true},
    {{"", "v1", "ReplicationController"}, "spec/template/metadata/annotations", true},
    {{"", "", "Deployment"}, "spec/template/metadata/annotations", true},
    {{"", "", "ReplicaSet"}, "spec/template/metadata/annotations", true},
    {{"", "", "DaemonSet"}, "spec/template/metadata/annotations", true},
    {{"", "", "StatefulSet"}, "spec/template/metadata/annotations", true},
    {{"batch", "", "Job"}, "spec/template/metadata/annotations", true},
    {{"batch", "", "CronJob"}, "spec/jobTemplate/metadata/annotations", true},
    {{"batch", "", "CronJob"}, "spec/jobTemplate/spec/template/metadata/annotations", true},
};

constexpr FieldSpec kReplicas[] = {
    {{"", "", "Deployment"}, "spec/replicas", true},
    {{"", "", "ReplicationController"}, "spec/replicas", true},
    {{"", "", "ReplicaSet"}, "spec/replicas", true},
    {{"", "", "StatefulSet"}, "spec/replicas", true},
};

constexpr FieldSpec kImages[] = {
    {{}, "spec/containers[]/image", true},
    {{}, "spec/initContainers[]/image", true},
    {{}, "spec/volumes[]/image/reference", true},
    {{}, "spec/template/spec/containers[]/image", true},
    {{}, "spec/template/spec/initContainers[]/image", true},
    {{}, "spec/template/spec/volumes[]/image/reference", true},
};

constexpr FieldSpec kNamespace[] = {
    {{"", "", "Namespace"}, "metadata/name", true},
    {{"apiregistration.k8s.io", "", "APIService"}, "spec/service/namespace", true},
    {{"apiextensions.k8s.io", "", "CustomResourceDefinition"}, "spec/conversion/webhook/clientConfig/service/namespace",
     false},
};

}  // namespace

std::span<const FieldSpec> common_label_specs() {
  static const std::vector<FieldSpec> specs = make_common_labels();
  return specs;
}
std::span<const FieldSpec> template_label_specs() { return kTemplateLabels; }
std::span<const FieldSpec> common_annotation_specs() { return kCommonAnnotations; }
std::span<const FieldSpec> replicas_specs() { return kReplicas; }
std::span<const FieldSpec> image_specs() { return kImages; }
std::span<const FieldSpec> namespace_specs() { return kNamespace; }

}  // namespace kmc::kustomize
