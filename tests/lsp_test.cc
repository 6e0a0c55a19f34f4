// `kmc lsp` as editors drive it: JSON-RPC over pipes to the server (lsp/server.h), each method's
// answer, and the cross-file case (an edit in one file changes another file's diagnostics).
#include <catch2/catch.hpp>

#include <filesystem>

#include "lsp/text_document.h"
#include "lsp/uri.h"
#include "lsp_client.h"
#include "lsp_session.h"
#include "support.h"

namespace kmc::test {
namespace {
namespace fs = std::filesystem;
using lsp::Json;
using lsp::member;
using lsp::string_at;

constexpr const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicaz: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
)";

constexpr const char* kService = R"(apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
)";

// A workspace folder of its own per test (TempDir names by process; a counter tells them apart).
struct Workspace {
  TempDir temp;
  const fs::path& dir = temp.path;
  Workspace() : temp("kmc-lsp-" + std::to_string(counter()++)) {
    temp.write("deploy.yaml", kDeployment);
    temp.write("svc.yaml", kService);
  }
  void write(const std::string& name, const std::string& text) const { temp.write(name, text); }
  std::string uri(const std::string& name) const { return lsp::uri_of_path((dir / name).string()); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string initialize_params(const Workspace& w, const std::string& encodings = R"(["utf-16"])") {
  return R"({"processId":null,"rootUri":)" + quoted(lsp::uri_of_path(w.dir.string())) +
         R"(,"capabilities":{"general":{"positionEncodings":)" + encodings + "}}}";
}

// The rule ids of a publishDiagnostics notification.
std::vector<std::string> codes_of(const rapidjson::Document& d) {
  std::vector<std::string> codes;
  const Json* list = member(member(&d, "params"), "diagnostics");
  if (list && list->IsArray())
    for (const Json& x : list->GetArray())
      if (auto code = string_at(&x, "code")) codes.emplace_back(*code);
  return codes;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

void open(LspClient& c, const Workspace& w, const std::string& name, const std::string& text) {
  rapidjson::StringBuffer b;
  lsp::JsonWriter jw(b);
  lsp::write_string(jw, text);
  c.notify("textDocument/didOpen", R"({"textDocument":{"uri":)" + quoted(w.uri(name)) +
                                       R"(,"languageId":"yaml","version":1,"text":)" + b.GetString() + "}}");
}

std::string change(const Workspace& w, const std::string& name, int version, const std::string& changes) {
  return R"({"textDocument":{"uri":)" + quoted(w.uri(name)) + R"(,"version":)" + std::to_string(version) +
         R"(},"contentChanges":)" + changes + "}";
}

}  // namespace

TEST_CASE("lsp: initialize answers the capabilities, UTF-16 unless the client offers UTF-8", "[lsp]") {
  Workspace w;
  for (auto [offered, chosen] : {std::pair{R"(["utf-16"])", "utf-16"}, std::pair{R"(["utf-16","utf-8"])", "utf-8"}}) {
    LspClient c;
    rapidjson::Document r = c.response(c.request("initialize", initialize_params(w, offered)));
    const Json* caps = member(member(&r, "result"), "capabilities");
    REQUIRE(caps);
    CHECK(string_at(caps, "positionEncoding") == chosen);
    CHECK(member(member(caps, "textDocumentSync"), "change")->GetInt() == 2);  // incremental
    CHECK(member(caps, "hoverProvider")->GetBool());
    CHECK(member(caps, "documentSymbolProvider")->GetBool());
    CHECK(string_at(member(member(&r, "result"), "serverInfo"), "name") == "kmc");
    CHECK(c.shut_down() == 0);
  }
}

TEST_CASE("lsp: an edit in one file changes another file's diagnostics", "[lsp]") {
  Workspace w;
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  c.notify("initialized", "{}");
  open(c, w, "deploy.yaml", kDeployment);
  rapidjson::Document first = c.diagnostics(w.uri("deploy.yaml"));
  REQUIRE(first.IsObject());
  CHECK(has(codes_of(first), "schema/unknown-field"));

  // `app: web` → `app: api` in the selector and the template (lines 8 and 12, zero-based),
  // unsaved: the Service in svc.yaml selects no pod any more.
  c.notify("textDocument/didChange",
           change(w, "deploy.yaml", 2,
                  R"([{"range":{"start":{"line":8,"character":11},"end":{"line":8,"character":14}},"text":"api"},)"
                  R"({"range":{"start":{"line":12,"character":13},"end":{"line":12,"character":16}},"text":"api"}])"));
  rapidjson::Document broken = c.diagnostics(w.uri("svc.yaml"));
  REQUIRE(broken.IsObject());
  CHECK(has(codes_of(broken), "service/no-matching-pods"));
  const Json* d0 = &member(member(&broken, "params"), "diagnostics")->GetArray()[0];
  CHECK(string_at(member(d0, "codeDescription"), "href") == "https://kmc.dev/docs/rules/service/no-matching-pods");
  CHECK(string_at(d0, "source") == "kmc");

  // Back as it was: the Service's warning is cleared.
  c.notify("textDocument/didChange",
           change(w, "deploy.yaml", 3,
                  R"([{"range":{"start":{"line":8,"character":11},"end":{"line":8,"character":14}},"text":"web"},)"
                  R"({"range":{"start":{"line":12,"character":13},"end":{"line":12,"character":16}},"text":"web"}])"));
  rapidjson::Document fixed = c.diagnostics(w.uri("svc.yaml"));
  REQUIRE(fixed.IsObject());
  CHECK_FALSE(has(codes_of(fixed), "service/no-matching-pods"));

  // Hover on the misspelt field: the rule and its explanation.
  rapidjson::Document h = c.response(c.request(
      "textDocument/hover",
      R"({"textDocument":{"uri":)" + quoted(w.uri("deploy.yaml")) + R"(},"position":{"line":5,"character":4}})"));
  auto value = string_at(member(member(&h, "result"), "contents"), "value");
  REQUIRE(value);
  CHECK(value->find("schema/unknown-field") != std::string_view::npos);
  rapidjson::Document nothing = c.response(c.request(
      "textDocument/hover",
      R"({"textDocument":{"uri":)" + quoted(w.uri("deploy.yaml")) + R"(},"position":{"line":40,"character":2}})"));
  CHECK(member(&nothing, "result")->IsNull());  // past the document's end

  // Hover on a field: its path and type in the release checked against.
  auto hover_text = [&](int line, int character) {
    rapidjson::Document d = c.response(c.request(
        "textDocument/hover", R"({"textDocument":{"uri":)" + quoted(w.uri("deploy.yaml")) + R"(},"position":{"line":)" +
                                  std::to_string(line) + R"(,"character":)" + std::to_string(character) + "}}"));
    auto v = string_at(member(member(&d, "result"), "contents"), "value");
    return v ? std::string(*v) : std::string();
  };
  CHECK(hover_text(6, 4).starts_with("**spec.selector**: `LabelSelector`"));
  CHECK(hover_text(6, 4).find("required") != std::string::npos);
  // The OpenAPI document's description of the field, for the kind it is in.
  CHECK(hover_text(6, 4).find("It must match the pod template's labels.") != std::string::npos);
  CHECK(hover_text(16, 12).find("Container image name.") != std::string::npos);
  CHECK(hover_text(16, 12).starts_with("**spec.template.spec.containers[].image**: string"));
  CHECK(hover_text(18, 16).starts_with("**spec.template.spec.containers[].ports[].containerPort**: integer (int32)"));

  // Code actions for the finding: the spelling it names, and a suppression comment.
  rapidjson::Document diag_doc;
  std::string diag = R"({"range":{"start":{"line":5,"character":2},"end":{"line":5,"character":10}},"severity":1,)"
                     R"("code":"schema/unknown-field","source":"kmc","message":"x\nhelp: did you mean \"replicas\"?"})";
  rapidjson::Document a = c.response(c.request(
      "textDocument/codeAction", R"({"textDocument":{"uri":)" + quoted(w.uri("deploy.yaml")) +
                                     R"(},"range":{"start":{"line":5,"character":2},"end":{"line":5,"character":2}},)"
                                     R"("context":{"diagnostics":[)" + diag + "]}}"));
  const Json* actions = member(&a, "result");
  REQUIRE(actions);
  REQUIRE(actions->IsArray());
  REQUIRE(actions->Size() == 2);
  CHECK(string_at(&actions->GetArray()[0], "title") == "Change to \"replicas\"");
  const Json* edits = member(member(member(&actions->GetArray()[0], "edit"), "changes"), w.uri("deploy.yaml").c_str());
  REQUIRE(edits);
  CHECK(string_at(&edits->GetArray()[0], "newText") == "replicas");
  const Json* ignore = member(member(member(&actions->GetArray()[1], "edit"), "changes"), w.uri("deploy.yaml").c_str());
  REQUIRE(ignore);
  CHECK(string_at(&ignore->GetArray()[0], "newText") == "  # kmc:ignore[schema/unknown-field]\n");

