#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "checks/network_reach.h"
#include "checks/selector_reach.h"
#include "checks/service_consumers.h"
#include "support.h"

using namespace kmc;
using namespace kmc::checks;
using namespace kmc::driver;
using namespace kmc::parser;

namespace {

// Two namespaces: the api pods in `back` admit the web pods of `front` on their `http` port
// (8080) and anything on 9000-9100 from addresses; the worker in `back` is isolated for egress
// and may send only to the cache.
const char* kPolicies = R"Y(apiVersion: v1
kind: Namespace
metadata: {name: front, labels: {team: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: back}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: web}}, podSelector: {matchLabels: {app: web}}}]
      ports: [{port: http}]
    - from: [{ipBlock: {cidr: 10.0.0.0/8}}]
      ports: [{port: 9000, endPort: 9100}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: worker, namespace: back}
spec:
  podSelector: {matchLabels: {app: worker}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: cache}}}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: back}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: back}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: worker}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: back}
spec:
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: cache}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: front}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: admin, namespace: front}
spec:
  selector: {matchLabels: {app: admin}}
  template:
    metadata: {labels: {app: admin}}
    spec: {containers: [{name: admin}]}
)Y";

const PodSource& pods(const Topology& t, std::string_view name) {
  for (const PodSource& p : t.pod_sources)
    if (p.object->name() == name) return p;
  FAIL("no pod source " << name);
  return t.pod_sources.front();
}

}  // namespace

TEST_CASE("network reach: ingress rules admit by namespace labels, pod labels and named port", "[network-policy]") {
  Analysis a = test::analyze_text(kPolicies);
  const Topology& t = a.topology;
  NetworkPolicies policies(a.model, t);
  const PodSource &api = pods(t, "api"), &web = pods(t, "web"), &admin = pods(t, "admin");
  CHECK(policies.reach(&web, api, {"TCP", 8080}).reach == Reach::Yes);
  // Another pod of the same namespace, another port, another protocol: no rule admits them.
  Blocked b = policies.reach(&admin, api, {"TCP", 8080});
  CHECK(b.reach == Reach::No);
  CHECK_FALSE(b.at_egress);
  REQUIRE(b.policies.size() == 1);
  CHECK(b.policies[0]->name() == "api");
  CHECK(policies.reach(&web, api, {"TCP", 8081}).reach == Reach::No);
  CHECK(policies.reach(&web, api, {"UDP", 8080}).reach == Reach::No);
  // 9000-9100 admits addresses only: kmc cannot tell whether they hold the caller.
  CHECK(policies.reach(&admin, api, {"TCP", 9050}).reach == Reach::ClusterDecides);
  CHECK(policies.reach(&admin, api, {"TCP", 9101}).reach == Reach::No);
  // A caller outside the input: a rule with peers may admit it; none admits port 7000.
  CHECK(policies.reach(nullptr, api, {"TCP", 8080}).reach == Reach::ClusterDecides);
  CHECK(policies.reach(nullptr, api, {"TCP", 7000}).reach == Reach::No);
  // Pods no policy selects are not isolated.
  CHECK(policies.reach(&api, web, {"TCP", 80}).reach == Reach::Yes);
}

TEST_CASE("network reach: egress isolation blocks at the caller", "[network-policy]") {
  Analysis a = test::analyze_text(kPolicies);
  const Topology& t = a.topology;
  NetworkPolicies policies(a.model, t);
  const PodSource &worker = pods(t, "worker"), &cache = pods(t, "cache"), &web = pods(t, "web");
  CHECK(policies.reach(&worker, cache, {"TCP", 6379}).reach == Reach::Yes);
  Blocked b = policies.reach(&worker, web, {"TCP", 80});
  CHECK(b.reach == Reach::No);
  CHECK(b.at_egress);
  REQUIRE(b.policies.size() == 1);
  CHECK(b.policies[0]->name() == "worker");
  CHECK(policies.isolating(worker, true).size() == 1);
  CHECK(policies.isolating(worker, false).empty());
}

