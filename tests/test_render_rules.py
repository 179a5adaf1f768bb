# SPDX-License-Identifier: MIT
"""Escaping, checklist order and [P]/[x]/ids, user templates (StrictUndefined, sandbox), effort-total."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SPEC_008, run_cli

from spec_check.render.environment import md_cell, mermaid_label

SMALL = ROOT / "tests" / "render" / "small"
OUTPUTS = sorted((SMALL / "expected").glob("*.md")) + sorted((SPEC_008 / "docs").glob("*.md"))
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


# --- escaping ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ['a | b <script>', "x`y`z", "[a](b)", "one\ntwo\r\nthree", 'say "hi"',
                                  "a\\|b"])
def test_md_cell_keeps_a_table_row_whole_and_lets_no_html_in(text):
    cell = md_cell(text)
    assert not UNESCAPED_PIPE.search(cell.replace("\\\\", ""))
    assert "<" not in cell and ">" not in cell and "\n" not in cell and "\r" not in cell
    assert not re.search(r"(?<!\\)[`\[\]]", cell.replace("\\\\", ""))


def test_md_cell_example_from_the_issue():
    assert md_cell('"a | b <script>"') == '"a \\| b &lt;script&gt;"'


def test_md_cell_stops_a_literal_from_starting_a_heading_or_list():
    assert md_cell("# not a heading") == "\\# not a heading"
    assert md_cell("1. not a list") == "1\\. not a list"
    assert md_cell("- not a list") == "\\- not a list"
    assert md_cell("001-poka-yoke") == "001-poka-yoke"  # no marker: left alone
    assert md_cell("12.5 h") == "12.5 h"


@pytest.mark.parametrize("text", ['a "quoted" [label] (x) {y} <b> | `c` #1'])
def test_mermaid_label_leaves_no_character_that_ends_or_reshapes_a_label(text):
    label = mermaid_label(text)
    assert not set('"[](){}<>|`') & set(label)


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_table_row_has_as_many_cells_as_its_header(path):
    width = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = len(UNESCAPED_PIPE.findall(line.replace("\\\\", "")))
        if width is None:
            width = cells
        assert cells == width, line


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_html_gets_into_a_document(path):
    body = path.read_text(encoding="utf-8").split("\n", 1)[1]
    assert "<" not in body and ">" not in body.replace("-->", "")


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_mermaid_labels_are_closed_by_their_own_quotes(path):
    text = path.read_text(encoding="utf-8")
    for block in re.findall(r"```mermaid\n(.*?)```", text, re.S):
        for line in block.splitlines():
            for label in re.findall(r'\["(.*?)"\]', line):
                assert not set('"[]') & set(label), line


# --- checklist: order, [P], [x], ids ---------------------------------------------------------

def _phases(tasks_md: str) -> list[list[dict]]:
    phases: list[list[dict]] = []
    for line in tasks_md.splitlines():
        if line.startswith("## "):
            phases.append([])
        m = re.match(r"- \[( |x)\] (\S+)( \[P\])?((?: \[US\d+\])*) ", line)
        if m:
            phases[-1].append({"id": m.group(2), "done": m.group(1) == "x", "parallel": bool(m.group(3)),
                               "stories": re.findall(r"US\d+", m.group(4)), "deps": []})
        elif line.startswith("  - Depends on: "):
            phases[-1][-1]["deps"] = line[len("  - Depends on: "):].split(", ")
    return phases


@pytest.mark.parametrize("path", [SMALL / "expected" / "tasks.md", SPEC_008 / "docs" / "tasks.md"],
                         ids=["small", "008"])
def test_tasks_follow_their_dependencies_and_p_means_no_unfinished_dependency(path):
    seen: dict[str, dict] = {}
    for phase in _phases(path.read_text(encoding="utf-8")):
        for task in phase:
            assert all(d in seen for d in task["deps"]), f"{task['id']} before its dependency"
            assert task["parallel"] == (not any(not seen[d]["done"] for d in task["deps"])), task["id"]
            assert len(task["stories"]) <= 1, task["id"]  # spec-kit: one story label a task
            seen[task["id"]] = task


def test_small_checklist_order_status_stories_and_derived_ids():
    phases = _phases((SMALL / "expected" / "tasks.md").read_text(encoding="utf-8"))
    # The plan lists phase B (Build) before A (Analyse), but Build's "usage" task depends on
    # Analyse's T002, so Analyse comes first: no task is listed before what it waits for.
    assert [t["id"] for t in phases[0]] == ["T002", "T004"]
    # T002's status is "Done" (any case); the untraced chore, without spec:taskId, is numbered
    # in checklist order with the first free number (T004).
    assert [(t["id"], t["done"]) for t in phases[0]] == [("T002", True), ("T004", False)]
    # Listed (Wire, T003, T001, Document): dependencies put T001 → T003 → Wire; "Document" waits for
    # the done T002 only, so [P]; Wire, without spec:taskId, gets the next free number T006.
    assert [t["id"] for t in phases[1]] == ["T001", "T003", "T005", "T006"]
    assert [t["parallel"] for t in phases[1]] == [True, True, True, False]
    # T005 implements the story without spec:storyId, which gets the free id US2.
    assert phases[1][2]["stories"] == ["US2"] and phases[0][1]["stories"] == []


def test_derived_ids_do_not_depend_on_file_names_or_parse_order(tmp_path, monkeypatch):
    spec = tmp_path / "spec"
    spec.mkdir()
    shutil.copy(SMALL / "spec" / "plan.ttl", spec / "a-plan.ttl")
    shutil.copy(SMALL / "spec" / "feature.ttl", spec / "z-feature.ttl")
    monkeypatch.chdir(tmp_path)
    run = run_cli(["tasks", "spec"])
    assert run.stdout == (SMALL / "expected" / "tasks.md").read_text(encoding="utf-8")


# --- user templates ---------------------------------------------------------------------------

def _templates(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_missing_value_in_a_user_template_exits_2_with_template_and_line(tmp_path):
    templates = _templates(tmp_path, {"tasks.md.j2": "# {{ doc.feature.label }}\n\n{{ doc.plan.owner }}\n"})
    run = run_cli(["render", SPEC_008, "--out", tmp_path / "out", "--templates", templates])
    assert run.exit_code == 2
    assert "tasks.md.j2:3: template error:" in run.stderr and "owner" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()  # nothing written half-way


def test_a_template_syntax_error_exits_2_with_template_and_line(tmp_path):
    templates = _templates(tmp_path, {"spec.md.j2": "ok\n{% for x in %}\n"})
    run = run_cli(["render", SPEC_008, "--out", tmp_path / "out", "--templates", templates])
    assert run.exit_code == 2
    assert "spec.md.j2:2: template error:" in run.stderr


@pytest.mark.parametrize("expression", ["''.__class__", "doc.__class__.__init__.__globals__",
                                        "doc.feature.__class__.__mro__"])
def test_the_sandbox_refuses_attribute_tricks(tmp_path, expression):
    templates = _templates(tmp_path, {"report.md.j2": "{{ " + expression + " }}\n"})
    run = run_cli(["render", SPEC_008, "--out", tmp_path / "out", "--templates", templates])
    assert run.exit_code == 2
    assert "report.md.j2:1: template sandbox refused:" in run.stderr
    assert "unsafe" in run.stderr


def test_user_templates_override_ours_and_add_documents(tmp_path):
    templates = _templates(tmp_path, {
        "tasks.md.j2": "{% for t in doc.tasks %}{{ t.id }} {% endfor %}\n",
        "summary.md.j2": "# {{ doc.feature.label | md_cell }}\n\n{{ doc.check.closure }}%\n",
        "_partial.md.j2": "{{ nothing }}\n",  # a partial: never rendered on its own
    })
    out = tmp_path / "out"
    assert run_cli(["render", SPEC_008, "--out", out, "--templates", templates]).exit_code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["plan.md", "report.md", "spec.md", "summary.md", "tasks.md"]
    assert (out / "tasks.md").read_text(encoding="utf-8").splitlines()[1].startswith("T001 T002 ")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("<!-- generated by spec-check from ")
    assert summary.endswith("\n100.0%\n")


# --- effort-total ------------------------------------------------------------------------------

PREFIXES = ("@prefix spec: <https://ggen.dev/spec#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix : <https://example.org/effort#> .\n")


@pytest.mark.parametrize("kind", ["passing", "failing"])
def test_effort_total_examples(tmp_path, kind):
    from spec_check.api import SpecCheck
    from spec_check.rules import load_rules

    rule = load_rules().rules["effort-total"]
    example = rule.passing_example if kind == "passing" else rule.failing_example
    (tmp_path / "example.ttl").write_text(PREFIXES + example + "\n", encoding="utf-8")
    hits = [f for f in SpecCheck().check([tmp_path]).findings if f.rule_id == "effort-total"]
    assert bool(hits) == (kind == "failing")


def test_effort_total_reports_the_small_specs_phase_and_plan(monkeypatch):
    from spec_check.api import SpecCheck

    monkeypatch.chdir(SMALL)
    hits = [f for f in SpecCheck().check([Path("spec")]).findings if f.rule_id == "effort-total"]
    assert [(f.focus, f.severity.value) for f in hits] == [(":P", "warning"), (":PhB", "warning")]
    assert "add up to 5.0 h" in hits[1].message


# --- odd graphs still render ---------------------------------------------------------------------

def _folder(tmp_path: Path, turtle: str) -> Path:
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "spec.ttl").write_text(PREFIXES + turtle, encoding="utf-8")
    return folder


def test_a_folder_with_only_a_feature_renders_every_document(tmp_path):
    from spec_check.api import SpecCheck

    folder = _folder(tmp_path, ':F a spec:Feature ; rdfs:label "Lonely" .\n')
    docs = {d.name: d.text for d in SpecCheck().render(folder)}
    assert sorted(docs) == ["plan.md", "report.md", "spec.md", "tasks.md"]
    assert "\n0 / 0 tasks done\n" in docs["tasks.md"]
    assert "*No user story.*" in docs["spec.md"]


def test_a_dependency_cycle_still_lists_every_task_once(tmp_path):
    from spec_check.api import SpecCheck

    folder = _folder(tmp_path, """:P a spec:Plan ; spec:hasPhase ( :Ph ) .
