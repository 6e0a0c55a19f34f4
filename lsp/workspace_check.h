#pragma once
#include <memory>
#include <string>
#include <vector>

#include "lsp/diagnostics.h"
#include "lsp/text_document.h"
#include "parser/load.h"

namespace kmc::driver {
struct Run;
}

// One check of an editor's workspace, as `kmc check` would make it from each folder, with the
// open buffers read in place of their files. It runs on the server's check thread, off the
// message loop, and owns everything it reads: the server hands it copies.
namespace kmc::lsp {

struct CheckRequest {
  std::vector<std::string> folders;      // absolute paths of the workspace folders
  std::vector<std::string> loose_files;  // open documents on disk outside every folder
  parser::SourceBuffers buffers;         // the open documents' texts, by absolute path
  Encoding encoding = Encoding::Utf16;
  unsigned jobs = 0;  // threads of each run; 0: every core
};

struct CheckResult {
  CheckResult();
  ~CheckResult();
  CheckResult(CheckResult&&) noexcept;
  CheckResult& operator=(CheckResult&&) noexcept;

  DiagnosticsByUri diagnostics;
  // The runs, kept for the requests that read the model (symbols, hover, definitions) until the
  // next check replaces them.
  std::vector<std::unique_ptr<driver::Run>> runs;
  parser::SourceBuffers buffers;  // the texts the runs read
  std::vector<std::string> errors;  // what stopped a run (a bad .kmc.yaml, an unknown release)
  double seconds = 0;
};

CheckResult check_workspace(CheckRequest request);

}  // namespace kmc::lsp
