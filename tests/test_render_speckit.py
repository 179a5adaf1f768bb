# SPDX-License-Identifier: MIT
"""tasks.md follows GitHub spec-kit's convention, checked against the spec's own data.

Every checklist line parses with spec-kit's task-line grammar (`- [ ] T001 [P] [US1] Description`,
from its `tasks` command: one story label at most); ids are the source's where the spec has them
(spec:taskId, or a numbered name such as :task-001); every task comes after the tasks it depends on;
`[P]` is on exactly the tasks with no unfinished dependency; the document ends with spec-kit's
dependency, parallel-execution and implementation-strategy sections; a task's dependencies are a
nested item, never text that GitHub runs into its description.

The expectations come from the spec (a SPARQL query over the checked graph), not from our renderer.
"""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt

from conftest import CORPUS, ROOT, SPEC_008, run_cli

# spec-kit templates/commands/tasks.md, "Checklist Format (REQUIRED)".
TASK_LINE = re.compile(r"- \[(?P<done>[ xX])\] (?P<id>T\d+)(?P<p> \[P\])?(?: \[(?P<story>US\d+)\])? (?P<text>\S.*)")
DEPENDS = re.compile(r"  - Depends on: (?P<deps>.+)")
SECTIONS = ("## Dependencies & Execution Order", "## Parallel Execution", "## Implementation Strategy")
NUMBERED_NAME = re.compile(r"(?i)(?:t|task)[-_ ]?0*(\d{1,6})")

QUERY = """PREFIX spec: <https://ggen.dev/spec#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?task ?id ?status ?dep ?member WHERE {
  ?task a spec:Task .
  OPTIONAL { ?task spec:taskId ?id }
  OPTIONAL { ?task spec:status ?status }
  OPTIONAL { ?task spec:dependsOn ?dep . OPTIONAL { ?dep spec:hasTask ?member } }
}"""


def _folders():
    folders = [SPEC_008, ROOT / "tests" / "render" / "small" / "spec"]
    if CORPUS.is_dir():
        folders += sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
    return folders


def _spec_tasks(folder) -> dict:
    """task IRI -> {"ids": set, "done": bool, "deps": set of task IRIs} read from the checked graph."""
    run = run_cli(["query", folder, QUERY, "--format", "json"])
    assert run.exit_code == 0, run.stderr
    tasks: dict = {}
    rows = json.loads(run.stdout)["results"]["bindings"]
    for row in rows:
        task = tasks.setdefault(row["task"]["value"], {"ids": set(), "done": False, "deps": set()})
        if "id" in row:
            task["ids"].add(row["id"]["value"])
        if "status" in row and row["status"]["value"].strip().lower() == "done":
            task["done"] = True
    for row in rows:
        if "dep" in row:
            dep = row["dep"]["value"]
            target = row["member"]["value"] if "member" in row else dep
            if target in tasks and target != row["task"]["value"]:
                tasks[row["task"]["value"]]["deps"].add(target)
    return tasks


def _source_id(iri: str, task: dict) -> str | None:
    """The id the source gives: spec:taskId as written, else a numbered name (task-001 -> T001)."""
    (given,) = task["ids"] or {None}
    match = NUMBERED_NAME.fullmatch(re.split(r"[#/:]", iri)[-1])
    if given or not match:
        return given
    return f"T{int(match.group(1)):03d}"


def _lines(markdown: str):
    """(parsed task line, its dependency ids) for every checklist line, in order."""
    out = []
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("- ["):
            continue
        match = TASK_LINE.fullmatch(line)
        assert match, f"not spec-kit's task-line grammar: {line!r}"
        deps = DEPENDS.fullmatch(lines[i + 1]) if i + 1 < len(lines) else None
        out.append((match, [d.strip() for d in deps.group("deps").split(",")] if deps else []))
    return out


