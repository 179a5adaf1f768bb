# SPDX-License-Identifier: MIT
"""The pre-commit hook definition, the composite GitHub Action, shell
completion, and references between folders checked in one run."""

from __future__ import annotations

import json
import re

from conftest import ROOT, SPEC_008, run_cli

CROSS = ROOT / "tests" / "ci" / "cross"
CLEAN_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}


def _yaml_list_of_mappings(text: str) -> list[dict[str, str]]:
    """Read the flat `- key: value` list pre-commit hook files use (no nesting)."""
    items: list[dict[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"(- |  )([a-z_]+): (.*)", line)
        assert match, f"unexpected line in .pre-commit-hooks.yaml: {line!r}"
        if match.group(1) == "- ":
            items.append({})
        items[-1][match.group(2)] = match.group(3)
    return items


def test_pre_commit_hook_checks_whole_folders():
    (hook,) = _yaml_list_of_mappings((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "spec-check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] == "false"  # closure needs every file of a folder
    assert hook["entry"] == "spec-check check"
    files = re.compile(hook["files"])
    from spec_check.load.parse import FORMATS

    for suffix in FORMATS:
        assert files.search(f"specs/008/feature{suffix}"), suffix
    assert files.search("spec-check.toml")
    assert not files.search("src/spec_check/api.py") and not files.search("README.md")


def test_pre_commit_entry_runs(monkeypatch):
    (hook,) = _yaml_list_of_mappings((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(ROOT)  # no PATH: ./specs
    run = run_cli(hook["entry"].split()[1:], env=CLEAN_ENV)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.stdout.startswith("closure 100.0% (")


def test_action_is_composite_and_can_upload_sarif():
    import yaml

    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    action = yaml.safe_load(text)  # tests/test_packaging.py validates it against GitHub's schema
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert "sarif" in action["inputs"] and any(s.get("if") == "inputs.sarif == 'true'" for s in steps)
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "--format sarif --output" in scripts and "--format github" in scripts
    for line in text.splitlines():
        assert "\t" not in line and not line.rstrip() != line, f"bad YAML whitespace: {line!r}"


def test_shell_completion_is_offered():
    run = run_cli(["--help"])
    assert "--install-completion" in run.stdout and "--show-completion" in run.stdout


# --- folders referring to each other ------------------------------------------------------------

def _findings(*paths) -> list[tuple[str, str]]:
    document = json.loads(run_cli([*paths, "--format", "json"], env=CLEAN_ENV).stdout)
    return [(f["rule_id"], f["value"]) for f in document["findings"]]


def test_reference_to_a_folder_checked_in_the_same_run_resolves(monkeypatch):
    monkeypatch.chdir(ROOT)
    alone = _findings(CROSS / "b")
    assert ("reference-defined", ":FeatureA") in alone
    together = _findings(CROSS)
    assert ("reference-defined", ":FeatureA") not in together
    # A spec never checked here stays an external reference (info), in both runs.
    external = ("external-reference", "<https://example.org/specs/elsewhere#FeatureC>")
    assert external in alone and external in together
    # The two specs hold only a feature each: besides the missing plan (plan-present, which
    # used to be silenced by an rdflib quirk), the missing requirements and the info, nothing
    # is reported together.
    assert {rule for rule, _ in together} == {"plan-present", "feature-requirements", "external-reference"}


def test_example_spec_has_no_external_references():
    assert not [r for r, _ in _findings(SPEC_008) if r == "external-reference"]


def test_marker_file_makes_a_folder_with_sub_folders_one_spec(tmp_path, monkeypatch):
    import shutil

    monkeypatch.chdir(ROOT)
    marked = ROOT / "tests" / "ci" / "marked"
    document = json.loads(run_cli([marked, "--format", "json"], env=CLEAN_ENV).stdout)
    (folder,) = document["folders"]
    assert folder["path"] == "tests/ci/marked/split"
    assert folder["files"] == ["tests/ci/marked/split/feature.ttl", "tests/ci/marked/split/plan/plan.ttl"]
    # Without the marker the sub-folder is a spec of its own.
    copy = tmp_path / "marked"
    shutil.copytree(marked, copy)
    (copy / "split" / ".spec-check").unlink()
    monkeypatch.chdir(tmp_path)
    document = json.loads(run_cli([copy, "--format", "json"], env=CLEAN_ENV).stdout)
    assert [f["path"] for f in document["folders"]] == ["marked/split", "marked/split/plan"]