TEST_CASE("network reach: a namespace without its Namespace object has only its name label", "[network-policy]") {
  Analysis a = test::analyze_text(kPolicies);
  // The api policy's namespaceSelector: team=web.
  const schema::Object* api_object = nullptr;
  const schema::NetworkPolicy* api = nullptr;
  for (auto [o, p] : a.model.of<schema::NetworkPolicy>())
    if (o.name() == "api") api_object = &o, api = &p;
  REQUIRE(api);
  const schema::LabelSelector& team = api->ingress[0].peers[0].namespaces;
  auto selected = [&](const schema::LabelSelector& s, std::string_view ns) {
    return namespace_selected(a.model, a.topology, s, ns, *api_object);
  };
  CHECK(selected(team, "front") == Reach::Yes);                        // its Namespace says team: web
  CHECK(selected(team, "elsewhere") == Reach::ClusterDecides);         // no Namespace object
  CHECK(selected(schema::LabelSelector{}, "elsewhere") == Reach::Yes);  // empty: every one
}

TEST_CASE("selector reach: the Namespace deployed with the asker, else the only one of its name", "[network-policy]") {
  auto ns = [](const char* name, const char* team) {
    return fmt::format("apiVersion: v1\nkind: Namespace\nmetadata: {{name: {}, labels: {{team: {}}}}}\n", name, team);
  };
  LoadResult input;
  load_text(&input, "shop/route.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: asker}\n", LoadOptions{});
  load_text(&input, "shop/ns.yaml", ns("mine", "web"), LoadOptions{});
  load_text(&input, "blog/ns.yaml", ns("mine", "blog"), LoadOptions{});  // another project's, same name
  load_text(&input, "namespaces/solo.yaml", ns("solo", "web"), LoadOptions{});
  load_text(&input, "a/prod.yaml", ns("prod", "web"), LoadOptions{});
  load_text(&input, "b/prod.yaml", ns("prod", "blog"), LoadOptions{});
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  const schema::Object* asker = nullptr;
  for (const schema::Object& o : a.model.objects)
    if (o.name() == "asker") asker = &o;
  REQUIRE(asker);
  LoadResult selector_text = test::load_string("matchLabels: {team: web}\n");
  schema::LabelSelector web = schema::decode_label_selector(&selector_text.documents.at(0)->root);
  auto selected = [&](std::string_view n) { return namespace_selected(a.model, a.topology, web, n, *asker); };
  CHECK(selected("mine") == Reach::Yes);             // deployed with it, whatever blog/ says
  CHECK(selected("solo") == Reach::Yes);             // the input's only Namespace `solo`
  CHECK(selected("prod") == Reach::ClusterDecides);  // two of other directories: neither speaks
}

TEST_CASE("network reach: a policy applies to the pods deployed with it", "[network-policy]") {
  const std::string policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\n"
                             "spec: {podSelector: {}}\n";
  const std::string pod = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
                          "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                          "    spec: {containers: [{name: web}]}\n";
  LoadResult input;
  load_text(&input, "shop/deny.yaml", policy, LoadOptions{});
  load_text(&input, "shop/web.yaml", pod, LoadOptions{});
  load_text(&input, "blog/web.yaml", pod, LoadOptions{});
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  NetworkPolicies policies(a.model, a.topology);
  REQUIRE(a.topology.pod_sources.size() == 2);
  const PodSource& shop = a.topology.pod_sources[0];
  const PodSource& blog = a.topology.pod_sources[1];
  CHECK(policies.reach(&blog, shop, {"TCP", 80}).reach == Reach::No);
  CHECK(policies.reach(&shop, blog, {"TCP", 80}).reach == Reach::Yes);  // blog's web is another project's
}

TEST_CASE("service consumers: variables, DNS names, Ingresses and routes, once each", "[network-policy][topology]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80}, {name: admin, port: 9000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          env:
            - {name: API_ADDR, value: "api:80"}
            - {name: API_URL, value: "http://api:80/v1"}
            - {name: ADMIN_ADDR, value: "api:9000"}
            - {name: WRONG_ADDR, value: "api:81"}
          args: ["--api=$(API_SERVICE_HOST)"]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api}
spec:
  defaultBackend: {service: {name: api, port: {number: 80}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api}
spec:
  rules: [{backendRefs: [{name: api, port: 9000}, {name: api, port: 80, weight: 0}]}]
)Y");
  std::vector<ServiceConsumer> consumers = service_consumers(a.topology);
  std::vector<std::string> seen;
  for (const ServiceConsumer& c : consumers)
    seen.push_back(fmt::format("{} {} {}", c.client->kind(), c.as, c.port ? c.port->port.value : 0));
  // The second reference to port 80, the one to a port the Service lacks and the route's
  // backend of weight 0 are left out.
  CHECK(seen == std::vector<std::string>{"Deployment API_SERVICE_HOST 0", "Deployment api:80 80", "Deployment api:9000 9000",
                                         "Ingress  80", "HTTPRoute  9000"});
}
