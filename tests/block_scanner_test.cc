// The block scanner must build exactly the tree libyaml builds, or leave the document to
// libyaml. Each case parses one text both ways (YamlScanner::Auto and ::Libyaml) and compares
// every node, position and finding; "taken" cases also check that the block scanner read the
// whole text itself, so that a scanner which gives everything back cannot pass.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "parser/block_scanner.h"
#include "parser/tree_builder.h"
#include "support.h"
#include "tree_diff.h"

namespace fs = std::filesystem;
using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

bool ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Whether the block scanner alone reads every document of `text`.
bool taken_whole(const SourceFile& src) {
  Arena arena;
  ParsedFile out;
  LoaderLimits limits;
  TreeBuilder builder(0, limits, &arena, &out);
  return block_scannable(src.content, src.ascii) &&
         scan_block_documents(src.content, 0, src.content.size(), 0, src.ascii, &builder).finished;
}

struct Compared {
  std::string difference;  // empty: the same result
  bool taken = false;
  size_t documents = 0;
};

Compared compare(std::string text, LoaderLimits limits = {}) {
  SourceFile src;
  src.path = "test.yaml";
  src.own(std::move(text));
  src.ascii = ascii(src.content);
  Arena fast_arena, reference_arena;
  ParsedFile fast = parse_yaml(src, 0, limits, &fast_arena, YamlScanner::Auto);
  ParsedFile reference = parse_yaml(src, 0, limits, &reference_arena, YamlScanner::Libyaml);
  return {test::parse_difference(fast, reference), taken_whole(src), reference.documents.size()};
}

void check_taken(const std::string& text) {
  INFO(text);
  Compared c = compare(text);
  CHECK(c.difference == "");
  CHECK(c.taken);
}

void check_given_back(const std::string& text) {
  INFO(text);
  Compared c = compare(text);
  CHECK(c.difference == "");
  CHECK_FALSE(c.taken);
}

}  // namespace

TEST_CASE("block scanner: the common manifest subset is read without libyaml", "[parser][block-scanner]") {
  check_taken(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web  # the name\n  labels:\n"
      "    app.kubernetes.io/name: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n"
      "        - name: web\n          image: \"nginx:1.25\"\n          args: ['--port=8080', \"-v\"]\n"
      "          ports:\n          - containerPort: 80\n            protocol: TCP\n"
      "          resources:\n            limits: {cpu: 100m, memory: \"128Mi\"}\n");
  check_taken("a: 1\n---\nb: 2\n---\n# only a comment\n---\nc: [1, 2, [3, {d: e}]]\n");
  check_taken("# leading comment\n\n---   # marker comment\nkey   : value\nother: x#y\n");
  check_taken("list:\n- a\n- b\n-   - c\n    - d\nnext: 1\n");
  check_taken("- name: x\n  value: y\n-\n  name: z\n- # comment\n  k: v\n");
  check_taken("root:\n  n1: 0x1F\n  n2: 017\n  b: yes\n  f: .inf\n  z: ~\n  nul: null\n  s: 'quoted # not a comment'\n");
  check_taken("\"quoted key\": 1\n'single': {}\nempty: []\nflow: { a: 1 , b: \"two\" }\n");
  check_taken("no_final_newline: value");
  check_taken("---\n---\n");
  check_taken("a: 1\nb: 2\na: 3\n");             // a duplicate key: the same finding both ways
  check_taken("base: {x: 1}\nm:\n  <<: {x: 2, y: 3}\n  x: 4\n");  // a merge key
  check_taken("  indented: root\n  second: key\n");
  check_taken("a:\nb:   \nc:  # comment\n\nd:\n  e:\nf:\n- g:\n-\n- \n-   # c\n- h\ni:");  // empty values
}

TEST_CASE("block scanner: literal block scalars", "[parser][block-scanner]") {
  check_taken("data:\n  script: |\n    #!/bin/sh\n    echo hi\n\n      indented\n  next: 1\n");
  check_taken("a: |-\n  strip\n\n\nb: |+\n  keep\n\n\nc: |\n  clip\n\n\n");
  check_taken("a: |+\n  keep at the end\n\n");
  check_taken("a: |\n  no final newline");
  check_taken("a: |   # comment\n  text\n   \n  more\n");
  check_taken("- |\n  in a sequence\n- x\n");
  check_taken("k:\n- |\n  in an indentless sequence\n- y\n");
  check_taken("a: |\n  tab\tinside\n");
  check_taken("a: |\n  text\n---\nb: |\n  x\n");
}

