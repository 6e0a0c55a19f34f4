#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "schema/model.h"

// How the kubelet names service environment variables and how containers refer to variables
// (k/k pkg/kubelet/envvars, third_party/forked/golang/expansion; semantics.md §1).
namespace kmc::checks {
using schema::Container;
using schema::Service;
using schema::Text;

// The kubelet's makeEnvVariableName: upper case, `-` becomes `_`, nothing else changes.
std::string env_name_of(std::string_view service_or_port_name);

// Every variable the kubelet generates for `service` when it has a cluster IP, in the
// kubelet's order: HOST, PORT, named ports, then the Docker-link variables of every port.
std::vector<std::string> service_variables(std::string_view service_name, const Service& service);

// Whether `name` is one of service_variables(service_name, service), without building them:
// the linker asks it for every variable reference of every container.
bool is_service_variable(std::string_view name, std::string_view service_name, const Service& service);

// What a variable name says about the Service that would produce it.
struct ServiceVariableName {
  std::string service;  // the Service name it implies (`redis-master` for REDIS_MASTER_SERVICE_HOST)
  bool strong = false;  // _SERVICE_HOST/_SERVICE_PORT*/_PORT_<n>_<PROTO>*: nothing else is named so;
                        // a bare `X_PORT` is weak: people name their own variables that way
};
// Parses a name of the kubelet's forms; false when it has none of them or when the prefix
// cannot come from a Service name (lower case, a leading digit: not a DNS-1035 label).
bool parse_service_variable(std::string_view name, ServiceVariableName* out);

// One variable reference inside a string.
struct VariableRef {
  std::string_view name;
  size_t offset = 0;  // of the `$` in the string
};

// `$(NAME)` references as the kubelet expands them in env values, command and args: `$$` is an
// escape, an unterminated `$(` is literal text.
std::vector<VariableRef> kubelet_refs(std::string_view text);

// `$NAME` and `${NAME...}` references of a POSIX shell script.
std::vector<VariableRef> shell_refs(std::string_view script);

// The script of a container that runs a shell with `-c` (`sh -c "..."`, `bash -ec` + args),
// or nullptr: only then are `$NAME` references in command/args expanded at run time.
const Text* shell_script(const Container& c);

}  // namespace kmc::checks
