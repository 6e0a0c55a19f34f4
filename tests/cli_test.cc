// The kmc binary end to end: exit codes, stdin, formats. Runs the real process.
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <array>
#include <cstdlib>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "render/graph_image.h"
#include "run_kmc.h"
#include "support.h"

namespace {

using kmc::test::Run;
using kmc::test::run;
using kmc::test::run_in;
using kmc::test::run_shell;

std::string data(const std::string& rel) { return kmc::test::source_dir() + "/testdata/" + rel; }

}  // namespace

TEST_CASE("kmc check exits 0 on clean input, 1 on findings, 2 on a missing path", "[cli]") {
  Run clean = run("check --no-color " + data("endpoints/orphan-near-miss.yaml"));
  CHECK(clean.status == 0);
  CHECK(clean.out.find("no findings in 3 objects from 1 file") != std::string::npos);

  Run bad = run("check --no-color " + data("workload/selector-mismatch.yaml"));
  CHECK(bad.status == 1);
  CHECK(bad.out.find("error[workload/selector-mismatch]") != std::string::npos);
  CHECK(run("check --fail-on none " + data("workload/selector-mismatch.yaml")).status == 0);

  Run missing = run("check /no/such/dir.yaml");
  CHECK(missing.status == 2);
  CHECK(missing.out.find("/no/such/dir.yaml") != std::string::npos);
}

TEST_CASE("kmc check reads standard input as <stdin>", "[cli]") {
  Run r = run("check --no-color - < " + data("workload/selector-mismatch.yaml"));
  CHECK(r.status == 1);
  CHECK(r.out.find("<stdin>:9:7: error[workload/selector-mismatch]") != std::string::npos);
}

TEST_CASE("helm template piped in: a finding names the template it came from", "[cli]") {
  // What `helm template rel ./web` writes: each document after a `# Source:` comment.
  kmc::test::TempDir dir("kmc-helm");
  dir.write("rendered.yaml",
            "---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
            "spec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: metrics}]\n"
            "---\n# Source: web/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
            "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
            "    spec:\n      containers: [{name: web, image: nginx:1.27, ports: [{name: http, containerPort: 80}]}]\n");
  Run r = run("check --no-color - < " + (dir.path / "rendered.yaml").string());
  CHECK(r.status == 1);
  CHECK(r.out.find("<stdin>:8:") != std::string::npos);
  CHECK(r.out.find("<stdin>:2:1: note: rendered by helm from web/templates/service.yaml") != std::string::npos);
  // A file given by name is what it is: no template to name.
  Run named = run("check --no-color " + (dir.path / "rendered.yaml").string());
  CHECK(named.out.find("rendered by helm") == std::string::npos);
}

TEST_CASE("kmc check --format json and usage errors", "[cli]") {
  Run r = run("check --format json " + data("syntax/not-an-object.yaml"));
  CHECK(r.status == 1);
  CHECK(r.out.find("\"rule\": \"syntax/not-an-object\"") != std::string::npos);
  CHECK(run("check --format yaml x").status == 2);
  Run unknown = run("chek x.yaml");
  CHECK(unknown.status == 2);
  CHECK(unknown.out.find("no command 'chek' (did you mean check?)") != std::string::npos);
  CHECK(run("frobnicate").status == 2);
  Run rules = run("rules");
  CHECK(rules.status == 0);
  CHECK(rules.out.find("workload/selector-mismatch") != std::string::npos);
}

TEST_CASE("kmc explain prints a rule's page", "[cli]") {
  Run r = run("explain storage/claim-unbound");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("# storage/claim-unbound", 0) == 0);
  Run nope = run("explain storage/claim-unbond");
  CHECK(nope.status == 2);
  CHECK(nope.out.find("(did you mean storage/claim-unbound?)") != std::string::npos);
}

// A throwaway tree for the --only-files cases: a Deployment and its Service in two files, a
// neighbour of the same namespace with a finding of its own, and a project in another namespace
// whose Service selects nothing.
std::string only_files_tree() {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-only-files-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "deploy");
  fs::create_directories(dir / "other");
  auto write = [&](const fs::path& p, const char* text) { std::ofstream(p) << text; };
  write(dir / "deploy/api-deploy.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api-v2}}
  template:
    metadata: {labels: {app: api-v2}}
    spec: {containers: [{name: api, image: "nginx:1.25"}]}
)");
  write(dir / "deploy/api-svc.yaml", R"(apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80}]
)");
  write(dir / "deploy/worker.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - name: worker
          image: "busybox:1.36"
          env: [{name: A, value: "1"}, {name: A, value: "2"}]
)");
  write(dir / "other/svc.yaml", R"(apiVersion: v1
kind: Service
metadata: {name: lonely, namespace: other}
spec:
  selector: {app: lonely}
  ports: [{port: 80}]
)");
  return dir.string();
}