  // The file's objects.
  rapidjson::Document s = c.response(
      c.request("textDocument/documentSymbol", R"({"textDocument":{"uri":)" + quoted(w.uri("deploy.yaml")) + "}}"));
  const Json* symbols = member(&s, "result");
  REQUIRE(symbols);
  REQUIRE(symbols->IsArray());
  REQUIRE(symbols->Size() == 1);
  CHECK(string_at(&symbols->GetArray()[0], "name") == "Deployment web");

  CHECK(c.shut_down() == 0);
}

TEST_CASE("lsp: closing a buffer checks the file as the disk has it", "[lsp]") {
  Workspace w;
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  open(c, w, "svc.yaml", std::string(kService) + "  type: Nodeport\n");
  rapidjson::Document typo = c.diagnostics(w.uri("svc.yaml"));
  CHECK(has(codes_of(typo), "schema/enum"));
  c.notify("textDocument/didClose", R"({"textDocument":{"uri":)" + quoted(w.uri("svc.yaml")) + "}}");
  rapidjson::Document disk = c.diagnostics(w.uri("svc.yaml"));
  REQUIRE(disk.IsObject());
  CHECK_FALSE(has(codes_of(disk), "schema/enum"));
}

TEST_CASE("lsp: a bad .kmc.yaml is shown on its line", "[lsp]") {
  Workspace w;
  w.write(".kmc.yaml", "kubernetesVersion: \"1.99\"\n");
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  rapidjson::Document d = c.diagnostics(lsp::uri_of_path((w.dir / ".kmc.yaml").string()));
  REQUIRE(d.IsObject());
  const Json* list = member(member(&d, "params"), "diagnostics");
  REQUIRE(list->Size() == 1);
  CHECK(member(member(member(&list->GetArray()[0], "range"), "start"), "line")->GetInt() == 0);
}

