# SPDX-License-Identifier: MIT
"""Baselines (--write-baseline / --baseline) and inline suppression (sc:ignore)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, run_cli

BROKEN = ROOT / "tests" / "ci" / "broken"
CLEAN_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}


@pytest.fixture
def spec(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(BROKEN, tmp_path / "broken")
    return tmp_path / "broken"


def _run(*args):
    return run_cli([*args], env=CLEAN_ENV)


def test_baseline_round_trip(spec, tmp_path):
    baseline = tmp_path / "baseline.json"
    written = _run(spec, "--write-baseline", baseline)
    assert written.exit_code == 0, written.stderr
    assert "wrote 7 finding(s) to the baseline" in written.stderr
    document = json.loads(baseline.read_text(encoding="utf-8"))
    prints = [e["fingerprint"] for e in document["findings"]]
    assert prints == sorted(prints) and len(prints) == 7

    again = _run(spec, "--baseline", baseline)
    assert again.exit_code == 0
    (summary,) = again.stdout.splitlines()
    # The score is unchanged by a baseline (it only hides known findings from the report).
    assert summary.startswith("closure ") and summary.endswith(
        ", 0 violations, 0 warnings, 2 files, 46 triples, 1 suppressed, 7 in baseline")

    # A new problem is reported (and fails the run); the known ones stay hidden.
    plan = spec / "plan.ttl"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n:T2 spec:dependsOn :T404 .\n", encoding="utf-8")
    new = _run(spec, "--baseline", baseline, "--quiet")
    assert new.exit_code == 1
    assert [line.rsplit("(", 1)[1] for line in new.stdout.splitlines()] == ["dependency-target)"]


def test_baseline_survives_unrelated_line_moves(spec, tmp_path):
    baseline = tmp_path / "baseline.json"
    _run(spec, "--write-baseline", baseline)
    feature = spec / "feature.ttl"
    feature.write_text("# moved\n# down\n" + feature.read_text(encoding="utf-8"), encoding="utf-8")
    assert _run(spec, "--baseline", baseline, "--quiet").stdout == ""


def test_baseline_file_is_byte_identical_on_a_rerun(spec, tmp_path):
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    _run(spec, "--write-baseline", first)
    _run(spec, "--write-baseline", second)
    assert first.read_bytes() == second.read_bytes()


def test_baseline_fingerprints_match_sarif_and_json(spec, tmp_path):
    baseline = tmp_path / "baseline.json"
    _run(spec, "--write-baseline", baseline)
    listed = {e["fingerprint"] for e in json.loads(baseline.read_text(encoding="utf-8"))["findings"]}
    sarif = json.loads(_run(spec, "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert {r["partialFingerprints"]["specCheckFingerprint/v1"] for r in results if "suppressions" not in r} == listed
    # The sc:ignore'd finding is there too, marked as suppressed in the source.
    assert [r["suppressions"] for r in results if "suppressions" in r] == [[{
        "kind": "inSource", "status": "accepted", "justification": "silenced in the spec with sc:ignore"}]]
    document = json.loads(_run(spec, "--format", "json").stdout)
    assert {f["fingerprint"] for f in document["findings"]} == listed


@pytest.mark.parametrize("content, message", [
    (None, "baseline file not found"),
    ("{not json", "baseline file is not JSON"),
    ('{"findings": []}', "not a spec-check baseline file"),
])
def test_bad_baseline_exits_2(spec, tmp_path, content, message):
    baseline = tmp_path / "baseline.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    run = _run(spec, "--baseline", baseline)
    assert run.exit_code == 2 and message in run.stderr


def test_baseline_from_config(spec, tmp_path):
    _run(spec, "--write-baseline", tmp_path / "known.json")
    (tmp_path / "spec-check.toml").write_text('baseline = "known.json"\n', encoding="utf-8")
    assert _run(spec).exit_code == 0


# --- inline suppression ------------------------------------------------------------------------

def test_sc_ignore_silences_one_rule_on_one_node_and_is_counted(spec):
    document = json.loads(_run(spec, "--format", "json").stdout)
    assert document["summary"]["suppressed"] == 1
    assert document["folders"][0]["suppressed"] == 1
    assert not [f for f in document["findings"] if f["rule_id"] == "story-scenarios"]
    assert _run(spec).stdout.splitlines()[-1].endswith(", 1 suppressed")

    feature = spec / "feature.ttl"
    feature.write_text(feature.read_text(encoding="utf-8").replace(
        '    sc:ignore "story-scenarios" .', '    .'), encoding="utf-8")
    unsilenced = json.loads(_run(spec, "--format", "json").stdout)
    assert unsilenced["summary"]["suppressed"] == 0
    (finding,) = [f for f in unsilenced["findings"] if f["rule_id"] == "story-scenarios"]
    assert finding["focus"] == ":US2"
    # The silenced check counted as passed; unsilenced it fails.
    assert unsilenced["summary"]["checks"]["passed"] == document["summary"]["checks"]["passed"] - 1


def test_sc_ignore_of_another_rule_leaves_the_finding(spec):
    feature = spec / "feature.ttl"
    feature.write_text(feature.read_text(encoding="utf-8").replace(
        'sc:ignore "story-scenarios"', 'sc:ignore "story-scenarios", "unique-label"'), encoding="utf-8")
    document = json.loads(_run(spec, "--format", "json").stdout)
    assert document["summary"]["suppressed"] == 1
