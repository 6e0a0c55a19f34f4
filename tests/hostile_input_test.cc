// What a stranger's pull request can make kmc do: each case is an attack that worked on the
// landed build (docs/security.md), run against the real binary or the loader.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "core/printable.h"
#include "run_kmc.h"
#include "support.h"

namespace fs = std::filesystem;
using kmc::test::Run;
using kmc::test::run;
using kmc::test::run_in;
using kmc::test::run_shell;

namespace {

// A fresh directory of its own for each case, removed at its end.
struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& name)
      : dir(fs::temp_directory_path() / ("kmc-hostile-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string& rel, const std::string& text) const {
    fs::path p = dir / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string path(const std::string& rel = "") const { return (dir / rel).string(); }
};

constexpr const char* kService = R"(apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
)";

}  // namespace

TEST_CASE("compile -o: a kind or a name cannot lead a write out of the directory", "[hostile][compile]") {
  Scratch s("compile");
  s.write("in/cr.yaml", R"(apiVersion: example.com/v1
kind: "/../../sec/escaped"
metadata: {name: "../../file"}
)");
  // A directory the checkout ships where a file would go, and a symlink in the output directory.
  fs::create_directories(s.dir / "out");
  Run fresh = run_in(s.path(), std::string(KMC_BINARY) + " compile -o out in");
  CHECK(fresh.status == 0);
  CHECK(fs::exists(s.dir / "out" / "0001-_.._.._sec_escaped-.._.._file.yaml"));
  CHECK(!fs::exists(s.dir / "sec"));
  CHECK(!fs::exists(s.dir / "file.yaml"));

  // A second run into the same directory is refused: its files would mix with the earlier ones.
  Run again = run_in(s.path(), std::string(KMC_BINARY) + " compile -o out in");
  CHECK(again.status == 2);
  CHECK(again.out.find("'out' is not empty") != std::string::npos);

  // --force removes what kmc wrote there, and only that; it writes through no symlink.
  s.write("mine.txt", "not kmc's\n");
  s.write("out/keep.txt", "the user's\n");
  fs::remove(s.dir / "out" / "0001-_.._.._sec_escaped-.._.._file.yaml");
  fs::create_symlink(s.path("mine.txt"), s.dir / "out" / "0001-_.._.._sec_escaped-.._.._file.yaml");
  Run forced = run_in(s.path(), std::string(KMC_BINARY) + " compile --force -o out in");
  CHECK(forced.status == 0);
  CHECK(fs::exists(s.dir / "out" / "keep.txt"));
  CHECK(!fs::is_symlink(s.dir / "out" / "0001-_.._.._sec_escaped-.._.._file.yaml"));
  std::ifstream mine(s.path("mine.txt"));
  std::string line;
  std::getline(mine, line);
  CHECK(line == "not kmc's");

  // An existing directory at a file's name stops the run with an error, not a write inside it.
  fs::remove(s.dir / "out" / "0001-_.._.._sec_escaped-.._.._file.yaml");
  fs::create_directories(s.dir / "out" / "0001-_.._.._sec_escaped-.._.._file.yaml");
  Run blocked = run_in(s.path(), std::string(KMC_BINARY) + " compile --force -o out in");
  CHECK(blocked.status == 2);
  CHECK(fs::is_empty(s.dir / "out" / "0001-_.._.._sec_escaped-.._.._file.yaml"));
}

TEST_CASE("escape sequences of the input do not reach the terminal", "[hostile][text]") {
  Scratch s("terminal");
  std::string file = s.write("x\x1b[2Jname.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n"
                                                   "  name: \"x\\e]0;PWNED\\a\\e[2J\"\n"
                                                   "  labels: {a: \"\\e[1A\\e[2K\\rall good\\u009b\"}\n"
                                                   "spec:\n  selector: {app: x}\n  ports: [{port: 80}]\n");
  Run r = run("check --fail-on none --color always '" + file + "'");
  CHECK(r.status == 0);
  // Only kmc's own colour sequences: every ESC is followed by '[' and a colour, none by ']'.
  for (size_t at = r.out.find('\x1b'); at != std::string::npos; at = r.out.find('\x1b', at + 1))
    CHECK(r.out.compare(at, 2, "\x1b[") == 0);
  CHECK(r.out.find("\x1b]") == std::string::npos);
  CHECK(r.out.find("\x1b[2J") == std::string::npos);
  CHECK(r.out.find('\r') == std::string::npos);
  CHECK(r.out.find("\xc2\x9b") == std::string::npos);
  CHECK(r.out.find("x\\x1b]0;PWNED\\x07\\x1b[2J") != std::string::npos);
  CHECK(r.out.find("x\\x1b[2Jname.yaml:4:9") != std::string::npos);
  CHECK(r.out.find("\\xc2\\x9b") != std::string::npos);

  // The machine formats escape the same strings in their own way.
  Run json = run("check --format json --fail-on none '" + file + "'");
  CHECK(json.out.find('\x1b') == std::string::npos);
  CHECK((json.out.find("\\u001B]0;PWNED") != std::string::npos || json.out.find("\\u001b]0;PWNED") != std::string::npos));
  Run github = run("check --format github --fail-on none '" + file + "'");
  CHECK(github.out.find('\r') == std::string::npos);
}

