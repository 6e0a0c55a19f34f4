// kmc graph: the topology as dot, Mermaid and JSON; deterministic; broken links marked.
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
