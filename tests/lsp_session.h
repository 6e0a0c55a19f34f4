#pragma once
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>

#include "lsp/server.h"

// A client's whole byte stream played to the server, as the fuzz target (fuzz/lsp_fuzz.cc) and
// its regression test play it. Whatever folders and files the stream names, the check reads one
// directory of its own, /tmp/kmc-lsp-fuzz (with a Service and a Deployment in app.yaml, which
// the seeds open and edit): a stream naming `/` must not make the fuzzer walk the disk.
namespace kmc::test {

inline const std::string& lsp_fuzz_root() {
  static const std::string root = [] {
    namespace fs = std::filesystem;
    fs::path dir = "/tmp/kmc-lsp-fuzz";
    fs::create_directories(dir);
    fs::path app = dir / "app.yaml";
    if (!fs::exists(app)) {
      // Written beside and renamed: fuzzing workers in parallel never read half a file.
      fs::path part = dir / ("app.yaml." + std::to_string(getpid()));
      std::ofstream(part) << "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
                             "  ports: [{port: 80, targetPort: http}]\n---\napiVersion: apps/v1\nkind: Deployment\n"
                             "metadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
                             "    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n"
                             "          image: nginx:1.27\n          ports: [{name: http, containerPort: 80}]\n";
      fs::rename(part, app);
    }
    return dir.string();
  }();
  return root;
}

inline lsp::CheckResult confined_check(lsp::CheckRequest request) {
  request.folders = {lsp_fuzz_root()};
  request.loose_files.clear();
  request.jobs = 1;
  return lsp::check_workspace(std::move(request));
}

// Serves `bytes` (then the end of the stream) and returns the server's exit status.
inline int play_lsp_session(std::string_view bytes) {
  lsp_fuzz_root();
  int in[2];
  if (pipe2(in, O_CLOEXEC) != 0) return -1;
  int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
  std::thread writer([&] {
    std::string_view rest = bytes;
    while (!rest.empty()) {
      ssize_t n = write(in[1], rest.data(), rest.size());
      if (n <= 0) break;
      rest.remove_prefix(static_cast<size_t>(n));
    }
    close(in[1]);
  });
  lsp::ServerOptions o;
  o.in = in[0];
  o.out = out;
  o.debounce_ms = 0;
  o.jobs = 1;
  o.log = nullptr;
  o.check = confined_check;
  int status = lsp::serve(o);
  // The server stops reading at `exit`: what the writer has left goes nowhere.
  close(in[0]);
  writer.join();
  close(out);
  return status;
}

}  // namespace kmc::test
