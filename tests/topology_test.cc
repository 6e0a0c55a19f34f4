#include <set>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "support.h"
#include "checks/envvars.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {
const char* kApp = R"Y(apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
        - name: web
          image: web
          env:
            - {name: A, value: "$(DB_SERVICE_HOST) db-1.db.shop.svc.cluster.local"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: other}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-x
  namespace: shop
  labels: {kubernetes.io/service-name: db}
addressType: IPv4
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  defaultBackend: {service: {name: web, port: {name: http}}}
)Y";
}  // namespace

TEST_CASE("topology: a selector resolves through the label index, in its namespace only", "[topology]") {
  Analysis a = test::analyze_text(kApp);
  const Topology& t = a.topology;
  const ServiceLinks* web = t.service("shop", "web");
  REQUIRE(web);
  REQUIRE(web->selected.size() == 1);
  CHECK(t.pod_sources[web->selected[0]].object->ns == "shop");
  CHECK(t.service("other", "web") == nullptr);
  LoadResult none_yaml = test::load_string("matchLabels: {app: nothing}\n");
  CHECK(t.select("shop", decode_label_selector(&none_yaml.documents[0]->root)).empty());
}

TEST_CASE("topology: selection intersects the label index, expressions filter the result", "[topology]") {
  std::string yaml;
  for (int i = 0; i < 12; ++i)
    yaml += fmt::format(
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{0}, namespace: ns}}\nspec:\n"
        "  selector: {{matchLabels: {{app: d{0}}}}}\n  template:\n    metadata: {{labels: {{app: d{0}, tier: t{1}, zone: z{2}}}}}\n"
        "    spec: {{containers: [{{name: c, image: i}}]}}\n",
        i, i % 3, i % 4);
  Analysis a = test::analyze_text(yaml);
  const Topology& t = a.topology;
  auto names = [&](const std::vector<uint32_t>& pods) {
    std::vector<std::string> out;
    for (uint32_t i : pods) out.emplace_back(t.pod_sources[i].object->name());
    return out;
  };
  LoadResult selectors = test::load_string(
      "tier_zone: {matchLabels: {tier: t1, zone: z1}}\n"  // i % 3 == 1 and i % 4 == 1
      "tier_zone3: {matchLabels: {tier: t1, zone: z3}}\n"  // i = 7
      "tier_not_zone: {matchLabels: {tier: t0}, matchExpressions: [{key: zone, operator: NotIn, values: [z0]}]}\n");
  auto selector = [&](const char* name) { return decode_label_selector(selectors.documents[0]->root.get(name)); };
  CHECK(names(t.select("ns", selector("tier_zone"))) == std::vector<std::string>{"d1"});
  CHECK(names(t.select("ns", selector("tier_zone3"))) == std::vector<std::string>{"d7"});
  // tier t0 is 0, 3, 6, 9; the expression drops 0 (z0)
  CHECK(names(t.select("ns", selector("tier_not_zone"))) == std::vector<std::string>{"d3", "d6", "d9"});
  CHECK(t.select("ns", LabelSelector{}).size() == 12);  // no labels: the whole namespace
  CHECK(t.select("elsewhere", LabelSelector{}).empty());
}

TEST_CASE("topology: Services join their EndpointSlices, StatefulSets expand to pods", "[topology]") {
  Analysis a = test::analyze_text(kApp);
  const Topology& t = a.topology;
  const ServiceLinks* db = t.service("shop", "db");
  REQUIRE(db);
  CHECK(db->slices.size() == 1);
  CHECK(t.orphan_endpoints.empty());
  REQUIRE(t.stateful_pods.size() == 3);
  CHECK(t.stateful_pods[2].name == "db-2");
  CHECK(t.stateful_pods[2].dns == "db-2.db.shop.svc.cluster.local");
}

