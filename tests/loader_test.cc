#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "parser/walk.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
using kmc::test::load_string;

namespace {
size_t count_rule(const LoadResult& r, std::string_view rule) {
  size_t n = 0;
  for (const Finding& f : r.findings) n += f.rule == rule;
  return n;
}
}  // namespace

TEST_CASE("every key and value has its 1-based position", "[parser][loader]") {
  LoadResult r = load_string("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: \"http\"\n");
  REQUIRE(r.findings.empty());
  REQUIRE(r.objects.size() == 1);
  const Node& root = *r.objects[0].root;
  CHECK(root.line == 1);
  CHECK(root.column() == 1);
  const Node* ports = root.get("spec")->get("ports");
  REQUIRE(ports);
  REQUIRE(ports->is_seq());
  const Node& port = ports->item(0);
  CHECK(port.line == 7);
  CHECK(port.column() == 7);
  CHECK(port.key(1).text() == "targetPort");
  CHECK(port.key(1).line == 8);
  CHECK(port.key(1).column() == 7);
  CHECK(port.key_node("targetPort") == &port.key(1));  // the key itself, its value right after
  CHECK(port.key_node("absent") == nullptr);
  CHECK(ports->key_node("port") == nullptr);  // not a mapping
  const Node* target = port.get("targetPort");
  CHECK(target == port.key_node("targetPort") + 1);
  CHECK(target->text() == "http");
  CHECK(target->kind == NodeKind::String);
  CHECK(target->quoted());
  CHECK(target->column() == 19);
  int64_t p = 0;
  CHECK(port.get("port")->as_int(&p));
  CHECK(p == 80);
}

TEST_CASE("multi-document streams, empty documents and List expansion", "[parser][loader]") {
  LoadResult r = load_string(
      "---\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
      "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n"
      "- {apiVersion: v1, kind: Service, metadata: {name: c}}\n");
  CHECK(r.findings.empty());
  REQUIRE(r.objects.size() == 3);
  CHECK(r.objects[0].kind == "ConfigMap");
  CHECK(r.objects[1].kind == "Secret");
  CHECK(r.objects[2].kind == "Service");
  for (uint32_t i = 0; i < 3; ++i) CHECK(r.objects[i].order == i);
  CHECK(r.documents.size() == 2);
}

