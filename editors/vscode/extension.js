// SPDX-License-Identifier: MIT
// Starts `spec-check lsp` for Turtle files and spec-kit Markdown; everything else happens in the server.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("spec-check");
  const [command, ...args] = config.get("command", ["spec-check", "lsp"]);
  const serverOptions = { command, args };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "turtle" },
      // spec-kit feature folders: the files spec-check reads there (the server ignores other Markdown).
      { scheme: "file", language: "markdown", pattern: "**/{spec,plan,tasks,data-model}.md" },
      { scheme: "file", language: "markdown", pattern: "**/checklists/*.md" },
    ],
    initializationOptions: { debounce: config.get("debounce", 0.1) },
  };
  client = new LanguageClient("spec-check", "spec-check", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