@pytest.mark.parametrize("folder", _folders(), ids=lambda p: p.name)
def test_tasks_md_follows_spec_kits_convention(folder):
    run = run_cli(["tasks", folder])
    assert run.exit_code == 0, run.stderr
    markdown = run.stdout
    spec = _spec_tasks(folder)
    lines = _lines(markdown)
    assert len(lines) == len(spec)
    ids = [m.group("id") for m, _ in lines]
    assert len(set(ids)) == len(ids)
    for heading in SECTIONS:
        assert heading in markdown.splitlines(), heading
    _check_order_and_parallel(lines, markdown)
    # Against the spec's own data, for every task with an id of its own: it is on the line with
    # that id, done as the spec says, [P] exactly when no task it waits for is unfinished, and
    # after every task it waits for (unless they wait for each other: a cycle, the check's finding).
    position = {m.group("id"): i for i, (m, _) in enumerate(lines)}
    wanted = {iri: _source_id(iri, task) for iri, task in spec.items()}
    unique = {iri: i for iri, i in wanted.items() if i is not None and list(wanted.values()).count(i) == 1}
    for iri, ident in unique.items():
        assert ident in position, f"{iri}: its id {ident} is not in tasks.md"
        match = lines[position[ident]][0]
        task = spec[iri]
        assert (match.group("done") != " ") == task["done"], match.group(0)
        assert bool(match.group("p")) == all(spec[d]["done"] for d in task["deps"]), match.group(0)
        for d in task["deps"]:
            if d in unique and iri not in spec[d]["deps"]:
                assert position[unique[d]] < position[ident], f"{ident} before its dependency {unique[d]}"


def _phase_sections(markdown: str) -> dict:
    """Phase label (as written in the heading) -> ids of the tasks in that section."""
    sections: dict = {}
    current = None
    for line in markdown.splitlines():
        heading = re.fullmatch(r"## Phase \d+: (.+)", line)
        if heading:
            current = sections.setdefault(heading.group(1), [])
        elif line.startswith("## "):
            current = None
        elif current is not None and TASK_LINE.fullmatch(line):
            current.append(TASK_LINE.fullmatch(line).group("id"))
    return sections


def _check_order_and_parallel(lines, markdown: str) -> None:
    """The document alone: dependencies listed first, [P] exactly when all of them are done."""
    phases = _phase_sections(markdown)
    order = [m.group("id") for m, _ in lines]
    done = {m.group("id"): m.group("done") != " " for m, _ in lines}
    for i, (match, deps) in enumerate(lines):
        assert "Depends on" not in match.group("text")
        text = ", ".join(deps)
        waits: list = []
        for label in sorted(phases, key=len, reverse=True):  # a phase label may hold ", "
            if label in text:
                waits += phases[label]
                text = text.replace(label, "")
        waits += [d for d in (part.strip() for part in text.split(",")) if d in done]
        waits = [d for d in waits if d != match.group("id")]
        if match.group("p"):
            assert all(done[d] for d in waits), match.group(0)
        else:
            assert waits and not all(done[d] for d in waits), match.group(0)
        in_cycle = any(match.group("id") in lines[order.index(d)][1] for d in waits)
        if not in_cycle:
            assert all(order.index(d) < i for d in waits if d in order), match.group(0)


def test_dependencies_never_run_into_the_description_when_rendered():
    markdown = run_cli(["tasks", SPEC_008]).stdout
    tokens = MarkdownIt("commonmark").parse(markdown)
    # Every "Depends on" is its own nested list item, not text inside the task's paragraph.
    inline = [t.content for t in tokens if t.type == "inline"]
    for text in inline:
        if "Depends on" in text:
            assert text.startswith("Depends on: "), text
    task_texts = [t for t in inline if TASK_LINE.fullmatch("- " + t) or re.match(r"\[[ x]\] T\d+", t)]
    assert task_texts and not any("Depends on" in t for t in task_texts)


def test_affiliate_routing_keeps_its_own_task_numbers_and_chain():
    folder = CORPUS / "014-affiliate-routing"
    if not folder.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    lines = _lines(run_cli(["tasks", folder]).stdout)
    spec = _spec_tasks(folder)
    titles = {_source_id(iri, t): iri.rsplit("#", 1)[1] for iri, t in spec.items()}
    assert [m.group("id") for m, _ in lines] == ["T001", "T002", "T003", "T004", "T005"]
    assert [titles[m.group("id")] for m, _ in lines] == ["task-001", "task-002", "task-003", "task-004", "task-005"]
    # A chain: only the first can start.
    assert [bool(m.group("p")) for m, _ in lines] == [True, False, False, False, False]
    assert [deps for _, deps in lines] == [[], ["T001"], ["T002"], ["T003"], ["T004"]]