TEST_CASE("topology: projects side by side each keep their Service of a shared name, and their pods", "[topology]") {
  const std::string service = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
                              "  ports: [{port: 80}]\n";
  const std::string deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
                                 "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                                 "    spec: {containers: [{name: web}]}\n";
  LoadResult input;
  load_text(&input, "shop/web.yaml", service + "---\n" + deployment, LoadOptions{});
  load_text(&input, "shop/rendered.yaml", service, LoadOptions{});  // the shop's Service again: the same one
  load_text(&input, "blog/web.yaml", service + "---\n" + deployment, LoadOptions{});
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  const Topology& t = a.topology;
  REQUIRE(a.model.objects.size() == 5);
  const Object& shop_service = a.model.objects[0];
  const Object& shop_pods = a.model.objects[1];
  const Object& blog_service = a.model.objects[3];
  const Object& blog_pods = a.model.objects[4];
  REQUIRE(t.services.size() == 2);
  CHECK(t.services[0].object == &shop_service);
  CHECK(t.services[1].object == &blog_service);
  // Looked up from an object, the Service of its own project; without one, the first.
  CHECK(t.service("default", "web", blog_pods)->object == &blog_service);
  CHECK(t.service("default", "web", shop_pods)->object == &shop_service);
  CHECK(t.service("default", "web")->object == &shop_service);
  // Each selects the pods of its own directory, though both projects label theirs `app: web`.
  REQUIRE(t.services[0].selected.size() == 1);
  CHECK(t.pod_sources[t.services[0].selected[0]].object == &shop_pods);
  REQUIRE(t.services[1].selected.size() == 1);
  CHECK(t.pod_sources[t.services[1].selected[0]].object == &blog_pods);
}

TEST_CASE("topology: a Service beside no pods of its own selects those of every directory", "[topology]") {
  LoadResult input;
  load_text(&input, "k8s/services/web.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n", LoadOptions{});
  for (const char* path : {"k8s/deployments/web.yaml", "k8s/canary/web.yaml"})
    load_text(&input, path,
              "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
              "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
              "    spec: {containers: [{name: web}]}\n",
              LoadOptions{});
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  REQUIRE(a.topology.services.size() == 1);
  CHECK(a.topology.services[0].selected.size() == 2);
}

TEST_CASE("topology: Endpoints and EndpointSlices without a Service are listed in input order", "[topology]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: a-1, namespace: shop, labels: {kubernetes.io/service-name: a}}
addressType: IPv4
endpoints: []
---
apiVersion: v1
kind: Endpoints
metadata: {name: b, namespace: shop}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: c-1, namespace: shop, labels: {kubernetes.io/service-name: c}}
addressType: IPv4
endpoints: []
---
apiVersion: v1
kind: Endpoints
metadata: {name: d, namespace: shop}
)Y");
  std::vector<std::string_view> names;
  for (const Object* o : a.topology.orphan_endpoints) names.push_back(o->name());
  CHECK(names == std::vector<std::string_view>{"a-1", "b", "c-1", "d"});
}

TEST_CASE("topology: namespaces with a custom resource are operator namespaces", "[topology]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: main, namespace: monitoring}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: monitoring}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: apps}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
)Y");
  const Topology& t = a.topology;
  CHECK(t.operator_namespaces == std::vector<std::string_view>{"apps", "monitoring"});
  CHECK(t.operator_namespace("monitoring"));
  CHECK(t.operator_namespace("apps"));
  CHECK_FALSE(t.operator_namespace("shop"));  // a *.k8s.io group is the API's own
  CHECK_FALSE(t.operator_namespace("web"));
}

TEST_CASE("topology: variable uses, DNS names and Ingress backends are resolved once", "[topology]") {
  Analysis a = test::analyze_text(kApp);
  const Topology& t = a.topology;
  REQUIRE(t.variable_uses.size() == 1);
  const ServiceVariableUse& u = t.variable_uses[0];
  CHECK(u.variable == "DB_SERVICE_HOST");
  REQUIRE(u.service);
  CHECK(u.service->object->name() == "db");
  CHECK(u.generated);
  CHECK(u.pos.line == 20);
  CHECK(u.pos.column == 35);  // the variable name inside the quoted flow-style value
  REQUIRE(t.dns_uses.size() == 1);
  CHECK(t.dns_uses[0].pod == "db-1");
  CHECK(t.dns_uses[0].pod_known);
  REQUIRE(t.ingress_links.size() == 1);
  CHECK(t.ingress_links[0].port != nullptr);
}

