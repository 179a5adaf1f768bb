# SPDX-License-Identifier: MIT
"""What a spec's author writes must not act on the CI that reads our output: a folder named like a
workflow command must not become one in the `github` format, and labels that are Markdown or HTML
must come out of the `markdown` format (PR comments, job summaries) as text.

The Markdown is read back with markdown-it-py (CommonMark plus GFM tables), as a renderer would."""

from __future__ import annotations

import shutil

from markdown_it import MarkdownIt

from conftest import ROOT, run_cli

HOSTILE = ROOT / "tests" / "ci" / "hostile-labels"
CLEAN_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "NO_COLOR": None}


def _tokens(markdown: str):
    def walk(tokens):
        for token in tokens:
            yield token
            yield from walk(token.children or [])

    return list(walk(MarkdownIt("commonmark").enable("table").parse(markdown)))


def test_markdown_labels_come_out_as_text(monkeypatch):
    monkeypatch.chdir(ROOT)
    run = run_cli([HOSTILE, "--format", "markdown"], env=CLEAN_ENV)
    assert run.exit_code == 0, run.stderr
    tokens = _tokens(run.stdout)
    kinds = {t.type for t in tokens}
    assert not kinds & {"link_open", "image", "em_open"}, kinds
    assert [t.type for t in tokens].count("strong_open") == 1  # our own **closure** only
    # The only HTML is our own <details> block: opened once, closed once, at the end.
    html = [t.content.strip() for t in tokens if t.type in ("html_inline", "html_block")]
    assert html == ["<details><summary>2 findings</summary>", "</details>"]
    # The label is all there, as text, in both findings' message cells.
    cells = [t.content for t in tokens if t.type == "text" and "click me" in t.content]
    assert len(cells) == 2
    for cell in cells:
        assert '"</details> [click me](https://evil.example/x) ![i](https://evil.example/i.png) ' \
               '<img src=x onerror=alert(1)> **bold** `code`"' in cell


def test_markdown_code_cells_stay_in_their_column(tmp_path, monkeypatch):
    folder = tmp_path / "a|b`c"
    shutil.copytree(HOSTILE, folder)
    monkeypatch.chdir(tmp_path)
    markdown = run_cli([folder.name, "--format", "markdown"], env=CLEAN_ENV).stdout
    rows = [line for line in markdown.splitlines() if line.startswith("| `a")]
    tokens = _tokens(markdown)
    code = [t.content for t in tokens if t.type == "code_inline"]
    assert "a|b'c" in code and len(rows) == 1


def test_github_format_never_prints_a_command_it_did_not_mean(tmp_path, monkeypatch):
    for name in ("::error title=pwned::injected", "  ::add-mask::x", "plain"):
        shutil.copytree(HOSTILE, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    run = run_cli(["::error title=pwned::injected", "  ::add-mask::x", "plain", "--format", "github"],
                  env=CLEAN_ENV)
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]
    # Two findings a folder, each one ::warning annotation; nothing else the runner would obey.
    assert len(commands) == 6 and all(line.startswith("::warning file=") for line in commands), commands
    rows = [line for line in lines if "injected" in line and not line.startswith("::warning")]
    assert rows and all(row.startswith("./::error title=pwned::injected ") for row in rows), rows