TEST_CASE("printable() escapes controls and bytes that are not UTF-8, and keeps the rest", "[hostile][text]") {
  CHECK(kmc::printable("plain: ünïcödé 名前 \t tab") == "plain: ünïcödé 名前 \t tab");
  CHECK(kmc::printable("a\x1b[2Jb") == "a\\x1b[2Jb");
  CHECK(kmc::printable("\r\n\x7f") == "\\x0d\\x0a\\x7f");
  CHECK(kmc::printable("c1 \xc2\x9b") == "c1 \\xc2\\x9b");               // U+009B, a CSI on some terminals
  CHECK(kmc::printable("bad \xff\xfe") == "bad \\xff\\xfe");             // not UTF-8
  CHECK(kmc::printable("cut \xe2\x82") == "cut \\xe2\\x82");             // a truncated sequence
  CHECK(kmc::printable("surrogate \xed\xa0\x80") == "surrogate \\xed\\xa0\\x80");
  CHECK(kmc::printable("overlong \xc0\xaf") == "overlong \\xc0\\xaf");
}

TEST_CASE("a FIFO, a socket or a device is never opened, a symlink is followed only inside", "[hostile][walk]") {
  Scratch s("walk");
  s.write("deploy/svc.yaml", kService);
  REQUIRE(mkfifo(s.path("deploy/fifo.yaml").c_str(), 0644) == 0);
  s.write("secret/kubeconfig.yaml", "apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: SECRET-TOKEN}}]\n");
  fs::create_symlink(s.path("secret/kubeconfig.yaml"), s.dir / "deploy" / "leak.yaml");
  fs::create_symlink("/etc/passwd", s.dir / "deploy" / "passwd.yaml");
  fs::create_symlink("svc.yaml", s.dir / "deploy" / "alias.yaml");  // inside: read

  // `timeout`: a FIFO opened for reading would block for ever.
  Run walked = run_in(s.path(), "timeout 20 " + std::string(KMC_BINARY) + " check --fail-on none deploy");
  CHECK(walked.status == 0);
  CHECK(walked.out.find("kmc: note: skipped 'deploy/fifo.yaml': a FIFO, not a file") != std::string::npos);
  CHECK(walked.out.find("kmc: note: skipped 'deploy/leak.yaml': a symlink to '" + fs::canonical(s.dir).string() +
                        "/secret/kubeconfig.yaml', outside 'deploy'") != std::string::npos);
  CHECK(walked.out.find("kmc: note: skipped 'deploy/passwd.yaml'") != std::string::npos);
  CHECK(walked.out.find("SECRET-TOKEN") == std::string::npos);
  CHECK(walked.out.find("root:") == std::string::npos);
  CHECK(walked.out.find("from 2 files") != std::string::npos);  // svc.yaml and alias.yaml

  Run compiled = run_in(s.path(), "timeout 20 " + std::string(KMC_BINARY) + " compile deploy");
  CHECK(compiled.out.find("SECRET-TOKEN") == std::string::npos);

  // Named, a FIFO is refused; a symlink is the user's choice.
  Run fifo = run_in(s.path(), "timeout 20 " + std::string(KMC_BINARY) + " check deploy/fifo.yaml");
  CHECK(fifo.status == 2);
  CHECK(fifo.out.find("cannot read 'deploy/fifo.yaml': a FIFO, not a file") != std::string::npos);
  Run named = run_in(s.path(), std::string(KMC_BINARY) + " check --fail-on none deploy/leak.yaml");
  CHECK(named.out.find("schema/unknown-kind") != std::string::npos);

  // --config takes a file: a directory would be walked, a FIFO would block.
  Run config_dir = run_in(s.path(), "timeout 20 " + std::string(KMC_BINARY) + " check --config deploy deploy/svc.yaml");
  CHECK(config_dir.status == 2);
  CHECK(config_dir.out.find("the configuration must be a file") != std::string::npos);
  Run config_fifo =
      run_in(s.path(), "timeout 20 " + std::string(KMC_BINARY) + " check --config deploy/fifo.yaml deploy/svc.yaml");
  CHECK(config_fifo.status == 2);
}