TEST_CASE("block scanner: multi-line plain scalars", "[parser][block-scanner]") {
  check_taken("a: plain\n  continued\n  and again\nb: 1\n");
  check_taken("a: one\n\n  two after an empty line\n\n\n  three after two\nb: 1\n");
  check_taken("a: trailing spaces   \n     deeper    \n  - not an entry [x] {y}\nb: 1\n");
  check_taken("- item\n  continued\n- next\n  x\n");
  check_taken("k:\n- in an indentless sequence\n  continued\n- y\n");
  check_taken("a:\n  on the next line\n  continued\n\nb: 1\n");
  check_taken("- key: value\n    continued under the key\n  other: x\n");
  check_taken("a: 12\n  34\nb: true\n  false\nc: null\n  x\n");  // resolved as the folded text
  check_taken("a: http://x.y/z\n  not#a-comment x#y\nb: ends at a comment line\n  # comment\nc: 1\n");
  check_taken("a: text\n  more\n---\nb: text\n  more");
  check_taken("a: text\n   \n  more\n  \n");
}

TEST_CASE("block scanner: quoted scalars over several lines, and ''", "[parser][block-scanner]") {
  check_taken("a: 'it''s'\nb: '''quoted'''\nc: ''''\n");
  check_taken("a: 'one\n  two'\nb: \"three\n\n  four after an empty line\"\nc: 1\n");
  check_taken("a: 'trailing spaces   \n     are dropped,   inner   kept  '  # comment\nb: 1\n");
  check_taken("a: '   leading spaces kept\n  x'\nb: '\n  starts on the next line'\nc: 'ends\n  '\n");
  check_taken("- 'in a sequence: # not a comment\n  ''quoted'' x''\n\n\n  y'\n- z\n");
  check_taken("a: \"it's\n  # text, not a comment\"\nb: 'say \"hi\"\n  ok'\n");
  check_taken("a: 'x\n   \n  y'\n");  // a line of spaces is an empty line
}

TEST_CASE("block scanner: UTF-8 text, with libyaml's columns in characters", "[parser][block-scanner]") {
  check_taken("name: café\nnote: 'naïve — “quoted”'\nключ: значение\n");
  check_taken("emoji: 🚀 launch\n  continued ✓\n💡: |\n  idée\n   fixe\nz: \"末尾\"\n");
  check_taken("- é\n- {k: 日本}\n-   - 한국어\n    - x\n");
  check_given_back("a: b\u0085c: d\n");        // NEL: a line break to libyaml
  check_given_back("a: b\u2028c: d\n");        // LS
  check_given_back("\xEF\xBB\xBF" "a: é\n");   // a byte order mark
  check_given_back("a: é\nb: \"\\u00e9\"\n");  // non-ASCII, then an escape
  check_given_back("ä: [ö, {ü: ß}]\n- x\n");   // a syntax error after non-ASCII keys: libyaml's position
}

TEST_CASE("block scanner: the common escapes of double-quoted scalars", "[parser][block-scanner]") {
  check_taken("a: \"line\\nnext\\ttab \\\"q\\\" back\\\\slash \\/ x\\r\\ \"\nb: 1\n");
  check_taken("a: \"one\\n\n\n  two \\t  \n   three\\n  \"\nb: \"\\n\"\nc: \"\\\\\"\n");
  check_taken("- \"k8s \\\"quoted\\\"\\n  - item\\n\n  more\"\n");
}

