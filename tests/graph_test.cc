// kmc graph: the topology as dot, Mermaid and JSON; deterministic; broken links marked.
#include <map>
#include <sstream>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "render/graph.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
using namespace kmc::render;

namespace {

const char* kShop = R"Y(apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  ports: [{port: 80, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 8080}]
          env: [{name: DB, value: "$(DB_SERVICE_HOST)"}]
      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {selector: {app: nothing}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec: {storageClassName: manual, accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-1}
spec: {storageClassName: manual, capacity: {storage: 5Gi}, accessModes: [ReadWriteMany], nfs: {server: nfs, path: /}}
)Y";

std::string dot(const Analysis& a, GraphOptions o = {}) {
  std::ostringstream out;
  render_dot(build_graph(a, o), out);
  return out.str();
}

}  // namespace

TEST_CASE("the graph links services, workloads, claims and volumes", "[graph]") {
  Analysis a = test::analyze_text(kShop);
  std::string s = dot(a);
  CHECK(s.find("subgraph cluster_0 {\n    label=\"namespace shop\"") != std::string::npos);
  CHECK(s.find("\"Service/shop/web\" -> \"Deployment/shop/web\" [label=\"80→http\"]") != std::string::npos);
  CHECK(s.find("ClientIP 3h") != std::string::npos);
  CHECK(s.find("\"Deployment/shop/web\" -> \"PersistentVolumeClaim/shop/data\" [label=\"data\"]") != std::string::npos);
  CHECK(s.find("\"PersistentVolumeClaim/shop/data\" -> \"PersistentVolume/-/pv-1\" [label=\"binds\"]") != std::string::npos);
  CHECK(s.find("\"Deployment/shop/web\" -> \"Service/shop/db\" [label=\"DB_SERVICE_HOST\", style=dotted]") != std::string::npos);
  // What check says shows in red.
  CHECK(s.find("✗ service/no-matching-pods\", shape=box, style=rounded, color=red") != std::string::npos);
  // Same input, same bytes.
  CHECK(dot(test::analyze_text(kShop)) == s);
}

TEST_CASE("Mermaid and JSON carry the same graph", "[graph]") {
  Analysis a = test::analyze_text(kShop);
  Graph g = build_graph(a, {});
  std::ostringstream m, j;
  render_mermaid(g, m);
  render_graph_json(g, j);
  CHECK(m.str().rfind("flowchart LR\n", 0) == 0);
  CHECK(m.str().find("subgraph ns0[\"namespace shop\"]") != std::string::npos);
  CHECK(m.str().find("class ") != std::string::npos);  // the broken Service
  rapidjson::Document d;
  d.Parse(j.str().c_str());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(d["nodes"].Size() == g.nodes.size());
  CHECK(d["edges"].Size() == g.edges.size());
  for (const auto& e : d["edges"].GetArray()) CHECK(std::string_view(e["kind"].GetString()).size() > 0);
}

TEST_CASE("expanded graphs draw each StatefulSet pod with its DNS name", "[graph]") {
  Analysis a = test::analyze_text(R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:17}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)");
  std::string folded = dot(a), expanded = dot(a, {true});
  CHECK(folded.find("data-db-*") != std::string::npos);
  CHECK(expanded.find("db-1.db.default.svc.cluster.local") != std::string::npos);
  CHECK(expanded.find("\"PersistentVolumeClaim/default/data-db-1\"") != std::string::npos);
  // The governing Service is missing: its edge is red.
  CHECK(folded.find("\"StatefulSet/default/db\" -> \"Service/default/db\" [label=\"serviceName\", color=red]") != std::string::npos);
}