TEST_CASE("kmc check --only-files: a ConfigMap's change reports what it breaks in the pods that read it",
          "[cli][only-files]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-only-files-cm-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write = [&](const fs::path& p, const char* text) { std::ofstream(p) << text; };
  write(dir / "deploy.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: "nginx:1.25"
          envFrom: [{configMapRef: {name: settings}}]
          env:
            - {name: URL, value: "http://$(HOST)/"}
            - {name: REGION, valueFrom: {configMapKeyRef: {name: settings, key: REGION}}}
)");
  // HOST and REGION were removed from the ConfigMap: the Deployment's file is unchanged.
  write(dir / "settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {PORT: \"80\"}\n");
  Run changed = run_in(dir.string(), std::string(KMC_BINARY) + " check --no-color -q --only-files settings.yaml");
  CHECK(changed.status == 1);
  CHECK(changed.out.find("deploy.yaml:14:44: warning[workload/env-forward-reference]") != std::string::npos);
  CHECK(changed.out.find("deploy.yaml:15:81: error[reference/configmap-key-not-found]") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("kmc check --only-files reports what a change in the named files breaks", "[cli][only-files]") {
  std::string dir = only_files_tree();
  std::string kmc = std::string(KMC_BINARY) + " check --no-color -q --fail-on info ";
  auto in_dir = [&](const std::string& args) { return run_in(dir, kmc + args); };

  Run all = in_dir(".");
  CHECK(all.out.find("deploy/api-svc.yaml") != std::string::npos);
  CHECK(all.out.find("duplicate-env") != std::string::npos);
  CHECK(all.out.find("other/svc.yaml") != std::string::npos);

  // The Deployment's labels changed: the Service in the other file selects nothing now, and
  // the commit fails because of it. The neighbour's own finding and the other namespace's
  // Service are not this change's.
  Run changed = in_dir("--only-files deploy/api-deploy.yaml");
  CHECK(changed.status == 1);
  CHECK(changed.out.find("deploy/api-svc.yaml:5:19: warning[service/no-matching-pods]") != std::string::npos);
  CHECK(changed.out.find("duplicate-env") == std::string::npos);
  CHECK(changed.out.find("other/svc.yaml") == std::string::npos);

  // Paths compare as files, whatever their form, with or without a config's `paths`.
  Run dotted = in_dir("--only-files ./deploy/../deploy/api-deploy.yaml");
  CHECK(dotted.out == changed.out);
  REQUIRE(std::system(("printf 'paths: [.]\\n' > " + dir + "/.kmc.yaml").c_str()) == 0);
  Run configured = in_dir("--only-files " + dir + "/deploy/api-deploy.yaml");
  CHECK(configured.out == changed.out);

  // A file's own single-object findings are its own.
  Run worker = in_dir("--only-files deploy/worker.yaml");
  CHECK(worker.out.find("duplicate-env") != std::string::npos);

  // A listed file the run did not read is said, not passed over in silence.
  REQUIRE(std::system(("printf 'paths: [deploy]\\n' > " + dir + "/.kmc.yaml").c_str()) == 0);
  Run outside = in_dir("--only-files other/svc.yaml");
  CHECK(outside.status == 0);
  CHECK(outside.out.find("kmc: warning: 'other/svc.yaml' is not among the files checked") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a path option takes one path, positional paths are never swallowed", "[cli]") {
  std::string dir = only_files_tree();
  Run r = run_in(dir, std::string(KMC_BINARY) + " check --no-color -q --fail-on info --context deploy/api-deploy.yaml other");
  // `other` is checked, not taken as a second context path; the Deployment is context.
  CHECK(r.out.find("other/svc.yaml") != std::string::npos);
  CHECK(r.out.find("from 1 file") == std::string::npos);  // -q: no summary
  Run s = run_in(dir, std::string(KMC_BINARY) + " check --no-color --fail-on info --context=deploy/api-deploy.yaml other");
  CHECK(s.out.find("in 1 object from 1 file") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("kmc check finds .kmc.yaml upwards and refuses a broken one", "[cli]") {
  std::string dir = std::string("/tmp/kmc-cli-config-") + std::to_string(::getpid());
  std::string setup = "mkdir -p " + dir + "/deploy && cp " + data("affinity/no-anti-affinity.yaml") + " " + dir + "/deploy/";
  REQUIRE(std::system(setup.c_str()) == 0);
  REQUIRE(std::system(("printf 'rules:\\n  disable: [affinity/no-anti-affinity]\\n' > " + dir + "/.kmc.yaml").c_str()) == 0);
  Run quiet = run("check --no-color --fail-on info --config " + dir + "/.kmc.yaml " + dir + "/deploy");
  CHECK(quiet.status == 0);
  REQUIRE(std::system(("cd " + dir + "/deploy && " + std::string(KMC_BINARY) + " check --fail-on info . > /dev/null").c_str()) == 0);
  Run loud = run("check --no-color --fail-on info --no-config " + dir + "/deploy");
  CHECK(loud.status == 1);
  REQUIRE(std::system(("printf 'rulez: []\\n' > " + dir + "/.kmc.yaml").c_str()) == 0);
  Run broken = run("check --config " + dir + "/.kmc.yaml " + dir + "/deploy");
  CHECK(broken.status == 2);
  CHECK(broken.out.find(".kmc.yaml:1:1: unknown key `rulez`") != std::string::npos);
}

TEST_CASE("kmc check --format sarif, github, junit", "[cli]") {
  Run sarif = run("check --format sarif " + data("workload/selector-mismatch.yaml"));
  CHECK(sarif.status == 1);
  CHECK(sarif.out.find("\"version\": \"2.1.0\"") != std::string::npos);
  Run gh = run("check --format github " + data("workload/selector-mismatch.yaml"));
  CHECK(gh.out.find("::error file=") != std::string::npos);
  Run junit = run("check --format junit " + data("workload/selector-mismatch.yaml"));
  CHECK(junit.out.find("<testsuites") != std::string::npos);
}

TEST_CASE("a directory symlink loop and an unreadable file: a diagnostic each, no hang", "[cli][inputs]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-cli-inputs-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "a");
  fs::copy_file(data("workload/selector-mismatch.yaml"), dir / "a" / "app.yaml");
  fs::create_directory_symlink("..", dir / "a" / "up");  // a/up/a/up/… forever, if followed

  Run loop = run("check --no-color --fail-on none " + dir.string());
  CHECK(loop.status == 0);
  CHECK(loop.out.find("from 1 file") != std::string::npos);  // the loop is not walked

  // A socket cannot be opened as a file, even by root (for whom chmod 000 changes nothing).
  fs::path socket_path = dir / "socket.yaml";
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(socket_path.string().size() < sizeof addr.sun_path);
  std::strcpy(addr.sun_path, socket_path.c_str());
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  Run unreadable = run("check --no-color " + socket_path.string() + " " + (dir / "a" / "app.yaml").string());
  ::close(s);
  CHECK(unreadable.status == 2);
  CHECK(unreadable.out.find("cannot read '" + socket_path.string() + "'") != std::string::npos);
  CHECK(unreadable.out.find("error[workload/selector-mismatch]") != std::string::npos);  // the other file still checked
  fs::remove_all(dir);
}

TEST_CASE("a mixed repository: files that are not manifests and Helm charts are skipped, and counted", "[cli][mixed]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-mixed-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "deploy");
  fs::create_directories(dir / "chart/templates");
  auto write = [&](const fs::path& p, const char* text) { std::ofstream(p) << text; };
  write(dir / "docker-compose.yml", "services:\n  web: {image: nginx}\n");
  write(dir / "package.json", "{\"name\": \"app\", \"version\": \"1.0.0\"}\n");
  write(dir / "empty.yaml", "");
  write(dir / "chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n");
  write(dir / "chart/values.yaml", "replicas: 2\n");
  write(dir / "chart/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n");
  write(dir / "deploy/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n");
  write(dir / "deploy/broken.yaml", "kind: ConfigMap\nmetadata: {name: half}\n");  // a manifest without apiVersion

  Run r = run_in(dir.string(), std::string(KMC_BINARY) + " check --no-color .");
  CHECK(r.status == 1);  // broken.yaml only
  CHECK(r.out.find("deploy/broken.yaml:1:1: error[syntax/not-an-object]") != std::string::npos);
  CHECK(r.out.find("docker-compose") == std::string::npos);
  CHECK(r.out.find("package.json") == std::string::npos);
  CHECK(r.out.find("kmc: note: skipped the Helm chart 'chart': its templates are not YAML; check what it renders: "
                   "helm template chart | kmc check -") != std::string::npos);
  CHECK(r.out.find("1 error in 1 object from 2 files; 3 files skipped: not Kubernetes manifests (-v lists them); "
                   "1 Helm chart skipped") != std::string::npos);
  Run verbose = run_in(dir.string(), std::string(KMC_BINARY) + " check --no-color -v .");
  CHECK(verbose.out.find("kmc: note: skipped 'docker-compose.yml': not a Kubernetes manifest") != std::string::npos);
  Run json = run_in(dir.string(), std::string(KMC_BINARY) + " check --format json .");
  CHECK(json.out.find("\"skipped\": 3") != std::string::npos);
  CHECK(json.out.find("\"charts\": 1") != std::string::npos);

  // Named, a file is read as a manifest whatever it holds.
  Run named = run_in(dir.string(), std::string(KMC_BINARY) + " check --no-color docker-compose.yml");
  CHECK(named.status == 1);
  CHECK(named.out.find("docker-compose.yml:1:1: error[syntax/not-an-object]") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("an input without objects is a warning: a broken pipeline fails the step", "[cli][mixed]") {
  namespace fs = std::filesystem;
  Run piped = run_shell("true | " + std::string(KMC_BINARY) + " check --no-color -");
  CHECK(piped.status == 1);
  CHECK(piped.out.find("<stdin>:1:1: warning[syntax/empty-input]") != std::string::npos);
  fs::path dir = fs::temp_directory_path() / ("kmc-empty-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "values.yaml") << "replicas: 2\n";
  Run walked = run("check --no-color " + dir.string());
  CHECK(walked.status == 1);
  CHECK(walked.out.find("kmc: warning[syntax/empty-input]") != std::string::npos);
  CHECK(run("check --fail-on error " + dir.string()).status == 0);
  fs::remove_all(dir);
}

TEST_CASE("graph -o takes the format from the extension, a syntax error fails the run", "[cli][graph]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-graph-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string examples = kmc::test::source_dir() + "/examples";
  for (const char* name : {"g.dot", "g.gv", "g.mmd", "g.json", "g.svg"}) {
    INFO(name);
    Run r = run("graph " + examples + " -o " + (dir / name).string());
    // Without the Graphviz library, an image is refused with the way to draw it instead.
    bool image = std::string_view(name).ends_with(".svg");
    CHECK(r.status == (image && !kmc::render::graphviz_available() ? 2 : 0));
  }
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(slurp(dir / "g.dot").starts_with("digraph kmc {"));
  CHECK(slurp(dir / "g.mmd").starts_with("flowchart"));
  CHECK(slurp(dir / "g.json").starts_with("{"));
  if (kmc::render::graphviz_available()) CHECK(slurp(dir / "g.svg").find("<svg") != std::string::npos);
  Run unknown = run("graph " + examples + " -o " + (dir / "g.txt").string());
  CHECK(unknown.status == 2);
  CHECK(unknown.out.find("cannot tell what to write to") != std::string::npos);
  CHECK(!fs::exists(dir / "g.txt"));
  CHECK(run("graph --format mermaid " + examples + " -o " + (dir / "g2.dot").string()).status == 2);

  std::ofstream(dir / "bad.yaml") << "apiVersion: v1\nkind: Service\nmetadata: {name: a\n";
  Run broken = run("graph " + (dir / "bad.yaml").string() + " " + examples + " -o " + (dir / "b.dot").string());
  CHECK(broken.status == 1);
  CHECK(broken.out.find("error[syntax/yaml]") != std::string::npos);
  CHECK(slurp(dir / "b.dot").find("catalog") != std::string::npos);  // the rest is drawn
  fs::remove_all(dir);
}

TEST_CASE("compile refuses input it cannot copy, not input with a stale suppression", "[cli][compile]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-compile-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "cm.yaml") << "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings  "
                                    "# kmc:ignore[service/no-matching-pods]\ndata: {a: b}\n";
  Run check = run("check --no-color " + (dir / "cm.yaml").string());
  CHECK(check.status == 0);
  CHECK(check.out.find("info[syntax/unused-suppression]") != std::string::npos);
  Run compiled = run("compile " + (dir / "cm.yaml").string());
  CHECK(compiled.status == 0);
  CHECK(compiled.out.find("kind: ConfigMap") != std::string::npos);
  std::ofstream(dir / "bad.yaml") << "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n";
  CHECK(run("compile " + (dir / "bad.yaml").string()).status == 1);
  fs::remove_all(dir);
}