TEST_CASE("topology: context objects exist before every input object", "[topology]") {
  LoadResult input;
  load_text(&input, "app.yaml", R"Y(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, args: ["$(CACHE_SERVICE_HOST)"]}]
)Y",
            LoadOptions{});
  load_paths(&input, {test::source_dir() + "/testdata/discovery/never-injected-near-miss.yaml"}, LoadOptions{}, true);
  Analysis a = analyze(std::move(input), AnalysisOptions{});
  CHECK(a.findings.empty());  // the context's Service "cache" exists already
  size_t from_input = 0;
  for (const ServiceVariableUse& u : a.topology.variable_uses) {
    if (a.topology.pod_sources[u.pod_source].object->context) continue;
    ++from_input;
    REQUIRE(u.service);
    CHECK(u.service->object->context);
  }
  CHECK(from_input == 1);
}

TEST_CASE("topology: position_in points at the referenced name itself", "[topology]") {
  // Line 3 has a non-ASCII character before its scalar, line 4 starts a block scalar: both are
  // found through the file's line index; the others straight from the bytes around the scalar.
  LoadResult input = test::load_string(
      "plain: FOO=$(FOO)\n"
      "quoted: \"x $(BAR) y\"\n"
      "wide: {\xC3\xA9: \"\xC3\xA9 $(BAZ)\"}\n"
      "block: |\n"
      "  first\n"
      "  then $(QUX)\n"
      "nowhere: $(A)\n");
  REQUIRE(input.documents.size() == 1);
  const Node& root = input.documents[0]->root;
  auto at = [&](const Node* scalar, std::string_view name) {
    REQUIRE(scalar);
    std::vector<VariableRef> refs = kubelet_refs(scalar->text());
    REQUIRE(refs.size() == 1);
    REQUIRE(refs[0].name == name);
    Position p = position_in(input.sources, scalar, refs[0].offset, name);
    return std::pair<uint32_t, uint32_t>(p.line, p.column);
  };
  // The first "FOO" of the line is the variable's name, not the reference: the reference wins.
  CHECK(at(root.get("plain"), "FOO") == std::pair<uint32_t, uint32_t>(1, 14));
  CHECK(at(root.get("quoted"), "BAR") == std::pair<uint32_t, uint32_t>(2, 14));
  CHECK(at(root.get("wide")->get("\xC3\xA9"), "BAZ") == std::pair<uint32_t, uint32_t>(3, 18));  // bytes
  CHECK(at(root.get("block"), "QUX") == std::pair<uint32_t, uint32_t>(6, 10));
  // A fragment not found in the text leaves the scalar's own position.
  Position missing = position_in(input.sources, root.get("nowhere"), 0, "B");
  CHECK(missing.line == 7);
  CHECK(missing.column == 10);
}

TEST_CASE("a variable of a Service that only other namespaces have names them all", "[link][discovery]") {
  // What the finding says, copied out: its texts live as long as its Analysis.
  struct Said {
    std::string message, fix, note;
  };
  auto never_injected = [](int namespaces) {
    std::string text;
    for (int i = 0; i < namespaces; ++i)
      text += fmt::format("apiVersion: v1\nkind: Service\nmetadata: {{name: db, namespace: ns{}}}\n"
                          "spec: {{ports: [{{port: 5432}}]}}\n---\n",
                          i);
    text += "apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: app}\n"
            "spec: {containers: [{name: c, image: app, args: [\"$(DB_SERVICE_HOST)\"]}]}\n";
    Analysis a = test::analyze_text(text);
    std::vector<const Finding*> found;
    for (const Finding& f : a.findings)
      if (f.rule == "discovery/never-injected") found.push_back(&f);
    REQUIRE(found.size() == 1);
    REQUIRE(a.topology.variable_uses.size() == 1);
    const ServiceVariableUse& u = a.topology.variable_uses[0];
    CHECK(u.elsewhere == &a.model.objects[0]);  // the first in input order
    CHECK(u.services_elsewhere == static_cast<uint32_t>(namespaces));
    return Said{found[0]->message, std::string(found[0]->fix),
                found[0]->related.empty() ? "" : found[0]->related[0].message};
  };
  Said one = never_injected(1);
  CHECK(one.message.find("the only Service \"db\" is in namespace \"ns0\"") != std::string::npos);
  CHECK(one.fix == "use the DNS name db.ns0.svc instead");
  Said three = never_injected(3);
  CHECK(three.message.find("the 3 Services named \"db\" are all in other namespaces (\"ns0\" and 2 more)") !=
        std::string::npos);
  CHECK(three.fix == "use the DNS name of the Service it means, such as db.ns0.svc");
  CHECK(three.note == "Service \"db\" is defined here (the first of them)");
}

