#include "lsp/server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/paths.h"
#include "lsp/event_queue.h"
#include "lsp/json_access.h"
#include "lsp/json_rpc.h"
#include "lsp/requests.h"
#include "lsp/uri.h"
#include "lsp/workspace_check.h"

#ifndef KMC_VERSION
#define KMC_VERSION "dev"
#endif

namespace kmc::lsp {
namespace {
using Clock = std::chrono::steady_clock;

// Ids of requests the client cancelled before the loop reached them: the reader thread adds
// them as it reads `$/cancelRequest`, the loop answers those requests RequestCancelled.
class Cancellations {
 public:
  void add(std::string id) {
    std::lock_guard lock(mutex_);
    if (ids_.size() < 4096) ids_.insert(std::move(id));
  }
  bool take(const std::string& id) {
    std::lock_guard lock(mutex_);
    return ids_.erase(id) > 0;
  }

 private:
  std::mutex mutex_;
  std::set<std::string> ids_;
};

void read_messages(int fd, const std::atomic<bool>* stop, EventQueue* queue, Cancellations* cancelled) {
  MessageReader reader(fd, stop);
  std::string body, error;
  for (;;) {
    MessageReader::Status s = reader.next(&body, &error);
    if (s == MessageReader::Status::End) break;
    if (s == MessageReader::Status::Skipped) {
      queue->push({Event::Skipped, std::move(error), nullptr});
      continue;
    }
    if (body.find("$/cancelRequest") != std::string::npos) {
      rapidjson::Document d;
      d.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
      const Json* id = member(member(&d, "params"), "id");
      if (!d.HasParseError() && id && (id->IsInt64() || id->IsString())) cancelled->add(json_text(*id));
    }
    queue->push({Event::Message, std::move(body), nullptr});
  }
  queue->push({Event::End, {}, nullptr});
}

class Server {
 public:
  explicit Server(const ServerOptions& options) : options_(options) {}

  int run() {
    std::thread reader(read_messages, options_.in, &stop_reading_, &queue_, &cancelled_);
    while (!stopped_) {
      std::optional<Clock::time_point> until;
      if (pending_ && !check_thread_.joinable()) until = check_at_;
      std::optional<Event> e = queue_.pop(until);
      if (!e) {
        start_check();
        continue;
      }
      switch (e->kind) {
        case Event::Message: handle(e->text); break;
        case Event::Skipped: log("{}", e->text); break;
        case Event::End:
          if (!exit_seen_) log("the client closed the connection without `exit`");
          stopped_ = true;
          break;
        case Event::Checked: finish_check(std::move(e->result)); break;
      }
    }
    if (check_thread_.joinable()) check_thread_.join();
    stop_reading_ = true;
    reader.join();
    return exit_seen_ && shutdown_seen_ ? 0 : 1;
  }

 private:
  template <class... A> void log(fmt::format_string<A...> f, A&&... a) {
    if (options_.log) fmt::print(options_.log, "kmc lsp: {}\n", fmt::format(f, std::forward<A>(a)...));
  }

  void send(std::string_view body) {
    if (!write_message(options_.out, body) && !client_gone_) {
      client_gone_ = true;
      log("the client stopped reading: its pipe is closed");
    }
  }

  void reply(const std::string& id, const std::string& result_json) {
    send(fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":{}}})", id, result_json));
  }

  void reply_error(const std::string& id, int code, std::string_view message) {
    rapidjson::StringBuffer b;
    JsonWriter w(b);
    write_string(w, message);
    send(fmt::format(R"({{"jsonrpc":"2.0","id":{},"error":{{"code":{},"message":{}}}}})", id, code, b.GetString()));
  }

  void notify(std::string_view method, const std::string& params_json) {
    send(fmt::format(R"({{"jsonrpc":"2.0","method":"{}","params":{}}})", method, params_json));
  }

  void handle(const std::string& text);
  void handle_request(const std::string& id, std::string_view method, const Json* params);
  void handle_notification(std::string_view method, const Json* params);
  void initialize(const std::string& id, const Json* params);
  void register_watchers();
  void open(const Json* params);
  void change(const Json* params);
  void close(const Json* params);
  void change_folders(const Json* params);
  TextDocument* document_of(const Json* params);
  void schedule_check() {
    pending_ = true;
    check_at_ = Clock::now() + std::chrono::milliseconds(options_.debounce_ms);
  }
  void start_check();
  void finish_check(std::unique_ptr<CheckResult> result);

