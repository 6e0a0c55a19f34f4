// `kmc lsp` driven by vscode-jsonrpc and vscode-languageserver-protocol, the libraries VS Code's
// own client is built on. The library frames and checks every message kmc writes (a malformed
// one is an error of the connection); each result and notification is checked against the
// protocol's type guards (Diagnostic.is, Hover.is, CodeAction.is, DocumentSymbol.is).
// Usage: node client.js KMC WORKSPACE (a copy of examples/shop). Exit status 1 on a failure.
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const { StreamMessageReader, StreamMessageWriter } = require("vscode-jsonrpc/node");
const proto = require("vscode-languageserver-protocol/node");
const types = require("vscode-languageserver-types");

const [kmc, root] = process.argv.slice(2);
let failures = 0;
const ok = (what) => console.log(`ok: ${what}`);
const bad = (what) => { console.log(`FAIL: ${what}`); failures++; };
const check = (cond, what) => (cond ? ok(what) : bad(what));
const uri = (name) => `file://${path.join(root, name)}`;

const server = spawn(kmc, ["lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
const connection = proto.createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
connection.onError(([error]) => bad(`the connection reported an error: ${error}`));

// Every notification kmc sends, checked by shape; diagnostics kept by URI.
const diagnostics = new Map();
const waiters = [];
connection.onNotification((method, params) => {
  if (method === "textDocument/publishDiagnostics") {
    if (typeof params.uri !== "string" || !Array.isArray(params.diagnostics)) bad(`publishDiagnostics shape: ${JSON.stringify(params)}`);
    for (const d of params.diagnostics) {
      if (!types.Diagnostic.is(d)) bad(`not a Diagnostic: ${JSON.stringify(d)}`);
      if (typeof d.code !== "string" || !d.codeDescription || !/^https:\/\//.test(d.codeDescription.href)) bad(`diagnostic without its rule: ${JSON.stringify(d)}`);
      for (const r of d.relatedInformation || []) if (!types.DiagnosticRelatedInformation.is(r)) bad(`not related information: ${JSON.stringify(r)}`);
    }
    diagnostics.set(params.uri, params.diagnostics);
  } else if (method === "window/showMessage" || method === "window/logMessage") {
    if (typeof params.message !== "string") bad(`${method} shape`);
  } else {
    bad(`an unexpected notification ${method}`);
  }
  for (const w of waiters.splice(0)) w();
});
connection.onRequest("client/registerCapability", (params) => {
  check(Array.isArray(params.registrations) && params.registrations.every((r) => typeof r.id === "string" && typeof r.method === "string"),
        "client/registerCapability has the protocol's shape");
  return null;
});
connection.listen();

function until(what, predicate, ms = 20000) {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => { bad(`${what} (timed out)`); resolve(); }, ms);
    const test = () => {
      if (predicate()) { clearTimeout(deadline); ok(what); resolve(); } else waiters.push(test);
    };
    test();
  });
}
const codes = (name) => (diagnostics.get(uri(name)) || []).map((d) => d.code);

