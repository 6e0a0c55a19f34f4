#pragma once
#include "schema/field_reader.h"
#include "schema/model.h"

// Decoding of NetworkPolicies for the network-policy/* rules (schema/network_policy_spec.h).
namespace kmc::schema {

// Sets o.spec for a networking.k8s.io NetworkPolicy.
void decode_network_policy_spec(FieldReader* reader, Object& o);

}  // namespace kmc::schema
