#pragma once
// Internal to schema/: the ranges and formats of single fields that the API server's validation
// checks and the OpenAPI document does not state: port numbers 1-65535, counts that may not be
// negative, int-or-percent strings, environment variable names. Reported as schema/invalid-value
// (and schema/name for port names) by the walker, as it visits each field.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "parser/node.h"
#include "schema/api_schema.h"

namespace kmc::schema {
using parser::Node;

class SchemaWalker;

// For each field of the schema's field table, by index, the check its values get (0: none):
// the walker reads one byte per field it visits.
const std::vector<uint8_t>& field_constraint_table(const api::Schema& s);

// How many (definition, field) checks are declared: each must name a field of the schema, which
// a test holds the table to (a misspelt definition would silently check nothing).
size_t field_constraints_declared();

// Checks the value `v` of `field`, a field of the mapping the walker is at, by its check.
void check_field_value(SchemaWalker& w, const Node& v, std::string_view field, uint8_t check);

}  // namespace kmc::schema
