# SPDX-License-Identifier: MIT
"""Each rule's own sc:failingExample must trigger it, and its sc:passingExample must not.

The examples are Turtle with the prefixes spec:, rdfs: and : predeclared (see
shapes/closure.ttl); `spec-check rules ID` shows them to users, so they must be true.
"""

from __future__ import annotations

import json

import pytest

from conftest import run_cli

PRELUDE = """@prefix spec: <https://ggen.dev/spec#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <https://example.org/rule-example#> .
"""


def _rules():
    from spec_check.rules import load_rules

    return sorted(load_rules().rules.values(), key=lambda r: r.rule_id)


# The loader's limit rules (shapes/hardening.ttl) need an option or a link besides the file; their
# examples say so in a first comment line, and this is how the test sets it up.
FAILING_ARGS = {"limit-exceeded": ["--max-file-size", "64"], "timeout": ["--timeout", "0.001"]}
PASSING_ARGS = {"timeout": ["--timeout", "600"]}
LINKED_FROM_OUTSIDE = {"symlink-not-followed"}


def _rule_ids_found(tmp_path, example: str, args=(), linked=False) -> set[str]:
    spec = tmp_path / "spec"
    spec.mkdir()
    # A JSON-LD example (unsafe-input) is a .jsonld file; everything else is Turtle.
    name, text = ("example.jsonld", example) if example.startswith("{") else ("example.ttl", PRELUDE + example)
    if linked:
        (tmp_path / "outside").mkdir()
        (tmp_path / "outside" / name).write_text(text + "\n", encoding="utf-8")
        (spec / name).symlink_to(tmp_path / "outside" / name)
    else:
        (spec / name).write_text(text + "\n", encoding="utf-8")
    run = run_cli([spec, "--format", "json", *args])
    assert run.exit_code in (0, 1), run.stderr
    return {f["rule_id"] for f in json.loads(run.stdout)["findings"]}


def _repo(tmp_path, *files: str) -> list[str]:
    """--repo-root of a repository holding ``files`` (for done-task-file, whose examples say so)."""
    root = tmp_path / "repo"
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("", encoding="utf-8")
    root.mkdir(exist_ok=True)
    return ["--repo-root", str(root)]


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.rule_id)
def test_failing_example_triggers_its_rule(rule, tmp_path):
    assert rule.failing_example, f"{rule.rule_id} has no sc:failingExample"
    args = _repo(tmp_path) if rule.rule_id == "done-task-file" else FAILING_ARGS.get(rule.rule_id, ())
    found = _rule_ids_found(tmp_path, rule.failing_example, args,
                            linked=rule.rule_id in LINKED_FROM_OUTSIDE)
    assert rule.rule_id in found


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.rule_id)
def test_passing_example_does_not_trigger_its_rule(rule, tmp_path):
    assert rule.passing_example, f"{rule.rule_id} has no sc:passingExample"
    args = _repo(tmp_path, "src/app.py") if rule.rule_id == "done-task-file" else PASSING_ARGS.get(rule.rule_id, ())
    assert rule.rule_id not in _rule_ids_found(tmp_path, rule.passing_example, args)