:Ph a spec:Phase ; spec:hasTask ( :A :B :C ) .
:A a spec:Task ; spec:taskId "T3" ; spec:dependsOn :B .
:B a spec:Task ; spec:taskId "T2" ; spec:dependsOn :A .
:C a spec:Task ; spec:taskId "T1" ; spec:dependsOn :B .
""")
    text = SpecCheck().render(folder, names=["tasks.md"])[0].text
    ids = re.findall(r"^- \[ \] (T\d)", text, re.MULTILINE)
    assert sorted(ids) == ["T1", "T2", "T3"]


def test_effort_total_ignores_binary_rounding_of_doubles_but_not_a_real_difference(tmp_path):
    from spec_check.api import SpecCheck

    folder = _folder(tmp_path, """:Ph a spec:Phase ; spec:totalEffortHours 0.3e0 ; spec:hasTask :A, :B .
:A a spec:Task ; spec:effortHours 0.1e0 .
:B a spec:Task ; spec:effortHours 0.2e0 .
:Ph2 a spec:Phase ; spec:totalEffortHours 0.3 ; spec:hasTask :C .
:C a spec:Task ; spec:effortHours 0.31 .
""")
    hits = [f.focus for f in SpecCheck().check([folder]).findings if f.rule_id == "effort-total"]
    assert hits == [":Ph2"]
