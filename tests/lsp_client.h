#pragma once
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <rapidjson/document.h>

#include "lsp/json_access.h"
#include "lsp/json_rpc.h"
#include "lsp/server.h"

namespace kmc::test {

// A client that drives `kmc lsp`'s server over pipes as an editor does: it writes framed
// messages, and a thread of its own reads what the server writes back.
class LspClient {
 public:
  explicit LspClient(unsigned debounce_ms = 5) {
    int to_server[2], from_server[2];
    if (pipe2(to_server, O_CLOEXEC) != 0 || pipe2(from_server, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    server_in_ = to_server[0];
    client_out_ = to_server[1];
    client_in_ = from_server[0];
    server_out_ = from_server[1];
    lsp::ServerOptions o;
    o.in = server_in_;
    o.out = server_out_;
    o.debounce_ms = debounce_ms;
    o.jobs = 1;
    o.log = nullptr;
    server_ = std::thread([this, o] { status_ = lsp::serve(o); });
    reader_ = std::thread([this] {
      lsp::MessageReader r(client_in_);
      std::string body, error;
      while (r.next(&body, &error) != lsp::MessageReader::Status::End) {
        std::lock_guard lock(mutex_);
        received_.push_back(body);
        ready_.notify_all();
      }
    });
  }

  ~LspClient() { finish(); }

  // Closes the client's end and waits for the server; its exit status.
  int finish() {
    if (client_out_ >= 0) close(client_out_), client_out_ = -1;
    if (server_.joinable()) server_.join();
    if (server_out_ >= 0) close(server_out_), server_out_ = -1;
    if (reader_.joinable()) reader_.join();
    for (int* fd : {&server_in_, &client_in_})
      if (*fd >= 0) close(*fd), *fd = -1;
    return status_;
  }

  // `shutdown`, its answer, `exit`, and the server's exit status.
  int shut_down() {
    response(request("shutdown", "null"));
    notify("exit", "null");
    return finish();
  }

  void send_raw(const std::string& bytes) { (void)!write(client_out_, bytes.data(), bytes.size()); }
  void send(const std::string& json) { lsp::write_message(client_out_, json); }

  int request(const std::string& method, const std::string& params) {
    int id = next_id_++;
    send(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method + R"(","params":)" + params + "}");
    return id;
  }
  void notify(const std::string& method, const std::string& params) {
    send(R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + params + "}");
  }

  // The first message (in arrival order, from where the last match left off) for which `match`
  // holds; messages passed over stay for later waits. An empty document when none comes in
  // `timeout`.
  rapidjson::Document wait_for(const std::function<bool(const rapidjson::Document&)>& match,
                               std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
      for (auto it = received_.begin(); it != received_.end(); ++it) {
        rapidjson::Document d;
        d.Parse(it->c_str());
        if (!d.HasParseError() && match(d)) {
          received_.erase(it);
          return d;
        }
      }
      if (ready_.wait_until(lock, until) == std::cv_status::timeout) return {};
    }
  }

  rapidjson::Document response(int id) {
    return wait_for([id](const rapidjson::Document& d) {
      const lsp::Json* i = lsp::member(&d, "id");
      return i && i->IsInt() && i->GetInt() == id && !lsp::member(&d, "method");
    });
  }

  // The next publishDiagnostics for `uri`.
  rapidjson::Document diagnostics(const std::string& uri) {
    return wait_for([&uri](const rapidjson::Document& d) {
      return lsp::string_at(&d, "method") == "textDocument/publishDiagnostics" &&
             lsp::string_at(lsp::member(&d, "params"), "uri") == uri;
    });
  }

  // Every message not yet matched (for asserting what was not sent).
  std::deque<std::string> unmatched() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  int server_in_ = -1, server_out_ = -1, client_in_ = -1, client_out_ = -1;
  int status_ = -1;
  int next_id_ = 1;
  std::thread server_, reader_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> received_;
};

}  // namespace kmc::test
