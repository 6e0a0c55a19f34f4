// The model keeps copies of the parse-tree nodes it points at and of their text, and analyze()
// lets the trees and the files' bytes go region by region (schema/model_arena.h, parser/load.h
// TreeRelease and SourceRelease, core/arena.h).
#include <utility>

#include <catch2/catch.hpp>

#include "parser/release.h"
#include "schema/model_arena.h"
#include "schema/validate.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

size_t released(const LoadResult& input) {
  size_t bytes = 0;
  for (const auto& arena : input.memory.nodes) bytes += arena->bytes_released();
  return bytes;
}

}  // namespace

TEST_CASE("an arena lists its regions and releases one", "[arena]") {
  Arena arena;
  CHECK(arena.regions().empty());
  char* small = static_cast<char*>(arena.allocate(100));
  char* large = static_cast<char*>(arena.allocate(16u << 20));  // its own region
  std::vector<Arena::Region> regions = arena.regions();
  REQUIRE(regions.size() == 2);
  CHECK(regions[0].contains(small));
  CHECK(regions[0].contains(small + 99));
  CHECK_FALSE(regions[0].contains(large));
  CHECK(regions[1].contains(large + (16u << 20) - 1));

  arena.release(0);  // the region being allocated from: the next allocation maps another
  CHECK(arena.bytes_released() == regions[0].size - Arena::kHugePage);  // less the slack that aligned it
  char* next = static_cast<char*>(arena.allocate(100));
  next[99] = 'x';
  // A new mapping (the system may hand back the released addresses for it).
  REQUIRE(arena.regions().size() == 3);
  CHECK(arena.regions()[2].contains(next));
  arena.release(0);  // twice is once
  CHECK(arena.bytes_released() == regions[0].size - Arena::kHugePage);
}

TEST_CASE("arenas that share a chunk cache map released chunks again", "[arena]") {
  ChunkCache chunks(Arena::kHugePage, 1);
  ChunkCache* cache = &chunks;
  Arena first(Arena::kHugePage, true, cache), second(Arena::kHugePage, true, cache);
  char* a = static_cast<char*>(first.allocate(100));
  a[0] = 'a';
  first.release(0);
  CHECK(first.bytes_released() == Arena::kHugePage);  // as when it is unmapped
  char* b = static_cast<char*>(second.allocate(100));
  CHECK(b == a);  // the same chunk, mapped again
  CHECK(cache->reused() == 1);
  REQUIRE(second.regions().size() == 1);
  CHECK(second.regions()[0].contains(b + Arena::kHugePage - 1));

  // Full, the cache lets a released chunk go: one is kept, the other unmapped.
  Arena third(Arena::kHugePage, true, cache);
  third.allocate(100);
  second.release(0);
  third.release(0);
  Arena fourth(Arena::kHugePage, true, cache);
  fourth.allocate(Arena::kHugePage);  // fills the first chunk
  fourth.allocate(100);               // a second one
  CHECK(cache->reused() == 2);

  // Chunks of another size, and an allocation large enough for a mapping of its own, stay out.
  Arena larger(2 * Arena::kHugePage, true, cache);
  larger.allocate(100);
  larger.release(0);
  Arena own(Arena::kHugePage, true, cache);
  own.allocate(3 * Arena::kHugePage);
  own.release(0);
  Arena fifth(Arena::kHugePage, true, cache);
  fifth.allocate(100);
  CHECK(cache->reused() == 2);

  // Closed, it holds nothing and takes nothing.
  fourth.release(0);
  cache->close();
  fourth.release(1);
  Arena sixth(Arena::kHugePage, true, cache);
  static_cast<char*>(sixth.allocate(100))[99] = 'x';
  CHECK(cache->reused() == 2);

  // Opened again (a second load into the same result), it takes and hands out chunks again.
  cache->open();
  sixth.release(0);
  Arena seventh(Arena::kHugePage, true, cache);
  seventh.allocate(100);
  CHECK(cache->reused() == 3);
}

