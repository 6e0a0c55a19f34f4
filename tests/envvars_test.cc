#include <catch2/catch.hpp>

#include <set>

#include "checks/envvars.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {
std::vector<std::string> names(const std::vector<VariableRef>& refs) {
  std::vector<std::string> out;
  for (const VariableRef& r : refs) out.emplace_back(r.name);
  return out;
}
}  // namespace

TEST_CASE("service variables are named and ordered as the kubelet's envvars_test expects", "[envvars]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: v1
kind: Service
metadata: {name: abc-123}
spec:
  clusterIP: 5.6.7.8
  ports:
    - {name: u-d-p, port: 8081, protocol: UDP}
    - {name: t-c-p, port: 8081, protocol: TCP}
)Y");
  const Service* s = a.model.objects[0].as<Service>();
  REQUIRE(s);
  CHECK(service_variables("abc-123", *s) ==
        std::vector<std::string>{"ABC_123_SERVICE_HOST", "ABC_123_SERVICE_PORT", "ABC_123_SERVICE_PORT_U_D_P",
                                 "ABC_123_SERVICE_PORT_T_C_P", "ABC_123_PORT", "ABC_123_PORT_8081_UDP",
                                 "ABC_123_PORT_8081_UDP_PROTO", "ABC_123_PORT_8081_UDP_PORT",
                                 "ABC_123_PORT_8081_UDP_ADDR", "ABC_123_PORT_8081_TCP", "ABC_123_PORT_8081_TCP_PROTO",
                                 "ABC_123_PORT_8081_TCP_PORT", "ABC_123_PORT_8081_TCP_ADDR"});
  CHECK(env_name_of("q-u-u-x") == "Q_U_U_X");
  CHECK(env_name_of("8083") == "8083");
}

TEST_CASE("is_service_variable agrees with service_variables", "[envvars]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: v1
kind: Service
metadata: {name: abc-123}
spec:
  ports:
    - {name: u-d-p, port: 8081, protocol: udp}
    - {name: t-c-p, port: 8081}
    - {port: 53, protocol: SCTP}
---
apiVersion: v1
kind: Service
metadata: {name: abc}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec: {selector: {app: x}}
)Y");
  std::vector<std::pair<std::string, const Service*>> services;
  for (const Object& o : a.model.objects) services.emplace_back(std::string(o.name()), o.as<Service>());
  // Every name any of them generates, and near misses of each: cut short, run on, lower case.
  std::set<std::string> names = {"ABC_123", "ABC_123_SERVICE_PORT_", "ABC_123_PORT_8081_", "EMPTY_SERVICE_HOST",
                                    "ABC_123_PORT_8081_SCTP", "ABC_123_PORT_53_TCP", "ABC_PORT_80_TCP_HOST"};
  for (const auto& [name, service] : services)
    for (const std::string& v : service_variables(name, *service)) {
      names.insert(v);
      names.insert(v.substr(0, v.size() - 1));
      names.insert(v + "_ADDR");
      names.insert(v + "X");
      std::string lower = v;
      lower.back() = static_cast<char>(std::tolower(static_cast<unsigned char>(lower.back())));
      names.insert(lower);
    }
  size_t generated = 0;
  for (const auto& [name, service] : services) {
    std::vector<std::string> all = service_variables(name, *service);
    for (const std::string& v : names) {
      bool expected = std::find(all.begin(), all.end(), v) != all.end();
      generated += expected;
      INFO(name << " " << v);
      CHECK(is_service_variable(v, name, *service) == expected);
    }
  }
  CHECK(generated == 17 + 7);  // abc-123: 3 + 2 named ports + 3 ports x 4; abc: 3 + 1 port x 4
}

TEST_CASE("a variable name maps back to the Service that produces it", "[envvars]") {
  ServiceVariableName v;
  REQUIRE(parse_service_variable("REDIS_MASTER_SERVICE_HOST", &v));
  CHECK(v.service == "redis-master");
  CHECK(v.strong);
  REQUIRE(parse_service_variable("REDIS_SERVICE_PORT_CLIENT_PORT", &v));
  CHECK(v.service == "redis");
  REQUIRE(parse_service_variable("DB_PORT_5432_TCP_ADDR", &v));
  CHECK(v.service == "db");
  CHECK(v.strong);
  REQUIRE(parse_service_variable("DB_PORT_53_UDP", &v));
  CHECK(v.service == "db");
  REQUIRE(parse_service_variable("HTTP_PORT", &v));
  CHECK(v.service == "http");
  CHECK_FALSE(v.strong);  // people name their own variables so
  CHECK_FALSE(parse_service_variable("redis_service_host", &v));  // lower case: not the kubelet's
  CHECK_FALSE(parse_service_variable("_SERVICE_HOST", &v));
  CHECK_FALSE(parse_service_variable("9LIVES_SERVICE_HOST", &v));  // not a DNS-1035 label
  CHECK_FALSE(parse_service_variable("DATABASE_URL", &v));
  CHECK_FALSE(parse_service_variable("A__B_SERVICE_HOST", &v));
}

TEST_CASE("$(VAR) references follow the kubelet's expansion grammar", "[envvars]") {
  CHECK(names(kubelet_refs("$(A):$(B_C)")) == std::vector<std::string>{"A", "B_C"});
  CHECK(names(kubelet_refs("$$(ESCAPED) $(REAL)")) == std::vector<std::string>{"REAL"});
  CHECK(names(kubelet_refs("$X ${Y} $(")).empty());
  CHECK(names(kubelet_refs("$()")).empty());
  CHECK(kubelet_refs("ab$(C)")[0].offset == 2);
}

TEST_CASE("shell references: $VAR and ${VAR}, not inside single quotes", "[envvars]") {
  CHECK(names(shell_refs("echo $A ${B:-x} '$C' \\$D $(date)")) == std::vector<std::string>{"A", "B"});
}

TEST_CASE("the script of sh -c, bash -ec, and none without a shell", "[envvars]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - {name: a, command: [sh, -c, "echo $X"]}
    - {name: b, command: [/bin/bash], args: [-ec, "echo $Y"]}
    - {name: c, command: [/app], args: [-c, "$Z"]}
    - {name: d, command: [sh, /script.sh]}
)Y");
  const Workload* w = a.model.objects[0].as<Workload>();
  REQUIRE(w);
  const auto& c = w->pod_template.spec.containers;
  REQUIRE(c.size() == 4);
  REQUIRE(shell_script(c[0]));
  CHECK(shell_script(c[0])->value() == "echo $X");
  REQUIRE(shell_script(c[1]));
  CHECK(shell_script(c[1])->value() == "echo $Y");
  CHECK(shell_script(c[2]) == nullptr);
  CHECK(shell_script(c[3]) == nullptr);
}
