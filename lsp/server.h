#pragma once
#include <cstdio>

#include "lsp/workspace_check.h"

// `kmc lsp`: a Language Server Protocol 3.17 server over a pair of file descriptors (stdin and
// stdout; a test's pipes). A reader thread frames the client's messages, the message loop
// answers them in order, and checks of the workspace run on a thread of their own, debounced,
// so that requests stay answered while a large workspace is checked (docs/editors.md).
namespace kmc::lsp {

struct ServerOptions {
  int in = 0;
  int out = 1;
  // How long after the last change a check starts: one check for a burst of keystrokes.
  unsigned debounce_ms = 30;
  unsigned jobs = 0;  // threads of each check; 0: every core
  std::FILE* log = stderr;  // what the server says about itself; null: nothing
  // How the workspace is checked (on the check thread); the fuzz target confines it to a
  // directory of its own.
  CheckResult (*check)(CheckRequest request) = check_workspace;
};

/// Serves until the client sends `exit` or closes the stream. 0 when `exit` followed
/// `shutdown`, as the protocol asks; 1 otherwise.
int serve(const ServerOptions& options);

}  // namespace kmc::lsp
