#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/position.h"
#include "schema/model.h"

// How pods name the Services they call: the kubelet's service variables and DNS names (full,
// `<svc>.<ns>`, or the short name of a Service of the pod's own namespace), each where it is
// written. The linker finds them (checks/topology.h); the discovery rules, `kmc graph` and the
// network-policy rules read them.
namespace kmc::checks {
using schema::Container;
using schema::Object;
using schema::ServicePort;

struct ServiceLinks;

// Where a reference to a variable or DNS name was written: a container's env value, command,
// args or `sh -c` script, or a value of a ConfigMap (or a Secret's stringData) it reads.
enum class RefSite { EnvValue, Command, Args, ShellScript, ConfigValue };
std::string_view ref_site_name(RefSite s);

// A container's use of a service environment variable (`$(REDIS_SERVICE_HOST)`, `$REDIS_PORT`
// in an `sh -c` script), resolved in the pod's namespace.
struct ServiceVariableUse {
  uint32_t pod_source;
  uint32_t services_elsewhere = 0;  // Services of that name in other namespaces (when `elsewhere`)
  const Container* container;
  std::string_view variable;              // as written: a view of the scalar's text
  std::string service_name;               // the Service whose name produces it
  Position pos;                           // the reference itself
  RefSite site;
  const ServiceLinks* service = nullptr;  // same namespace, or null
  const Object* elsewhere = nullptr;      // the first Service of that name in another namespace
  bool generated = false;                 // `service` generates exactly this variable
};

// A container's use of an in-cluster DNS name (`redis.shop.svc.cluster.local`, `web-0.web.shop.svc`),
// or of a Service of its namespace by short name (`cart`, `cart:7070`, `http://cart/api`).
struct DnsNameUse {
  uint32_t pod_source;
  const Container* container;
  // Views of the scalar's text, which outlives the topology.
  std::string_view name;               // as written
  std::string_view service, ns, pod;  // its labels; pod: the StatefulSet pod name part, if any
  std::string_view port;              // the port written after it (`:7070`), or empty
  Position pos;
  RefSite site = RefSite::EnvValue;
  const Object* via = nullptr;           // the ConfigMap or Secret whose value holds it (ConfigValue)
  const ServiceLinks* target = nullptr;  // the Service, when it exists
  const ServicePort* service_port = nullptr;  // the Service's port `port` names, when it has it
  bool pod_known = true;                 // for pod names: a pod of the set has this name
  // A short name that names no Service but is one typo from one (`cartservce:7070` beside
  // Service `cartservice`): `near` is that Service's name. Other unknown short names are not
  // recorded (a bare word is rarely a host).
  bool short_name = false;
  std::string_view near;
};


}  // namespace kmc::checks