TEST_CASE("block scanner: everything else goes to libyaml, with the same result", "[parser][block-scanner]") {
  for (const char* text : {
           "a: &x {b: 1}\nc: *x\n",                      // anchors and aliases
           "a: !!str 1\n",                               // tags
           "a: >\n  folded\n  text\n",                   // folded scalars
           "a: plain\n  continued: here\n",             // a `:` indicator on a continuation line
           "a: plain\n  continued # comment\n",         // a comment ending a continuation line
           "a: plain\n\tcontinued\n",                   // a tab before a continuation line
           "a: plain # comment\n  continued\n",         // a comment, then more text: libyaml's error
           "a: plain\n  # comment\n  continued\n",     // the same after a comment line
           "a: plain\n  continued\r\n",                 // a CR on a continuation line
           "a: 'it''s\n  two': 1\n",                    // a multi-line quoted key: libyaml's error
           "a: \"esc\n  \\x41\"\n",                     // \x on a continuation line
           "a: \"\\u00e9 \\U0001F600 \\N \\_ \\L \\P \\0 \\e\"\n",  // escapes left to libyaml
           "a: \"escaped \\\n  line break\"\n",          // an escaped line break
           "a: \"bad \\q escape\"\n",                   // not an escape: libyaml's error
           "a: 'one\ntwo'\n",                            // a continuation line not indented
           "a: 'one\n  two\n",                           // unclosed at the end of the stream
           "a: 'one\n---\n  two'\n",                     // a document marker inside quotes
           "a: 'one\n\ttwo'\n",                          // a tab before a continuation line
           "a: 'one'x\n",                                // text after the closing quote
           "a:\n\tb: 1\n",                               // a tab in indentation
           "a: 1\r\nb: 2\r\n",                           // CRLF
           "a: 1 # comment\rb: 2\n",                     // a lone CR is a line break
           "a: 1\n...\n",                                // a document end marker
           "%YAML 1.1\n---\na: 1\n",                     // directives
           "a: 1\n b: 2\n",                              // bad indentation: libyaml's error
           "a: \"unclosed\n",                            // an unclosed quote
           "a: b: c\n",                                  // a mapping where a value belongs
           "- a\nb: 1\n",                                // a key after a sequence at one column
           "just a scalar\n",                            // a root scalar
           "{\"json\": [1, 2]}\n",                       // JSON
           "a: [1, 2,\n  3]\n",                          // a multi-line flow collection
           "a: |2\n   explicit indentation\n",         // an indentation indicator
           "a: |\n\n  leading empty line\n",             // leading empty lines
           "a: |\nb: 1\n",                               // an empty block scalar
           "a: [1, 2, ]\n",                              // a trailing comma
           "a: {b}\n",                                   // a flow key without a value
           "a: [b: c]\n",                                // a pair in a flow sequence
           "a: \"x\"y\n",                                // text after a quoted scalar
           "? complex\n: key\n",                         // complex keys
           "---x\n",                                     // not a marker
           "a: 1\rb: 2\n---\n---\nc: 3\n",           // libyaml's lines run ahead after a CR (fuzz)
           "a: 1\rb: 2\n---\nc: &x 3\n---\nd: 4\n",   // ... and stay ahead in later documents
       }) {
    check_given_back(text);
  }
}

TEST_CASE("block scanner: a document given back does not cost the others", "[parser][block-scanner]") {
  // The middle document has an alias: libyaml parses it, the block scanner the others, and the
  // errors, document numbers and positions are the same as libyaml's alone.
  Compared c = compare("a: 1\n---\nb: &x 2\nc: *x\n---\nd: [1, 2]\n---\ne: \"bad\n---\nf: 1\nf: 2\n");
  CHECK(c.difference == "");
  CHECK(c.documents == 4);
}

TEST_CASE("block scanner: limits are libyaml's", "[parser][block-scanner]") {
  LoaderLimits limits;
  limits.max_depth = 3;
  limits.max_documents = 2;
  for (const char* text : {"a:\n  b:\n    c:\n      d: 1\n", "a: [[[[1]]]]\n", "a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n"}) {
    INFO(text);
    Compared c = compare(text, limits);
    CHECK(c.difference == "");
  }
}

// The real test: every file we have, read both ways.
TEST_CASE("block scanner: every bundled and corpus file gives libyaml's result", "[parser][block-scanner][corpus]") {
  std::vector<std::string> roots = {test::source_dir() + "/testdata", test::source_dir() + "/examples",
                                    test::source_dir() + "/../shared/corpus", test::source_dir() + "/../shared/k8s"};
  size_t files = 0, taken = 0, documents = 0;
  for (const std::string& root : roots) {
    if (!fs::is_directory(root)) {
      WARN("SKIPPED: " << root << " is not present");
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      std::string ext = entry.path().extension().string();
      if (ext != ".yaml" && ext != ".yml" && ext != ".json") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      INFO(entry.path().string());
      Compared c = compare(bytes.str());
      CHECK(c.difference == "");
      ++files;
      taken += c.taken;
      documents += c.documents;
    }
  }
  WARN("block scanner read " << taken << " of " << files << " files whole (" << documents << " documents)");
  CHECK(files > 0);
}
