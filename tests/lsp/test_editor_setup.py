# SPDX-License-Identifier: MIT
"""The editor set-ups in editors/ and docs/editors.md: the VS Code extension packages with
@vscode/vsce, and every set-up starts the command that exists (`spec-check lsp`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VSCODE = REPO / "editors" / "vscode"
DOCS = REPO / "docs" / "editors.md"


def test_the_vscode_extension_is_packaged_with_vsce(tmp_path: Path):
    if shutil.which("npx") is None:
        pytest.skip("node/npm are not installed")
    if not (VSCODE / "node_modules" / "@vscode" / "vsce").is_dir():
        if os.environ.get("CI"):
            pytest.fail("editors/vscode/node_modules is missing: .ci/run runs `npm ci` there")
        pytest.skip("run `npm ci` in editors/vscode first (.ci/run does)")
    out = tmp_path / "spec-check.vsix"
    done = subprocess.run(["npx", "--no-install", "vsce", "package", "--out", str(out)], cwd=VSCODE,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(out) as vsix:
        names = set(vsix.namelist())
        manifest = json.loads(vsix.read("extension/package.json"))
    assert {"extension/extension.js", "extension/package.json"} <= names
    assert any(n.startswith("extension/LICENSE") for n in names)
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    assert not any("node_modules/@vscode/vsce" in n for n in names)  # the packager is no part of it
    assert manifest["main"] == "./extension.js"
    assert manifest["contributes"]["configuration"]["properties"]["spec-check.command"]["default"] == ["spec-check", "lsp"]
    syntax = subprocess.run(["node", "--check", str(VSCODE / "extension.js")], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr


def test_helix_and_neovim_set_ups_start_spec_check_lsp():
    helix = tomllib.loads((REPO / "editors" / "helix" / "languages.toml").read_text(encoding="utf-8"))
    server = helix["language-server"]["spec-check"]
    assert [server["command"], *server["args"]] == ["spec-check", "lsp"]
    languages = {language["name"]: language for language in helix["language"]}
    turtle, markdown = languages["turtle"], languages["markdown"]
    assert turtle["language-servers"] == ["spec-check"] and "ttl" in turtle["file-types"]
    assert "spec-check" in markdown["language-servers"]  # spec-kit folders (Helix's own marksman kept)
    # Neovim's snippet is run in the real nvim by tests/lsp/test_neovim.py; here: both start paths.
    lua = (REPO / "editors" / "neovim" / "spec_check.lua").read_text(encoding="utf-8")
    assert 'cmd = { "spec-check", "lsp" }' in lua
    assert "vim.lsp.start(config)" in lua and "vim.lsp.start_client(config)" in lua


def test_docs_show_the_files_as_they_are():
    """docs/editors.md quotes the Helix and Neovim files verbatim, so copying from the page works."""
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```(\w+)\n(.*?)```", text, re.DOTALL)
    bodies = {lang: body for lang, body in blocks}
    assert bodies["toml"] == (REPO / "editors" / "helix" / "languages.toml").read_text(encoding="utf-8")
    assert bodies["lua"] == (REPO / "editors" / "neovim" / "spec_check.lua").read_text(encoding="utf-8")


def test_the_command_the_editors_start_exists():
    from spec_check.cli import app, command_args
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, command_args(["lsp", "--help"]))
    assert result.exit_code == 0 and "language server" in result.stdout
