#pragma once
// Internal to schema/: what the API server's validation (k/k pkg/apis/*/validation) rejects
// beyond what the OpenAPI document can state: fields required under a condition, values that
// depend on the kind or on another field. Reported as schema/required, schema/enum and
// schema/invalid-value.
#include "schema/model.h"
#include "schema/walker.h"

namespace kmc::schema {

// Checks one object of a built-in kind, after its structure was walked. Not for patches, which
// name only what they change.
void check_api_constraints(SchemaWalker& w, const Object& o);

}  // namespace kmc::schema
