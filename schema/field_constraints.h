#pragma once
// Internal to schema/: the ranges and formats of single fields that the API server's validation
// checks and the OpenAPI document does not state: port numbers 1-65535, counts that may not be
// negative, int-or-percent strings, environment variable names. Reported as schema/invalid-value
// (and schema/name for port names) by the walker, as it leaves each mapping.
#include "parser/node.h"
#include "schema/api_schema.h"

namespace kmc {

class SchemaWalker;

// Checks the constrained fields of `n`, a mapping of definition `d`. A lookup by the
// definition's index: the walker calls it for every mapping of every object.
void check_field_constraints(SchemaWalker& w, const Node& n, const api::Definition& d);

}  // namespace kmc
