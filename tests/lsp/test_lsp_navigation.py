# SPDX-License-Identifier: MIT
"""Navigation over the protocol: definition and references across files and across spec
folders of the workspace, document symbols, hover, completion."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from .lsp_editor import Editor, open_at_us1, position_of, text_in

EXAMPLE = "specs/008-build-optimization-complete"


def doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


@pytest.mark.asyncio
async def test_definition_of_a_story_used_in_the_plan_is_in_feature_ttl(client, workspace: Path):
    editor = Editor(client)
    plan, at = open_at_us1(editor, workspace / EXAMPLE)
    found = await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc(plan), position=at))
    [target] = found
    feature = workspace / EXAMPLE / "feature.ttl"
    assert target.uri == feature.as_uri()
    text = feature.read_text(encoding="utf-8")
    assert text_in(text, target.range) == ":US1"
    assert text.split("\n")[target.range.start.line].startswith(":US1 a spec:UserStory")


@pytest.mark.asyncio
async def test_references_list_every_use_across_files(client, workspace: Path):
    editor = Editor(client)
    feature = editor.open(workspace / EXAMPLE / "feature.ttl")
    at = position_of(editor.texts[feature], ":US1 a spec:UserStory", delta=1)
    found = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=doc(feature), position=at, context=lsp.ReferenceContext(include_declaration=False)))
    files = {r.uri.rsplit("/", 1)[1] for r in found}
    # Used in the feature's story list and by tasks of the plan; the declaration itself is left out.
    assert files == {"feature.ttl", "plan.ttl"}
    texts = {f: (workspace / EXAMPLE / f).read_text(encoding="utf-8") for f in files}
    assert all(text_in(texts[r.uri.rsplit("/", 1)[1]], r.range) == ":US1" for r in found)
    plan_uses = sum(1 for r in found if r.uri.endswith("plan.ttl"))
    assert plan_uses == len(re.findall(r":US1(?![\w-])", texts["plan.ttl"]))


@pytest.mark.asyncio
async def test_definition_resolves_across_spec_folders_of_the_workspace(client, workspace: Path):
    """cross-folder/ uses an IRI the example defines: definition jumps into the other folder."""
    editor = Editor(client)
    other = editor.open(workspace / "specs" / "cross-folder" / "feature.ttl")
    text = editor.texts[other]
    at = position_of(text, "spec:dependsOn ex8:T001", delta=len("spec:dependsOn ex8:"))
    [target] = await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc(other),
                                                                                  position=at))
    assert target.uri == (workspace / EXAMPLE / "plan.ttl").as_uri()
    assert text_in((workspace / EXAMPLE / "plan.ttl").read_text(encoding="utf-8"), target.range) == ":T001"


@pytest.mark.asyncio
async def test_document_symbols_are_a_tree(client, workspace: Path):
    editor = Editor(client)
    feature = editor.open(workspace / EXAMPLE / "feature.ttl")
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=doc(feature)))
    [top] = [s for s in symbols if s.kind == lsp.SymbolKind.Module]
    stories = [s for s in top.children if s.kind == lsp.SymbolKind.Class]
    assert [s.name for s in stories] == [":US1", ":US2", ":US3", ":US4", ":US5"]
    assert list(top.children[:5]) == stories  # then the requirements and success criteria, in file order
    kinds = {s.kind for s in top.children[5:]}
    assert kinds == {lsp.SymbolKind.Constant, lsp.SymbolKind.Boolean} and len(top.children) == 29
    assert [s.name for s in top.children[0].children] == [":US1_S1", ":US1_S2", ":US1_S3", ":US1_S4"]
    assert top.children[0].detail  # the story's label
    plan_symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=doc(plan)))
    [the_plan] = [s for s in plan_symbols if s.kind == lsp.SymbolKind.Namespace]
    assert len(the_plan.children) == 5  # phases
    assert sum(len(p.children) for p in the_plan.children) == 30  # tasks
    for s in the_plan.children:  # a selection range lies inside its range
        assert (s.range.start.line, s.range.start.character) <= (s.selection_range.start.line,
                                                                  s.selection_range.start.character)


@pytest.mark.asyncio
async def test_hover_shows_label_type_and_uses_and_the_rule_of_a_finding(client, workspace: Path):
    editor = Editor(client)
    plan, at = open_at_us1(editor, workspace / EXAMPLE)
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=doc(plan), position=at))
    value = hover.contents.value
    feature_text = (workspace / EXAMPLE / "feature.ttl").read_text(encoding="utf-8")
    assert "label:" in value and "`spec:UserStory`" in value
    assert "defined in " in value and "feature.ttl:" in value and "used " in value
    label_line = feature_text.split(":US1 a spec:UserStory", 1)[1].split("rdfs:label", 1)[1].split('"')[1]
    assert label_line.split()[0] in value
    # On a vocabulary term: the ontology's label.
    at = position_of(editor.texts[plan], "spec:Task", delta=6)
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=doc(plan), position=at))
    assert "label: Task" in hover.contents.value and "type: `owl:Class`" in hover.contents.value

    # On a finding: the rule's description.
    editor.replace(plan, "spec:implements :FR001 , :US1 ;\n    spec:dependsOn :T001 ;",
                   "spec:implements :FR001 , :US1 ;\n    spec:dependsOn :t001 ;")
    [d] = await editor.wait_for(lambda ds: [x for x in ds.get(plan, []) if x.code == "reference-defined"])
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=doc(plan), position=d.range.start))
    assert "**reference-defined**" in hover.contents.value


@pytest.mark.asyncio
async def test_completion_offers_the_folders_names_and_the_vocabulary_with_labels(client, workspace: Path):
    editor = Editor(client)
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    await editor.wait_for(lambda d: plan in d)
    line = editor.texts[plan].split("\n").index("    spec:dependsOn :T001 ;")
    editor.type_at(plan, line, len("    spec:dependsOn :T001"), " , :US")
    items = (await client.text_document_completion_async(lsp.CompletionParams(
        text_document=doc(plan), position=lsp.Position(line=line, character=len("    spec:dependsOn :T001 , :US"))))).items
    labels = {i.label: i for i in items}
    assert {":US1", ":US2", ":US3", ":US4", ":US5", ":US1_S1"} <= set(labels)
    assert not any(not x.startswith(":US") for x in labels)  # what was typed filters
    assert labels[":US1"].detail  # the story's label
    assert labels[":US1"].text_edit.range.start.character == len("    spec:dependsOn :T001 , ")

    editor.type_at(plan, line, len("    spec:dependsOn :T001 , :US"), " spec:Ta")
    col = len("    spec:dependsOn :T001 , :US spec:Ta")
    items = (await client.text_document_completion_async(lsp.CompletionParams(
        text_document=doc(plan), position=lsp.Position(line=line, character=col)))).items
    labels = {i.label: i for i in items}
    assert "spec:Task" in labels and labels["spec:Task"].detail  # with the ontology's label
    assert labels["spec:Task"].kind == lsp.CompletionItemKind.Class
