// Generates a realistic manifest tree, deterministic from a seed: namespaces of apps, each app a
// Deployment or StatefulSet (with claim templates) and its Service, ServiceAccount, ConfigMaps, selector-less
// Services with Endpoints, PVs and PVCs, env-var references to other Services, security contexts
// under namespaces that enforce Pod Security levels. Files of about
// 50 objects in nested folders. Most apps call a peer of their own namespace defined before
// them (what a working tree does); one in twenty names a Service that is elsewhere, so the
// tree has findings like a real one, not one per object.
//   kmc-bench-gen --objects 100000 --seed 1 --out DIR
// The linker's worst case: N Services and N Deployments in one namespace whose labels overlap
// (every selector's labels are each carried by hundreds of pods; their intersection is one).
//   kmc-bench-gen --selectors 20000 --out DIR
// The binder's worst case: N volumes, all too small, and N claims that are all pending.
//   kmc-bench-gen --pending-claims 5000 --out DIR
// Suppressions' worst case: N Services, each with a suppression comment and annotation.
//   kmc-bench-gen --suppressions 10000 --out DIR
// 200 kustomize overlays over 20 bases (bench/run.sh reports their throughput):
//   kmc-bench-gen --overlays 200 --out DIR
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

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
  o += ind + "  securityContext:\n" + ind + "    allowPrivilegeEscalation: false\n" + ind +
       "    readOnlyRootFilesystem: true\n" + ind + "    capabilities: {drop: [ALL]}\n";
}

