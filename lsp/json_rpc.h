#pragma once
#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

// JSON-RPC 2.0 as the Language Server Protocol frames it on a byte stream: a header block
// (`Content-Length: N`, optionally `Content-Type`), an empty line, then N bytes of JSON. The
// client is untrusted input like any manifest: a header without a length, a length past the
// limit or a stream that ends mid-message is reported and read past, never a crash or an
// allocation of the size a stranger wrote.
namespace kmc::lsp {

/// The protocol's error codes that kmc answers with.
enum ErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  kServerNotInitialized = -32002,
  kRequestCancelled = -32800,
};

/// Reads framed messages from a file descriptor (the client's stdout, or a test's pipe).
class MessageReader {
 public:
  /// Bodies longer than `max_body` bytes are skipped unread (a workspace's largest buffer is
  /// about the loader's file limit, 64 MiB).
  /// `stop`, when given, ends the reading (as the end of the stream) once it is set: a server
  /// that got `exit` stops even if the client keeps its end open.
  explicit MessageReader(int fd, const std::atomic<bool>* stop = nullptr, size_t max_body = size_t{64} << 20);

  enum class Status {
    Message,  // `body` holds one message's JSON
    Skipped,  // a message was read past: `error` says why; reading goes on
    End,      // the stream ended (the client exited or closed it)
  };
  Status next(std::string* body, std::string* error);

 private:
  bool fill();  // reads more bytes; false at the end of the stream
  bool read_line(std::string* line);
  bool discard(size_t n);

  int fd_;
  const std::atomic<bool>* stop_;
  size_t max_body_;
  std::string buffer_;
  size_t pos_ = 0;
};

/// Writes one framed message; false when the client is gone (a closed pipe).
bool write_message(int fd, std::string_view body);

}  // namespace kmc::lsp
