// Starts `kmc lsp` for the YAML files of the workspace. Everything else — diagnostics across
// files, hover, quick fixes, symbols — is the server's (docs/editors.md).
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("kmc");
  const command = config.get("path", "kmc");
  const args = ["lsp", "--debounce", String(config.get("debounceMs", 30))];
  client = new LanguageClient(
    "kmc",
    "kmc",
    { run: { command, args, transport: TransportKind.stdio }, debug: { command, args, transport: TransportKind.stdio } },
    {
      documentSelector: [{ scheme: "file", language: "yaml" }, { scheme: "file", pattern: "**/*.json" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.yaml,*.yml,*.json,.kmc.yaml}") },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
