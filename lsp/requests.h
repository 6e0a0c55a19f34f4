#pragma once
#include <string>

#include "lsp/json_access.h"
#include "lsp/text_document.h"

// The requests that read a finished check and an open document: each writes its `result`.
namespace kmc::lsp {

struct CheckResult;

/// What a request reads: the document it is about and the last finished check (may be null).
struct RequestContext {
  const TextDocument& document;
  const CheckResult* check;
  Encoding encoding;
};

/// textDocument/documentSymbol: the objects of the file, `Kind name`, as DocumentSymbols.
void document_symbols(const RequestContext& c, JsonWriter& w);

/// textDocument/hover: on a finding, its rule's explanation and the message; else null.
void hover(const RequestContext& c, LspPosition at, JsonWriter& w);

/// textDocument/hover on a field's key (or its line): its path, type and the struct declaring
/// it, in the release the workspace is checked against. False when the cursor is on no field.
bool field_hover(const RequestContext& c, LspPosition at, std::string* markdown, LspRange* range);

/// textDocument/definition: from a reference to its target — a pod's ConfigMap or Secret (its
/// key when one is named), claim, governing Service, Service variable or DNS name; a Service to
/// the pod templates it selects and its Endpoints; a claim to the volume it binds; an Ingress
/// backend to its Service. Locations, or null.
void definition(const RequestContext& c, LspPosition at, JsonWriter& w);

/// textDocument/codeAction: for each kmc diagnostic of the request's context, the fixes whose
/// edit is determinate (the spelling a `did you mean` names) and a `# kmc:ignore[rule]` line.
void code_actions(const RequestContext& c, const Json* params, JsonWriter& w);

}  // namespace kmc::lsp
