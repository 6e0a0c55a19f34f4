#pragma once
#include <optional>
#include <string_view>

#include "checks/topology.h"
#include "schema/model.h"

// Label selectors matched against labels kmc knows only in part, with three answers: the input
// is not the cluster. A pod template's labels are all there is; a Namespace's are its object's
// (when the input holds one deployed with what asks) and kubernetes.io/metadata.name, which the
// API server sets on every namespace; of any other namespace kmc knows only that name. Read by
// the NetworkPolicy evaluation (checks/network_reach.h) and the Gateway listeners' allowedRoutes.
namespace kmc::checks {

enum class Reach { Yes, No, ClusterDecides };

// Both must hold / either may: No and Yes win as in logic, ClusterDecides otherwise.
Reach both(Reach a, Reach b);
Reach either(Reach a, Reach b);

// The labels a selector is matched against, known in part: a pod template's (all of them), a
// Namespace's (its labels and kubernetes.io/metadata.name), or a namespace of which kmc knows
// only the name the API server labels it with.
struct KnownLabels {
  const schema::LabelMap* map = nullptr;
  bool complete = false;  // a label not in `map` is absent (else unknown)
  std::string_view namespace_name;  // when set: kubernetes.io/metadata.name's value

  // The value of `key`; "absent" as nullopt inside; unknown as `known` false.
  bool known(std::string_view key, std::optional<std::string_view>* value) const {
    if (!namespace_name.empty() && key == "kubernetes.io/metadata.name") {
      *value = namespace_name;
      return true;
    }
    *value = map ? map->find(key) : std::nullopt;
    return value->has_value() || complete;
  }
};

// matchLabels and every matchExpression (as LabelSelector::matches), over labels known in part.
Reach selector_reach(const schema::LabelSelector& s, const KnownLabels& labels);

// The Namespace object of `ns` that speaks for the cluster `near` is deployed to: the one deployed
// together with it, else the input's only Namespace of that name; null when there is none, or
// several of other projects (examples redefining `prod` say nothing of this cluster).
const schema::Object* namespace_object(const schema::Model& model, const Topology& topology, std::string_view ns,
                                       const schema::Object& near);

// Whether a namespaceSelector selects namespace `ns`, as deployed with `near`.
Reach namespace_selected(const schema::Model& model, const Topology& topology, const schema::LabelSelector& selector,
                         std::string_view ns, const schema::Object& near);

}  // namespace kmc::checks
