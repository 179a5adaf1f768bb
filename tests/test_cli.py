# SPDX-License-Identifier: MIT
"""The command line as a user sees it: exit codes, --fail-on, formats, determinism, `rules`.

Data: small spec folders under tests/cli/ (each named for what it holds).
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import ROOT, SPEC_008, run_cli

DATA = ROOT / "tests" / "cli"


@pytest.mark.parametrize(("args", "code"), [
    ([SPEC_008], 0),                               # closed
    ([DATA / "findings"], 1),                      # violations
    ([DATA / "syntax-error"], 1),                  # a file that does not parse is a finding
    ([DATA / "warnings-only"], 0),                 # below the default --fail-on violation
    ([DATA / "info-only"], 0),
    ([SPEC_008, DATA / "findings"], 1),            # several folders: the worst decides
    ([SPEC_008, "--format", "yaml"], 2),           # bad option value
    ([SPEC_008, "--no-such-option"], 2),           # unknown option
    ([DATA / "does-not-exist"], 2),                # missing path
    ([DATA / "no-rdf"], 2),                        # a folder without RDF
    ([SPEC_008, "--fail-on", "fatal"], 2),
    ([SPEC_008, "--inference", "magic"], 2),
], ids=["closed", "findings", "syntax", "warnings", "info", "two-folders", "bad-format", "bad-option",
        "missing-path", "no-rdf", "bad-fail-on", "bad-inference"])
def test_exit_codes(args, code):
    run = run_cli(args)
    assert run.exit_code == code, run.stdout + run.stderr


def test_tool_errors_are_one_line_on_stderr_without_traceback():
    run = run_cli([DATA / "no-rdf"])
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("spec-check: error: ") and "no-rdf" in run.stderr


@pytest.mark.parametrize(("folder", "fail_on", "code"), [
    ("warnings-only", "violation", 0), ("warnings-only", "warning", 1), ("warnings-only", "info", 1),
    ("info-only", "violation", 0), ("info-only", "warning", 0), ("info-only", "info", 1),
])
def test_fail_on_sets_the_lowest_severity_that_fails(folder, fail_on, code):
    assert run_cli([DATA / folder, "--fail-on", fail_on]).exit_code == code


def test_text_output_is_byte_identical_run_after_run():
    args = [DATA / "findings", SPEC_008, "--no-color"]
    first, second = run_cli(args), run_cli(args)
    assert first.stdout == second.stdout
    assert first.stdout.count("(dependency-target)") == 1  # there is something to compare


def test_text_summary_names_the_incomplete_closure():
    last = run_cli([DATA / "syntax-error"]).stdout.splitlines()[-1]
    assert last.endswith("; incomplete: 1 file did not parse")


# The documented keys (src/spec_check/schemas/check-result.schema.json); changing them is a
# format_version bump, so this list changes only on purpose.
JSON_TOP = {"format_version", "tool", "summary", "folders", "findings", "rules"}
JSON_FINDING = {"rule_id", "severity", "message", "focus", "value", "folder", "file", "line", "column",
                "fingerprint"}
JSON_FOLDER = {"path", "files", "triples", "checks", "closure", "complete", "unparsed_files", "counts",
               "baselined", "suppressed", "dialects", "recognised"}
SCHEMA = ROOT / "src" / "spec_check" / "schemas" / "check-result.schema.json"


def test_json_is_valid_with_stable_keys_and_byte_identical():
    args = [DATA / "findings", DATA / "syntax-error", "--format", "json"]
    first, second = run_cli(args), run_cli(args)
    assert first.exit_code == 1
    assert first.stdout == second.stdout
    doc = json.loads(first.stdout)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert set(doc) == JSON_TOP
    assert doc["format_version"] == 1
    assert {f["rule_id"] for f in doc["findings"]} == set(doc["rules"]) == {"story-goal", "dependency-target", "syntax"}
    assert all(set(f) == JSON_FINDING for f in doc["findings"])
    assert all(set(f) == JSON_FOLDER for f in doc["folders"])
    assert [f["complete"] for f in doc["folders"]] == [True, False]
    syntax = next(f for f in doc["findings"] if f["rule_id"] == "syntax")
    assert (syntax["file"].rsplit("/", 1)[-1], syntax["line"]) == ("notes.ttl", 3)


def test_json_of_a_closed_spec_says_100_percent():
    doc = json.loads(run_cli([SPEC_008, "--format", "json"]).stdout)
    assert doc["findings"] == [] and doc["summary"]["closure"] == 100.0
    assert doc["summary"]["checks"]["applied"] == doc["summary"]["checks"]["passed"] > 0


def test_output_file_holds_what_stdout_would(tmp_path):
    target = tmp_path / "report.json"
    run = run_cli([DATA / "findings", "--format", "json", "--output", target])
    assert run.exit_code == 1 and run.stdout == ""
    assert target.read_text(encoding="utf-8") == run_cli([DATA / "findings", "--format", "json"]).stdout


def _catalogue() -> dict:
    from spec_check.rules import load_rules

    return load_rules().rules


def test_rules_lists_every_rule_with_its_severity():
    run = run_cli(["rules"])
    assert run.exit_code == 0
    listed = {line.split()[0]: line.split()[1] for line in run.stdout.splitlines()}
    assert listed == {rid: info.severity.value for rid, info in _catalogue().items()}


@pytest.mark.parametrize("rule_id", sorted(_catalogue()))
def test_rules_id_explains_with_a_failing_and_a_passing_example(rule_id):
    info = _catalogue()[rule_id]
    run = run_cli(["rules", rule_id])
    assert run.exit_code == 0
    assert run.stdout.startswith(f"{rule_id} ({info.severity.value}, ")
    fails, passes = run.stdout.index("\nFails:\n"), run.stdout.index("\nPasses:\n")
    assert info.failing_example.strip().splitlines()[0].strip() in run.stdout[fails:passes]
    assert info.passing_example.strip().splitlines()[0].strip() in run.stdout[passes:]


def test_unknown_rule_id_exits_2():
    run = run_cli(["rules", "no-such-rule"])
    assert run.exit_code == 2
    assert "no rule 'no-such-rule'" in run.stderr


def test_version_and_help_exit_0():
    assert run_cli(["--version"]).stdout.startswith("spec-check ")
    help_text = run_cli(["check", "--help"]).stdout
    assert "--fail-on" in help_text and "--inference" in help_text


def test_a_single_file_is_checked_as_a_folder_of_one_file():
    run = run_cli([SPEC_008 / "feature.ttl", "--no-color"])
    assert run.exit_code == 1
    assert "(plan-present)" in run.stdout  # the plan lives in plan.ttl, which was not given
    assert ", 1 file, " in run.stdout.splitlines()[-1]


def test_the_same_folder_given_twice_is_checked_once():
    assert run_cli([SPEC_008, SPEC_008]).stdout == run_cli([SPEC_008]).stdout


def test_a_parent_folder_checks_every_spec_folder_below_it():
    doc = json.loads(run_cli([DATA, "--format", "json"]).stdout)
    # no-rdf holds no RDF and is skipped
    assert [f["path"].rsplit("/", 1)[-1] for f in doc["folders"]] == [
        "findings", "info-only", "syntax-error", "warnings-only"]
    assert doc["summary"]["folders"] == 4