TEST_CASE("lsp: bad messages get the protocol's errors and the server goes on", "[lsp]") {
  Workspace w;
  LspClient c;
  auto error_code = [](const rapidjson::Document& d) {
    const Json* code = member(member(&d, "error"), "code");
    return code && code->IsInt() ? code->GetInt() : 0;
  };
  CHECK(error_code(c.response(c.request("textDocument/hover", "{}"))) == lsp::kServerNotInitialized);
  c.response(c.request("initialize", initialize_params(w)));
  CHECK(error_code(c.response(c.request("initialize", initialize_params(w)))) == lsp::kInvalidRequest);
  CHECK(error_code(c.response(c.request("workspace/symbol", "{}"))) == lsp::kMethodNotFound);
  CHECK(error_code(c.response(c.request("textDocument/hover",
                                        R"({"textDocument":{"uri":"file:///nowhere.yaml"},"position":{"line":0,"character":0}})"))) ==
        lsp::kInvalidParams);
  // Not JSON, not an object, no length, a length past any buffer: answered or read past.
  c.send("{not json");
  rapidjson::Document parse = c.wait_for([](const rapidjson::Document& d) { return member(&d, "error") != nullptr; });
  CHECK(error_code(parse) == lsp::kParseError);
  c.send("[1,2]");
  CHECK(error_code(c.wait_for([](const rapidjson::Document& d) { return member(&d, "error") != nullptr; })) ==
        lsp::kInvalidRequest);
  c.send_raw("X-Header: 1\r\n\r\n");
  // A body past 64 MiB is read past unparsed, and the next message is answered.
  c.send_raw("Content-Length: 67108865\r\n\r\n" + std::string(67108865, '{'));
  // A notification for a document that is not open, and nesting deep enough to overflow a
  // recursive parser.
  c.notify("textDocument/didChange", change(w, "nowhere.yaml", 1, R"([{"text":"x"}])"));
  c.send(std::string(100000, '[') + std::string(100000, ']'));
  c.wait_for([](const rapidjson::Document& d) { return member(&d, "error") != nullptr; });
  rapidjson::Document shutdown = c.response(c.request("shutdown", "null"));
  REQUIRE(member(&shutdown, "result"));
  CHECK(member(&shutdown, "result")->IsNull());
  CHECK(error_code(c.response(c.request("textDocument/hover", "{}"))) == lsp::kInvalidRequest);
  c.notify("exit", "null");
  CHECK(c.finish() == 0);
}

TEST_CASE("lsp: a client that disappears ends the server with status 1", "[lsp]") {
  Workspace w;
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  CHECK(c.finish() == 1);
}

TEST_CASE("lsp: positions in UTF-16, UTF-8 and UTF-32", "[lsp]") {
  using lsp::Encoding;
  // "é" is 2 bytes and 1 UTF-16 unit, "😀" 4 bytes and 2 units.
  std::string text = "a: é😀x\r\nb: 1\nc";
  CHECK(lsp::offset_of(text, {0, 4}, Encoding::Utf16) == 5);   // before 😀
  CHECK(lsp::offset_of(text, {0, 6}, Encoding::Utf16) == 9);   // before x
  CHECK(lsp::offset_of(text, {0, 5}, Encoding::Utf16) == 5);   // inside the pair: its start
  CHECK(lsp::offset_of(text, {0, 9}, Encoding::Utf8) == 9);
  CHECK(lsp::offset_of(text, {0, 5}, Encoding::Utf32) == 9);
  CHECK(lsp::offset_of(text, {0, 99}, Encoding::Utf16) == 10);  // the line's end, before \r\n
  CHECK(lsp::offset_of(text, {1, 0}, Encoding::Utf16) == 12);
  CHECK(lsp::offset_of(text, {2, 1}, Encoding::Utf16) == 18);
  CHECK(lsp::offset_of(text, {7, 0}, Encoding::Utf16) == text.size());
  // Column 6 is the x.
  CHECK(lsp::character_of("a: é😀x", 6, Encoding::Utf16) == 6);
  CHECK(lsp::character_of("a: é😀x", 6, Encoding::Utf8) == 9);
  CHECK(lsp::character_of("a: é😀x", 6, Encoding::Utf32) == 5);
  CHECK(lsp::character_of("ab", 5, Encoding::Utf16) == 4);  // past the end, counted on
  lsp::TextDocument d{"", "", text, 0};
  d.edit({{0, 3}, {0, 6}}, "z", Encoding::Utf16);
  CHECK(d.text == "a: zx\r\nb: 1\nc");
}

TEST_CASE("lsp: file URIs to paths and back", "[lsp]") {
  CHECK(lsp::path_of_uri("file:///home/me/a%20b/x.yaml") == "/home/me/a b/x.yaml");
  CHECK(lsp::path_of_uri("file://localhost/etc/x.yaml") == "/etc/x.yaml");
  CHECK(lsp::path_of_uri("untitled:Untitled-1") == std::nullopt);
  CHECK(lsp::path_of_uri("file://server/share/x.yaml") == std::nullopt);
  CHECK(lsp::path_of_uri("file:///a%00b") == std::nullopt);
  CHECK(lsp::uri_of_path("/home/me/a b/x:y.yaml") == "file:///home/me/a%20b/x%3Ay.yaml");
  CHECK(lsp::path_of_uri(lsp::uri_of_path("/tmp/é [x]/y.yaml")) == "/tmp/é [x]/y.yaml");
}

}  // namespace kmc::test

namespace kmc::test {
namespace fs = std::filesystem;

// The fuzz target's seeds (fuzz/seeds/lsp/) and the streams that once broke the server
// (testdata/fuzz/lsp/, when there are any) go through it as the fuzz target plays them.
TEST_CASE("lsp: fuzz seeds and regressions are served to the end", "[lsp][fuzz]") {
  size_t n = 0;
  for (const char* folder : {"fuzz/seeds/lsp", "testdata/fuzz/lsp"}) {
    fs::path dir = fs::path(source_dir()) / folder;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      INFO(entry.path().string());
      int status = play_lsp_session(slurp(entry.path()));
      CHECK((status == 0 || status == 1));
      if (entry.path().filename() == "session.jsonrpc") CHECK(status == 0);
      ++n;
    }
  }
  CHECK(n >= 3);
}

}  // namespace kmc::test

namespace kmc::test {

TEST_CASE("lsp: definition goes from a reference to what it names", "[lsp]") {
  Workspace w;
  w.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  other: x\n  mode: fast\n");
  w.write("app.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: nginx:1.27
          env:
            - name: MODE
              valueFrom:
                configMapKeyRef: {name: settings, key: mode}
)");
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  open(c, w, "app.yaml", slurp(w.dir / "app.yaml"));
  open(c, w, "svc.yaml", kService);
  c.diagnostics(w.uri("deploy.yaml"));  // the first check is done
  auto locations = [&](const std::string& name, int line, int character) {
    rapidjson::Document d = c.response(c.request(
        "textDocument/definition", R"({"textDocument":{"uri":)" + quoted(w.uri(name)) + R"(},"position":{"line":)" +
                                       std::to_string(line) + R"(,"character":)" + std::to_string(character) + "}}"));
    std::vector<std::pair<std::string, int>> out;
    const Json* result = member(&d, "result");
    if (result && result->IsArray())
      for (const Json& l : result->GetArray())
        out.emplace_back(std::string(*string_at(&l, "uri")),
                         member(member(member(&l, "range"), "start"), "line")->GetInt());
    return out;
  };
  // configMapKeyRef → the key in the ConfigMap.
  CHECK(locations("app.yaml", 17, 30) == std::vector<std::pair<std::string, int>>{{w.uri("cm.yaml"), 6}});
  // The Service → the pod template it selects, in the other file.
  auto selected = locations("svc.yaml", 6, 4);
  REQUIRE(selected.size() == 1);
  CHECK(selected[0].first == w.uri("deploy.yaml"));
  // Nothing to go to.
  CHECK(locations("app.yaml", 13, 12).empty());
}

}  // namespace kmc::test

namespace kmc::test {

TEST_CASE("lsp: a file changed outside the editor is checked again when the client says so", "[lsp]") {
  Workspace w;
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  c.diagnostics(w.uri("deploy.yaml"));  // the first check is done
  w.write("svc.yaml", std::string(kService) + "  type: Nodeport\n");  // a `git checkout`, say
  c.notify("workspace/didChangeWatchedFiles", R"({"changes":[{"uri":)" + quoted(w.uri("svc.yaml")) + R"(,"type":2}]})");
  CHECK(has(codes_of(c.diagnostics(w.uri("svc.yaml"))), "schema/enum"));
}

TEST_CASE("lsp: a request cancelled before the server reached it is answered RequestCancelled", "[lsp]") {
  Workspace w;
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  // The cancellation is read (by the reader thread) before the request it names: whatever the
  // threads' timing, the request finds it.
  c.notify("$/cancelRequest", R"({"id":2})");
  c.wait_for([](const rapidjson::Document&) { return false; }, std::chrono::milliseconds(50));
  int id = c.request("textDocument/documentSymbol", R"({"textDocument":{"uri":"file:///x.yaml"}})");
  REQUIRE(id == 2);
  rapidjson::Document r = c.response(id);
  const Json* code = member(member(&r, "error"), "code");
  REQUIRE(code);
  CHECK(code->GetInt() == lsp::kRequestCancelled);
}

}  // namespace kmc::test

namespace kmc::test {

TEST_CASE("lsp: a dangling reference's quick fix is the nearest existing name", "[lsp]") {
  Workspace w;
  w.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n");
  std::string app = R"(apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: nginx:1.27
      envFrom:
        - configMapRef: {name: setings}
)";
  w.write("app.yaml", app);
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  open(c, w, "app.yaml", app);
  rapidjson::Document d = c.diagnostics(w.uri("app.yaml"));
  const Json* list = member(member(&d, "params"), "diagnostics");
  REQUIRE(list);
  const Json* dangling = nullptr;
  for (const Json& x : list->GetArray())
    if (string_at(&x, "message")->find("did you mean \"settings\"?") != std::string_view::npos) dangling = &x;
  REQUIRE(dangling);
  CHECK(member(member(member(dangling, "range"), "start"), "line")->GetInt() == 9);
  std::string diagnostic = lsp::json_text(*dangling);
  rapidjson::Document a = c.response(c.request(
      "textDocument/codeAction", R"({"textDocument":{"uri":)" + quoted(w.uri("app.yaml")) +
                                     R"(},"range":{"start":{"line":9,"character":0},"end":{"line":9,"character":0}},)"
                                     R"("context":{"diagnostics":[)" + diagnostic + "]}}"));
  const Json* actions = member(&a, "result");
  REQUIRE(actions);
  REQUIRE(actions->Size() >= 1);
  const Json* edits = member(member(member(&actions->GetArray()[0], "edit"), "changes"), w.uri("app.yaml").c_str());
  REQUIRE(edits);
  CHECK(string_at(&edits->GetArray()[0], "newText") == "settings");
  const Json* start = member(member(&edits->GetArray()[0], "range"), "start");
  CHECK(start->FindMember("character")->value.GetInt() == 31);  // `setings` in the flow mapping
}

}  // namespace kmc::test

namespace kmc::test {

// A string as a JSON value.
std::string json_string(const std::string& text) {
  rapidjson::StringBuffer b;
  lsp::JsonWriter jw(b);
  lsp::write_string(jw, text);
  return b.GetString();
}

// `:e deploy-new.yaml` in Neovim, or a new file the editor has not written yet: the buffer is the
// file, found where the walk will find it once saved.
TEST_CASE("lsp: a file not saved yet is checked from its buffer", "[lsp]") {
  Workspace w;
  fs::remove(w.dir / "deploy.yaml");
  LspClient c;
  c.response(c.request("initialize", initialize_params(w)));
  std::string other_labels = kDeployment;
  for (size_t at = other_labels.find("app: web"); at != std::string::npos; at = other_labels.find("app: web"))
    other_labels.replace(at, 8, "app: api");
  open(c, w, "deploy-new.yaml", other_labels);
  CHECK(has(codes_of(c.diagnostics(w.uri("deploy-new.yaml"))), "schema/unknown-field"));
  CHECK(has(codes_of(c.diagnostics(w.uri("svc.yaml"))), "service/no-matching-pods"));
  c.notify("textDocument/didChange", change(w, "deploy-new.yaml", 2, "[{\"text\":" + json_string(kDeployment) + "}]"));
  CHECK_FALSE(has(codes_of(c.diagnostics(w.uri("svc.yaml"))), "service/no-matching-pods"));

  // A kustomization not saved yet is rendered, and so is a resource only a buffer holds.
  open(c, w, "kustomization.yaml", "resources:\n  - svc.yaml\n  - deploy-new.yaml\n  - gone.yaml\n");
  std::vector<std::string> codes = codes_of(c.diagnostics(w.uri("kustomization.yaml")));
  CHECK(std::count(codes.begin(), codes.end(), "kustomize/missing-resource") == 1);  // gone.yaml alone

  // Outside every folder, in a directory of its own: checked alone.
  TempDir elsewhere("kmc-lsp-unsaved-" + std::to_string(Workspace::counter()++));
  std::string loose = lsp::uri_of_path((elsewhere.path / "svc.yaml").string());
  c.notify("textDocument/didOpen", R"({"textDocument":{"uri":)" + json_string(loose) + R"(,"languageId":"yaml","version":1,"text":)" +
                                       json_string(std::string(kService) + "  type: Nodeport\n") + "}}");
  CHECK(has(codes_of(c.diagnostics(loose)), "schema/enum"));
  CHECK(c.shut_down() == 0);
}

}  // namespace kmc::test
