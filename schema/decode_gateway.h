#pragma once
#include "parser/node.h"
#include "schema/field_reader.h"
#include "schema/gateway_spec.h"

// Decoding of the Gateway API objects the gateway/* rules link (schema/gateway_spec.h).
namespace kmc::schema {

// Whether group/kind is a route kind of the Gateway API (HTTPRoute, GRPCRoute, TCPRoute, …).
bool is_gateway_route(std::string_view group, std::string_view kind);

Route decode_route(FieldReader* reader, const Node& root);
Gateway decode_gateway(FieldReader* reader, const Node& root);

}  // namespace kmc::schema
