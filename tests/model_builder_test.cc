// The model is built batch by batch as a streaming load reads the files (driver/model_builder.h,
// LoadOptions::on_batch): objects that depend on a later file wait for it.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
namespace fs = std::filesystem;
using test::TempDir;

TEST_CASE("a streaming load hands over batches in order, kustomizations come first", "[builder][loader]") {
  TempDir dir;
  dir.write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
  dir.write("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
  dir.write("kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  std::vector<LoadBatch> batches;
  size_t kustomizations_seen_first = 0;
  LoadOptions load;
  load.batch_bytes = 1;  // a file a batch
  load.on_batch = [&](LoadResult& input, const LoadBatch& b) {
    if (batches.empty()) kustomizations_seen_first = input.kustomizations.size();
    batches.push_back(b);
  };
  LoadResult in = load_inputs({dir.path.string()}, load);
  REQUIRE(batches.size() == 3);  // a.yaml, b.yaml, kustomization.yaml
  CHECK(kustomizations_seen_first == 0);  // read first, collected in its turn
  CHECK(batches[0].objects_begin == 0);
  CHECK(batches[0].objects_end == 2);
  CHECK(batches[1].objects_begin == 2);
  CHECK(batches[1].objects_end == 3);
  CHECK(batches[2].objects_begin == 3);
  CHECK(batches[2].objects_end == 3);
  // Each batch's files are the ones collected since the last: its releaser looks at no other.
  CHECK(batches[0].files_begin == 0);
  CHECK(batches[1].files_begin == 1);
  CHECK(batches[2].files_begin == 2);
  CHECK(batches[1].node_arenas_begin > batches[0].node_arenas_begin);
  CHECK(batches[1].source_arenas_begin > batches[0].source_arenas_begin);
  CHECK(in.kustomizations.size() == 1);
  CHECK(in.objects.size() == 3);
}

TEST_CASE("a streaming load maps the chunks of released batches again, the model is the same", "[builder][arena]") {
  TempDir dir;
  for (int f = 0; f < 6; ++f) {
    std::string yaml;
    for (int i = 0; i < 200; ++i)
      yaml += fmt::format("---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{}-{}, labels: {{app: a{}}}}}\n"
                          "spec:\n  selector: {{app: a{}}}\n  ports: [{{port: 80, targetPort: web}}]\n",
                          f, i, i, i % 7);
    dir.write(fmt::format("f{}.yaml", f), yaml);
  }
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    const Workers workers(jobs);
    LoadOptions load;
    load.workers = &workers;
    AnalysisOptions options;
    options.workers = &workers;
    ModelBuilder builder(options);
    load.batch_bytes = 1;  // a file a batch
    load.on_batch = [&](LoadResult& input, const LoadBatch& batch) { builder.add(input, batch); };
    LoadResult input = load_inputs({dir.path.string()}, load);
    CHECK(input.memory.chunks_reused > 0);
    Analysis streamed = analyze(std::move(input), options, &builder);
    Analysis whole = analyze(load_inputs({dir.path.string()}, LoadOptions{}), options);
    REQUIRE(streamed.model.objects.size() == 1200);
    REQUIRE(streamed.model.objects.size() == whole.model.objects.size());
    for (size_t i = 0; i < whole.model.objects.size(); ++i) {
      CHECK(streamed.model.objects[i].name() == whole.model.objects[i].name());
      CHECK(streamed.model.objects[i].node().pos() == whole.model.objects[i].node().pos());
    }
    REQUIRE(streamed.findings.size() == whole.findings.size());
    for (size_t i = 0; i < whole.findings.size(); ++i) {
      CHECK(streamed.findings[i].rule == whole.findings[i].rule);
      CHECK(streamed.findings[i].message == whole.findings[i].message);
      CHECK(streamed.findings[i].pos == whole.findings[i].pos);
    }
  }
}

TEST_CASE("a custom resource read before its CRD waits for it", "[builder][schema]") {
  TempDir dir;
  dir.write("a-widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n");
  dir.write("b-crd.yaml", test::kWidgetCrd);
  AnalysisOptions options;
  ModelBuilder builder(options);
  LoadOptions load;
  load.batch_bytes = 1;
  size_t released_at_once = 0;
  load.on_batch = [&](LoadResult& input, const LoadBatch& batch) {
    builder.add(input, batch);
    // The widget waits for its CRD on a copy of its tree: its batch's regions go at once.
    for (size_t i = batch.source_arenas_begin; i < input.memory.source.size(); ++i)
      released_at_once += input.memory.source[i]->bytes_released() > 0;
  };
  Analysis a = analyze(load_inputs({dir.path.string()}, load), options, &builder);
  CHECK(released_at_once == 2);
  REQUIRE(a.findings.size() == 1);
  CHECK(a.findings[0].rule == "schema/type");
  CHECK(a.findings[0].pos == Position{0, 4, 14});  // `big`, against the CRD of the later file
  CHECK(test::released_files(a) == 2);
  CHECK(a.model.objects[0].node().size() == 0);
  CHECK(a.model.objects[1].node().size() == 0);
  CHECK(a.model.objects[1].name() == "widgets.example.com");
}

TEST_CASE("a patch read before its kustomization is a patch", "[builder][loader]") {
  TempDir dir;
  // deploy-memory.yaml sorts before kustomization.yaml; its name is no patch's by convention.
  dir.write("app/deploy-memory.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
            "      containers: [{name: web, resources: {limits: {memory: 1Gi}}}]\n");
  dir.write("app/kustomization.yaml", "resources: [../base]\npatchesStrategicMerge: [deploy-memory.yaml]\n");
  Analysis streamed = test::load_and_analyze({dir.path.string()});
  AnalysisOptions options;
  Analysis whole = test::load_whole_and_analyze({dir.path.string()}, LoadOptions{}, options);
  CHECK(streamed.model.patches.size() == 1);
  CHECK(streamed.model.objects.empty());
  CHECK(whole.model.patches.size() == 1);
  REQUIRE(streamed.findings.size() == whole.findings.size());
  for (size_t i = 0; i < whole.findings.size(); ++i) CHECK(streamed.findings[i].rule == whole.findings[i].rule);
  for (const Finding& f : streamed.findings) CHECK(f.rule != "schema/required");  // a fragment needs no selector
}