TEST_CASE("a syntax error ends its document only, later documents still load", "[parser][loader]") {
  LoadResult r = load_string(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: [oops\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
  REQUIRE(count_rule(r, "syntax/yaml") == 1);
  CHECK(r.findings[0].pos.line >= 6);
  REQUIRE(r.objects.size() == 2);
  CHECK(r.objects[1].root->get("metadata")->get_text("name") == "c");
  CHECK(r.objects[1].root->line == 8);
}

TEST_CASE("duplicate keys are reported and the last value wins, as in kubectl", "[parser][loader]") {
  LoadResult r = load_string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: one\n  k: two\n");
  REQUIRE(count_rule(r, "syntax/duplicate-key") == 1);
  CHECK(r.findings[0].pos.line == 6);
  REQUIRE(r.findings[0].related.size() == 1);
  CHECK(r.findings[0].related[0].pos.line == 5);
  const Node* data = r.objects[0].root->get("data");
  CHECK(data->size() == 1);
  CHECK(data->get_text("k") == "two");
}

TEST_CASE("merge keys merge the keys a mapping does not set itself", "[parser][loader]") {
  LoadResult r = load_string(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &base {app: web, tier: front}\n"
      "  annotations:\n    <<: *base\n    tier: back\n");
  REQUIRE(r.findings.empty());
  const Node* ann = r.objects[0].root->get("metadata")->get("annotations");
  REQUIRE(ann);
  CHECK(ann->size() == 2);
  CHECK(ann->get_text("app") == "web");
  CHECK(ann->get_text("tier") == "back");
}

TEST_CASE("safety limits stop hostile input with syntax/limit", "[parser][loader][limits]") {
  SECTION("billion laughs is refused without expanding") {
    std::string doc = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
    std::string prev = "a";
    for (char c = 'b'; c <= 'j'; ++c) {
      doc += std::string(1, c) + ": &" + c + " [";
      for (int i = 0; i < 10; ++i) doc += (i ? ",*" : "*") + prev;
      doc += "]\n";
      prev = std::string(1, c);
    }
    LoadResult r = load_string(doc);
    CHECK(count_rule(r, "syntax/limit") == 1);
    CHECK(r.documents.empty());
  }
  SECTION("deep nesting is refused at the depth limit, not by a stack overflow") {
    std::string doc = "x: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    LoadResult r = load_string(doc);
    REQUIRE(count_rule(r, "syntax/limit") == 1);
    CHECK(r.findings[0].message.find("nesting deeper than 256") != std::string::npos);
  }
  SECTION("too many documents") {
    LoaderLimits limits;
    limits.max_documents = 10;
    std::string doc;
    for (int i = 0; i < 20; ++i) doc += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c" + std::to_string(i) + "}\n";
    LoadResult r = load_string(doc, limits);
    CHECK(count_rule(r, "syntax/limit") == 1);
    CHECK(r.objects.size() == 10);
  }
}

TEST_CASE("awkward input gets a diagnostic with a position, never a crash", "[parser][loader]") {
  SECTION("empty file") { CHECK(load_string("").findings.empty()); }
  SECTION("NUL bytes") {
    LoadResult r = load_string(std::string(64, '\0'));
    CHECK(count_rule(r, "syntax/yaml") == 1);
  }
  SECTION("invalid UTF-8") {
    LoadResult r = load_string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"\xff\xfe\"}\n");
    REQUIRE(count_rule(r, "syntax/yaml") == 1);
    CHECK(r.findings[0].message.find("UTF-8") != std::string::npos);
  }
  SECTION("invalid UTF-8 loses only its own document, at its position") {
    // libyaml decodes a buffer ahead: without care the valid documents before the bad byte
    // (and after it) would be lost with it.
    LoadResult r = load_string(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: before}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"\xc3\x28\"}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: \"\x01\"}\n");
    REQUIRE(count_rule(r, "syntax/yaml") == 2);
    CHECK(r.findings[0].pos.line == 7);
    CHECK(r.findings[0].pos.column == 19);
    CHECK(r.findings[0].message.find("invalid trailing UTF-8 octet") != std::string::npos);
    CHECK(r.findings[1].pos.line == 16);
    CHECK(r.findings[1].message.find("control characters are not allowed") != std::string::npos);
    REQUIRE(r.objects.size() == 2);
    CHECK(r.objects[0].root->get("metadata")->get_text("name") == "before");
    CHECK(r.objects[1].root->get("metadata")->get_text("name") == "after");
    CHECK(r.objects[1].root->pos().line == 9);  // positions after the skipped document stay exact
  }
  SECTION("overlong UTF-8 and surrogates are refused like libyaml refuses them") {
    CHECK(load_string("a: \"\xc0\xaf\"\n").findings[0].message.find("invalid length") != std::string::npos);
    CHECK(load_string("a: \"\xed\xa0\x80\"\n").findings[0].message.find("invalid Unicode character") != std::string::npos);
    CHECK(load_string("a: \xe2\x82").findings[0].message.find("incomplete UTF-8") != std::string::npos);
    CHECK(load_string("a: \"\xe2\x82\"\n").findings[0].message.find("invalid trailing") != std::string::npos);
    CHECK(count_rule(load_string("a: \"\xe2\x82\xac \xf0\x9f\x98\x80\"\n"), "syntax/yaml") == 0);  // € and an emoji
  }
  SECTION("UTF-16 with a byte order mark is decoded") {
    std::string utf8 = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u16}\n";
    std::string utf16 = "\xff\xfe";
    for (char c : utf8) utf16 += std::string{c, '\0'};
    LoadResult r = load_string(utf16);
    CHECK(r.findings.empty());
    REQUIRE(r.objects.size() == 1);
    CHECK(r.objects[0].root->get("metadata")->get_text("name") == "u16");
  }
  SECTION("non-ASCII text is copied intact and positions count characters") {
    LoadResult r = load_string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {é: \"ünïcode\", k: v}\n");
    REQUIRE(r.objects.size() == 1);
    const Node* data = r.objects[0].root->get("data");
    CHECK(data->get_text("é") == "ünïcode");
    CHECK(data->key(1).column() == 22);
    CHECK(data->get("k")->column() == 25);
  }
  SECTION("a 1 MB single-line string") {
    std::string big(1 << 20, 'x');
    LoadResult r = load_string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: " + big + "}\n");
    CHECK(r.findings.empty());
    CHECK(r.objects[0].root->get("data")->get_text("k").size() == big.size());
  }
  SECTION("10 000 documents in one file") {
    std::string doc;
    for (int i = 0; i < 10000; ++i) doc += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c" + std::to_string(i) + "}\n";
    LoadResult r = load_string(doc);
    CHECK(r.findings.empty());
    CHECK(r.objects.size() == 10000);
  }
  SECTION("an unknown alias") {
    LoadResult r = load_string("a: *nowhere\n");
    CHECK(count_rule(r, "syntax/yaml") == 1);
  }
}

