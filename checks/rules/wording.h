#pragma once
#include <string>
#include <string_view>

#include "schema/model.h"

// Wording shared by the rule families, so every message names things the same way.
namespace kmc::checks {
using parser::Node;
using schema::LabelMap;
using schema::ServicePort;
using schema::Text;

// `app=web,tier=front` (or "no labels").
std::string format_labels(const LabelMap& labels);
// A label selector as kubectl writes one: `app=web,tier in (front,edge),!canary`.
std::string format_selector(const schema::LabelSelector& selector);
// `port "http" (80/TCP)` or `port 80/TCP` for an unnamed one.
std::string format_port(const ServicePort& p);
// The protocol as the API defaults it: TCP when unset.
std::string_view protocol_or_tcp(const Text& protocol);
// The position of a key in a mapping node (for "point at the field"), or the mapping's. The
// model keeps the children only of the mappings decoded for this (NodeKeeper::with_children).
Position key_pos(const Node* map, std::string_view key);

}  // namespace kmc::checks