async function main() {
  const init = await connection.sendRequest(proto.InitializeRequest.type, {
    processId: process.pid, rootUri: `file://${root}`, workspaceFolders: [{ uri: `file://${root}`, name: "shop" }],
    capabilities: { general: { positionEncodings: ["utf-16"] }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  check(init.capabilities.positionEncoding === "utf-16" && init.capabilities.textDocumentSync.change === proto.TextDocumentSyncKind.Incremental,
        "initialize: UTF-16 positions, incremental sync");
  connection.sendNotification(proto.InitializedNotification.type, {});

  const redis = fs.readFileSync(path.join(root, "10-redis.yaml"), "utf8");
  connection.sendNotification(proto.DidOpenTextDocumentNotification.type,
    { textDocument: { uri: uri("10-redis.yaml"), languageId: "yaml", version: 1, text: redis } });
  await until("the first check publishes 30-catalog.yaml's findings", () => codes("30-catalog.yaml").includes("service/no-matching-pods"));

  const line = redis.split("\n").findIndex((l) => l === "  name: redis-service");
  const rename = (version, from, to) => connection.sendNotification(proto.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: uri("10-redis.yaml"), version },
    contentChanges: [{ range: { start: { line, character: 8 }, end: { line, character: 8 + from.length } }, text: to }],
  });
  rename(2, "redis-service", "redis-svc");
  await until("renaming the Service in 10-redis.yaml: 20-web.yaml gets discovery/unknown-service",
              () => codes("20-web.yaml").filter((c) => c === "discovery/unknown-service").length === 2);
  rename(3, "redis-svc", "redis-service");
  await until("renaming it back clears them", () => !codes("20-web.yaml").includes("discovery/unknown-service"));

  const web = fs.readFileSync(path.join(root, "20-web.yaml"), "utf8");
  connection.sendNotification(proto.DidOpenTextDocumentNotification.type,
    { textDocument: { uri: uri("20-web.yaml"), languageId: "yaml", version: 1, text: web } });
  const symbols = await connection.sendRequest(proto.DocumentSymbolRequest.type, { textDocument: { uri: uri("20-web.yaml") } });
  check(Array.isArray(symbols) && symbols.every((s) => types.DocumentSymbol.is(s)) &&
        symbols.map((s) => s.name).join(",") === "Service web,Deployment web", "documentSymbol: DocumentSymbols of the file's objects");

  const finding = (diagnostics.get(uri("20-web.yaml")) || []).find((d) => d.code === "affinity/no-anti-affinity");
  check(finding !== undefined, "20-web.yaml has affinity/no-anti-affinity");
  if (finding) {
    const hover = await connection.sendRequest(proto.HoverRequest.type, { textDocument: { uri: uri("20-web.yaml") }, position: finding.range.start });
    check(types.Hover.is(hover) && hover.contents.value.includes("affinity/no-anti-affinity"), "hover: a Hover that explains the rule");
    const actions = await connection.sendRequest(proto.CodeActionRequest.type,
      { textDocument: { uri: uri("20-web.yaml") }, range: finding.range, context: { diagnostics: [finding] } });
    check(Array.isArray(actions) && actions.length === 1 && actions.every((a) => types.CodeAction.is(a)) &&
          actions[0].edit.changes[uri("20-web.yaml")][0].newText === "  # kmc:ignore[affinity/no-anti-affinity]\n",
          "codeAction: a CodeAction that adds the suppression line");
  }
  const field = await connection.sendRequest(proto.HoverRequest.type, { textDocument: { uri: uri("20-web.yaml") }, position: { line: 0, character: 2 } });
  check(types.Hover.is(field) && field.contents.value.startsWith("**apiVersion**: string"), "hover on a field: its type");
  const nothing = await connection.sendRequest(proto.HoverRequest.type, { textDocument: { uri: uri("20-web.yaml") }, position: { line: 500, character: 0 } });
  check(nothing === null, "hover past the end: null");
  const selectorLine = web.split("\n").findIndex((l) => l.includes("app.kubernetes.io/name: web"));
  const targets = await connection.sendRequest(proto.DefinitionRequest.type, { textDocument: { uri: uri("20-web.yaml") }, position: { line: selectorLine, character: 6 } });
  check(Array.isArray(targets) && targets.length > 0 && targets.every((l) => types.Location.is(l)) && targets.some((l) => l.uri === uri("20-web.yaml") && l.range.start.line > selectorLine),
        "definition on the Service: Locations of the pod template it selects");
  try {
    await connection.sendRequest("kmc/unknown", {});
    bad("an unknown method was answered");
  } catch (e) {
    check(e.code === proto.ErrorCodes.MethodNotFound, "an unknown method: MethodNotFound");
  }
  await connection.sendRequest(proto.ShutdownRequest.type);
  connection.sendNotification(proto.ExitNotification.type);
  const status = await new Promise((resolve) => server.on("exit", resolve));
  check(status === 0, "exit after shutdown: status 0");
  connection.dispose();
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { bad(`the client threw: ${e.stack || e}`); process.exit(1); });
