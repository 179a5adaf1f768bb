# SPDX-License-Identifier: MIT
"""Bad input leaves the server responsive: malformed requests, documents outside any spec folder,
a 10 MB file, a file with a syntax error on every line. After each, a request on the example
is still answered correctly."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from .lsp_editor import Editor, open_at_us1
from pygls.exceptions import JsonRpcException

EXAMPLE = "specs/008-build-optimization-complete"


async def still_answers(client, editor: Editor, workspace: Path) -> None:
    """Go to definition in the example still lands on :US1 in feature.ttl."""
    plan, at = open_at_us1(editor, workspace / EXAMPLE)
    [target] = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=plan), position=at))
    assert target.uri == (workspace / EXAMPLE / "feature.ttl").as_uri()


@pytest.mark.asyncio
async def test_malformed_requests_get_errors_and_the_server_goes_on(client, workspace: Path):
    editor = Editor(client)
    # Parameters of the wrong shape (written raw: the client library would refuse to send them).
    body = b'{"jsonrpc": "2.0", "id": "bad-1", "method": "textDocument/hover", "params": {"textDocument": 5}}'
    client._server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    # A method nobody implements: an error response, not a dead server.
    with pytest.raises(JsonRpcException):
        await client.protocol.send_request_async("spec-check/noSuchMethod", {})
    # Positions far outside the document, a document never opened, a non-file URI.
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    far = lsp.Position(line=10**6, character=10**6)
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=plan), position=far))
    assert hover is None
    missing = (workspace / EXAMPLE / "missing.ttl").as_uri()
    assert await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=missing), position=far)) == []
    assert await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri="https://example.org/x.ttl"))) == []
    # Garbage bytes on the wire (a frame that is no JSON) are logged and skipped.
    client._server.stdin.write(b"Content-Length: 9\r\n\r\n{not json")
    await still_answers(client, editor, workspace)


@pytest.mark.asyncio
async def test_documents_outside_any_spec_folder(client, workspace: Path):
    editor = Editor(client)
    readme = workspace / "README.md"
    readme.write_text("# notes\n\n:US1 is mentioned here\n", encoding="utf-8")
    notes = editor.open(readme)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri="untitled:Untitled-1", language_id="turtle", version=1, text=":a :b :c .\n")))
    for uri in (notes, "untitled:Untitled-1"):
        ident = lsp.TextDocumentIdentifier(uri=uri)
        zero = lsp.Position(line=0, character=1)
        assert await client.text_document_hover_async(lsp.HoverParams(text_document=ident, position=zero)) is None
        assert await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=ident)) == []
        completion = await client.text_document_completion_async(lsp.CompletionParams(text_document=ident,
                                                                                       position=zero))
        assert list(completion.items) == []
    await still_answers(client, editor, workspace)
    assert notes not in client.diagnostics and "untitled:Untitled-1" not in client.diagnostics


def write_big_spec(folder: Path, tasks: int = 16000) -> Path:
    """A closed spec of ~10 MB in one file: a story, a phase and many tasks with long comments."""
    folder.mkdir(parents=True)
    parts = ['''@prefix spec: <https://ggen.dev/spec#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <https://example.org/big#> .

:F a spec:Feature ; rdfs:label "Big" ; rdfs:comment "A feature with very many tasks." ; spec:hasUserStory :US1 ;
    spec:hasRequirement :FR1 .
:FR1 a spec:Requirement ; rdfs:label "The requirement" .
:US1 a spec:UserStory ; rdfs:label "Story" ; spec:priority "P1" ; spec:actor "user" ; spec:goal "goal" ;
    spec:acceptanceScenarios :S1 .
:S1 a spec:AcceptanceScenario ; rdfs:label "Scenario" ; spec:givenContext "g" ; spec:whenAction "w" ;
    spec:thenResult "t" .
:Plan a spec:Plan ; rdfs:label "Plan" ; spec:forFeature :F ; spec:hasPhase :P1 .
:P1 a spec:Phase ; rdfs:label "Phase" .
''']
    comment = "x" * 520
    parts += [f':T{i:05d} a spec:Task ; spec:taskId "T{i:05d}" ; rdfs:label "Task {i}" ; spec:inPhase :P1 ;\n'
              f'    spec:implements :US1 ; rdfs:comment "{comment}" .\n' for i in range(tasks)]
    path = folder / "big.ttl"
    path.write_text("".join(parts), encoding="utf-8")
    return path


@pytest.mark.asyncio
async def test_a_10_mb_file_leaves_the_server_responsive(client, workspace: Path):
    editor = Editor(client)
    plan = editor.open(workspace / EXAMPLE / "plan.ttl")
    await editor.wait_for(lambda d: plan in d, "the example's check")
    big = write_big_spec(workspace / "specs" / "big")
    assert big.stat().st_size >= 10 * 1000 * 1000
    uri = editor.open(big)
    # While the big folder is checked (seconds), the example is answered.
    await still_answers(client, editor, workspace)
    editor.replace(plan, "spec:implements :FR001 , :US1 ;\n    spec:dependsOn :T001 ;",
                   "spec:implements :FR001 , :US1 ;\n    spec:dependsOn :t001 ;")
    await editor.wait_for(lambda d: [x for x in d.get(plan, []) if x.code == "reference-defined"])
    # And the big one is checked in the end: it is closed.
    await editor.wait_for(lambda d: uri in d and d[uri] == [], "the big file's check", timeout=300)


@pytest.mark.asyncio
async def test_a_syntax_error_on_every_line(client, workspace: Path):
    editor = Editor(client)
    broken = workspace / "specs" / "broken"
    broken.mkdir()
    lines = [f":s{i} :p{i} \"unterminated {i} ;; ] ) ( [ <bad iri {i}> @@ ^^ . ." for i in range(5000)]
    (broken / "feature.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    uri = editor.open(broken / "feature.ttl")
    [syntax] = await editor.wait_for(lambda d: [x for x in d.get(uri, []) if x.code == "syntax"], "syntax")
    assert syntax.range.start.line == 0
    # Every request on the broken file is answered (nothing to find is an answer).
    ident = lsp.TextDocumentIdentifier(uri=uri)
    at = lsp.Position(line=2, character=1)
    await client.text_document_hover_async(lsp.HoverParams(text_document=ident, position=at))
    assert isinstance(await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=ident)), list)
    await client.text_document_completion_async(lsp.CompletionParams(text_document=ident, position=at))
    await client.text_document_references_async(lsp.ReferenceParams(
        text_document=ident, position=at, context=lsp.ReferenceContext(include_declaration=True)))
    # Typing into it keeps it checked: a new error position after the first line is fixed.
    editor.set_text(uri, "\n".join(["@prefix : <https://example.org/broken#> ."] + lines[1:]) + "\n")
    await editor.wait_for(lambda d: [x for x in d.get(uri, []) if x.code == "syntax" and x.range.start.line == 1])
    await still_answers(client, editor, workspace)


def write_big_speckit(folder: Path, tasks: int = 9000) -> Path:
    """A closed spec-kit folder whose tasks.md is ~10 MB: one story, one requirement, many tasks."""
    folder.mkdir(parents=True)
    (folder / "spec.md").write_text(f"""# Feature Specification: Big