TEST_CASE("paths expand like kubectl apply -R", "[parser][inputs]") {
  std::vector<std::string> errors;
  std::string root = kmc::test::source_dir() + "/testdata/syntax";
  std::vector<std::string> files = expand_inputs({root}, &errors);
  CHECK(errors.empty());
  REQUIRE(files.size() >= 3);
  CHECK(std::is_sorted(files.begin(), files.end()));
  // Shown relative to the working directory when under it (the tests run from the source or
  // the build directory): every file is one of the directory's, whatever the form.
  for (const std::string& f : files) CHECK(f.find("testdata/syntax/") != std::string::npos);
  files = expand_inputs({"/definitely/not/here.yaml"}, &errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("/definitely/not/here.yaml") != std::string::npos);
}

TEST_CASE("a file over the size limit is refused before it is read", "[parser][limits]") {
  LoadOptions options;
  options.limits.max_file_bytes = 16;
  LoadResult r = load_inputs({kmc::test::source_dir() + "/testdata/syntax/duplicate-key.yaml"}, options);
  REQUIRE(count_rule(r, "syntax/limit") == 1);
  CHECK(r.findings[0].pos.line == 1);
  CHECK(r.sources[0].content.empty());
}

TEST_CASE("files past the file limit are an input error naming the first left out", "[parser][limits]") {
  LoadOptions options;
  options.limits.max_files = 2;
  std::string dir = kmc::test::source_dir() + "/testdata/syntax";
  std::vector<std::string> errors;
  std::vector<std::string> files = expand_inputs({dir}, &errors);
  REQUIRE(files.size() > 2);
  LoadResult r = load_inputs({dir}, options);
  CHECK(r.sources.size() == 2);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].find("more than 2 input files") != std::string::npos);
  CHECK(r.errors[0].find(files[2]) != std::string::npos);
  // Text loaded later counts against the same limit.
  load_text(&r, "extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", options);
  CHECK(r.sources.size() == 2);
  CHECK(r.errors.size() == 2);
}