std::string upper(std::string s) {
  for (char& c : s) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Writes a flat tree of files of about 64 KB each (the worst cases are one namespace, so
// one directory): text is appended, and a file is cut whenever the buffer is full.
class FlatTreeWriter {
 public:
  FlatTreeWriter(const std::string& out, std::string first) : out_(out), text_(std::move(first)) {
    std::filesystem::remove_all(out_);
    std::filesystem::create_directories(out_);
  }
  void add(const std::string& doc) {
    text_ += doc;
    if (text_.size() >= 64 * 1024) flush();
  }
  long finish() {
    if (!text_.empty()) flush();
    return files_;
  }

 private:
  void flush() {
    char name[64];
    std::snprintf(name, sizeof name, "/%05ld.yaml", files_++);
    std::ofstream(out_ + name) << text_;
    text_.clear();
  }
  std::string out_, text_;
  long files_ = 0;
};

// One namespace, `n` Deployments labelled {app: app-i, part-of: shop, tier: t-(i%100),
// zone: z-(i%199)} and `n` Services selecting {part-of, tier, zone} of one of them: a selector
// whose every label matches 100–20 000 pods, and whose conjunction matches one or two. Ten
// Services select the whole `part-of: shop` (20 000 pods each).
void selector_worst_case(long n, const std::string& out) {
  FlatTreeWriter tree(out, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: crowd\n");
  for (long i = 0; i < n; ++i) {
    std::string tier = "t-" + std::to_string(i % 100), zone = "z-" + std::to_string(i % 199);
    std::string app = "app-" + std::to_string(i);
    std::string docs = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + app +
                       "\n  namespace: crowd\nspec:\n  selector:\n    part-of: shop\n";
    if (i % (n / 10 + 1) != 0) docs += "    tier: " + tier + "\n    zone: " + zone + "\n";
    docs += "  ports:\n    - port: 80\n      targetPort: 8080\n";
    docs += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + app +
            "\n  namespace: crowd\nspec:\n  selector:\n    matchLabels:\n      app: " + app +
            "\n  template:\n    metadata:\n      labels:\n        app: " + app + "\n        part-of: shop\n"
            "        tier: " + tier + "\n        zone: " + zone + "\n    spec:\n      containers:\n"
            "        - name: app\n          image: registry.example.com/app:1.0\n          ports:\n"
            "            - containerPort: 8080\n";
    tree.add(docs);
  }
  long files = tree.finish();
  std::printf("generated %ld Services and %ld Deployments in %ld files under %s\n", n, n, files, out.c_str());
}

// The binder's worst case: `n` hand-made volumes of class `manual` that are all too small, and
// `n` claims of that class, all pending; each claim's message names its nearest volumes.
void pending_claims_worst_case(long n, const std::string& out) {
  FlatTreeWriter tree(out, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: vault\n");
  for (long i = 0; i < n; ++i) {
    std::string id = std::to_string(i);
    tree.add("---\napiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-" + id +
             "\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n"
             "  hostPath:\n    path: /mnt/" + id + "\n" +
             "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data-" + id +
             "\n  namespace: vault\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n"
             "  resources:\n    requests:\n      storage: 2Gi\n");
  }
  long files = tree.finish();
  std::printf("generated %ld volumes and %ld pending claims in %ld files under %s\n", n, n, files, out.c_str());
}

// `n` Services that select no pods, each with a comment that silences that (used) and an
// annotation that silences service/port-names (unused: reported): 2n suppressions, n findings.
void suppressions_worst_case(long n, const std::string& out) {
  FlatTreeWriter tree(out, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: quiet\n");
  for (long i = 0; i < n; ++i) {
    std::string name = "api-" + std::to_string(i);
    tree.add("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + name +
             "\n  namespace: quiet\n  annotations:\n    kmc.dev/ignore: service/port-names\nspec:\n"
             "  # kmc:ignore[service/no-matching-pods]\n  selector: {app: " + name +
             "}\n  ports:\n    - port: 80\n");
  }
  long files = tree.finish();
  std::printf("generated %ld Services with %ld suppressions in %ld files under %s\n", n, 2 * n, files, out.c_str());
}

// kustomize overlays: `bases` bases of 40 apps each (a Service, a ConfigMap and a Deployment
// that mounts it), and `overlays` roots over them, each with its own namespace, name prefix,
// labels into the selectors, an image tag, replicas and two patches: every root renders 120
// objects, and linking must rename the ConfigMap references with the prefix.
void kustomize_overlays(long overlays, long bases, const std::string& out) {
  namespace fs = std::filesystem;
  fs::remove_all(out);
  for (long b = 0; b < bases; ++b) {
    std::string dir = out + "/bases/base-" + std::to_string(b);
    fs::create_directories(dir);
    std::string text;
    for (int a = 0; a < 40; ++a) {
      std::string app = "app-" + std::to_string(a);
      text += "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + app + "\nspec:\n  selector:\n    app: " +
              app + "\n  ports:\n    - port: 80\n      targetPort: http\n";
      text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + app + "-config\ndata:\n  MODE: fast\n";
      text += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + app +
              "\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: " + app +
              "\n  template:\n    metadata:\n      labels:\n        app: " + app +
              "\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/" + app +
              ":1.0\n          ports:\n            - name: http\n              containerPort: 8080\n"
              "          envFrom:\n            - configMapRef:\n                name: " + app + "-config\n";
    }
    std::ofstream(dir + "/apps.yaml") << text;
    std::ofstream(dir + "/kustomization.yaml") << "resources:\n  - apps.yaml\n";
  }
  for (long o = 0; o < overlays; ++o) {
    std::string name = "overlay-" + std::to_string(o);
    std::string dir = out + "/overlays/" + name;
    fs::create_directories(dir);
    std::string k = "namespace: " + name + "\nnamePrefix: o" + std::to_string(o) + "-\nlabels:\n  - pairs:\n"
                    "      env: " + name + "\n    includeSelectors: true\nimages:\n";
    for (int a = 0; a < 40; a += 10)
      k += "  - name: registry.example.com/app-" + std::to_string(a) + "\n    newTag: \"1." + std::to_string(o % 7) + "\"\n";
    k += "replicas:\n  - name: app-0\n    count: 3\nresources:\n  - ../../bases/base-" + std::to_string(o % bases) + "\n";
    // A strategic merge patch from a file (a container's env and resources) and a JSON 6902
    // patch on the Deployments a regular expression selects (ten of the forty).
    k += "patches:\n  - path: app-1.yaml\n  - target:\n      kind: Deployment\n      name: app-[0-9]\n"
         "    patch: |-\n      - op: add\n        path: /spec/template/metadata/annotations\n"
         "        value:\n          rollout: \"" + std::to_string(o) + "\"\n";
    std::ofstream(dir + "/kustomization.yaml") << k;
    std::ofstream(dir + "/app-1.yaml")
        << "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-1\nspec:\n  template:\n    spec:\n"
           "      containers:\n        - name: app\n          env:\n            - name: OVERLAY\n              value: "
        << name << "\n          resources:\n            requests:\n              cpu: 100m\n";
  }
  std::printf("generated %ld overlays over %ld bases (%ld objects rendered) under %s\n", overlays, bases,
              overlays * 120, out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  long objects = 100000, selectors = 0, pending_claims = 0, suppressions = 0, overlays = 0;
  uint64_t seed = 1;
  std::string out = "bench/out/tree";
  // Every option takes a value; anything else is refused, rather than a tree generated where
  // nobody asked for it (a path given without --out was once ignored).
  auto usage = [] {
    std::fprintf(stderr,
                 "usage: kmc-bench-gen [--objects N] [--seed N] [--out DIR] [--selectors N | --pending-claims N | "
                 "--suppressions N | --overlays N]\n");
    return 2;
  };
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) return usage();
    if (!std::strcmp(argv[i], "--objects")) objects = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--out")) out = argv[i + 1];
    else if (!std::strcmp(argv[i], "--selectors")) selectors = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--pending-claims")) pending_claims = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--suppressions")) suppressions = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--overlays")) overlays = std::atol(argv[i + 1]);
    else return usage();
  }
  if (overlays > 0) {
    kustomize_overlays(overlays, std::max(1L, overlays / 10), out);
    return 0;
  }
  if (suppressions > 0) {
    suppressions_worst_case(suppressions, out);
    return 0;
  }
  if (pending_claims > 0) {
    pending_claims_worst_case(pending_claims, out);
    return 0;
  }
  if (selectors > 0) {
    selector_worst_case(selectors, out);
    return 0;
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
      if (made >= objects) return;  // exactly --objects: the last app may stop short
      text += "---\n" + d;
      ++made;
      if (++in_file >= 50) flush();
    };
    // Namespaces enforce the baseline Pod Security Standard and warn at restricted, as a hardened
    // cluster's do: admission/pod-security evaluates every pod template.
    doc("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns +
        "\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: restricted\n");
    std::vector<std::string> apps;  // defined so far in this namespace
    for (int app_no = 0; app_no < 40 && made < objects; ++app_no) {
      std::string app = std::string(g.word()) + "-" + std::to_string(app_no);
      bool stray = apps.empty() || g.pick(20) == 0;
      std::string peer = upper(stray ? std::string(g.word()) + "-" + std::to_string(g.pick(40))
                                     : apps[static_cast<size_t>(g.pick(static_cast<int>(apps.size())))]);
      apps.push_back(app);
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
      doc("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: " + app + "\n  namespace: " + ns + "\n");
      o = std::string("apiVersion: apps/v1\nkind: ") + (stateful ? "StatefulSet" : "Deployment") +
          "\nmetadata:\n  name: " + app + "\n  namespace: " + ns + "\n";
      labels(o, app, "  ");
      o += "  annotations:\n    kmc.dev/owner: \"team " + ns + "\"\n";
      o += "spec:\n  replicas: " + std::to_string(1 + g.pick(4)) + "\n";
      if (stateful) o += "  serviceName: " + app + "\n";
      o += "  selector:\n    matchLabels:\n      app.kubernetes.io/name: " + app + "\n";
      o += "  template:\n    metadata:\n";
      labels(o, app, "      ");
      o += "    spec:\n      serviceAccountName: " + app + "\n";
      // One app in ten leaves the pod's securityContext out: restricted warns about it.
      if (g.pick(10) != 0) o += "      securityContext:\n        runAsNonRoot: true\n        seccompProfile: {type: RuntimeDefault}\n";
      o += "      containers:\n";
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
