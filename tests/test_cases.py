# SPDX-License-Identifier: MIT
"""The data-driven case suite: one folder per case under tests/cases/ (format: tests/cases/README.md).

Each case assembles a spec folder in tmp_path (a copy of specs/008 with edits,
or the case's own small files), runs the CLI in-process and compares every
finding line, sorted, with the case's expected.txt. Regenerate with
``SPEC_CHECK_REGEN=1 pytest tests/test_cases.py`` and review every line.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import CASES, SPEC_008, SPECKIT_BASE, run_cli

# "speckit": a small clean spec-kit Markdown folder (tests/speckit/base), for the spec-kit rules.
BASES = {"008": SPEC_008, "speckit": SPECKIT_BASE}
RDF_SUFFIXES = {".ttl", ".trig", ".nt", ".jsonld", ".rdf"}
SPECKIT_SUFFIXES = {".md"}  # spec-kit cases: spec.md, plan.md, tasks.md, data-model.md, checklists/*.md
FINDING = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): \[(?P<severity>violation|warning|info)\] "
                     r"(?P<message>.*) \((?P<rule>[a-z0-9-]+)\)$")
REGEN = os.environ.get("SPEC_CHECK_REGEN") == "1"


class CaseError(Exception):
    """The case folder itself is wrong (not the code under test)."""


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file())


def read_case(case: Path) -> dict:
    with open(case / "case.toml", "rb") as fh:
        data = tomllib.load(fh)
    unknown = set(data) - {"description", "base", "edit", "remove", "link", "args", "targets", "folder"}
    if unknown:
        raise CaseError(f"{case.name}/case.toml: unknown keys {sorted(unknown)}")
    if not data.get("description"):
        raise CaseError(f"{case.name}/case.toml: a description is required")
    if not data.get("targets"):
        raise CaseError(f"{case.name}/case.toml: targets (the rule ids the case is about) are required")
    return data


def assemble(case: Path, data: dict, tmp_path: Path) -> Path:
    """Build the case's spec folder under tmp_path and return it (named ``folder``, default "spec")."""
    folder = tmp_path / data.get("folder", "spec")
    base = data.get("base")
    if base is not None:
        if base not in BASES:
            raise CaseError(f"{case.name}: unknown base {base!r}; known: {sorted(BASES)}")
        shutil.copytree(BASES[base], folder)
    else:
        folder.mkdir()
    for path in sorted(case.iterdir()):
        if path.is_file() and path.suffix in RDF_SUFFIXES | SPECKIT_SUFFIXES and path.name != "README.md":
            shutil.copyfile(path, folder / path.name)
    if (case / "checklists").is_dir():
        shutil.copytree(case / "checklists", folder / "checklists", dirs_exist_ok=True)
    for number, edit in enumerate(data.get("edit", []), start=1):
        if set(edit) != {"file", "replace", "with"}:
            raise CaseError(f"{case.name}: edit {number} needs exactly the keys file, replace and with")
        target = folder / edit["file"]
        if not target.is_file():
            raise CaseError(f"{case.name}: edit {number}: no file {edit['file']!r} in the assembled spec")
        text = target.read_text(encoding="utf-8")
        hits = text.count(edit["replace"])
        if hits != 1:
            raise CaseError(f"{case.name}: edit {number}: the replace text occurs {hits} times in "
                            f"{edit['file']} (must be exactly once): {edit['replace']!r}")
        target.write_text(text.replace(edit["replace"], edit["with"]), encoding="utf-8")
    for number, link in enumerate(data.get("link", []), start=1):
        # A symbolic link in the spec to one of the case's files placed outside the spec folder.
        if set(link) != {"file", "outside"}:
            raise CaseError(f"{case.name}: link {number} needs exactly the keys file and outside")
        outside = tmp_path / "outside"
        outside.mkdir(exist_ok=True)
        shutil.copyfile(case / "outside" / link["outside"], outside / link["outside"])
        (folder / link["file"]).symlink_to(Path("..") / "outside" / link["outside"])
    for number, remove in enumerate(data.get("remove", []), start=1):
        target = folder / remove["file"]
        if not target.is_file():
            raise CaseError(f"{case.name}: remove {number}: no file {remove['file']!r} in the assembled spec")
        target.unlink()
    return folder


def finding_lines(stdout: str, folder: Path) -> list[str]:
    """Every finding line, with file paths made relative to the assembled folder, sorted."""
    prefix = folder.resolve().as_posix() + "/"
    lines = []
    for line in stdout.splitlines():
        m = FINDING.match(line)
        if m is None:
            continue
        # Paths also occur inside messages ("did you mean x (risks.ttl:5)?").
        lines.append(line.replace(prefix, ""))
    return sorted(lines)


def expected_lines(case: Path) -> list[str]:
    path = case / "expected.txt"
    if not path.is_file():
        return []
    return sorted(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def rule_of(line: str) -> str:
    return FINDING.match(line)["rule"]


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path):
    data = read_case(case)
    folder = assemble(case, data, tmp_path)
    # "{case}" in an argument is the case's own folder (for files beside the spec, like a --repo-root tree).
    run = run_cli([folder, "--no-color", *(a.replace("{case}", str(case)) for a in data.get("args", []))])
    assert run.exit_code in (0, 1), run.stdout + run.stderr
    *findings, summary = run.stdout.splitlines()
    assert summary.startswith("closure ") and all(FINDING.match(line) for line in findings), run.stdout
    actual = finding_lines(run.stdout, folder)
    if REGEN:
        (case / "expected.txt").write_text("".join(line + "\n" for line in actual), encoding="utf-8")
    expected = expected_lines(case)
    assert actual == expected, run.stdout
    any_violation = any(FINDING.match(line)["severity"] == "violation" for line in actual)
    assert run.exit_code == (1 if any_violation else 0)
    # A failing case produces every rule it targets; a passing case none of them (it may
    # produce findings of other rules, which its description explains).
    assert case_kind(data, expected) in ("failing", "passing")


def case_kind(data: dict, expected: list[str]) -> str:
    targets, found = set(data["targets"]), {rule_of(line) for line in expected}
    if targets <= found:
        return "failing"
    if not targets & found:
        return "passing"
    return f"mixed: produces {sorted(targets & found)} but not {sorted(targets - found)}"


def _catalogue() -> set[str]:
    from spec_check.rules import load_rules

    return set(load_rules().rules)


def test_every_rule_has_a_failing_008_variant_and_a_passing_case():
    failing, passing = set(), set()
    for case in case_dirs():
        data = read_case(case)
        kind = case_kind(data, expected_lines(case))
        if kind == "failing" and data.get("base") in BASES:
            failing |= set(data["targets"])
        elif kind == "passing":
            passing |= set(data["targets"])
    catalogue = _catalogue()
    assert failing == catalogue, f"rules without a failing 008 or speckit case: {sorted(catalogue - failing)}"
    assert passing == catalogue, f"rules without a passing case: {sorted(catalogue - passing)}"


def test_a_replace_that_does_not_match_exactly_once_is_a_clear_error(tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    data = {"description": "x", "targets": ["x"], "base": "008",
            "edit": [{"file": "plan.ttl", "replace": "spec:Task", "with": "spec:Thing"}]}
    with pytest.raises(CaseError, match="occurs .* times"):
        assemble(case, data, tmp_path)
