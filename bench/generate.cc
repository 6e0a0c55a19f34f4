// Generates a realistic manifest tree, deterministic from a seed: namespaces of apps, each app a
// Deployment or StatefulSet (with claim templates) and its Service, ConfigMaps, selector-less
// Services with Endpoints, PVs and PVCs, env-var references to other Services. Files of about
// 50 objects in nested folders.
//   kmc-bench-gen --objects 100000 --seed 1 --out DIR
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace {

struct Gen {
  std::mt19937_64 rng;
  explicit Gen(uint64_t seed) : rng(seed) {}
  int pick(int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); }
  const char* word() {
    static const char* kWords[] = {"web", "api", "cart", "auth", "search", "db", "cache", "queue",
                                   "billing", "users", "media", "report", "gateway", "mail", "feed"};
    return kWords[pick(15)];
  }
};

void labels(std::string& o, const std::string& app, const std::string& indent) {
  o += indent + "labels:\n";
  o += indent + "  app.kubernetes.io/name: " + app + "\n";
  o += indent + "  app.kubernetes.io/part-of: shop\n";
  o += indent + "  tier: backend\n";
}

void container(std::string& o, Gen& g, const std::string& app, const std::string& peer, const std::string& ind) {
  o += ind + "- name: " + app + "\n";
  o += ind + "  image: registry.example.com/shop/" + app + ":1." + std::to_string(g.pick(20)) + ".0\n";
  o += ind + "  imagePullPolicy: IfNotPresent\n";
  o += ind + "  ports:\n";
  o += ind + "    - name: http\n" + ind + "      containerPort: 8080\n" + ind + "      protocol: TCP\n";
  o += ind + "    - name: metrics\n" + ind + "      containerPort: 9090\n";
  o += ind + "  env:\n";
  o += ind + "    - name: LOG_LEVEL\n" + ind + "      value: \"info\"\n";
  o += ind + "    - name: PEER_URL\n" + ind + "      value: \"http://$(" + peer + "_SERVICE_HOST):$(" + peer +
       "_SERVICE_PORT)/v1\"\n";
  o += ind + "    - name: POD_NAME\n" + ind + "      valueFrom:\n" + ind + "        fieldRef:\n" + ind +
       "          fieldPath: metadata.name\n";
  o += ind + "  args: [\"--port=8080\", \"--peer=$(PEER_URL)\"]\n";
  o += ind + "  resources:\n" + ind + "    requests: {cpu: 100m, memory: 128Mi}\n" + ind +
       "    limits: {cpu: \"1\", memory: 512Mi}\n";
  o += ind + "  readinessProbe:\n" + ind + "    httpGet: {path: /healthz, port: http}\n" + ind +
       "    periodSeconds: 10\n";
  o += ind + "  volumeMounts:\n" + ind + "    - name: config\n" + ind + "      mountPath: /etc/" + app + "\n";
}

std::string upper(std::string s) {
  for (char& c : s) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  long objects = 100000;
  uint64_t seed = 1;
  std::string out = "bench/out/tree";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--objects")) objects = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--out")) out = argv[i + 1];
  }
  Gen g(seed);
  namespace fs = std::filesystem;
  fs::remove_all(out);
  long made = 0, file_no = 0, ns_no = 0;
  while (made < objects) {
    std::string ns = "team-" + std::to_string(ns_no++);
    std::string dir = out + "/" + ns.substr(0, 6) + std::to_string(ns_no / 10) + "/" + ns;
    fs::create_directories(dir);
    std::string text;
    int in_file = 0;
    auto flush = [&] {
      if (text.empty()) return;
      char name[64];
      std::snprintf(name, sizeof name, "/%05ld.yaml", file_no++);
      std::ofstream(dir + name) << text;
      text.clear();
      in_file = 0;
    };
    auto doc = [&](const std::string& d) {
      text += "---\n" + d;
      ++made;
      if (++in_file >= 50) flush();
    };
    doc("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n");
    for (int app_no = 0; app_no < 40 && made < objects; ++app_no) {
      std::string app = std::string(g.word()) + "-" + std::to_string(app_no);
      std::string peer = upper(std::string(g.word()) + "-" + std::to_string(g.pick(40)));
      bool stateful = g.pick(5) == 0;
      std::string o;
      o += "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + app + "\n  namespace: " + ns + "\n";
      labels(o, app, "  ");
      o += "spec:\n";
      if (stateful) o += "  clusterIP: None\n";
      o += "  selector:\n    app.kubernetes.io/name: " + app + "\n";
      o += "  ports:\n    - name: http\n      port: 80\n      targetPort: http\n    - name: metrics\n      port: 9090\n";
      doc(o);
      o = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + app + "-config\n  namespace: " + ns + "\ndata:\n";
      o += "  settings.yaml: |\n    listen: 0.0.0.0:8080\n    upstream: " + peer + "\n    retries: 3\n";
      o += "  FEATURE_FLAGS: \"search,cart,checkout\"\n";
      doc(o);
      o = std::string("apiVersion: apps/v1\nkind: ") + (stateful ? "StatefulSet" : "Deployment") +
          "\nmetadata:\n  name: " + app + "\n  namespace: " + ns + "\n";
      labels(o, app, "  ");
      o += "  annotations:\n    kmc.dev/owner: \"team " + ns + "\"\n";
      o += "spec:\n  replicas: " + std::to_string(1 + g.pick(4)) + "\n";
      if (stateful) o += "  serviceName: " + app + "\n";
      o += "  selector:\n    matchLabels:\n      app.kubernetes.io/name: " + app + "\n";
      o += "  template:\n    metadata:\n";
      labels(o, app, "      ");
      o += "    spec:\n      serviceAccountName: " + app + "\n      containers:\n";
      container(o, g, app, peer, "        ");
      o += "      volumes:\n        - name: config\n          configMap:\n            name: " + app + "-config\n";
      if (stateful) {
        o += "  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n";
        o += "        accessModes: [ReadWriteOnce]\n        storageClassName: fast\n";
        o += "        resources:\n          requests:\n            storage: " + std::to_string(1 + g.pick(50)) + "Gi\n";
      }
      doc(o);
      if (g.pick(8) == 0) {
        std::string ext = "legacy-" + app;
        doc("apiVersion: v1\nkind: Service\nmetadata:\n  name: " + ext + "\n  namespace: " + ns +
            "\nspec:\n  ports:\n    - port: 5432\n      targetPort: 5432\n");
        doc("apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: " + ext + "\n  namespace: " + ns +
            "\nsubsets:\n  - addresses:\n      - ip: 10.20." + std::to_string(g.pick(250)) + "." +
            std::to_string(1 + g.pick(250)) + "\n    ports:\n      - port: 5432\n");
      }
      if (g.pick(6) == 0) {
        std::string size = std::to_string(1 + g.pick(100)) + "Gi";
        doc("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-" + ns + "-" + app +
            "\n  labels:\n    disk: ssd\nspec:\n  capacity:\n    storage: " + size +
            "\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Retain\n  storageClassName: manual\n"
            "  hostPath:\n    path: /mnt/data/" + app + "\n");
        doc("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: " + app + "-data\n  namespace: " + ns +
            "\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  resources:\n    requests:\n"
            "      storage: " + size + "\n");
      }
    }
    flush();
  }
  std::printf("generated %ld objects in %ld files under %s\n", made, file_no, out.c_str());
  return 0;
}
