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


def _rule_ids_found(tmp_path, example: str) -> set[str]:
    (tmp_path / "example.ttl").write_text(PRELUDE + example + "\n", encoding="utf-8")
    run = run_cli([tmp_path, "--format", "json"])
    assert run.exit_code in (0, 1), run.stderr
    return {f["rule_id"] for f in json.loads(run.stdout)["findings"]}


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.rule_id)
def test_failing_example_triggers_its_rule(rule, tmp_path):
    assert rule.failing_example, f"{rule.rule_id} has no sc:failingExample"
    assert rule.rule_id in _rule_ids_found(tmp_path, rule.failing_example)


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.rule_id)
def test_passing_example_does_not_trigger_its_rule(rule, tmp_path):
    assert rule.passing_example, f"{rule.rule_id} has no sc:passingExample"
    assert rule.rule_id not in _rule_ids_found(tmp_path, rule.passing_example)
