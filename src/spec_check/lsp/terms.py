# SPDX-License-Identifier: MIT
"""Where each term is written in one Turtle text: the language server's lexical index.

The loader knows where subjects and predicates start; an editor needs more: the
extent of every IRI and prefixed name (for ranges, go to definition, references,
hover and completion), also in a buffer that does not parse. This module
tokenises with the fast Turtle reader's own token expression (one definition of
what a token is) and never fails: an unreadable character is skipped.

Offsets are indexes into the Python string; ``Lines`` turns them into 0-based
(line, character) pairs in the units the client counts in.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..load.fast_turtle import _TOKEN

# Token kinds of load/fast_turtle.py that name a node or a predicate.
_TERM_KINDS = ("iri", "pname", "a")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Term:
    """One IRI written in the text: as written, resolved, where, and whether it starts a statement."""

    text: str
    iri: str | None  # None: a prefixed name whose prefix is not declared in this text
    start: int
    end: int
    subject: bool  # the subject of a statement (where a node is "defined")
    statement: int  # index of the statement it belongs to, in DocumentTerms.statements
    name: str = ""  # the id the node goes by where the text is not it (Markdown: "User Story 1" is US1)


@dataclass
class DocumentTerms:
    """Terms, prefix declarations and statement extents of one text."""

    terms: list[Term] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    # where each prefix is declared: prefix -> (start, end) of the whole declaration
    prefix_declarations: dict[str, tuple[int, int]] = field(default_factory=dict)
    statements: list[tuple[int, int]] = field(default_factory=list)  # (start, end) offsets
    _starts: list[int] = field(default_factory=list, repr=False)

    def term_at(self, offset: int) -> Term | None:
        """The term whose text covers ``offset`` (or ends right at it, as a cursor after a word)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.terms[i].start <= offset <= self.terms[i].end:
            return self.terms[i]
        return None

    def terms_from(self, offset: int):
        """Terms starting at or after ``offset``, in order."""
        return self.terms[bisect.bisect_left(self._starts, offset):]

    def statement_of(self, term: Term) -> tuple[int, int]:
        return self.statements[term.statement]

    def last_prefix_end(self) -> int:
        return max((end for _s, end in self.prefix_declarations.values()), default=0)


def scan(text: str, base: str = "") -> DocumentTerms:
    """Index ``text``; ``base`` resolves relative IRIs (as the loader's base_iri does)."""
    doc = DocumentTerms()
    terms = doc.terms
    statement_start = None
    expect_subject = True
    depth = 0  # inside [ ] or ( ): no statement starts there
    pending: list = []  # a prefix declaration being read: [start, name]
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "end":
            break
        start, end = m.span(kind)
        value = m.group(kind)
        if kind in ("prefix", "sparql_prefix"):
            pending = [start, None]
            continue
        if pending:
            if kind == "pname" and pending[1] is None and value.endswith(":") and value.count(":") == 1:
                pending[1] = value[:-1]
                continue
            if kind == "iri" and pending[1] is not None:
                doc.prefixes[pending[1]] = _resolve_iri(value, base)
                close = _after_dot(text, end) if text[pending[0]] == "@" else end
                doc.prefix_declarations[pending[1]] = (pending[0], close)
            pending = []
            continue
        if kind == "punct":
            if value in "[(":
                depth += 1
            elif value in "])":
                depth = max(depth - 1, 0)
            elif value == "." and depth == 0:
                if statement_start is not None:
                    doc.statements.append((statement_start, end))
                statement_start = None
                expect_subject = True
            continue
        if kind == "err":
            continue
        if statement_start is None:
            statement_start = start
            doc_statement = len(doc.statements)
        if kind in _TERM_KINDS:
            if kind == "a":
                iri = _RDF_TYPE
            elif kind == "iri":
                iri = _resolve_iri(value, base)
            else:
                prefix, _, local = value.partition(":")
                ns = doc.prefixes.get(prefix)
                iri = None if ns is None else ns + local.replace("\\", "")
            terms.append(Term(value, iri, start, end, expect_subject and depth == 0, doc_statement))
        expect_subject = False
    if statement_start is not None:
        doc.statements.append((statement_start, len(text)))
    doc._starts = [t.start for t in terms]
    return doc


def _resolve_iri(token: str, base: str) -> str:
    inner = token[1:-1]
    return urljoin(base, inner) if base and ":" not in inner.split("/", 1)[0] else inner


def _after_dot(text: str, i: int) -> int:
    dot = text.find(".", i)
    return len(text) if dot < 0 else dot + 1


class Lines:
    """Offset ↔ (line, character) for one text, both 0-based.

    ``encoding`` is the unit LSP positions count in, as negotiated with the client:
    "utf-16" (the protocol's default: a character outside the Basic Multilingual Plane
    counts two), "utf-32" (code points) or "utf-8" (bytes). Findings count code points;
    ``code_point_offset`` reads those.
    """

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text = text
        self.encoding = encoding
        self.starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = find("\n", i + 1)

    def _units(self, piece: str) -> int:
        if self.encoding == "utf-32" or piece.isascii():
            return len(piece)
        if self.encoding == "utf-8":
            return len(piece.encode("utf-8", "surrogatepass"))
        return len(piece.encode("utf-16-le", "surrogatepass")) // 2

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, self._units(self.text[self.starts[line]:offset])

    def offset(self, line: int, character: int) -> int:
        """The offset of an LSP position (in the negotiated units), clamped to the line."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        piece = self.text[start:end]
        if self.encoding == "utf-32" or piece.isascii():
            return min(start + max(character, 0), end)
        units = 0
        for i, ch in enumerate(piece):
            if units >= character:
                return start + i
            units += self._units(ch)
        return end

    def code_point_offset(self, line: int, column: int) -> int:
        """The offset of a 0-based line and code-point column (as findings give them)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        return min(self.starts[line] + max(column, 0), self.line_end(line))

    def line_end(self, line: int) -> int:
        if line + 1 < len(self.starts):
            return self.starts[line + 1] - 1
        return len(self.text)
