#pragma once
#include "parser/node.h"
#include "schema/field_reader.h"
#include "schema/gateway_spec.h"
#include "schema/model.h"

// Decoding of the Gateway API objects the gateway/* rules link (schema/gateway_spec.h).
namespace kmc::schema {

// Whether group/kind is a route kind of the Gateway API (HTTPRoute, GRPCRoute, TCPRoute, …).
bool is_gateway_route(std::string_view group, std::string_view kind);

// Sets o.spec for a route, Gateway or ReferenceGrant (an object of gateway.networking.k8s.io);
// other kinds of the group keep none.
void decode_gateway_spec(FieldReader* reader, Object& o);

}  // namespace kmc::schema
