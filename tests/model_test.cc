#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "schema/model_decoder.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {
Model model_of(const LoadResult& r, std::string ns = "default") {
  ModelOptions o;
  o.default_namespace = std::move(ns);
  return decode_model(r.objects, o);
}
}  // namespace

TEST_CASE("workloads decode their pod template, containers and selector", "[schema][model]") {
  LoadResult r = test::load_string(R"Y(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      enableServiceLinks: false
      initContainers: [{name: init, image: busybox}]
      containers:
        - name: web
          image: nginx
          ports: [{name: http, containerPort: 8080}]
          env:
            - {name: A, value: "$(B_SERVICE_HOST)"}
            - {name: B, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
          command: [sh, -c]
          args: ["echo $A"]
      volumes: [{name: data, persistentVolumeClaim: {claimName: web-data}}]
)Y");
  Model m = model_of(r);
  REQUIRE(m.objects.size() == 1);
  const Object& o = m.objects[0];
  CHECK(o.ns == "shop");
  CHECK(o.group() == "apps");
  CHECK(o.version() == "v1");
  const Workload* w = o.as<Workload>();
  REQUIRE(w);
  REQUIRE(w->replicas);
  CHECK(w->replicas->value == 3);
  CHECK(w->selector.matches(w->pod_template.meta.labels));
  const PodSpec& spec = w->pod_template.spec;
  CHECK(spec.enable_service_links == false);
  REQUIRE(spec.containers.size() == 2);
  CHECK(spec.containers[0].init);
  const Container& c = spec.containers[1];
  CHECK(c.name.value() == "web");
  REQUIRE(c.ports.size() == 1);
  CHECK(c.ports[0].container_port.value == 8080);
  REQUIRE(c.env.size() == 2);
  CHECK(c.env[0].value.value() == "$(B_SERVICE_HOST)");
  CHECK(c.env[1].has_value_from);
  CHECK(c.command.size() == 2);
  REQUIRE(spec.volumes.size() == 1);
  CHECK(spec.volumes[0].claim_name.value() == "web-data");
  CHECK(spec.volumes[0].claim_name.pos().line == 21);
}

TEST_CASE("namespaces default, cluster-scoped kinds have none", "[schema][model]") {
  LoadResult r = test::load_string(
      "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n"
      "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv, namespace: ignored}\n---\n"
      "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: sc, annotations: "
      "{storageclass.kubernetes.io/is-default-class: \"true\"}}\nprovisioner: x\n");
  Model m = model_of(r, "team-a");
  REQUIRE(m.objects.size() == 3);
  CHECK(m.objects[0].ns == "team-a");
  CHECK(m.objects[1].cluster_scoped);
  CHECK(m.objects[1].ns.empty());
  const StorageClass* sc = m.objects[2].as<StorageClass>();
  REQUIRE(sc);
  CHECK(sc->is_default);
  CHECK(sc->provisioner.value() == "x");
}

TEST_CASE("a claim's storageClassName distinguishes unset from empty", "[schema][model]") {
  LoadResult r = test::load_string(
      "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\nspec: {storageClassName: \"\"}\n---\n"
      "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: b}\nspec: {resources: {requests: {storage: 1Gi}}}\n");
  Model m = model_of(r);
  const auto* a = m.objects[0].as<PersistentVolumeClaim>();
  const auto* b = m.objects[1].as<PersistentVolumeClaim>();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->spec.storage_class != nullptr);
  CHECK(a->spec.storage_class_name.empty());
  CHECK(b->spec.storage_class == nullptr);
  CHECK(b->spec.storage_request.value() == "1Gi");
}

TEST_CASE("fields of the wrong type are left unset, never a crash", "[schema][model]") {
  LoadResult r = test::load_string(R"Y(apiVersion: apps/v1
kind: Deployment
metadata: [not, a, map]
spec:
  replicas: "3"
  selector: app=web
  template:
    spec:
      containers: {name: web}
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec: [1, 2]
)Y");
  Model m = model_of(r);
  REQUIRE(m.objects.size() == 2);
  const Workload* w = m.objects[0].as<Workload>();
  REQUIRE(w);
  CHECK_FALSE(w->replicas);
  CHECK_FALSE(w->selector.set());
  CHECK(w->pod_template.spec.containers.empty());
  CHECK(m.objects[0].name().empty());
  REQUIRE(m.objects[1].as<Service>());
  CHECK(m.objects[1].as<Service>()->ports.empty());
}

