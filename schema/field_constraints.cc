#include "schema/field_constraints.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "parser/scalar.h"
#include "schema/names.h"
#include "schema/walker.h"

namespace kmc::schema {
using parser::Node;
using parser::NodeKind;
using parser::is_template_text;

namespace {

enum class Check : uint8_t {
  None,
  Port,            // 1-65535
  PortOrUnset,     // 0 (not set), or 1-65535
  PortOrName,      // 1-65535, or an IANA service name
  TargetPort,      // 0 or "" (defaults to the port), 1-65535, or an IANA service name
  NonNegative,     // >= 0
  PositiveInt32,   // 1-2147483647
  IntOrPercent,    // an int >= 0 or "<digits>%"
  IntOrPercentMax, // the same, a percent at most 100%
  EnvVarName,      // printable ASCII without '=', not empty
};

struct FieldCheck {
  std::string_view definition, field;
  Check check;
};

// From k/k pkg/apis/core/validation (ValidatePodSpec, validateContainerPorts, ValidateService,
// validateEndpointPort, validateHandler, validateEnvVarName) and pkg/apis/apps, batch validation.
constexpr FieldCheck kChecks[] = {
    {"io.k8s.api.core.v1.ContainerPort", "containerPort", Check::Port},
    {"io.k8s.api.core.v1.ContainerPort", "hostPort", Check::PortOrUnset},
    {"io.k8s.api.core.v1.ServicePort", "port", Check::Port},
    {"io.k8s.api.core.v1.ServicePort", "targetPort", Check::TargetPort},
    {"io.k8s.api.core.v1.EndpointPort", "port", Check::Port},
    {"io.k8s.api.core.v1.HTTPGetAction", "port", Check::PortOrName},
    {"io.k8s.api.core.v1.TCPSocketAction", "port", Check::PortOrName},
    {"io.k8s.api.core.v1.GRPCAction", "port", Check::Port},
    {"io.k8s.api.core.v1.PodSpec", "activeDeadlineSeconds", Check::PositiveInt32},
    {"io.k8s.api.core.v1.EnvVar", "name", Check::EnvVarName},
    {"io.k8s.api.core.v1.ReplicationControllerSpec", "replicas", Check::NonNegative},
    {"io.k8s.api.core.v1.ReplicationControllerSpec", "minReadySeconds", Check::NonNegative},
    {"io.k8s.api.apps.v1.DeploymentSpec", "replicas", Check::NonNegative},
    {"io.k8s.api.apps.v1.DeploymentSpec", "minReadySeconds", Check::NonNegative},
    {"io.k8s.api.apps.v1.DeploymentSpec", "revisionHistoryLimit", Check::NonNegative},
    {"io.k8s.api.apps.v1.DeploymentSpec", "progressDeadlineSeconds", Check::NonNegative},
    {"io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge", Check::IntOrPercent},
    {"io.k8s.api.apps.v1.RollingUpdateDeployment", "maxUnavailable", Check::IntOrPercentMax},
    {"io.k8s.api.apps.v1.RollingUpdateDaemonSet", "maxSurge", Check::IntOrPercent},
    {"io.k8s.api.apps.v1.RollingUpdateDaemonSet", "maxUnavailable", Check::IntOrPercentMax},
    {"io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy", "partition", Check::NonNegative},
    {"io.k8s.api.apps.v1.StatefulSetSpec", "replicas", Check::NonNegative},
    {"io.k8s.api.apps.v1.StatefulSetSpec", "minReadySeconds", Check::NonNegative},
    {"io.k8s.api.apps.v1.StatefulSetSpec", "revisionHistoryLimit", Check::NonNegative},
    {"io.k8s.api.apps.v1.ReplicaSetSpec", "replicas", Check::NonNegative},
    {"io.k8s.api.apps.v1.ReplicaSetSpec", "minReadySeconds", Check::NonNegative},
    {"io.k8s.api.apps.v1.DaemonSetSpec", "minReadySeconds", Check::NonNegative},
    {"io.k8s.api.apps.v1.DaemonSetSpec", "revisionHistoryLimit", Check::NonNegative},
    {"io.k8s.api.batch.v1.JobSpec", "parallelism", Check::NonNegative},
    {"io.k8s.api.batch.v1.JobSpec", "completions", Check::NonNegative},
    {"io.k8s.api.batch.v1.JobSpec", "backoffLimit", Check::NonNegative},
    {"io.k8s.api.batch.v1.JobSpec", "ttlSecondsAfterFinished", Check::NonNegative},
    {"io.k8s.api.batch.v1.CronJobSpec", "successfulJobsHistoryLimit", Check::NonNegative},
    {"io.k8s.api.batch.v1.CronJobSpec", "failedJobsHistoryLimit", Check::NonNegative},
};

// Most values here are a few plain digits (`8080`, `3`): read them directly rather than through
// the YAML 1.1 integer forms (signs, `0x`, `_`), which the walker has already accepted.
bool plain_digits(std::string_view s, int64_t* value) {
  if (s.empty() || s.size() > 9 || (s.size() > 1 && s[0] == '0')) return false;  // 0755 is octal in YAML 1.1
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *value = v;
  return true;
}

bool is_percent(std::string_view s, int64_t* value) {
  if (s.size() < 2 || s.back() != '%') return false;
  std::string_view digits = s.substr(0, s.size() - 1);
  if (digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  *value = 0;
  for (char c : digits) *value = *value * 10 + (c - '0');
  return true;
}

// A percentage where an int-or-string field takes one (maxSurge: "25%"); `at_most_100` for the
// fields that cannot exceed the whole (a rolling update's maxUnavailable).
void check_percent(SchemaWalker& w, const Node& v, std::string_view field, bool at_most_100) {
  int64_t percent = 0;
  if (!is_percent(v.text(), &percent))
    w.issue(RuleId::SchemaInvalidValue, v.pos(),
            fmt::format("{} is \"{}\", which is neither a number nor a percentage; the API server accepts an "
                        "integer or digits followed by '%'",
                        w.path_with(field), v.text()),
            "write a number without quotes, or a percentage like \"25%\"");
  else if (at_most_100 && percent > 100)
    w.issue(RuleId::SchemaInvalidValue, v.pos(),
            fmt::format("{} is {}; the API server rejects more than 100%", w.path_with(field), v.text()), "use at most 100%");
}

// An environment variable's name: not empty, printable ASCII without '='.
void check_env_var_name(SchemaWalker& w, const Node& v, std::string_view field) {
  std::string_view s = v.text();
  if (s.empty()) {
    w.issue(RuleId::SchemaRequired, v.pos(), fmt::format("{} is empty; every variable needs a name", w.path_with(field)),
            "name the variable, or remove the entry");
    return;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    if (ch != '=' && ch >= 32 && ch <= 126) continue;
    std::string shown = ch == '=' ? std::string("'='") : fmt::format("byte 0x{:02x}", ch);
    w.issue(RuleId::SchemaInvalidValue, v.pos(),
            fmt::format("{} \"{}\" has {} at position {}; a variable name is printable ASCII without '='",
                        w.path_with(field), s.substr(0, 60), shown, i + 1),
            ch == '=' ? "put the value under `value:`, not in the name" : "use ASCII letters, digits and '_'");
    return;
  }
}

void check(SchemaWalker& w, const Node& v, std::string_view field, Check c) {
  if (v.is_null() || (v.is_string() && is_template_text(v.text()))) return;
  // The path is built only for a finding: these fields are on every container and port.
  auto path = [&] { return w.path_with(field); };
  int64_t n = 0;
  bool is_int = v.kind == NodeKind::Int && (plain_digits(v.text(), &n) || v.as_int(&n));
  auto invalid = [&](std::string what, std::string fix) {
    w.issue(RuleId::SchemaInvalidValue, v.pos(), fmt::format("{} is {}; {}", path(), v.text(), what), std::move(fix));
  };
  switch (c) {
    case Check::None: return;
    case Check::Port:
    case Check::PortOrUnset:
      if (is_int && !(n >= 1 && n <= 65535) && !(c == Check::PortOrUnset && n == 0))
        invalid("the API server accepts a port number from 1 to 65535", "use a port number from 1 to 65535");
      return;
    case Check::PortOrName:
    case Check::TargetPort:
      if (is_int && !(n >= 1 && n <= 65535) && !(c == Check::TargetPort && n == 0))
        invalid("the API server accepts a port number from 1 to 65535, or a port name",
                "use the container's port number (1-65535) or its name");
      else if (v.is_string() && !(c == Check::TargetPort && v.text().empty()))
        w.name_value(v, field, "port name (IANA service name)", iana_service_name_error, SchemaWalker::kPortNameFix);
      return;
    case Check::NonNegative:
      if (is_int && n < 0) invalid("the API server rejects a negative value here", "use 0 or more");
      return;
    case Check::PositiveInt32:
      if (is_int && (n < 1 || n > INT32_MAX))
        invalid("the API server accepts 1 to 2147483647 seconds here", "use a positive number of seconds, or remove it");
      return;
    case Check::IntOrPercent:
    case Check::IntOrPercentMax:
      if (is_int && n < 0) invalid("the API server rejects a negative value here", "use 0 or more, or a percentage like 25%");
      else if (!is_int && v.is_string()) check_percent(w, v, field, c == Check::IntOrPercentMax);
      return;  // any other type: the walker reports it
    case Check::EnvVarName:
      if (v.is_string()) check_env_var_name(w, v, field);
      return;
  }
}

}  // namespace

const std::vector<uint8_t>& field_constraint_table(const api::Schema& s) {
  static const std::vector<uint8_t> table = [&s] {
    std::vector<uint8_t> t(s.fields.size(), static_cast<uint8_t>(Check::None));
    for (const FieldCheck& c : kChecks)
      if (const api::Definition* d = s.find_definition(c.definition))
        for (const api::Field& f : s.fields_of(*d))  // every release's form of the field
          if (f.name == c.field) t[static_cast<size_t>(&f - s.fields.data())] = static_cast<uint8_t>(c.check);
    return t;
  }();
  return table;
}

size_t field_constraints_declared() { return std::size(kChecks); }

void check_field_value(SchemaWalker& w, const Node& v, std::string_view field, uint8_t c) {
  check(w, v, field, static_cast<Check>(c));
}

}  // namespace kmc::schema
