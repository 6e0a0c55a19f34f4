#pragma once
#include <string_view>
#include <vector>

#include "schema/api_schema.h"
#include "schema/model.h"
#include "schema/walker.h"

// What the target Kubernetes release says of an object's apiVersion and kind: version/removed
// for an API some release served (an embedded one, or the removal history back to 1.16) that
// the target does not, version/deprecated for one it serves that a later release removes. An
// apiVersion no release ever served is schema/api-version's (a misspelt group).
namespace kmc::schema {

// version/removed for `o` when Kubernetes once served its apiVersion/kind, or serves it from a
// later release than `s`; false (nothing reported) otherwise.
bool report_unserved_api(SchemaWalker& w, const api::Schema& s, const Object& o, Position av_pos);

// version/deprecated for `o`, whose kind `k` release `s` serves, when a later release removes it.
void report_deprecated_api(SchemaWalker& w, const api::Schema& s, const Object& o, const api::Kind& k, Position av_pos);

// The version to suggest among `kinds`: stable before beta before alpha, the later of two of one
// stability; of `group` when given.
const api::Kind* preferred_version(const std::vector<const api::Kind*>& kinds, std::string_view group = {});

}  // namespace kmc::schema
