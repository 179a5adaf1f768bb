# SPDX-License-Identifier: MIT
"""The language server on a spec-kit Markdown folder (spec.md, plan.md, tasks.md), end to end:
the real server over stdio, the real files (a copy of tests/speckit/base), nothing mocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp

from .conftest import SPECKIT_NAME
from .lsp_editor import Editor, by_rule, position_of, text_in

FOLDER = f"specs/{SPECKIT_NAME}"
T006 = "- [ ] T006 [US2] Implement share links in `src/albums/sharing.py` (FR-003)"


def line_of(text: str, needle: str) -> int:
    [line] = [i for i, x in enumerate(text.split("\n")) if needle in x]
    return line


@pytest.mark.asyncio
async def test_a_task_labelled_with_an_undefined_story_shows_on_the_label_and_goes_when_fixed(client, workspace):
    editor = Editor(client)
    tasks = editor.open(workspace / FOLDER / "tasks.md")
    await editor.wait_for(lambda d: d.get(tasks) == [], "the first check (the folder is closed)")

    editor.replace(tasks, T006, T006.replace("[US2]", "[US3]"))
    [diagnostic] = await editor.wait_for(lambda d: by_rule(d.get(tasks, []), "task-trace-target"),
                                         "task-trace-target")
    assert text_in(editor.texts[tasks], diagnostic.range) == "US3"  # the label, not the line
    assert diagnostic.range.start.line == line_of(editor.texts[tasks], "T006 [US3]")
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostic.code_description.href == "https://docs.example.org/spec-check/rules/task-trace-target"
    assert "US3" in diagnostic.message

    editor.replace(tasks, "T006 [US3]", "T006 [US2]")
    await editor.wait_for(lambda d: d.get(tasks) == [], "the finding to go")


@pytest.mark.asyncio
async def test_a_requirement_removed_from_specs_buffer_shows_where_tasks_md_cites_it(client, workspace: Path):
    editor = Editor(client)
    spec = editor.open(workspace / FOLDER / "spec.md")
    await editor.wait_for(lambda d: d.get(spec) == [], "the first check")
    editor.replace(spec, "- **FR-003**: System MUST create a read-only share link for an album\n", "")
    # tasks.md is not open: its diagnostics come all the same, from spec.md's unsaved buffer.
    tasks_path = workspace / FOLDER / "tasks.md"
    tasks = tasks_path.as_uri()
    [diagnostic] = await editor.wait_for(lambda d: by_rule(d.get(tasks, []), "task-trace-target"),
                                         "tasks.md's finding")
    text = tasks_path.read_text(encoding="utf-8")
    assert text_in(text, diagnostic.range) == "FR-003"
    assert diagnostic.range.start.line == line_of(text, T006)
    assert "FR-003" in (workspace / FOLDER / "spec.md").read_text(encoding="utf-8")  # disk unchanged

    editor.replace(spec, "- **FR-002**", "- **FR-003**: System MUST create a read-only share link for an album\n"
                                         "- **FR-002**")
    await editor.wait_for(lambda d: d.get(tasks) == [], "tasks.md cleared")


@pytest.mark.asyncio
async def test_a_story_without_tasks_is_reported_on_its_heading(client, workspace: Path):
    editor = Editor(client)
    tasks = editor.open(workspace / FOLDER / "tasks.md")
    spec = (workspace / FOLDER / "spec.md").as_uri()
    await editor.wait_for(lambda d: d.get(tasks) == [], "the first check")
    text = editor.texts[tasks]
    start, end = text.index("## Phase 4"), text.index("## Phase 5")
    editor.set_text(tasks, text[:start] + text[end:])  # US2's phase and tasks gone
    found = await editor.wait_for(lambda d: [x for x in d.get(spec, []) if "US2" in x.message], "US2's finding")
    spec_text = (workspace / FOLDER / "spec.md").read_text(encoding="utf-8")
    assert {text_in(spec_text, x.range) for x in found} == {"User Story 2"}
    assert {x.range.start.line for x in found} == {line_of(spec_text, "### User Story 2")}


@pytest.mark.asyncio
async def test_definition_and_references_across_spec_md_and_tasks_md(client, workspace: Path):
    editor = Editor(client)
    tasks = editor.open(workspace / FOLDER / "tasks.md")
    spec_path = workspace / FOLDER / "spec.md"
    spec_text = spec_path.read_text(encoding="utf-8")
    text = editor.texts[tasks]

    async def definition(needle: str, delta: int = 1):
        return await client.text_document_definition_async(lsp.DefinitionParams(
            text_document=lsp.TextDocumentIdentifier(uri=tasks), position=position_of(text, needle, delta=delta)))

    [story] = await definition("[US1] Implement create", delta=2)
    assert story.uri == spec_path.as_uri()
    assert text_in(spec_text, story.range) == "User Story 1"
    [requirement] = await definition("FR-001)")
    assert requirement.uri == spec_path.as_uri() and text_in(spec_text, requirement.range) == "FR-001"
    assert requirement.range.start.line == line_of(spec_text, "**FR-001**")
    [task] = await definition("T004 → T005")  # a dependency line names a task of the same file
    assert task.uri == tasks and task.range.start.line == line_of(text, "T004 [US1]")
    # The phase heading's "User Story 2" is a reference to the story too.
    [story2] = await definition("User Story 2 - Share", delta=5)
    assert text_in(spec_text, story2.range) == "User Story 2"

    found = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri=spec_path.as_uri()),
        position=position_of(spec_text, "FR-002**", delta=1),
        context=lsp.ReferenceContext(include_declaration=False)))
    assert [(Path(x.uri[len("file://"):]).name, x.range.start.line) for x in found] == [
        ("tasks.md", line_of(text, "T005 [P] [US1]"))]


@pytest.mark.asyncio
async def test_completion_offers_the_ids_the_folder_defines_with_their_labels(client, workspace: Path):
    editor = Editor(client)
    tasks = editor.open(workspace / FOLDER / "tasks.md")
    await editor.wait_for(lambda d: tasks in d, "the first check")
    line = line_of(editor.texts[tasks], "T008 [P]") + 1
    editor.type_at(tasks, line, 0, "- [ ] T009 [US")

    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=tasks),
        position=lsp.Position(line=line, character=len("- [ ] T009 [US"))))
    items = {i.label: i for i in result.items}
    assert sorted(items) == ["US1", "US2"]
    assert items["US1"].detail == "Group photos into an album"
    assert items["US2"].text_edit.new_text == "US2"
    assert items["US2"].text_edit.range.start.character == len("- [ ] T009 [")

    editor.type_at(tasks, line, len("- [ ] T009 [US"), "1] Cover (FR-")
    col = len("- [ ] T009 [US1] Cover (FR-")
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=tasks), position=lsp.Position(line=line, character=col)))
    assert [i.label for i in result.items] == ["FR-001", "FR-002", "FR-003"]
    assert result.items[2].detail == "System MUST create a read-only share link for an album"


@pytest.mark.asyncio
async def test_document_symbols_are_the_feature_and_plan_trees(client, workspace: Path):
    editor = Editor(client)
    spec = editor.open(workspace / FOLDER / "spec.md")
    tasks = editor.open(workspace / FOLDER / "tasks.md")

    def tree(symbols):
        return [(s.name, tree(s.children or [])) if s.children else s.name for s in symbols]

    [feature] = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=spec)))
    assert feature.kind == lsp.SymbolKind.Module and feature.detail == "Photo Albums"
    assert tree(feature.children) == [("US1", ["US1-S1", "US1-S2"]), ("US2", ["US2-S1"]),
                                      "FR-001", "FR-002", "FR-003", "SC-001", "SC-002"]
    assert feature.children[0].detail == "Group photos into an album"
    us1 = feature.children[0]
    assert us1.range.start.line <= us1.children[1].range.start.line <= us1.range.end.line  # nested in its range

    [plan] = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=tasks)))
    assert tree([plan])[0][1] == [("Phase 1", ["T001", "T002"]), ("Phase 2", ["T003"]), ("Phase 3", ["T004", "T005"]),
                                  ("Phase 4", ["T006", "T007"]), ("Phase 5", ["T008"])]


@pytest.mark.asyncio
async def test_hover_on_a_story_label_shows_its_title_type_and_uses(client, workspace: Path):
    editor = Editor(client)
    tasks = editor.open(workspace / FOLDER / "tasks.md")
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=tasks),
        position=position_of(editor.texts[tasks], "[US2] Implement share", delta=2)))
    value = hover.contents.value
    assert value.startswith("**US2**")
    assert "label: Group photos" not in value and "label: Share an album by link" in value
    assert "`spec:UserStory`" in value
    assert f"defined in {FOLDER}/spec.md:31" in value or "spec.md:31" in value
    assert "used 4 times" in value  # the phase heading, T006, T007 and the [Story] legend line


@pytest.mark.asyncio
async def test_hover_on_a_finding_shows_the_rule_and_a_checklist_belongs_to_its_feature_folder(client, workspace):
    editor = Editor(client)
    tasks = editor.open(workspace / FOLDER / "tasks.md")
    editor.replace(tasks, T006, T006.replace("[US2]", "[US3]"))
    await editor.wait_for(lambda d: by_rule(d.get(tasks, []), "task-trace-target"), "task-trace-target")
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=tasks),
        position=position_of(editor.texts[tasks], "[US3]", delta=2)))
    assert hover.contents.value.startswith("**US3**")
    assert "**task-trace-target** (violation)" in hover.contents.value
    assert "defined in" not in hover.contents.value  # US3 is defined nowhere

    # checklists/requirements.md is read with the folder: opening it serves the same folder.
    checklist = editor.open(workspace / FOLDER / "checklists" / "requirements.md")
    await editor.wait_for(lambda d: d.get(checklist) == [], "the checklist's (empty) diagnostics")
    assert by_rule(client.diagnostics.get(tasks, []), "task-trace-target")  # the folder's other finding stays
