# SPDX-License-Identifier: MIT
"""The language server under test: `python -m spec_check lsp` driven over stdio by pytest-lsp.

Each test gets a fresh workspace (a copy of the example spec and of tests/lsp/cases/)
and a server started in it; nothing is mocked. Helpers wait for the server's
published diagnostics by state (what the client holds), never by sleeping a fixed time.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "specs" / "008-build-optimization-complete"
CASES = Path(__file__).parent / "cases"
# A spec-kit Markdown folder (spec.md, plan.md, tasks.md); under the name its spec.md gives as
# its branch, so the folder is closed.
SPECKIT = REPO / "tests" / "speckit" / "base"
SPECKIT_NAME = "001-photo-albums"

RULE_DOCS = "https://docs.example.org/spec-check/rules/{rule}"  # a team's own docs, one page per rule
SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "spec_check", "lsp"],
    # The code under test, wherever the package is installed from.
    server_env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"),
                                                                          os.environ.get("PYTHONPATH")]))},
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLE, root / "specs" / EXAMPLE.name, ignore=shutil.ignore_patterns("docs"))
    shutil.copytree(SPECKIT, root / "specs" / SPECKIT_NAME)
    for case in CASES.iterdir():
        if case.is_dir():
            shutil.copytree(case, root / "specs" / case.name)
    return root


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, workspace: Path):
    lsp_client.registrations = []

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams):  # as VS Code does: accept and remember
        lsp_client.registrations.extend(params.registrations)

    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=workspace.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
        initialization_options={"debounce": 0.05, "ruleDocumentationUrl": RULE_DOCS},
    ))
    yield
    await lsp_client.shutdown_session()
