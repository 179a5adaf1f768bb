# SPDX-License-Identifier: MIT
"""The documented Neovim set-up, run: the real `nvim --headless` loads editors/neovim/spec_check.lua
as its init.lua, opens broken copies of the example (Turtle) and of a spec-kit folder (Markdown),
and the diagnostics spec-check's server sends reach its buffers with the expected rule and range.

`spec-check` on PATH is a two-line shim that runs this checkout's code, so the snippet is used
exactly as the docs show it. .ci/run installs Debian's neovim (0.7.2 on bookworm: the snippet's
vim.lsp.start_client path; 0.8 and later take vim.lsp.start).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import EXAMPLE, REPO, SPECKIT, SPECKIT_NAME

HERE = Path(__file__).parent / "neovim"
CASES = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))


@pytest.fixture
def nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nvim is missing: .ci/run installs Debian's neovim")
        pytest.skip("nvim is not installed (apt-get install neovim; .ci/run does)")
    return found


def test_the_documented_snippet_shows_diagnostics_in_neovim(nvim: str, tmp_path: Path):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws / "specs" / EXAMPLE.name, ignore=shutil.ignore_patterns("docs"))
    shutil.copytree(SPECKIT, ws / "specs" / SPECKIT_NAME)
    files = []
    for case in CASES.values():
        path = ws / "specs" / case["folder"] / case["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(case["old"]) == 1, case["old"]
        path.write_text(text.replace(case["old"], case["new"]), encoding="utf-8")
        files.append(str(path.relative_to(ws)))
    (ws / "files.txt").write_text("\n".join(files) + "\n", encoding="utf-8")
    shim = tmp_path / "bin" / "spec-check"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{REPO / "src"}" exec "{sys.executable}" -m spec_check "$@"\n',
                    encoding="utf-8")
    shim.chmod(0o755)

    done = subprocess.run(
        [nvim, "--headless", "-u", str(REPO / "editors" / "neovim" / "spec_check.lua"),
         "-c", f"luafile {HERE / 'harness.lua'}"],
        cwd=ws, env={**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    shown = json.loads((ws / "diagnostics.json").read_text(encoding="utf-8"))
    assert not [d for d in shown if d.get("timeout")], shown
    for case in CASES.values():
        file = str(Path("specs") / case["folder"] / case["file"])
        got = sorted((d["code"], d["line"], d["col"], d["end_col"]) for d in shown if d["file"] == file)
        want = sorted((e["code"], e["line"], e["col"], e["end_col"]) for e in case["expected"])
        assert got == want, (file, shown)
    assert {d["source"] for d in shown} == {"spec-check"}
