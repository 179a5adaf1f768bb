# SPDX-License-Identifier: MIT
"""What an editor does to the server under test, and how tests wait for its answers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

WAIT = 30.0  # generous: the machine is shared; a check of the example takes well under a second


class Editor:
    """What an editor does: open files, type, apply workspace edits; and waits on diagnostics."""

    def __init__(self, client: LanguageClient):
        self.client = client
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.texts[uri] = path.read_text(encoding="utf-8")
        self.versions[uri] = 1
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
            uri=uri, language_id=language_of(path), version=1, text=self.texts[uri])))
        return uri

    def set_text(self, uri: str, text: str) -> None:
        """Replace the whole buffer (a full-content change)."""
        self.texts[uri] = text
        self.versions[uri] += 1
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    def type_at(self, uri: str, line: int, character: int, text: str) -> None:
        """Insert ``text`` at a position (an incremental change, as editors send keystrokes)."""
        lines = self.texts[uri].split("\n")
        lines[line] = lines[line][:character] + text + lines[line][character:]
        self.texts[uri] = "\n".join(lines)
        self.versions[uri] += 1
        at = lsp.Position(line=line, character=character)
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangePartial(range=lsp.Range(start=at, end=at), text=text)]))

    def replace(self, uri: str, old: str, new: str) -> None:
        assert self.texts[uri].count(old) == 1, old
        self.set_text(uri, self.texts[uri].replace(old, new))

    def apply(self, edit: lsp.WorkspaceEdit) -> None:
        """Apply a workspace edit as the client would, sending the changes to the server."""
        for uri, edits in (edit.changes or {}).items():
            text = self.texts[uri] if uri in self.texts else Path(uri[len("file://"):]).read_text(encoding="utf-8")
            if uri not in self.texts:
                self.texts[uri] = text
                self.versions[uri] = 1
                self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
                    uri=uri, language_id=language_of(Path(uri[len("file://"):])), version=1, text=text)))
            for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
                text = apply_text_edit(text, e)
            self.set_text(uri, text)

    async def wait_for(self, condition, what: str = "diagnostics", timeout: float = WAIT):
        """Wait until ``condition(diagnostics by uri)`` holds; return its value."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = condition({uri: list(found) for uri, found in self.client.diagnostics.items()})
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out waiting for {what}; have {self.client.diagnostics}")
            await asyncio.sleep(0.02)


def by_rule(diagnostics, rule):
    return [d for d in diagnostics if d.code == rule]


def language_of(path: Path) -> str:
    return "markdown" if path.suffix == ".md" else "turtle"


US1_IN_PLAN = ("spec:implements :FR001 , :US1 ;", len("spec:implements :FR001 , :U"))


def open_at_us1(editor: Editor, folder: Path) -> tuple[str, lsp.Position]:
    """Open the example's plan.ttl; the position inside the `:US1` that T002 implements."""
    uri = folder.joinpath("plan.ttl").as_uri()
    if uri not in editor.texts:
        editor.open(folder / "plan.ttl")
    needle, delta = US1_IN_PLAN
    return uri, position_of(editor.texts[uri], needle, delta=delta)


def offset_of(text: str, position: lsp.Position) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[:position.line]) + position.character


def apply_text_edit(text: str, edit: lsp.TextEdit) -> str:
    return text[:offset_of(text, edit.range.start)] + edit.new_text + text[offset_of(text, edit.range.end):]


def position_of(text: str, needle: str, occurrence: int = 0, delta: int = 0) -> lsp.Position:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    return lsp.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def text_in(text: str, r: lsp.Range) -> str:
    return text[offset_of(text, r.start):offset_of(text, r.end)]
