#pragma once
#include "parser/node.h"
#include "schema/field_reader.h"
#include "schema/pod_spec.h"

namespace kmc::schema {

// Fills `s.security_if_set` from pod spec node `n` (its containers already decoded), when the
// spec sets any field the Pod Security Standards read.
void decode_pod_security(FieldReader* reader, const Node& n, PodSpec* s);

}  // namespace kmc::schema
