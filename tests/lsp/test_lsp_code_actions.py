# SPDX-License-Identifier: MIT
"""Each quick fix, over the protocol: ask for it on the diagnostic, apply the workspace edit as the
client would, and see the folder checked back to closure (no diagnostic left in the open file).
The cases are data: tests/lsp/quick_fixes.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from .lsp_editor import Editor

EXAMPLE = "specs/008-build-optimization-complete"
CASES = tomllib.loads((Path(__file__).parent / "quick_fixes.toml").read_text(encoding="utf-8"))


async def actions_for(client, uri: str, diagnostic: lsp.Diagnostic) -> list[lsp.CodeAction]:
    return await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic], only=[lsp.CodeActionKind.QuickFix])))


@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(CASES))
async def test_quick_fix_is_applied_and_the_folder_is_closed_again(client, workspace: Path, name: str):
    case = CASES[name]
    editor = Editor(client)
    uri = editor.open(workspace / "specs" / case["folder"] / case["file"])
    if "old" in case:
        editor.replace(uri, case["old"], case["new"])
    [diagnostic] = await editor.wait_for(lambda d: [x for x in d.get(uri, []) if x.code == case["rule"]], name)
    [action] = [a for a in await actions_for(client, uri, diagnostic) if a.title.startswith(case["title"])]
    assert action.kind == lsp.CodeActionKind.QuickFix
    [edit] = action.edit.changes[uri]
    assert edit.new_text == case["edit"]
    editor.apply(action.edit)
    await editor.wait_for(lambda d: d.get(uri) == [], "closure")
    if case.get("restores"):  # the fix put back exactly what the file on disk says
        assert editor.texts[uri] == (workspace / "specs" / case["folder"] / case["file"]).read_text(encoding="utf-8")


@pytest.mark.asyncio
async def test_no_fix_is_offered_where_it_would_be_a_guess(client, workspace: Path):
    """In the example, T001's phase-mates implement different stories: which one T001 is for is unknown."""
    editor = Editor(client)
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    editor.replace(plan, "    spec:implements :US1 , :US2_S3 ;\n", "")
    [diagnostic] = await editor.wait_for(lambda d: [x for x in d.get(plan, []) if x.code == "task-traced"])
    assert list(await actions_for(client, plan, diagnostic)) == []


@pytest.mark.asyncio
async def test_no_label_is_offered_for_a_task_outside_a_story_phase(client, workspace: Path):
    """spec-kit: T008 (Polish phase, no story) labelled with a story spec.md does not define."""
    editor = Editor(client)
    tasks = editor.open(workspace / "specs" / "001-photo-albums" / "tasks.md")
    editor.replace(tasks, "- [ ] T008 [P] Document", "- [ ] T008 [P] [US4] Document")
    [diagnostic] = await editor.wait_for(lambda d: [x for x in d.get(tasks, []) if x.code == "task-trace-target"])
    assert list(await actions_for(client, tasks, diagnostic)) == []