TEST_CASE("label selectors follow metav1 semantics", "[schema][selector]") {
  LoadResult r = test::load_string(R"Y(apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  labels: {app: web, tier: front, track: stable}
data:
  all: {}
  exact: {matchLabels: {app: web}}
  wrong: {matchLabels: {app: db}}
  exprs: {matchExpressions: [{key: tier, operator: In, values: [front, back]}, {key: canary, operator: DoesNotExist}]}
  notin: {matchExpressions: [{key: track, operator: NotIn, values: [stable]}]}
  exists: {matchExpressions: [{key: track, operator: Exists}]}
  bogus: {matchExpressions: [{key: app, operator: Gt, values: ["1"]}]}
)Y");
  Model m = model_of(r);
  const LabelMap& labels = m.objects[0].meta.labels;
  const Node* data = m.objects[0].node().get("data");
  auto sel = [&](const char* name) { return decode_label_selector(data->get(name)); };
  CHECK(sel("all").matches(labels));
  CHECK(sel("exact").matches(labels));
  CHECK_FALSE(sel("wrong").matches(labels));
  CHECK(sel("exprs").matches(labels));
  CHECK_FALSE(sel("notin").matches(labels));
  CHECK(sel("exists").matches(labels));
  CHECK_FALSE(sel("bogus").matches(labels));
}

TEST_CASE("label maps read the mapping in place: null is \"\", the last repeat wins, non-scalars skipped",
          "[schema][selector]") {
  LoadResult r = test::load_string(R"Y(labels: {a: "1", b: null, nested: {x: y}, list: [1], c: ""}
repeated: {k: first, k: last}
empty: {}
bare: {nested: {x: y}}
)Y");
  const Node& root = r.documents[0]->root;
  LabelMap labels = decode_label_map(root.get("labels"));
  REQUIRE(labels.set());
  CHECK(labels.size() == 3);
  std::vector<std::string> seen;
  for (LabelMap::Entry e : labels) seen.push_back(fmt::format("{}={}", e.key(), e.value()));
  CHECK(seen == std::vector<std::string>{"a=1", "b=", "c="});
  CHECK(labels.find("a") == std::optional<std::string_view>("1"));
  CHECK(labels.find("b") == std::optional<std::string_view>(""));
  CHECK_FALSE(labels.find("nested"));
  CHECK_FALSE(labels.find("zzz"));
  CHECK(decode_label_map(root.get("repeated")).find("k") == std::optional<std::string_view>("last"));
  CHECK(decode_label_map(root.get("empty")).set());
  CHECK(decode_label_map(root.get("empty")).empty());
  CHECK(decode_label_map(root.get("bare")).empty());  // set, but nothing a selector can use
  CHECK_FALSE(decode_label_map(root.get("absent")).set());
  CHECK_FALSE(decode_label_map(root.get("labels")->get("a")).set());  // a scalar is not a map
  LabelMap want = decode_label_map(root.get("labels"));
  CHECK(want.subset_of(labels));
  CHECK_FALSE(decode_label_map(root.get("repeated")).subset_of(labels));
}

TEST_CASE("a model lists its objects of each typed kind, its Namespaces and what has schema issues",
          "[schema][model]") {
  Analysis a = test::analyze_text(R"Y(apiVersion: v1
kind: Service
metadata: {name: a}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: "2"}
---
apiVersion: v1
kind: Service
metadata: {name: b}
---
apiVersion: example.com/v1
kind: Namespace
metadata: {name: not-core}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
)Y");
  const Model& m = a.model;
  auto names = [](ObjectSubset objects) {
    std::vector<std::string_view> out;
    for (const Object& o : objects) out.push_back(o.name());
    return out;
  };
  // Each object with its spec, which is the object's own.
  auto typed_names = [](auto objects) {
    std::vector<std::string_view> out;
    for (auto [o, spec] : objects) {
      CHECK(&spec == o.template as<std::remove_cvref_t<decltype(spec)>>());
      out.push_back(o.name());
    }
    return out;
  };
  CHECK(typed_names(m.of<Service>()) == std::vector<std::string_view>{"a", "b"});
  CHECK(typed_names(m.of<Workload>()) == std::vector<std::string_view>{"web"});
  CHECK(m.of<PersistentVolume>().size() == 0);
  CHECK(names(m.namespaces()) == std::vector<std::string_view>{"shop"});  // the core kind only
  // Every object with issues is listed, in order, and no other.
  std::vector<const Object*> expected;
  for (const Object& o : m.objects)
    if (!o.issues.empty()) expected.push_back(&o);
  CHECK(m.with_issues == expected);
  CHECK(std::find(expected.begin(), expected.end(), &m.objects[2]) != expected.end());  // replicas: "2"
}

TEST_CASE("an object's apiVersion splits into group and version", "[schema][model]") {
  LoadResult r = test::load_string(R"Y(apiVersion: v1
kind: ConfigMap
---
apiVersion: apps/v1
kind: Deployment
---
apiVersion: /v1
kind: X
---
apiVersion: a.example.com/v1/extra
kind: X
)Y");
  Model m = model_of(r);
  REQUIRE(m.objects.size() == 4);
  auto split = [&](size_t i) { return std::pair(m.objects[i].group(), m.objects[i].version()); };
  CHECK(split(0) == std::pair<std::string_view, std::string_view>("", "v1"));
  CHECK(split(1) == std::pair<std::string_view, std::string_view>("apps", "v1"));
  CHECK(split(2) == std::pair<std::string_view, std::string_view>("", "v1"));
  CHECK(split(3) == std::pair<std::string_view, std::string_view>("a.example.com", "v1/extra"));
  CHECK(m.objects[1].api_version() == "apps/v1");
  CHECK(m.objects[1].kind() == "Deployment");
}

