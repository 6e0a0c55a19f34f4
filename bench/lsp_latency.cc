// `make bench`, the language server: the time from a `didChange` to the `publishDiagnostics`
// it causes, as an editor sees it. Starts `kmc lsp` (default debounce) on a workspace folder,
// opens one of its files, and toggles a misspelt top-level field at the file's end, so that every
// edit changes that file's diagnostics; the first toggle (the initial check) is not counted.
// Usage: kmc-bench-lsp KMC FOLDER FILE [EDITS]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "lsp/json_access.h"
#include "lsp/json_rpc.h"
#include "lsp/uri.h"

namespace {
using Clock = std::chrono::steady_clock;

std::string json_quoted(const std::string& s) {
  rapidjson::StringBuffer b;
  kmc::lsp::JsonWriter w(b);
  kmc::lsp::write_string(w, s);
  return b.GetString();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: kmc-bench-lsp KMC FOLDER FILE [EDITS]\n");
    return 2;
  }
  std::string folder = std::filesystem::absolute(argv[2]).lexically_normal().string();
  std::string file = std::filesystem::absolute(argv[3]).lexically_normal().string();
  int edits = argc > 4 ? std::atoi(argv[4]) : 20;
  int to[2], from[2];
  if (pipe(to) != 0 || pipe(from) != 0) return 2;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(to[0], 0);
    dup2(from[1], 1);
    close(to[1]);
    close(from[0]);
    execl(argv[1], argv[1], "lsp", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(to[0]);
  close(from[1]);
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string base = text.str();
  if (!base.empty() && base.back() != '\n') base += '\n';
  std::string uri = kmc::lsp::uri_of_path(file);
  auto send = [&](const std::string& json) { kmc::lsp::write_message(to[1], json); };
  send(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":)" +
       json_quoted(kmc::lsp::uri_of_path(folder)) + R"(,"capabilities":{}}})");
  send(R"({"jsonrpc":"2.0","method":"initialized","params":{}})");
  send(R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":)" + json_quoted(uri) +
       R"(,"languageId":"yaml","version":0,"text":)" + json_quoted(base) + "}}}");
  kmc::lsp::MessageReader reader(from[0]);
  auto wait_publish = [&] {
    std::string body, error;
    while (reader.next(&body, &error) != kmc::lsp::MessageReader::Status::End) {
      rapidjson::Document d;
      d.Parse(body.c_str());
      if (kmc::lsp::string_at(&d, "method") == "textDocument/publishDiagnostics" &&
          kmc::lsp::string_at(kmc::lsp::member(&d, "params"), "uri") == uri)
        return true;
    }
    return false;
  };
  std::vector<double> ms;
  for (int n = 0; n <= edits; ++n) {
    std::string body = n % 2 == 0 ? base + "kmcBenchField: 1\n" : base;
    auto start = Clock::now();
    send(R"({"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":)" + json_quoted(uri) +
         R"(,"version":)" + std::to_string(n + 1) + R"(},"contentChanges":[{"text":)" + json_quoted(body) + "}]}}");
    if (!wait_publish()) {
      std::fprintf(stderr, "kmc-bench-lsp: the server ended\n");
      return 1;
    }
    if (n > 0) ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  send(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})");
  send(R"({"jsonrpc":"2.0","method":"exit"})");
  close(to[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  std::sort(ms.begin(), ms.end());
  std::printf("  didChange → publishDiagnostics over %zu edits: median %.1f ms, p90 %.1f ms, max %.1f ms\n", ms.size(),
              ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms.back());
  return 0;
}