**Feature Branch**: `{folder.name}`
**Input**: User description: "Do everything, in many small tasks."

### User Story 1 - Everything (Priority: P1)

A user wants everything done.

**Acceptance Scenarios**:

1. **Given** a thing, **When** it is done, **Then** it is done

### Functional Requirements

- **FR-001**: System MUST do everything
""", encoding="utf-8")
    note = "x" * 1100
    lines = ["# Tasks: Big\n\n## Phase 1: User Story 1 - Everything (Priority: P1)\n\n"]
    lines += [f"- [ ] T{i:05d} [US1] Do part {i} (FR-001) {note}\n" for i in range(tasks)]
    path = folder / "tasks.md"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.asyncio
async def test_a_10_mb_tasks_md_leaves_the_server_responsive(client, workspace: Path):
    editor = Editor(client)
    big = write_big_speckit(workspace / "specs" / "002-big")
    assert big.stat().st_size >= 10 * 1000 * 1000
    uri = editor.open(big)
    await still_answers(client, editor, workspace)  # while the big folder is checked
    await editor.wait_for(lambda d: uri in d and d[uri] == [], "the big tasks.md's check", timeout=300)
    # Its index (built on the first request) answers too: the last task's story is US1 in spec.md.
    at = lsp.Position(line=4 + 8999, character=len("- [ ] T08999 [U"))
    [target] = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=at))
    assert target.uri == (workspace / "specs" / "002-big" / "spec.md").as_uri()
