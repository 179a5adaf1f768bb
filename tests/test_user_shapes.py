# SPDX-License-Identifier: MIT
"""User SHACL shapes are SHACL, exactly (issue 13): every top-level result of a user's shape is
a finding, with its sc:ruleId or an id derived from the shape, the severity SHACL gives it, and
the same findings from both engines. One folder per reproduction under tests/user-shapes/."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest
from conftest import SPEC_008, closure_of, run_cli

from spec_check.api import CheckOptions, SpecCheck
from spec_check.errors import SpecCheckError
from spec_check.model import closure_percent

HERE = Path(__file__).resolve().parent / "user-shapes"
CASES = sorted(p for p in HERE.iterdir() if (p / "expected.toml").is_file())


def _expected(case: Path) -> dict:
    return tomllib.loads((case / "expected.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_case(case, engine):
    expected = _expected(case)
    data = (case / expected["data"]).resolve()
    checker = SpecCheck(CheckOptions(engine=engine, extra_shapes=(case / "shapes.ttl",)))
    if "error" in expected:
        with pytest.raises(SpecCheckError, match=expected["error"]):
            checker.check([data])
        return
    result = checker.check([data])
    wanted = expected["findings"]
    user_rules = {key.split()[0] for key in wanted}
    found = Counter(f"{f.rule_id} {f.severity.value}" for f in result.findings if f.rule_id in user_rules)
    assert dict(found) == wanted
    for rule_id, (applied, failed) in expected.get("checks", {}).items():
        assert result.folders[0].rule_checks[rule_id] == (applied, failed)


@pytest.mark.parametrize("case", [c for c in CASES if "error" not in _expected(c)], ids=lambda p: p.name)
def test_engines_agree(case):
    data = (case / _expected(case)["data"]).resolve()
    results = [SpecCheck(CheckOptions(engine=e, extra_shapes=(case / "shapes.ttl",))).check([data])
               for e in ("native", "pyshacl")]
    assert results[0].folders == results[1].folders


def test_shape_without_id_fails_the_check_and_is_listed(tmp_path):
    shapes = HERE / "owner-without-id" / "shapes.ttl"
    run = run_cli([SPEC_008, "--no-cache", "--shapes", shapes])
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert sum(1 for line in lines if line.endswith("(TaskOwnerShape)")) == 30
    assert "fails sh:minCount of shape ex:TaskOwnerShape on path ex:owner" in run.stdout
    base = closure_of(SPEC_008)  # 008 alone: every check passes; the shape adds 30 failing ones
    assert base.checks_passed == base.checks_applied
    passed, applied = base.checks_passed, base.checks_applied + 30
    assert lines[-1].startswith(f"closure {closure_percent(passed, applied):.1f}% ({passed}/{applied} checks)")
    listed = run_cli(["rules", "--shapes", shapes])
    assert listed.exit_code == 0
    assert any(line.split()[:3] == ["TaskOwnerShape", "violation", "shacl"] for line in listed.stdout.splitlines())


def test_derived_ids_are_stable(tmp_path):
    # The same shape, written with other prefixes and blank-node labels: the same derived id.
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix s: <http://www.w3.org/ns/shacl#> .\n"
                      "[] s:targetClass <https://ggen.dev/spec#Task> ; s:property _:p .\n"
                      "_:p s:minCount 1 ; s:path <https://example.org/team-rules#owner> .\n", encoding="utf-8")
    other = tmp_path / "other.ttl"
    other.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix spec: <https://ggen.dev/spec#> .\n"
                     "[ sh:targetClass spec:Task ;\n  sh:property [ sh:path <https://example.org/team-rules#owner> ; "
                     "sh:minCount 1 ] ] .\n", encoding="utf-8")
    ids = [{r.rule_id for r in SpecCheck(CheckOptions(extra_shapes=(f,))).rules.rules.values()
            if r.source.startswith("derived")} for f in (shapes, other)]
    assert ids[0] == ids[1] and len(ids[0]) == 1 and next(iter(ids[0])).startswith("shape-")


def test_id_on_xone_member_is_an_error_exit_2():
    case = HERE / "xone-member-id"
    run = run_cli([case / "../shared-property/data", "--no-cache", "--shapes", case / "shapes.ttl"])
    assert run.exit_code == 2
    assert "contact-mail" in run.stderr and "shapes.ttl" in run.stderr