TEST_CASE("a failed write is an error: no report that looks complete", "[hostile][output]") {
  Scratch s("full");
  std::string file = s.write("svc.yaml", kService);
  for (const char* format : {"text", "json", "sarif", "junit", "github"}) {
    // { … } 2>&1: stderr to the pipe the test reads, stdout alone to the full device.
    Run r = run_shell("{ " + std::string(KMC_BINARY) + " check --fail-on none --format " + format + " " + file +
                      " > /dev/full; }");
    INFO(format);
    CHECK(r.status == 2);
    CHECK(r.out.find("kmc: error: cannot write the output") != std::string::npos);
  }
  for (std::string command : {"compile " + file, "graph " + file, std::string("rules")}) {
    Run r = run_shell("{ " + std::string(KMC_BINARY) + " " + command + " > /dev/full; }");
    INFO(command);
    CHECK(r.status == 2);
    CHECK(r.out.find("kmc: error: cannot write the output") != std::string::npos);
  }
}

TEST_CASE("the threads of --jobs are capped, the output does not depend on them", "[hostile][jobs]") {
  Scratch s("jobs");
  std::string file = s.write("svc.yaml", kService);
  Run one = run("check --format json --fail-on none -j 1 " + file);
  Run many = run("check --format json --fail-on none -j 4294967295 " + file);
  CHECK(many.status == 0);
  CHECK(many.out == one.out);
}

TEST_CASE("thread creation refused by the system: fewer threads, the same findings", "[hostile][jobs]") {
  // RLIMIT_NPROC binds only an unprivileged user: the case runs as `nobody` through setpriv.
  if (geteuid() != 0 || run_shell("command -v setpriv").status != 0) {
    WARN("needs root and setpriv (util-linux) to run as nobody");
    return;
  }
  Scratch s("threads");
  fs::permissions(s.dir, fs::perms::all);
  for (int i = 0; i < 40; ++i) s.write("d" + std::to_string(i) + "/svc.yaml", kService);
  Run full = run("check --format json --fail-on none -j 8 " + s.path());
  // ulimit -u 2: kmc itself and one thread more; the pool's other threads are refused.
  Run limited = run_shell("setpriv --reuid=65534 --regid=65534 --clear-groups bash -c 'ulimit -u 2; exec " +
                          std::string(KMC_BINARY) + " check --format json --fail-on none -j 8 " + s.path() + "'");
  CHECK(limited.status == 0);
  CHECK(limited.out == full.out);
}

TEST_CASE("aliases are bounded by the bytes they expand to, per file", "[hostile][limits]") {
  // A 1 MiB scalar named 100 times: 100 MiB in the model, from a file of 1 MiB.
  std::string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  a: &a \"" +
                     std::string(1 << 20, 'x') + "\"\n";
  for (int i = 0; i < 100; ++i) yaml += "  k" + std::to_string(i) + ": *a\n";
  kmc::parser::LoadResult input = kmc::test::load_string(yaml);
  REQUIRE(input.findings.size() == 1);
  CHECK(input.findings[0].rule == "syntax/limit");
  CHECK(input.findings[0].pos.line == 16);  // the 11th alias: over ten times the file
  CHECK(input.findings[0].message.find("aliases expand this file by more than") != std::string::npos);

  // Many documents cannot each take the whole allowance: the count is the file's.
  std::string many;
  for (int d = 0; d < 3; ++d) {
    many += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: m" + std::to_string(d) + "}\ndata:\n  a: &a \"" +
            std::string(100 << 10, 'y') + "\"\n";
    for (int i = 0; i < 5; ++i) many += "  k" + std::to_string(i) + ": *a\n";
  }
  kmc::parser::LoaderLimits small;
  small.max_alias_bytes = 1 << 20;
  kmc::parser::LoadResult split = kmc::test::load_string(many, small);
  REQUIRE(split.findings.size() == 1);
  CHECK(split.findings[0].rule == "syntax/limit");
  CHECK(split.documents.size() == 2);  // the third document goes over; the first two stay
}