TEST_CASE("a kept node has the tree node's text, kind and position, children only when asked", "[arena][model]") {
  LoadResult in = test::load_string("a: x\nlabels: {k: v, nested: {deep: 1}}\nlist: [1, 2]\n");
  const Node& root = in.documents[0]->root;
  Arena arena;
  NodeKeeper keep(&arena);

  const Node* a = keep.node(root.get("a"));
  CHECK(a != root.get("a"));
  CHECK(a->text() == "x");
  CHECK(a->text().data() == root.get("a")->text().data());  // the text is the source's, not copied
  CHECK(a->pos() == root.get("a")->pos());

  const Node* labels = keep.node(root.get("labels"));
  CHECK(labels->is_map());
  CHECK(labels->size() == 0);
  CHECK(labels->pos() == root.get("labels")->pos());

  const Node* with = keep.with_children(root.get("labels"));
  REQUIRE(with->size() == 2);
  CHECK(with->get_text("k") == "v");
  CHECK(with->key(1).pos() == root.get("labels")->key(1).pos());
  CHECK(with->get("nested")->is_map());
  CHECK(with->get("nested")->size() == 0);  // one level only
  CHECK(keep.with_children(root.get("list"))->item(1).text() == "2");
  CHECK(keep.node(nullptr) == nullptr);

  // Nothing of it is in the load's arenas, so it outlives them.
  for (const auto& nodes : in.memory.nodes)
    for (const Arena::Region& r : nodes->regions()) {
      CHECK_FALSE(r.contains(with));
      CHECK_FALSE(r.contains(&with->key(0)));
    }

  NodeKeeper in_place(nullptr);  // the decoders tests call on a bare tree
  CHECK(in_place.node(root.get("a")) == root.get("a"));
  CHECK(in_place.with_children(root.get("labels")) == root.get("labels"));
}

TEST_CASE("with the sources, a kept node copies its text and knows where it stood", "[arena][model]") {
  LoadResult in = test::load_string("a: web\nb: web\nc: 'web'\nscript: |\n  echo $(X)\n  done\nlong: " +
                                    std::string(100, 'z') + "\nd: \"\"\n");
  const Node& root = in.documents[0]->root;
  Arena arena;
  NodeKeeper keep(&arena, &in.sources);
  const Node* a = keep.node(root.get("a"));
  const Node* b = keep.node(root.get("b"));
  const Node* c = keep.node(root.get("c"));
  CHECK(a->text() == "web");
  CHECK(a->pos() == root.get("a")->pos());
  CHECK(a->text().data() != root.get("a")->text().data());  // copied, so that the file can go
  bool in_model = false;
  for (const Arena::Region& r : arena.regions()) in_model |= r.contains(a->text().data());
  CHECK(in_model);
  // Short texts are copied once: manifests repeat them (labels, selectors, names).
  CHECK(b->text().data() == a->text().data());
  CHECK(c->text().data() == a->text().data());
  CHECK(a->text_place() == TextPlace::AtMark);
  CHECK(c->text_place() == TextPlace::AfterMark);
  CHECK(c->quoted());
  CHECK(c->position_at(1) == Position{0, 3, 6});
  const Node* longer = keep.node(root.get("long"));
  CHECK(longer->text() == std::string(100, 'z'));
  CHECK(keep.node(root.get("d"))->text().empty());
  CHECK(keep.type_name("apps/v1").data() == keep.type_name(std::string("apps/v1")).data());

  // A text that is not the file's bytes: its lines, and the one below, stay with the file.
  CHECK(keep.take_lines().empty());
  const Node* script = keep.node(root.get("script"));
  CHECK(script->text() == "echo $(X)\ndone\n");
  CHECK(script->text_place() == TextPlace::Unknown);
  std::vector<NodeKeeper::Lines> lines = keep.take_lines();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].file == 0);
  CHECK(lines[0].first == 4);
  CHECK(lines[0].last == 7);
  CHECK(keep.take_lines().empty());
}

TEST_CASE("the trees' regions are released once every object in them is done with", "[arena][load]") {
  LoadResult in;
  load_text(&in, "a.yaml", "kind: A\napiVersion: v1\nmetadata: {name: a}\n---\nkind: B\napiVersion: v1\nmetadata: {name: b}\n",
            LoadOptions{});
  load_text(&in, "c.yaml", "kind: C\napiVersion: v1\nmetadata: {name: c}\n", LoadOptions{});
  load_text(&in, "d.yaml", "kind: D\napiVersion: v1\nmetadata: {name: d}\n", LoadOptions{});
  REQUIRE(in.objects.size() == 4);
  REQUIRE(in.memory.nodes.size() == 3);  // one a load_text

  TreeRelease release(&in);
  release.done_through(1);  // a.yaml's second object is not done yet
  CHECK(release.bytes_released() == 0);
  release.done_through(2);
  CHECK(in.memory.nodes[0]->bytes_released() > 0);
  CHECK(in.memory.nodes[1]->bytes_released() == 0);
  release.done_through(3);
  CHECK(in.memory.nodes[1]->bytes_released() > 0);
  CHECK(in.memory.nodes[2]->bytes_released() == 0);
  CHECK(release.bytes_released() == in.memory.nodes[0]->bytes_released() + in.memory.nodes[1]->bytes_released());
  release.done_through(4);
  CHECK(in.memory.nodes[2]->bytes_released() > 0);
}