TEST_CASE("topology: linking on several threads gives the topology of one, in the same order", "[topology][parallel]") {
  // More Services and pod templates than a task's chunk (64), so the tasks interleave.
  std::string yaml;
  for (int i = 0; i < 150; ++i) {
    yaml += fmt::format(R"Y(apiVersion: v1
kind: Service
metadata: {{name: svc{0}, namespace: ns{1}}}
spec: {{selector: {{app: app{0}}}, ports: [{{port: 80}}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: app{0}, namespace: ns{1}}}
spec:
  serviceName: svc{0}
  replicas: 2
  selector: {{matchLabels: {{app: app{0}}}}}
  template:
    metadata: {{labels: {{app: app{0}}}}}
    spec:
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "wget svc{2}.ns{1}.svc && echo $SVC{2}_SERVICE_HOST $(SVC{0}_SERVICE_PORT)"]
  volumeClaimTemplates:
  - metadata: {{name: data}}
    spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}
---
apiVersion: v1
kind: Endpoints
metadata: {{name: svc{0}, namespace: ns{1}}}
---
)Y",
                        i, i % 7, (i + 1) % 150);
  }
  auto summary = [](const Topology& t) {
    std::vector<std::string> out;
    for (const ServiceLinks& s : t.services)
      out.push_back(fmt::format("service {} selects {} endpoints {}", s.object->name(), fmt::join(s.selected, ","),
                                s.endpoints.size()));
    for (const ServiceVariableUse& u : t.variable_uses)
      out.push_back(fmt::format("variable {} {} {}", u.pod_source, u.variable, u.service ? u.service->object->name() : "-"));
    for (const DnsNameUse& d : t.dns_uses)
      out.push_back(fmt::format("dns {} {} {}", d.pod_source, d.name, d.target ? d.target->object->name() : "-"));
    for (const StatefulPod& p : t.stateful_pods) out.push_back("pod " + p.dns);
    for (const StorageClaim& c : t.storage.claims) out.push_back(fmt::format("claim {} volume {}", c.name, c.volume));
    return out;
  };
  LoadResult one_input, three_input;
  load_text(&one_input, "set.yaml", yaml, LoadOptions{});
  load_text(&three_input, "set.yaml", yaml, LoadOptions{});
  const Workers three_threads(3);
  AnalysisOptions one, three;
  three.workers = &three_threads;
  Analysis a = analyze(std::move(one_input), one);
  Analysis b = analyze(std::move(three_input), three);
  REQUIRE(a.topology.services.size() == 150);
  CHECK(a.topology.variable_uses.size() >= 150);
  CHECK(a.topology.dns_uses.size() == 150);
  CHECK(a.topology.stateful_pods.size() == 300);
  CHECK(a.topology.storage.claims.size() == 300);
  CHECK(summary(b.topology) == summary(a.topology));

  // Timing the steps (kmc-bench-load does) changes nothing, and times every step.
  LoadResult timed_input;
  load_text(&timed_input, "set.yaml", yaml, LoadOptions{});
  StageTimes times;
  const Workers two(2);
  AnalysisOptions timed;
  timed.workers = &two;
  timed.times = &times;
  Analysis c = analyze(std::move(timed_input), timed);
  CHECK(summary(c.topology) == summary(a.topology));
  std::set<std::string_view> names;
  for (int step = 0; step < LinkTimes::StepCount; ++step) {
    names.insert(LinkTimes::name(static_cast<LinkTimes::Step>(step)));
    CHECK(times.link.seconds[step] >= 0);
  }
  CHECK(names.size() == LinkTimes::StepCount);
  CHECK_FALSE(names.count("?"));
  CHECK(times.link.seconds[LinkTimes::ObjectIndex] > 0);
  CHECK(times.link.seconds[LinkTimes::References] > 0);
  CHECK(times.link.seconds[LinkTimes::Binder] > 0);
}