TEST_CASE("findings are bounded per rule and file, and messages in length", "[hostile][limits]") {
  std::string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup}\ndata:\n";
  for (int i = 0; i < 1000; ++i) yaml += "  k: v\n";
  kmc::checks::Analysis a = kmc::test::analyze_text(yaml);
  REQUIRE(a.findings.size() == 100);
  CHECK(a.findings.back().rule == "syntax/duplicate-key");
  CHECK(a.findings.back().message.starts_with("and 900 more duplicate keys in this file, not shown"));
  CHECK(a.findings.back().pos.line == 105);  // the 100th duplicate: the 99 before are listed

  // A value of 100 KB quoted in a message is cut in its middle; the message keeps its end.
  std::string label = std::string(100'000, 'v');
  kmc::checks::Analysis quoted =
      kmc::test::analyze_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: q, labels: {a: \"" + label + "\"}}\n");
  REQUIRE(!quoted.findings.empty());
  for (const kmc::Finding& f : quoted.findings) CHECK(f.message.size() <= kmc::kMaxMessageBytes + 8);
  CHECK(quoted.findings[0].message.find(" … ") != std::string::npos);

  // --max-findings lists fewer, and the summary and the exit status still count them all.
  Scratch s("max");
  std::string file = s.write("dup.yaml", yaml);
  Run listed = run("check --no-color -q --max-findings 3 " + file);
  CHECK(listed.status == 1);
  Run summary = run("check --no-color --max-findings 3 " + file);
  CHECK(summary.out.find("100 errors in 1 object from 1 file (97 not shown: --max-findings)") != std::string::npos);
  Run all = run("check --no-color -q --max-findings-per-file 0 " + file);
  size_t lines = 0;
  for (char c : all.out) lines += c == '\n';
  CHECK(lines == 999);  // 1000 keys: the first of them is no duplicate
}

TEST_CASE("odd input is reported where it is", "[hostile][accuracy]") {
  // An unpaired UTF-16 surrogate, in a file of either byte order: at its line and column, not 1:1.
  std::u16string text = u"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u}\ndata:\n  a: \"x";
  for (bool big_endian : {false, true}) {
    std::string bytes = big_endian ? std::string("\xfe\xff") : std::string("\xff\xfe");
    auto put = [&](char16_t u) {
      char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xff);
      bytes += big_endian ? std::string{hi, lo} : std::string{lo, hi};
    };
    for (char16_t u : text) put(u);
    put(0xd800);  // a high surrogate with no low one after it
    for (char16_t u : std::u16string(u"y\"\n")) put(u);
    kmc::parser::LoadResult input = kmc::test::load_string(bytes);
    REQUIRE(input.findings.size() == 1);
    CHECK(input.findings[0].rule == "syntax/yaml");
    CHECK(input.findings[0].pos.line == 5);
    CHECK(input.findings[0].pos.column == 9);
  }

  // A byte order mark at the start of a later document: kubectl decodes each document alone and
  // accepts it; so does kmc (before or after the `---` line).
  for (std::string marker : {"---\n\xEF\xBB\xBF", "\xEF\xBB\xBF---\n"}) {
    kmc::parser::LoadResult input = kmc::test::load_string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n" + marker +
                                                   "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
    CHECK(input.findings.empty());
    REQUIRE(input.objects.size() == 2);
    CHECK(input.objects[1].root->pos().line == 5);
  }
  // Inside a document, as for kubectl, it is no mark but a character where none may stand.
  kmc::parser::LoadResult inside =
      kmc::test::load_string("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n\xEF\xBB\xBF" "data: {}\n");
  CHECK(!inside.findings.empty());
}

TEST_CASE("columns past 4 194 303 on a minified JSON line are still right", "[hostile][accuracy]") {
  std::string json = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w"},"data":{"pad":")" +
                     std::string(4'200'000, 'x') + R"(","b":1}})";
  kmc::checks::Analysis a = kmc::test::analyze_text(json, "wide.json");
  const kmc::Finding* type = nullptr;
  for (const kmc::Finding& f : a.findings)
    if (f.rule == "schema/type") type = &f;
  REQUIRE(type);
  CHECK(type->pos.line == 1);
  CHECK(type->pos.column == json.find("1}}") + 1);  // the value 1, 4.2 million bytes in
}
