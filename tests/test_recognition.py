# SPDX-License-Identifier: MIT
"""Recognition by name and structure, knock-on withholding, and what the score says about both.

The cases themselves (tests/dialects/untyped-plan, ggen-io, look-alike, gwt-criteria, prov-plan,
not-understood-plan; tests/cases/fail-withheld-until-parsed, ...) check the exact findings; these
tests check what holds across cases.
"""

from __future__ import annotations

from pathlib import Path

from spec_check.api import CheckOptions, SpecCheck
from spec_check.load.lexical import scan

DIALECTS = Path(__file__).resolve().parent / "dialects"


def _result(name: str):
    (folder,) = SpecCheck(CheckOptions()).check([DIALECTS / name]).folders
    return folder


def test_a_spec_not_understood_never_scores_above_the_same_spec_understood():
    understood = _result("untyped-plan")
    not_understood = _result("not-understood-plan")
    assert {f.rule_id for f in not_understood.findings} >= {"spec-not-understood"}
    assert not_understood.closure < understood.closure
    # The understood one finds the planted defects; the other cannot, and says why.
    assert {f.rule_id for f in understood.findings if f.severity.value != "info"} == {
        "task-traced", "dependency-cycle", "effort-total"}


def test_the_untyped_plan_is_recognised_as_the_real_008_plan_is_written():
    folder = _result("untyped-plan")
    assert folder.recognised["tasks"] == 3
    (note,) = [f for f in folder.findings if f.rule_id == "recognised-by-name"]
    for text in ("phases as spec:hasPhase", "tasks as spec:hasTask", "effort as spec:effortHours",
                 "1 × plan typed by its phase links", "3 × effort read as hours"):
        assert text in note.message


def test_lexical_scan_reads_names_outside_strings_and_comments():
    text = ('@prefix : <https://example.org/x#> .\n'
            '@prefix p: <https://example.org/p#> .\n'
            ':Defined a p:Thing ; p:label "not :InString" ; # :InComment\n'
            '    p:link :Mentioned , <https://example.org/y#Iri> .\n'
            ':Broken p:list ( "a", "b" ) .\n')
    names = scan(text)
    assert names.defined == {"https://example.org/x#Defined", "https://example.org/x#Broken"}
    assert {"https://example.org/x#Mentioned", "https://example.org/y#Iri",
            "https://example.org/p#Thing"} <= names.mentioned
    assert not any("InString" in n or "InComment" in n for n in names.mentioned)


def test_paths_inside_messages_are_relative_to_the_folder_however_it_was_given(tmp_path):
    """Issue 12: a message named files by absolute path while its finding's own path was relative.
    Messages naming a file (a near-miss suggestion, a withheld count, a mixed dialect) name it
    relative to the spec folder, whether the folder is given absolute or relative."""
    import shutil

    from conftest import run_cli

    spec = tmp_path / "spec"
    shutil.copytree(DIALECTS / "near-miss", spec)
    shutil.copyfile(DIALECTS / "mixed" / "plan.ttl", spec / "mixed.ttl")
    (spec / "broken.ttl").write_text("@prefix : <https://example.org/x#> .\n:A :b ( :c, :d ) .\n",
                                     encoding="utf-8")
    run = run_cli(["check", str(spec.absolute()), "--no-color", "--no-cache"])
    lines = run.stdout.splitlines()[:-1]
    named = [line.split(": ", 1)[1] for line in lines if "in entities.ttl:" in line or "fix broken.ttl" in line
             or "at mixed.ttl:" in line]
    assert len(named) >= 2, run.stdout
    assert all(str(tmp_path) not in message for message in named), run.stdout