  const ServerOptions& options_;
  EventQueue queue_;
  Cancellations cancelled_;
  std::atomic<bool> stop_reading_ = false;
  bool initialized_ = false, shutdown_seen_ = false, exit_seen_ = false, stopped_ = false, client_gone_ = false;
  bool watch_registration_ = false;
  Encoding encoding_ = Encoding::Utf16;
  std::vector<std::string> folders_;
  std::map<std::string, TextDocument> documents_;  // by URI
  std::map<std::string, std::string> published_;   // URI: the diagnostics last sent
  std::string shown_errors_;
  bool pending_ = false;
  Clock::time_point check_at_;
  std::thread check_thread_;
  std::unique_ptr<CheckResult> last_;
  int next_request_ = 1;
};

void Server::handle(const std::string& text) {
  rapidjson::Document msg;
  msg.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (msg.HasParseError() || !msg.IsObject()) {
    reply_error("null", msg.HasParseError() ? kParseError : kInvalidRequest,
                msg.HasParseError() ? "the message is not JSON" : "a message is a JSON object");
    return;
  }
  const Json* id = member(&msg, "id");
  const Json* method = member(&msg, "method");
  if (!method) return;  // a response to a request of the server's (client/registerCapability)
  bool valid_id = id && (id->IsInt64() || id->IsString());
  if (!method->IsString() || (id && !valid_id)) {
    reply_error(valid_id ? json_text(*id) : "null", kInvalidRequest, "a request has a string method and a number or string id");
    return;
  }
  std::string_view name(method->GetString(), method->GetStringLength());
  const Json* params = member(&msg, "params");
  if (!id) return handle_notification(name, params);
  std::string id_text = json_text(*id);
  if (cancelled_.take(id_text)) return reply_error(id_text, kRequestCancelled, "cancelled");
  handle_request(id_text, name, params);
}

void Server::handle_request(const std::string& id, std::string_view method, const Json* params) {
  if (method == "initialize") return initialize(id, params);
  if (!initialized_) return reply_error(id, kServerNotInitialized, "the server is not initialized yet");
  if (shutdown_seen_) return reply_error(id, kInvalidRequest, "the server is shutting down");
  if (method == "shutdown") {
    shutdown_seen_ = true;
    return reply(id, "null");
  }
  bool symbols = method == "textDocument/documentSymbol", hovers = method == "textDocument/hover",
       actions = method == "textDocument/codeAction", definitions = method == "textDocument/definition";
  if (!symbols && !hovers && !actions && !definitions)
    return reply_error(id, kMethodNotFound, fmt::format("kmc does not answer {}", method));
  const Json* params_doc = member(params, "textDocument");
  auto uri = string_at(params_doc, "uri");
  auto found = uri ? documents_.find(std::string(*uri)) : documents_.end();
  if (found == documents_.end())
    return reply_error(id, kInvalidParams, uri ? fmt::format("{} is not open", *uri) : "textDocument.uri is missing");
  RequestContext context{found->second, last_.get(), encoding_};
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  if (symbols) {
    document_symbols(context, w);
  } else if (hovers || definitions) {
    auto at = position_at(params, "position");
    if (!at) return reply_error(id, kInvalidParams, "position is missing");
    if (hovers) hover(context, *at, w);
    else definition(context, *at, w);
  } else {
    code_actions(context, params, w);
  }
  reply(id, b.GetString());
}

void Server::handle_notification(std::string_view method, const Json* params) {
  if (method == "exit") {
    exit_seen_ = true;
    stopped_ = true;
    return;
  }
  if (!initialized_ || shutdown_seen_) return;  // the protocol drops notifications then
  if (method == "initialized") register_watchers();
  else if (method == "textDocument/didOpen") open(params);
  else if (method == "textDocument/didChange") change(params);
  else if (method == "textDocument/didClose") close(params);
  else if (method == "workspace/didChangeWorkspaceFolders") change_folders(params);
  // A save, a setting, a file changed outside the editor (a `git checkout`, .kmc.yaml): the
  // workspace is checked again as the disk has it now.
  else if (method == "textDocument/didSave" || method == "workspace/didChangeConfiguration" ||
           method == "workspace/didChangeWatchedFiles")
    schedule_check();
}

// The workspace folders' paths, else the root the client gives in the older ways (rootUri, rootPath).
std::vector<std::string> folders_of(const Json* params) {
  std::vector<std::string> folders;
  if (const Json* list = member(params, "workspaceFolders"); list && list->IsArray())
    for (const Json& f : list->GetArray())
      if (auto uri = string_at(&f, "uri"))
        if (auto path = path_of_uri(*uri)) folders.push_back(absolute_path(*path));
  if (folders.empty())
    if (auto uri = string_at(params, "rootUri"))
      if (auto path = path_of_uri(*uri)) folders.push_back(absolute_path(*path));
  if (folders.empty())
    if (auto path = string_at(params, "rootPath"); path && !path->empty()) folders.push_back(absolute_path(*path));
  return folders;
}

void Server::initialize(const std::string& id, const Json* params) {
  if (initialized_) return reply_error(id, kInvalidRequest, "initialize was already sent");
  initialized_ = true;
  folders_ = folders_of(params);
  // UTF-8 when the client offers it: kmc's texts are UTF-8, and no conversion is cheapest.
  const Json* encodings = member(member(params, "capabilities"), "general");
  encodings = member(encodings, "positionEncodings");
  if (encodings && encodings->IsArray())
    for (const Json& e : encodings->GetArray())
      if (e.IsString() && std::string_view(e.GetString()) == "utf-8") encoding_ = Encoding::Utf8;
  const Json* watched = member(member(member(params, "capabilities"), "workspace"), "didChangeWatchedFiles");
  const Json* dynamic = member(watched, "dynamicRegistration");
  watch_registration_ = dynamic && dynamic->IsBool() && dynamic->GetBool();
  std::string result = fmt::format(
      R"({{"capabilities":{{"positionEncoding":"{}","textDocumentSync":{{"openClose":true,"change":2,"save":{{"includeText":false}}}},)"
      R"("hoverProvider":true,"definitionProvider":true,"documentSymbolProvider":true,"codeActionProvider":{{"codeActionKinds":["quickfix"]}},)"
      R"("workspace":{{"workspaceFolders":{{"supported":true,"changeNotifications":true}}}}}},)"
      R"("serverInfo":{{"name":"kmc","version":"{}"}}}})",
      encoding_ == Encoding::Utf8 ? "utf-8" : "utf-16", KMC_VERSION);
  reply(id, result);
  schedule_check();
}

// Files changed outside the editor, .kmc.yaml among them, are checked again: the client watches
// them when it can be asked to.
void Server::register_watchers() {
  if (!watch_registration_) return;
  send(fmt::format(R"({{"jsonrpc":"2.0","id":"kmc/{}","method":"client/registerCapability","params":{{"registrations":[)"
                   R"({{"id":"kmc-watched-files","method":"workspace/didChangeWatchedFiles","registerOptions":{{"watchers":[)"
                   R"({{"globPattern":"**/*.{{yaml,yml,json}}"}},{{"globPattern":"**/.kmc.yaml"}}]}}}}]}}}})",
                   next_request_++));
}

TextDocument* Server::document_of(const Json* params) {
  auto uri = string_at(member(params, "textDocument"), "uri");
  if (!uri) return nullptr;
  auto it = documents_.find(std::string(*uri));
  return it == documents_.end() ? nullptr : &it->second;
}

void Server::open(const Json* params) {
  const Json* doc = member(params, "textDocument");
  auto uri = string_at(doc, "uri");
  auto text = string_at(doc, "text");
  if (!uri || !text) return log("didOpen without textDocument.uri and text: ignored");
  TextDocument& d = documents_[std::string(*uri)];
  d.uri = *uri;
  auto path = path_of_uri(*uri);
  d.path = path ? absolute_path(*path) : std::string();
  d.text = *text;
  d.version = integer_at(doc, "version").value_or(0);
  schedule_check();
}

void Server::change(const Json* params) {
  TextDocument* d = document_of(params);
  const Json* changes = member(params, "contentChanges");
  if (!d || !changes || !changes->IsArray()) return log("didChange for a document that is not open: ignored");
  for (const Json& c : changes->GetArray()) {
    auto text = string_at(&c, "text");
    if (!text) continue;
    if (auto range = range_at(&c, "range")) d->edit(*range, *text, encoding_);
    else d->text = *text;
  }
  d->version = integer_at(member(params, "textDocument"), "version").value_or(d->version + 1);
  schedule_check();
}

void Server::close(const Json* params) {
  TextDocument* d = document_of(params);
  if (!d) return;
  documents_.erase(d->uri);
  schedule_check();  // the file as the disk has it
}

void Server::change_folders(const Json* params) {
  const Json* event = member(params, "event");
  auto paths = [&](const char* key) {
    std::vector<std::string> out;
    if (const Json* list = member(event, key); list && list->IsArray())
      for (const Json& f : list->GetArray())
        if (auto uri = string_at(&f, "uri"))
          if (auto path = path_of_uri(*uri)) out.push_back(absolute_path(*path));
    return out;
  };
  for (const std::string& gone : paths("removed")) std::erase(folders_, gone);
  for (const std::string& added : paths("added"))
    if (std::find(folders_.begin(), folders_.end(), added) == folders_.end()) folders_.push_back(added);
  schedule_check();
}

bool under(const std::string& path, const std::string& folder) {
  return path.size() > folder.size() && path.starts_with(folder) && (folder.back() == '/' || path[folder.size()] == '/');
}

void Server::start_check() {
  pending_ = false;
  CheckRequest request;
  request.folders = folders_;
  request.encoding = encoding_;
  request.jobs = options_.jobs;
  for (const auto& [uri, d] : documents_) {
    if (d.path.empty()) continue;
    request.buffers[d.path] = d.text;
    bool in_folder = false;
    for (const std::string& f : folders_) in_folder = in_folder || under(d.path, f);
    // Not a directory or device that happens to be open; a file not saved yet is read from its buffer.
    std::error_code ec;
    auto status = std::filesystem::status(d.path, ec);
    bool readable = status.type() == std::filesystem::file_type::regular || status.type() == std::filesystem::file_type::not_found;
    if (!in_folder && readable) request.loose_files.push_back(d.path);
  }
  if (request.folders.empty() && request.loose_files.empty()) return;
  check_thread_ = std::thread([this, request = std::move(request)]() mutable {
    auto result = std::make_unique<CheckResult>(options_.check(std::move(request)));
    queue_.push({Event::Checked, {}, std::move(result)});
  });
}

void Server::finish_check(std::unique_ptr<CheckResult> result) {
  check_thread_.join();
  for (auto& [uri, json] : result->diagnostics) {
    auto [it, added] = published_.try_emplace(uri, "[]");
    if (it->second == json) continue;
    it->second = json;
    rapidjson::StringBuffer b;
    JsonWriter w(b);
    write_string(w, uri);
    notify("textDocument/publishDiagnostics", fmt::format(R"({{"uri":{},"diagnostics":{}}})", b.GetString(), json));
  }
  for (auto it = published_.begin(); it != published_.end();) {
    if (result->diagnostics.count(it->first)) {
      ++it;
      continue;
    }
    rapidjson::StringBuffer b;
    JsonWriter w(b);
    write_string(w, it->first);
    if (it->second != "[]") notify("textDocument/publishDiagnostics", fmt::format(R"({{"uri":{},"diagnostics":[]}})", b.GetString()));
    it = published_.erase(it);
  }
  std::string errors = fmt::format("{}", fmt::join(result->errors, "\n"));
  if (errors != shown_errors_ && !errors.empty()) {
    rapidjson::StringBuffer b;
    JsonWriter w(b);
    write_string(w, "kmc: " + errors);
    notify("window/showMessage", fmt::format(R"({{"type":1,"message":{}}})", b.GetString()));
  }
  shown_errors_ = errors;
  // Said only when it is slow enough for a user to notice (an editor keeps this log).
  if (result->seconds >= 0.25) log("checked in {:.0f} ms", result->seconds * 1000);
  last_ = std::move(result);
}

}  // namespace

int serve(const ServerOptions& options) { return Server(options).run(); }

}  // namespace kmc::lsp
