#pragma once
#include "parser/node.h"
#include "schema/field_reader.h"
#include "schema/pod_spec.h"

// The parts of a pod spec that name other things, for the reference/* rules: the ConfigMaps
// and Secrets it reads (every container's env and envFrom, ephemeral containers included; the
// volumes and their items; projected sources; imagePullSecrets), its PriorityClass, and in each
// container the volume devices and the ports its probes and lifecycle hooks name.
namespace kmc::schema {

// Fills `c.volume_devices` and `c.named_ports` from container node `n`.
void decode_container_references(FieldReader* reader, const Node& n, Container* c);
// Fills `s.config_refs` and `s.priority_class` from pod spec node `n`.
void decode_pod_references(FieldReader* reader, const Node& n, PodSpec* s);

}  // namespace kmc::schema
