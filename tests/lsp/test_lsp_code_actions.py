# SPDX-License-Identifier: MIT
"""Each quick fix, over the protocol: ask for it on the diagnostic, apply the workspace edit as the
client would, and see the folder checked back to closure (no diagnostic left in any open file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from .lsp_editor import Editor

EXAMPLE = "specs/008-build-optimization-complete"


async def fix(client, editor: Editor, uri: str, rule: str, title_start: str) -> lsp.CodeAction:
    """Wait for ``rule``'s diagnostic in ``uri``, ask for code actions on it, apply the one offered."""
    [diagnostic] = await editor.wait_for(lambda d: [x for x in d.get(uri, []) if x.code == rule], rule)
    found = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic], only=[lsp.CodeActionKind.QuickFix])))
    [action] = [a for a in found if a.title.startswith(title_start)]
    assert action.kind == lsp.CodeActionKind.QuickFix
    editor.apply(action.edit)
    return action


async def closed(editor: Editor, *uris: str) -> None:
    await editor.wait_for(lambda d: all(u in d and d[u] == [] for u in uris), "closure")


@pytest.mark.asyncio
async def test_near_miss_suggestion_is_applied(client, workspace: Path):
    editor = Editor(client)
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    editor.replace(plan, "spec:implements :FR001 , :US1 ;\n    spec:dependsOn :T001 ;",
                   "spec:implements :FR001 , :US1 ;\n    spec:dependsOn :t001 ;")
    action = await fix(client, editor, plan, "reference-defined", "Replace :t001 with :T001")
    [edit] = action.edit.changes[plan]
    assert edit.new_text == ":T001"
    await closed(editor, plan)
    assert editor.texts[plan] == (workspace / EXAMPLE / "plan.ttl").read_text(encoding="utf-8")


@pytest.mark.asyncio
async def test_term_typo_is_replaced_by_the_vocabulary_term(client, workspace: Path):
    editor = Editor(client)
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    editor.replace(plan, ":T001 a spec:Task ;", ":T001 a spec:Tsak ;")
    await fix(client, editor, plan, "term-typo", "Replace spec:Tsak with spec:Task")
    await closed(editor, plan)


@pytest.mark.asyncio
async def test_missing_prefix_is_declared_with_the_namespace_the_folder_uses(client, workspace: Path):
    editor = Editor(client)
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    editor.replace(plan, "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n", "")
    assert "rdfs:" in editor.texts[plan]  # still used: now a syntax error
    action = await fix(client, editor, plan, "syntax", "Declare prefix rdfs:")
    assert action.edit.changes[plan][0].new_text == "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    await closed(editor, plan)


@pytest.mark.asyncio
async def test_a_story_not_linked_from_the_feature_is_linked(client, workspace: Path):
    editor = Editor(client)
    feature = editor.open(workspace / EXAMPLE / "feature.ttl")
    editor.replace(feature, "spec:hasUserStory :US1 , :US2 , :US3 , :US4 , :US5 ;",
                   "spec:hasUserStory :US1 , :US2 , :US3 , :US4 ;")
    action = await fix(client, editor, feature, "story-linked", "Link :US5 from the feature")
    assert "spec:hasUserStory :US5 ;" in action.edit.changes[feature][0].new_text
    await closed(editor, feature)


@pytest.mark.asyncio
async def test_a_task_that_traces_nothing_is_traced_to_the_only_story(client, workspace: Path):
    """tests/lsp/cases/untraced-task: one story, and :T002 implements nothing (on disk)."""
    editor = Editor(client)
    plan = editor.open(workspace / "specs" / "untraced-task" / "plan.ttl")
    action = await fix(client, editor, plan, "task-traced", "Trace :T002 to :US1")
    assert action.edit.changes[plan][0].new_text == "\n    spec:implements :US1 ;"
    await closed(editor, plan)


@pytest.mark.asyncio
async def test_no_fix_is_offered_where_it_would_be_a_guess(client, workspace: Path):
    """In the example, T001's phase-mates implement different stories: which one T001 is for is unknown."""
    editor = Editor(client)
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    editor.replace(plan, "    spec:implements :US1 , :US2_S3 ;\n", "")
    [diagnostic] = await editor.wait_for(lambda d: [x for x in d.get(plan, []) if x.code == "task-traced"])
    found = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=plan), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic])))
    assert not found
