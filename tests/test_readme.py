# SPDX-License-Identifier: MIT
"""The README's examples of the example spec are what spec-check prints and renders today.

A new user compares the README with their first run; figures that drifted (a new rule adds checks)
would read as a broken install.
"""

from __future__ import annotations

import re

from conftest import ROOT, SPEC_008, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS_008 = SPEC_008 / "docs"


def _fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_the_first_example_prints_what_the_readme_shows():
    block = next(b for b in _fenced("console") if "$ spec-check specs/008-build-optimization-complete\n" in b)
    shown = block.split("$ spec-check specs/008-build-optimization-complete\n", 1)[1].splitlines()[0]
    run = run_cli([SPEC_008, "--no-cache"])
    assert run.exit_code == 0
    assert run.stdout.splitlines()[-1] == shown


def test_the_rendered_excerpts_are_lines_of_the_committed_documents():
    # render --check (tests/test_render.py) keeps the committed documents current; the README's
    # excerpts must be lines of them.
    documents = {name: (DOCS_008 / name).read_text(encoding="utf-8").splitlines() for name in ("report.md", "tasks.md")}
    excerpts = [b for b in _fenced("markdown") if "| Closure |" in b or b.startswith("# Tasks:")]
    assert len(excerpts) == 2
    for excerpt in excerpts:
        name = "tasks.md" if excerpt.startswith("# Tasks:") else "report.md"
        for line in excerpt.splitlines():
            assert not line or line in documents[name], f"README's {name} excerpt: {line!r} is not in {name}"