TEST_CASE("messages name an object by its name, else its generateName, else say it has none", "[schema][model]") {
  LoadResult r = test::load_string(R"Y(apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: batch/v1
kind: Job
metadata: {generateName: migrate-}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {annotations: {a: b}}
)Y");
  Model m = model_of(r);
  REQUIRE(m.objects.size() == 3);
  CHECK(m.objects[0].display() == "ConfigMap \"settings\"");
  CHECK(m.objects[1].display() == "Job \"migrate-\"");
  CHECK(m.objects[2].display() == "Gateway (no name)");
}

TEST_CASE("a pod spec's references: ConfigMaps, Secrets, keys, named probe ports, devices", "[schema][model]") {
  LoadResult r = test::load_string(R"Y(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  priorityClassName: high
  imagePullSecrets: [{name: pull}]
  initContainers:
    - name: init
      envFrom: [{configMapRef: {name: init-cm}}, {secretRef: {name: init-sec, optional: true}}]
  containers:
    - name: app
      env:
        - {name: A, valueFrom: {configMapKeyRef: {name: cm, key: a}}}
        - {name: B, valueFrom: {secretKeyRef: {name: sec, key: b, optional: true}}}
        - {name: C, value: plain}
      ports: [{name: http, containerPort: 80}]
      livenessProbe: {httpGet: {port: http}}
      readinessProbe: {tcpSocket: {port: 8080}}
      lifecycle: {preStop: {tcpSocket: {port: admin}}}
      volumeDevices: [{name: disk, devicePath: /dev/xvda}]
  ephemeralContainers:
    - name: debug
      envFrom: [{configMapRef: {name: debug-cm}}]
  volumes:
    - name: v
      configMap: {name: vol-cm, items: [{key: k1, path: p1}, {key: k2, path: p2}]}
    - name: s
      secret: {secretName: vol-sec}
    - name: proj
      projected: {sources: [{secret: {name: proj-sec, items: [{key: k3, path: p3}]}}, {serviceAccountToken: {path: t}}]}
)Y");
  Model m = model_of(r);
  const Workload* w = m.objects.at(0).as<Workload>();
  REQUIRE(w);
  const PodSpec& s = w->pod_template.spec;
  CHECK(s.priority_class.value() == "high");
  std::vector<std::string> refs;
  for (const ConfigRef& c : s.config_refs)
    refs.push_back(fmt::format("{}:{}:{}:{}:{}:{}", c.kind == ConfigRef::Kind::Secret ? "S" : "C", static_cast<int>(c.site),
                               c.name.value(), c.key.value(), c.container.value(), c.optional ? "opt" : ""));
  // Containers first (init, app, ephemeral), then the volumes, then imagePullSecrets.
  CHECK(refs == std::vector<std::string>{
                    "C:1:init-cm::init:", "S:1:init-sec::init:opt", "C:0:cm:a:app:", "S:0:sec:b:app:opt",
                    "C:1:debug-cm::debug:", "C:2:vol-cm:::", "C:3:vol-cm:k1::", "C:3:vol-cm:k2::", "S:2:vol-sec:::",
                    "S:2:proj-sec:::", "S:3:proj-sec:k3::", "S:4:pull:::"});
  const Container& app = s.containers.at(1);
  REQUIRE(app.named_ports.size() == 2);  // the number 8080 is no name
  CHECK(app.named_ports[0].name.value() == "http");
  CHECK(app.named_ports[0].where == "livenessProbe");
  CHECK(app.named_ports[1].name.value() == "admin");
  CHECK(app.named_ports[1].where == "lifecycle.preStop");
  REQUIRE(app.volume_devices.size() == 1);
  CHECK(app.volume_devices[0].name.value() == "disk");
}

TEST_CASE("a binding decodes its roleRef and subjects", "[schema][model]") {
  LoadResult r = test::load_string(R"Y(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: api, namespace: shop}
  - {kind: User, name: jane}
)Y");
  Model m = model_of(r);
  const Binding* b = m.objects.at(0).as<Binding>();
  REQUIRE(b);
  CHECK(b->role_kind.value() == "ClusterRole");
  CHECK(b->role_name.value() == "view");
  REQUIRE(b->subjects.size() == 2);
  CHECK(b->subjects[0].ns.value() == "shop");
  CHECK(b->subjects[1].kind.value() == "User");
  CHECK(m.of<Binding>().size() == 1);
}
