#include "lsp/workspace_check.h"

#include <chrono>
#include <filesystem>

#include "driver/run.h"

namespace kmc::lsp {

CheckResult::CheckResult() = default;
CheckResult::~CheckResult() = default;
CheckResult::CheckResult(CheckResult&&) noexcept = default;
CheckResult& CheckResult::operator=(CheckResult&&) noexcept = default;

namespace {

driver::RunOptions options_for(const CheckRequest& request, const parser::SourceBuffers& buffers) {
  driver::RunOptions o;
  o.buffers = &buffers;
  o.jobs = request.jobs;
  // Every finding is shown where it is: the per-file cap exists for terminals and CI logs.
  o.limits.total = 0;
  // The files' bytes stay for the diagnostics' ranges (read again from disk, they were a fifth
  // of a check of the shared corpus).
  o.keep_trees = true;
  return o;
}

// A file in two folders (one inside the other) keeps the diagnostics of the first run.
void merge(DiagnosticsByUri from, DiagnosticsByUri* into) {
  for (auto& [uri, json] : from) into->try_emplace(uri, std::move(json));
}

void add_run(std::unique_ptr<driver::Run> run, const CheckRequest& request, CheckResult* result) {
  for (const driver::RunMessage& m : run->messages)
    if (m.level == driver::RunMessage::Error) result->errors.push_back(m.text);
  merge(diagnostics_of(*run, request.encoding, result->buffers), &result->diagnostics);
  result->runs.push_back(std::move(run));
}

}  // namespace

CheckResult check_workspace(CheckRequest request) {
  auto start = std::chrono::steady_clock::now();
  CheckResult result;
  result.buffers = std::move(request.buffers);
  for (const std::string& folder : request.folders) {
    driver::RunOptions o = options_for(request, result.buffers);
    o.directory = folder;
    add_run(std::make_unique<driver::Run>(driver::run(o)), request, &result);
  }
  if (!request.loose_files.empty()) {
    driver::RunOptions o = options_for(request, result.buffers);
    o.paths = request.loose_files;
    o.directory = std::filesystem::path(request.loose_files.front()).parent_path().string();
    add_run(std::make_unique<driver::Run>(driver::run(o)), request, &result);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace kmc::lsp
