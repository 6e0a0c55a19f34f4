// libFuzzer target: `kmc lsp` as a hostile client drives it. The input is the byte stream a
// client writes — headers, JSON-RPC messages, document edits with any positions — played to the
// server over a pipe; the workspace it checks is confined to a directory of the harness's
// (tests/lsp_session.h). Seeds: fuzz/seeds/lsp/. `make fuzz` runs it after the other targets.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/lsp_session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kmc::test::play_lsp_session(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
