#pragma once
#include <set>
#include <string>
#include <string_view>

#include "schema/model.h"

// Wording shared by the rule families, so every message names things the same way.
namespace kmc {

// `app=web,tier=front` (or "no labels").
std::string format_labels(const LabelMap& labels);
// `port "http" (80/TCP)` or `port 80/TCP` for an unnamed one.
std::string format_port(const ServicePort& p);
// The protocol as the API defaults it: TCP when unset.
std::string_view protocol_or_tcp(const Text& protocol);
// A custom resource (a Prometheus, a CephCluster, a LeaderWorkerSet) usually means an operator
// that creates pods kmc cannot see.
bool is_custom_resource(const Object& o);
// The namespaces that hold a custom resource: rules that would say "no pod does X" stay silent
// there.
std::set<std::string_view> operator_namespaces(const Model& model);

// The position of a key in a mapping node (for "point at the field"), or the mapping's. The
// model keeps the children only of the mappings decoded for this (NodeKeeper::with_children).
Position key_pos(const Node* map, std::string_view key);

}  // namespace kmc