TEST_CASE("analyze() builds the model, then lets the parse trees go", "[arena][model]") {
  const char* yaml = R"Y(apiVersion: v1
kind: ConfigMap
metadata: {name: settings, uid: 1234}
data: {LOG_LEVEL: info, nested: {a: b}}
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy}
subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: legacy, labels: {app: db}}
spec:
  ports: [{port: 5432}]
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
)Y";
  Analysis kept = test::analyze_text_keeping_trees(yaml);
  Analysis a = test::analyze_text(yaml);
  CHECK(released(kept.input) == 0);
  CHECK(released(a.input) > 0);
  REQUIRE(a.model.objects.size() == 3);
  for (size_t i = 0; i < a.model.objects.size(); ++i) {
    const Object& o = a.model.objects[i];
    CHECK(o.node().size() == 0);  // the model's copy of the root
    CHECK(o.pos() == kept.model.objects[i].pos());
    CHECK(kept.model.objects[i].node().size() > 0);
  }
  const ConfigData* data = a.model.objects[0].as<ConfigData>();
  REQUIRE(data);
  REQUIRE(data->data);
  CHECK(data->data->get_text("LOG_LEVEL") == "info");
  CHECK(data->data->get("nested")->size() == 0);
  CHECK(a.model.objects[0].server_metadata);
  CHECK_FALSE(a.model.objects[1].server_metadata);
  CHECK(a.model.objects[1].as<Endpoints>()->kind_key->pos() == Position{0, 7, 1});
  CHECK(a.model.objects[2].as<Service>()->session_affinity_config_key->pos() == Position{0, 16, 3});
  CHECK(a.model.objects[2].meta.labels.find("app") == std::optional<std::string_view>("db"));
  // The same findings either way.
  REQUIRE(a.findings.size() == kept.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    CHECK(a.findings[i].rule == kept.findings[i].rule);
    CHECK(a.findings[i].pos == kept.findings[i].pos);
    CHECK(a.findings[i].message == kept.findings[i].message);
  }
}

TEST_CASE("analyze() lets the files' bytes go, suppressions and places inside scalars still hold", "[arena][model]") {
  constexpr const char* kApp = R"Y(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: web:1
        command: ["sh", "-c"]
        args:
        - |
          echo start
          curl $DB_SERVICE_HOST
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}  # kmc:ignore[service/no-matching-pods]
  ports: [{port: 5432}]
)Y";
  // The directory is gone before the checks: what they read, the analysis kept.
  auto [a, kept] = [&] {
    test::TempDir dir("kmc-released");
    dir.write("app.yaml", kApp);
    auto run = [&](bool keep_trees) {
      AnalysisOptions options;
      options.keep_trees = keep_trees;
      return analyze(load_inputs({dir.path.string()}, LoadOptions{}), options);
    };
    return std::pair{run(false), run(true)};
  }();
  const SourceFile& src = a.input.sources[0];
  CHECK(src.released());
  CHECK(src.content.empty());
  CHECK_FALSE(kept.input.sources[0].released());
  // The suppression comment's line is kept, and silences no-matching-pods.
  CHECK(src.line_text(22) == "  selector: {app: db}  # kmc:ignore[service/no-matching-pods]");
  // The variable inside the block scalar: its line was kept, and the finding points into it.
  REQUIRE(a.findings.size() == 1);
  CHECK(a.findings[0].rule == "discovery/service-after-consumer");
  CHECK(a.findings[0].pos == Position{0, 16, 17});
  CHECK(src.line_text(16) == "          curl $DB_SERVICE_HOST");
  REQUIRE(kept.findings.size() == 1);
  CHECK(kept.findings[0].pos == a.findings[0].pos);
  // The model's text outlives the file's bytes.
  CHECK(a.model.objects[1].name() == "db");
  CHECK(a.model.objects[0].kind() == "Deployment");
  CHECK(a.input.objects[1].kind == "Service");
}