TEST_CASE("the graph draws the names objects give each other, dangling ones missing or outside the set", "[graph]") {
  Analysis first = test::analyze_text(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data: {A: "1", B: "2"}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      priorityClassName: system-cluster-critical
      containers:
        - name: api
          image: x:1
          envFrom: [{configMapRef: {name: api-config}}, {configMapRef: {name: api-confg}}, {secretRef: {name: creds}},
                    {configMapRef: {name: maybe, optional: true}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec: {minAvailable: 1, selector: {matchLabels: {app: api}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 5
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api-view, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: api}]
)");
  // A moved Analysis still reads its own sources (which directory each object is in).
  Analysis a = std::move(first);
  std::string s = dot(a);
  CHECK(s.find("\"ConfigMap/shop/api-config\" [label=\"ConfigMap api-config\\n2 keys\"") != std::string::npos);
  CHECK(s.find("\"Deployment/shop/api\" -> \"ConfigMap/shop/api-config\" [label=\"envFrom\"]") != std::string::npos);
  CHECK(s.find("\"Deployment/shop/api\" -> \"ServiceAccount/shop/api\" [label=\"serviceAccountName\"]") != std::string::npos);
  CHECK(s.find("\"PriorityClass/-/system-cluster-critical\" [label=\"PriorityClass system-cluster-critical\\n(built in)\"") !=
        std::string::npos);
  CHECK(s.find("\"HorizontalPodAutoscaler/shop/api\" -> \"Deployment/shop/api\" [label=\"scaleTargetRef\"]") != std::string::npos);
  CHECK(s.find("1–5 replicas") != std::string::npos);
  CHECK(s.find("\"PodDisruptionBudget/shop/api\" -> \"Deployment/shop/api\" [label=\"selects\"]") != std::string::npos);
  CHECK(s.find("\"RoleBinding/shop/api-view\" -> \"ClusterRole/-/view\" [label=\"roleRef\"]") != std::string::npos);
  CHECK(s.find("\"RoleBinding/shop/api-view\" -> \"ServiceAccount/shop/api\" [label=\"subject\"]") != std::string::npos);
  // The shop has ConfigMaps, so the misspelt one is missing (red); it has no Secret at all, so
  // the cluster may hold `creds` (grey); an optional reference that is not there is no edge.
  CHECK(s.find("\"Deployment/shop/api\" -> \"ConfigMap/shop/api-confg\" [label=\"envFrom\", color=red]") != std::string::npos);
  CHECK(s.find("\"Deployment/shop/api\" -> \"Secret/shop/creds\" [label=\"envFrom\", color=gray50, style=dashed]") !=
        std::string::npos);
  CHECK(s.find("maybe") == std::string::npos);

  Graph g = build_graph(a, {});
  std::ostringstream j;
  render_graph_json(g, j);
  rapidjson::Document d;
  d.Parse(j.str().c_str());
  REQUIRE_FALSE(d.HasParseError());
  std::map<std::string, std::string> presence;
  for (const auto& n : d["nodes"].GetArray()) presence[n["id"].GetString()] = n["presence"].GetString();
  CHECK(presence["ConfigMap/shop/api-confg"] == "missing");
  CHECK(presence["Secret/shop/creds"] == "outside");
  CHECK(presence["ConfigMap/shop/api-config"] == "present");
  size_t reads = 0;
  for (const auto& e : d["edges"].GetArray()) reads += std::string_view(e["kind"].GetString()) == "reads";
  CHECK(reads == 3);
}

TEST_CASE("the graph draws routes and marks the calls NetworkPolicies drop", "[graph][network-policy]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, env: [{name: API_ADDR, value: "api:80"}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: worker, env: [{name: API_ADDR, value: "api:80"}]}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: shop}
spec:
  parentRefs: [{name: edge, namespace: infra, sectionName: https}]
  rules: [{backendRefs: [{name: api, port: 80}]}]
)Y");
  Graph g = build_graph(a, {});
  std::map<std::string, const GraphEdge*> edges;
  for (const GraphEdge& e : g.edges) edges[e.from + " " + std::string(edge_kind_name(e.kind)) + " " + e.to] = &e;
  REQUIRE(edges.count("Deployment/shop/worker calls Service/shop/api"));
  CHECK(edges["Deployment/shop/worker calls Service/shop/api"]->blocked);
  REQUIRE(edges.count("Deployment/shop/web calls Service/shop/api"));
  CHECK_FALSE(edges["Deployment/shop/web calls Service/shop/api"]->blocked);
  // The route: Gateway (outside the input) → route → Service. The Gateway's proxy runs outside
  // the input: whether its pods are labelled app=web, the cluster decides.
  REQUIRE(edges.count("Gateway/infra/edge attaches HTTPRoute/shop/api"));
  CHECK(edges["Gateway/infra/edge attaches HTTPRoute/shop/api"]->label == "https");
  REQUIRE(edges.count("HTTPRoute/shop/api routes Service/shop/api"));
  CHECK_FALSE(edges["HTTPRoute/shop/api routes Service/shop/api"]->blocked);
  std::map<std::string, std::string> reach;
  for (const GraphNode& n : g.nodes) {
    if (n.id == "Gateway/infra/edge") CHECK(n.presence == Presence::Outside);
    if (n.id == "Service/shop/api")
      for (const GraphConsumer& c : n.consumers) reach[c.from] = c.reach;
  }
  CHECK(reach == std::map<std::string, std::string>{{"Deployment/shop/web", "yes"}, {"Deployment/shop/worker", "no"},
                                                    {"HTTPRoute/shop/api", "cluster decides"}});
  std::ostringstream d, m, j;
  render_dot(g, d);
  render_mermaid(g, m);
  render_graph_json(g, j);
  CHECK(d.str().find("[label=\"api:80 ✗ blocked\", style=dotted, color=red, fontcolor=red, arrowhead=tee]") != std::string::npos);
  CHECK(m.str().find("-.-x|\"api:80 ✗ blocked\"|") != std::string::npos);
  rapidjson::Document doc;
  doc.Parse(j.str().c_str());
  REQUIRE_FALSE(doc.HasParseError());
  size_t blocked = 0;
  for (const auto& e : doc["edges"].GetArray()) blocked += e["blocked"].GetBool();
  CHECK(blocked == 1);
}