TEST_CASE("a node keeps its pointer, file, line, column, kind and flags in 20 bytes", "[parser]") {
  static const char text[] = "value";
  CHECK(Node().file() == Position::kNoFile);
  for (uint32_t file : {0u, 1u, 255u, 256u, Node::kMaxFiles - 1}) {
    // Line and column share a word: each keeps its value up to what a 64 MiB file can reach, and
    // saturates past it.
    Node n = Node::scalar(NodeKind::String, true, text, 5, 4'000'000'000u, Node::kMaxColumn + 7, file);
    CHECK(n.pos() == Position{file, Node::kMaxLine, Node::kMaxColumn});
    Node wide = Node::scalar(NodeKind::String, true, text, 5, Node::kMaxLine - 1, (64u << 20) + 1, file);
    CHECK(wide.pos() == Position{file, Node::kMaxLine - 1, (64u << 20) + 1});  // a minified 64 MiB line
    Node past = Node::scalar(NodeKind::String, true, text, 5, 1, 4'194'304, file);  // past the 22 bits of before
    CHECK(past.pos() == Position{file, 1, 4'194'304});
    CHECK(n.text() == "value");
    CHECK(n.kind == NodeKind::String);
    CHECK(n.quoted());
    n.flags |= Node::AliasFlag;
    CHECK(n.quoted());
    CHECK(n.kind == NodeKind::String);
  }
  CHECK(Node::scalar(NodeKind::Int, false, text, 1, 1, 1, Position::kNoFile).file() == Position::kNoFile);
  Node item = Node::scalar(NodeKind::Int, false, "7", 1, 2, 3, 0);
  Node seq = Node::container(NodeKind::Seq, 0, 1, 1, 1, 0);
  seq.set_kids(&item);
  REQUIRE(seq.size() == 1);
  CHECK(&seq.item(0) == &item);
  CHECK(seq.pos() == Position{0, 1, 1});
}

TEST_CASE("kustomization files are build files and the patches they list are fragments", "[loader]") {
  std::string dir = test::source_dir() + "/testdata/schema/required-kustomize-near-miss.case";
  LoadResult input = load_inputs({dir}, LoadOptions{});
  CHECK(input.findings.empty());  // no syntax/not-an-object for a kustomization without a kind
  CHECK(input.kustomizations.size() == 2);
  size_t patches = 0;
  for (const RawObject& o : input.objects) {
    std::string_view path = input.sources[o.file].path;
    bool in_overlay = path.find("/overlay/") != std::string_view::npos;
    CHECK(o.patch == in_overlay);
    patches += o.patch;
  }
  CHECK(patches == 2);
}

TEST_CASE("a directory walk on several threads finds what one thread finds, in the same order", "[loader][inputs]") {
  namespace fs = std::filesystem;
  test::TempDir dir("kmc-walk-parallel");
  fs::path root = dir.path;
  std::vector<std::string> serial_order;
  for (int team = 0; team < 6; ++team)
    for (int app = 0; app < 5; ++app) {
      fs::path d = root / fmt::format("team-{}", team) / fmt::format("app-{}", app);
      fs::create_directories(d / "deep/deeper");
      for (const char* f : {"a.yaml", "b.yml", "c.json", "notes.txt", ".hidden.yaml", "deep/deeper/z.yaml"})
        std::ofstream(d / f) << "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
    }
  fs::create_directory_symlink(root / "team-0", root / "team-0/app-0/loop");  // not followed
  fs::create_symlink(root / "team-1/app-1/a.yaml", root / "team-5/linked.yaml");  // followed
  std::vector<std::string> errors1, errors4;
  std::vector<std::string> one = expand_inputs({root.string(), (root / "team-2").string()}, &errors1, {});
  std::vector<std::string> four = expand_inputs({root.string(), (root / "team-2").string()}, &errors4, {}, Workers(4));
  CHECK(one.size() == 6 * 5 * 4 + 1 + 5 * 4);
  CHECK(std::is_sorted(one.begin(), one.begin() + 6 * 5 * 4 + 1));
  CHECK(four == one);
  CHECK(errors1.empty());
  CHECK(errors4.empty());
}

TEST_CASE("directory walks skip hidden entries, exclude globs drop files", "[loader]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-walk-" + std::to_string(::getpid()));
  fs::create_directories(dir / ".github/workflows");
  fs::create_directories(dir / "deploy/vendor");
  for (const char* f : {".github/workflows/ci.yml", ".kmc.yaml", "deploy/a.yaml", "deploy/a_test.yaml", "deploy/vendor/b.yaml"})
    std::ofstream(dir / f) << "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
  std::vector<std::string> errors;
  std::vector<std::string> files = expand_inputs({dir.string()}, &errors, {"*_test.yaml", "vendor/*"});
  REQUIRE(files.size() == 1);
  CHECK(files[0] == (dir / "deploy/a.yaml").string());
  // Named explicitly, a hidden file is read.
  CHECK(expand_inputs({(dir / ".kmc.yaml").string()}, &errors).size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("files an editor has not saved are found where a walk will find them", "[loader]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-walk-unsaved-" + std::to_string(::getpid()));
  fs::create_directories(dir / "deploy");
  std::ofstream(dir / "deploy/b.yaml") << "kind: ConfigMap\n";
  auto at = [&](const char* name) { return (dir / name).string(); };
  std::vector<InputFile> unsaved;
  for (const char* name : {"deploy/a.yaml", "deploy/c.json", "deploy/.hidden.yaml", "deploy/notes.txt",
                           "deploy/new-dir/x.yaml", "deploy/a_test.yaml", "elsewhere.yaml"})
    unsaved.push_back({at(name), 7});
  std::vector<std::string> errors;
  std::vector<InputFile> files =
      find_inputs({at("deploy"), at("elsewhere.yaml")}, &errors, {"*_test.yaml"}, Workers::serial(), nullptr, nullptr, &unsaved);
  CHECK(errors.empty());
  std::vector<std::string> paths;
  for (const InputFile& f : files) paths.push_back(f.path);
  // In name order with the saved file; hidden, other extensions, excluded names and a directory
  // not on disk are left out as a walk leaves them; a path given by name is read from its buffer.
  CHECK(paths == std::vector<std::string>{at("deploy/a.yaml"), at("deploy/b.yaml"), at("deploy/c.json"), at("elsewhere.yaml")});
  CHECK(files[0].size == 7);
  CHECK(files[3].named);
  // Without the buffers, the named path is missing.
  find_inputs({at("elsewhere.yaml")}, &errors, {}, Workers::serial());
  CHECK(errors.size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("a scalar's text place is found in its file, and a byte of it is found from the place alone", "[parser]") {
  LoadResult in = kmc::test::load_string(
      "plain: hello $(X)\n"
      "quoted: 'a $(Y)'\n"
      "escaped: \"a\\t$(Z)\"\n"
      "block: |\n"
      "  one\n"
      "  $(W) two\n"
      "folded: first\n"
      "  second $(V)\n");
  const SourceFile& src = in.sources[0];
  const Node& root = in.documents[0]->root;
  auto locate = [&](const char* key) { return locate_text(src.content, *root.get(key)); };
  auto byte_of = [&](const char* key, std::string_view fragment) {
    Node n = *root.get(key);
    n.set_text_place(locate_text(src.content, n));
    return n.position_at(n.text().find(fragment));
  };
  CHECK(locate("plain") == TextPlace::AtMark);
  CHECK(byte_of("plain", "$(X)") == Position{0, 1, 14});
  CHECK(locate("quoted") == TextPlace::AfterMark);
  CHECK(byte_of("quoted", "$(Y)") == Position{0, 2, 12});
  // Not the file's bytes: a tab unescaped, indentation taken out, a line break folded.
  CHECK(locate("escaped") == TextPlace::Unknown);
  CHECK(locate("block") == TextPlace::Unknown);
  CHECK(locate("folded") == TextPlace::Unknown);
  CHECK_FALSE(byte_of("block", "$(W)").has_value());
  CHECK(locate_text(src.content, *root.key_node("plain")) == TextPlace::AtMark);
  CHECK(locate_text(std::string_view(), *root.get("plain")) == TextPlace::Unknown);  // another file's bytes

  // The place shares the column's word: neither disturbs the other.
  Node n = Node::scalar(NodeKind::String, false, "x", 1, 3, Node::kMaxColumn, 5);
  n.set_text_place(TextPlace::AfterMark);
  CHECK(n.text_place() == TextPlace::AfterMark);
  CHECK(n.pos() == Position{5, 3, Node::kMaxColumn});
  CHECK(n.position_at(0) == Position{5, 3, Node::kMaxColumn + 1});
}

TEST_CASE("a streaming load finds the same objects and findings as a whole load, on any -j", "[loader]") {
  test::TempDir dir;
  // Objects, List items, documents that are no object, and a syntax error, over several files.
  dir.write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- just a list\n---\n"
                      "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n"
                      "- {kind: Secret}\n");
  dir.write("b.yaml", "metadata: {name: no-kind}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\n");
  dir.write("c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n---\n"
                      "apiVersion: v1\nkind: Secret\nmetadata: {name: d}\n");
  dir.write("kustomization.yaml", "resources: [a.yaml, b.yaml, c.yaml]\n");
  auto summary = [](const LoadResult& r) {
    std::vector<std::string> out;
    for (const RawObject& o : r.objects)
      out.push_back(fmt::format("{} {} file {} line {} order {}", o.api_version, o.kind, o.file, o.root->line, o.order));
    for (const Finding& f : r.findings) out.push_back(fmt::format("{} {}:{}:{}", f.rule, f.pos.file, f.pos.line, f.pos.column));
    return out;
  };
  LoadResult whole = load_inputs({dir.path.string()}, LoadOptions{});
  std::vector<std::string> expected = summary(whole);
  REQUIRE(whole.objects.size() == 4);  // a, b, c, d
  CHECK(count_rule(whole, "syntax/not-an-object") == 3);
  CHECK(count_rule(whole, "syntax/yaml") == 1);
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    const Workers workers(jobs);
    LoadOptions streamed;
    streamed.workers = &workers;
    streamed.batch_bytes = 1;  // a file a batch
    size_t batches = 0;
    // The next batch parses beside the hand-over (run_beside), which stays on the loading thread.
    std::thread::id loading = std::this_thread::get_id();
    streamed.on_batch = [&](LoadResult& r, const LoadBatch& b) {
      ++batches;
      CHECK(r.objects.size() == b.objects_end);
      CHECK(std::this_thread::get_id() == loading);
      CHECK(r.memory.nodes.size() == b.node_arenas_begin + jobs);  // the next batch's are not in yet
    };
    LoadResult r = load_inputs({dir.path.string()}, streamed);
    CHECK(batches == 4);
    CHECK(summary(r) == expected);
    CHECK(r.kustomizations.size() == 1);
  }
}

TEST_CASE("helm's # Source: comments: the template each line of its output came from", "[loader]") {
  std::vector<HelmSource> sources;
  find_helm_sources("---\n# Source: web/templates/a.yaml\nkind: A\n---\n# Source: web/templates/b.yaml\r\nkind: B\n"
                    "#  Source: not/this.yaml\n# Source: \n",
                    3, &sources);
  REQUIRE(sources.size() == 2);
  CHECK(sources[1].template_path == "web/templates/b.yaml");  // the CR of a CRLF stream is not the path's
  CHECK(helm_source_of(sources, 3, 1) == nullptr);             // above the first comment
  CHECK(helm_source_of(sources, 3, 3)->template_path == "web/templates/a.yaml");
  CHECK(helm_source_of(sources, 3, 9)->template_path == "web/templates/b.yaml");
  CHECK(helm_source_of(sources, 4, 3) == nullptr);  // another file
}
