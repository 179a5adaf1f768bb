# SPDX-License-Identifier: MIT
"""Configuration files (spec-check.toml, [tool.spec-check]): discovery from the
working folder upwards, every key, command-line precedence, and errors that
name the file and key."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, run_cli

BROKEN = ROOT / "tests" / "ci" / "broken"
CLEAN_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder holding specs/broken, with the working folder inside it."""
    shutil.copytree(BROKEN, tmp_path / "specs" / "broken")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args):
    return run_cli([*args], env=CLEAN_ENV)


def _summary(*args) -> dict:
    run = _run(*args, "--format", "json")
    assert run.exit_code in (0, 1), run.stderr
    return json.loads(run.stdout)


def _rules(*args) -> set[str]:
    return {f["rule_id"] for f in _summary(*args)["findings"]}


def test_without_config_all_rules_report(project):
    assert _rules("specs") == {"dependency-target", "entity-reference", "external-reference",
                               "feature-description", "story-covered", "unique-label"}


def test_spec_check_toml_is_found_from_a_subfolder_and_paths_are_the_default(project, monkeypatch):
    (project / "spec-check.toml").write_text('paths = ["specs"]\nignore = ["unique-label"]\n', encoding="utf-8")
    (project / "docs" / "deep").mkdir(parents=True)
    monkeypatch.chdir(project / "docs" / "deep")
    document = _summary()  # no PATH: the config's paths, relative to the config file
    assert [f["path"] for f in document["folders"]] == [(project / "specs" / "broken").resolve().as_posix()]
    assert "unique-label" not in {f["rule_id"] for f in document["findings"]}


def test_pyproject_table_is_read_and_cli_options_win(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.spec-check]\nignore = ["unique-label", "external-reference"]\n',
        encoding="utf-8")
    assert not {"unique-label", "external-reference"} & _rules("specs")
    # --ignore replaces the config's list.
    assert _rules("specs", "--ignore", "story-covered") == {
        "dependency-target", "entity-reference", "external-reference", "feature-description", "unique-label"}


def test_spec_check_toml_wins_over_pyproject_in_the_same_folder(project):
    (project / "pyproject.toml").write_text('[tool.spec-check]\nselect = ["story-covered"]\n', encoding="utf-8")
    (project / "spec-check.toml").write_text('select = ["unique-label"]\n', encoding="utf-8")
    assert _rules("specs") == {"unique-label"}


def test_select_also_drops_other_rules_from_the_closure_score(project):
    everything = _summary("specs")["summary"]["checks"]
    only = _summary("specs", "--select", "unique-label")["summary"]["checks"]
    assert only["applied"] < everything["applied"]
    # unique-label is one check per folder (it fails), plus syntax (always on) once per file.
    assert (only["applied"], only["passed"]) == (3, 2)


def test_fail_on_from_config_and_cli_precedence(project):
    (project / "spec-check.toml").write_text('select = ["unique-label"]\nfail-on = "warning"\n', encoding="utf-8")
    assert _run("specs").exit_code == 1  # only warnings, and fail-on says warning
    assert _run("specs", "--fail-on", "violation").exit_code == 0


def test_severity_overrides_recount(project):
    (project / "spec-check.toml").write_text(
        '[severity]\nfeature-description = "warning"\nstory-covered = "info"\n', encoding="utf-8")
    document = _summary("specs")
    by_rule = {f["rule_id"]: f["severity"] for f in document["findings"]}
    assert by_rule["feature-description"] == "warning" and by_rule["story-covered"] == "info"
    assert document["summary"]["counts"] == {"violation": 2, "warning": 3, "info": 2}


def test_inference_shapes_and_sparql_keys_are_accepted(project):
    shapes = project / "extra.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n", encoding="utf-8")
    (project / "spec-check.toml").write_text(
        'inference = "rdfs"\nshapes = ["extra.ttl"]\nsparql = []\n', encoding="utf-8")
    assert _run("specs").exit_code == 1


@pytest.mark.parametrize("text, message", [
    ('colour = "red"\n', "unknown key 'colour'"),
    ('fail-on = "fatal"\n', "key 'fail-on': expected one of"),
    ('select = "unique-label"\n', "key 'select': expected a list of strings"),
    ('inference = "owl"\n', "key 'inference': expected one of none, rdfs, owlrl"),
    ('[severity]\nunique-label = "loud"\n', "key 'severity.unique-label'"),
    ('select = [\n', "config file is not valid TOML"),
])
def test_bad_config_exits_2_naming_file_and_key(project, text, message):
    (project / "spec-check.toml").write_text(text, encoding="utf-8")
    run = _run("specs")
    assert run.exit_code == 2
    assert run.stderr.startswith("spec-check: error: ") and "spec-check.toml: " in run.stderr
    assert message in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_unknown_key_in_pyproject_names_the_table(project):
    (project / "pyproject.toml").write_text('[tool.spec-check]\nfail_on = "warning"\n', encoding="utf-8")
    run = _run("specs")
    assert run.exit_code == 2
    assert "pyproject.toml: [tool.spec-check] unknown key 'fail_on'" in run.stderr


def test_unknown_rule_id_exits_2(project):
    run = _run("specs", "--select", "no-such-rule")
    assert run.exit_code == 2 and "unknown rule id 'no-such-rule'" in run.stderr


def test_explicit_config_file(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("elsewhere") / "ci.toml"
    other.write_text('select = ["story-covered"]\n', encoding="utf-8")
    assert _rules("specs", "--config", other) == {"story-covered"}
    run = _run("specs", "--config", other.parent / "missing.toml")
    assert run.exit_code == 2 and "missing.toml: config file not found" in run.stderr


def test_no_path_no_config_no_specs_folder_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = _run("check")
    assert run.exit_code == 2 and "no PATH given" in run.stderr