TEST_CASE("a CRD, alone or in a list, is a tree like any other, and custom resources validate against it", "[arena][schema]") {
  const char* crd = test::kWidgetCrd;
  LoadResult in;
  load_text(&in, "widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n",
            LoadOptions{});
  load_text(&in, "crd.yaml", crd, LoadOptions{});
  load_text(&in, "list.yaml", std::string("apiVersion: v1\nkind: List\nitems:\n") + "- {kind: ConfigMap, apiVersion: v1}\n",
            LoadOptions{});
  load_text(&in, "crds.yaml",
            std::string("apiVersion: v1\nkind: List\nitems:\n- {kind: ConfigMap, apiVersion: v1, metadata: {name: c}}\n") +
                "- {kind: CustomResourceDefinition, apiVersion: apiextensions.k8s.io/v1}\n",
            LoadOptions{});
  load_text(&in, "typed.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinitionList\nitems:\n"
            "- {kind: CustomResourceDefinition, apiVersion: apiextensions.k8s.io/v1}\n",
            LoadOptions{});
  for (const auto& nodes : in.memory.nodes) CHECK_FALSE(nodes->regions().empty());  // no tree kept apart
  Analysis a = analyze(std::move(in), AnalysisOptions{});
  // The custom resource and the CRDs waited on copies of their trees; every tree went.
  for (const auto& nodes : a.input.memory.nodes) CHECK(nodes->bytes_released() > 0);
  REQUIRE(a.model.objects.size() == 6);
  // Once validation is done, the CRD too stands on the model's copy of its root.
  CHECK(a.model.objects[1].node().size() == 0);
  CHECK(a.model.objects[1].pos() == Position{1, 1, 1});
  std::erase_if(a.findings, [](const Finding& f) { return f.pos.file != 0; });  // the Lists' objects are incomplete
  CHECK(a.findings[0].rule == "schema/type");
  CHECK(a.findings[0].pos == Position{0, 4, 14});  // `big`
}

// Every rule must read the model, not the trees below it: a rule that walked Object::node()'s
// children would find nothing once they are released, silently. And an object built before the
// CRD or the kustomization that concerns it was read would be judged without it. So the whole
// test data, the examples and the corpus give the same findings read whole and kept, and read
// a file at a time, built batch by batch and released.
TEST_CASE("building as the files are read and releasing them changes no finding", "[arena][golden]") {
  for (std::string dir : {"/testdata", "/examples", "/../shared/corpus"}) {
    std::string root = test::source_dir() + dir;
    if (!std::filesystem::is_directory(root)) {
      WARN("SKIPPED: " << root << " is not present");
      continue;
    }
    const Workers two(2);
    LoadOptions load;
    load.workers = &two;
    // Without the kustomization files: a run that renders them keeps every tree for its roots
    // (driver/views.h), so there would be nothing released to compare.
    load.exclude = {"kustomization.yaml", "kustomization.yml", "Kustomization"};
    AnalysisOptions options;
    options.workers = &two;
    AnalysisOptions keeping = options;
    keeping.keep_trees = true;
    // Everything read, then built and kept whole; against built batch by batch, a batch a file,
    // and released.
    Analysis kept = analyze(load_inputs({root}, load), keeping);
    Analysis released_run = test::load_and_analyze({root}, load, options);
    INFO(root);
    CHECK(released(kept.input) == 0);
    CHECK(released(released_run.input) > 0);
    auto files_released = [](const Analysis& a) {
      size_t n = 0;
      for (const auto& f : a.input.sources.files) n += f->released();
      return n;
    };
    CHECK(files_released(kept) == 0);
    CHECK(files_released(released_run) > 0);
    REQUIRE(kept.findings.size() == released_run.findings.size());
    for (size_t i = 0; i < kept.findings.size(); ++i) {
      const Finding& a = kept.findings[i];
      const Finding& b = released_run.findings[i];
      INFO(kept.input.sources[a.pos.file].path << ":" << a.pos.line << " " << a.rule << " " << a.message);
      CHECK(a.rule == b.rule);
      CHECK(a.severity == b.severity);
      CHECK(a.pos == b.pos);
      CHECK(a.message == b.message);
      CHECK(a.fix == b.fix);
      REQUIRE(a.related.size() == b.related.size());
      for (size_t r = 0; r < a.related.size(); ++r) {
        CHECK(a.related[r].pos == b.related[r].pos);
        CHECK(a.related[r].message == b.related[r].message);
      }
    }
  }
}
