# SPDX-License-Identifier: MIT
"""One settings merge for every command (issue 13): `shapes = [...]`, `inference = ...` and the rest of
spec-check.toml apply to check, report, render, tasks, rules, diff and query alike."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, SPEC_008, closure_of, run_cli

from spec_check.model import closure_percent

OWNER_SHAPES = ROOT / "tests" / "user-shapes" / "owner-without-id" / "shapes.ttl"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with the example spec and a spec-check.toml adding a shapes file (30 findings)."""
    shutil.copytree(SPEC_008, tmp_path / "specs" / "008")
    shutil.copy(OWNER_SHAPES, tmp_path / "owner.ttl")
    (tmp_path / "spec-check.toml").write_text('shapes = ["owner.ttl"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _owner_score(project) -> tuple[str, int, int]:
    """008's own checks all pass; the config's shape adds one failing check per task (30)."""
    base = closure_of(project / "specs" / "008")
    assert base.checks_passed == base.checks_applied
    passed, applied = base.checks_passed, base.checks_applied + 30
    return f"{closure_percent(passed, applied):.1f}%", passed, applied


def test_check_report_render_and_diff_give_the_same_score(project):
    score, passed, applied = _owner_score(project)
    check = run_cli(["check", "specs/008", "--no-cache"])
    assert check.exit_code == 1 and check.stdout.splitlines()[-1].startswith(f"closure {score} ({passed}/{applied} checks)")
    row = f"| **{score}** | {passed} / {applied} | 30 |"
    report = run_cli(["report", "specs/008"])
    assert report.exit_code == 0 and row in report.stdout
    render = run_cli(["render", "specs/008", "--out", "docs"])
    assert render.exit_code == 0
    assert row in (project / "docs" / "report.md").read_text(encoding="utf-8")
    diff = run_cli(["diff", "specs/008", "specs/008"])
    assert diff.exit_code == 0 and f"closure {score} → {score}" in diff.stdout
    rules = run_cli(["rules"])
    assert any(line.startswith("TaskOwnerShape ") for line in rules.stdout.splitlines())


def test_without_the_config_every_command_scores_100(project):
    (project / "spec-check.toml").unlink()
    assert run_cli(["check", "specs/008", "--no-cache"]).exit_code == 0
    applied = closure_of(project / "specs" / "008").checks_applied
    assert f"| **100.0%** | {applied} / {applied} |" in run_cli(["report", "specs/008"]).stdout
    assert "closure 100.0% → 100.0%" in run_cli(["diff", "specs/008", "specs/008"]).stdout


def test_query_and_tasks_read_the_config(project):
    shutil.copy(ROOT / "tests" / "infer" / "subclass.ttl", project / "subclass.ttl")
    typed = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?o }"
    plain = run_cli(["query", "subclass.ttl", typed, "--format", "csv"])
    (project / "spec-check.toml").write_text('shapes = ["owner.ttl"]\ninference = "owlrl"\n', encoding="utf-8")
    inferred = run_cli(["query", "subclass.ttl", typed, "--format", "csv"])
    assert plain.exit_code == inferred.exit_code == 0
    assert (plain.stdout.split()[1], inferred.stdout.split()[1]) == ("1", "2")  # :T1 is a spec:Task too
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    # A broken config stops every command that reads it, tasks included: none ignores it.
    (project / "spec-check.toml").write_text('shapes = "owner.ttl"\n', encoding="utf-8")
    for args in (["tasks", "specs/008"], ["report", "specs/008"], ["render", "specs/008", "--out", "d"],
                 ["query", "specs/008", count], ["diff", "specs/008", "specs/008"], ["rules"],
                 ["check", "specs/008"]):
        run = run_cli(args)
        assert run.exit_code == 2, args
        assert "spec-check.toml" in run.stderr and "shapes" in run.stderr, args


def test_infer_stage_leaves_the_loaded_folder_unchanged():
    from spec_check.api import SpecCheck
    from spec_check.load import discover, load_folder

    checker = SpecCheck()
    loaded = load_folder(discover([ROOT / "tests" / "dialects" / "speckit-style"])[0]) \
        if (ROOT / "tests" / "dialects" / "speckit-style").is_dir() else load_folder(discover([SPEC_008])[0])
    before = (list(loaded.dialects), loaded.notes, len(loaded.graph))
    inferred, view = checker.infer(loaded)
    assert (list(loaded.dialects), loaded.notes, len(loaded.graph)) == before
    assert inferred is not loaded and inferred.graph is loaded.graph


def test_api_programs_get_the_same_settings(project):
    from spec_check.api import SpecCheck

    result = SpecCheck.from_config().check([project / "specs" / "008"])
    assert result.closure == 93.9 and sum(1 for f in result.findings if f.rule_id == "TaskOwnerShape") == 30
