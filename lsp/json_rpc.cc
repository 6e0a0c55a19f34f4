#include "lsp/json_rpc.h"

#include <cerrno>
#include <charconv>

#include <poll.h>
#include <unistd.h>

namespace kmc::lsp {
namespace {

// A header line longer than this is no LSP header: real ones are under 100 bytes.
constexpr size_t kMaxHeaderLine = 1024;
// Header lines before the blank one: two are defined.
constexpr int kMaxHeaderLines = 32;

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

}  // namespace

MessageReader::MessageReader(int fd, const std::atomic<bool>* stop, size_t max_body)
    : fd_(fd), stop_(stop), max_body_(max_body) {}

bool MessageReader::fill() {
  if (pos_ > 0 && pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > (size_t{1} << 20)) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  char chunk[65536];
  for (;;) {
    if (stop_) {
      if (stop_->load()) return false;
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, 100);
      if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
    }
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// One header line without its "\r\n" (a bare "\n" is taken too); false at the end of the stream
// or past kMaxHeaderLine, which no client sends.
bool MessageReader::read_line(std::string* line) {
  for (;;) {
    size_t nl = buffer_.find('\n', pos_);
    if (nl != std::string::npos) {
      if (nl - pos_ > kMaxHeaderLine) return false;
      line->assign(buffer_, pos_, nl - pos_);
      if (!line->empty() && line->back() == '\r') line->pop_back();
      pos_ = nl + 1;
      return true;
    }
    if (buffer_.size() - pos_ > kMaxHeaderLine || !fill()) return false;
  }
}

bool MessageReader::discard(size_t n) {
  while (n > 0) {
    size_t have = buffer_.size() - pos_;
    size_t take = std::min(have, n);
    pos_ += take;
    n -= take;
    if (n > 0 && !fill()) return false;
  }
  return true;
}

MessageReader::Status MessageReader::next(std::string* body, std::string* error) {
  std::string line;
  size_t length = 0;
  bool has_length = false, bad_length = false;
  int lines = 0;
  for (;;) {
    if (!read_line(&line)) return Status::End;
    if (line.empty()) {
      if (lines == 0) continue;  // blank lines between messages
      break;
    }
    if (++lines > kMaxHeaderLines) return Status::End;
    if (starts_with_ignoring_case(line, "content-length:")) {
      std::string_view v = std::string_view(line).substr(15);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), length);
      has_length = ec == std::errc() && end == v.data() + v.size();
      bad_length = !has_length;
    }
  }
  if (!has_length) {
    *error = bad_length ? "a message's Content-Length is not a number: its header was read past"
                        : "a message has no Content-Length header: its header was read past";
    return Status::Skipped;
  }
  if (length > max_body_) {
    *error = "a message of " + std::to_string(length) + " bytes is larger than kmc reads (" +
             std::to_string(max_body_ >> 20) + " MiB): it was skipped";
    return discard(length) ? Status::Skipped : Status::End;
  }
  while (buffer_.size() - pos_ < length)
    if (!fill()) return Status::End;
  body->assign(buffer_, pos_, length);
  pos_ += length;
  return Status::Message;
}

bool write_message(int fd, std::string_view body) {
  std::string framed = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  framed.append(body);
  std::string_view rest = framed;
  while (!rest.empty()) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    rest.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace kmc::lsp
