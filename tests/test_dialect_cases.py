# SPDX-License-Identifier: MIT
"""Data-driven cases for dialects, normalisation, parse guidance, near misses and gates.

Each folder of tests/dialects/ with an expected.txt is checked with
`spec-check check .` from inside the folder (so paths are short). expected.txt:

* ``# rules: a b``: for each of these rule ids (and every rule id named on an
  expected line), the output's finding lines of that rule must be exactly the
  expected ones. Other rules may fire: cases stay valid when rules are added.
* ``# summary contains: TEXT``: the last (summary) line contains TEXT.
* ``# args: ...``: extra arguments for the check command.
* ``# exit: N``: the expected exit code (default: 1 when a violation is expected, else 0).
* ``# exact``: every finding line of the output must be an expected line, and the
  other way round (the case plants exactly these defects, and nothing else fires).
* every other non-empty line: a finding line, exactly as printed.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import run_cli

CASES_DIR = Path(__file__).resolve().parent / "dialects"
_RULE = re.compile(r"\(([\w:.-]+)\)$")


def _cases() -> list[Path]:
    return sorted(d for d in CASES_DIR.iterdir() if (d / "expected.txt").is_file())


def _rule_of(line: str) -> str | None:
    m = _RULE.search(line)
    return m.group(1) if m else None


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_case(case: Path, monkeypatch):
    rules: set[str] = set()
    summary: list[str] = []
    args: list[str] = []
    expected: list[str] = []
    exit_code = None
    exact = False
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# rules:"):
            rules |= set(line.split(":", 1)[1].split())
        elif line.startswith("# summary contains:"):
            summary.append(line.split(":", 1)[1].strip())
        elif line.startswith("# args:"):
            args += shlex.split(line.split(":", 1)[1])
        elif line.strip() == "# exact":
            exact = True
        elif line.startswith("# exit:"):
            exit_code = int(line.split(":", 1)[1])
        elif line.strip() and not line.startswith("#"):
            expected.append(line)
    rules |= {_rule_of(line) for line in expected}
    monkeypatch.chdir(case)
    run = run_cli(["check", ".", "--no-color", *args])
    lines = run.stdout.splitlines()
    assert lines, run.stderr
    for rule in sorted(rules):
        got = [line for line in lines[:-1] if _rule_of(line) == rule]
        want = [line for line in expected if _rule_of(line) == rule]
        assert got == want, f"rule {rule}:\n" + "\n".join(lines)
    if exact:
        assert lines[:-1] == expected, "\n".join(lines)
    for text in summary:
        assert text in lines[-1], lines[-1]
    if exit_code is None:
        exit_code = 1 if any("[violation]" in line for line in lines[:-1]) else 0
    assert run.exit_code == exit_code, run.stdout + run.stderr
