# SPDX-License-Identifier: MIT
"""Where each spec-kit id is written in one Markdown text: the lexical index for spec.md, plan.md, tasks.md.

The Turtle index (terms.py) finds IRIs by their tokens; in a spec-kit folder the
nodes are the ids the files write (``User Story 1`` / ``US1``, ``FR-001``,
``SC-001``, ``T001``, ``## Phase 3``), which the reader (load/speckit.py) turns
into IRIs of the folder's namespace. This module finds every such id in the text
and gives it that same IRI; an id is a *subject* (where its node is defined) where
the reader itself put the node, read from the reader's own positions, so the two
never disagree about which heading is a story or which list item a task. Nodes
the reader places without an id written (the feature and plan at their title, the
acceptance scenarios US1-S2 at their list item) get a term over that line.

Fenced and indented code and HTML blocks are skipped, as the reader skips them.
The result is a terms.DocumentTerms, so everything built on the Turtle index
(ranges, definition, references, hover, symbols) serves Markdown too.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..load import speckit
from .terms import DocumentTerms, Lines, Term

# An id as spec-kit writes it. Stories: US1, US-1, "User Story 1", "Story 1" (the reader's
# _STORY_HEADING / _STORY_LABEL forms); scenarios as spec-check renders them (US1-S2).
_ID = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<scenario>US-?\d+-S\d+)"
    r"|(?P<us>US-?\d+)"
    r"|(?P<story>(?:User\s+)?Story\s*[-#]?\s*\d+)"
    r"|(?P<req>N?FR-\d+[a-z]?)"
    r"|(?P<sc>SC-\d+[a-z]?)"
    r"|(?P<task>T\d{2,}[a-z]?)"
    r")(?![\w-])", re.I)
_PHASE_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?:\*\*)?(?P<phase>Phase\s+(\d+(?:\.\d+)*))\b", re.I)
_HEADING_MARK = re.compile(r"#{0,6}[ \t]*")
_DIGITS = re.compile(r"\d+")
# Nodes the reader places where no id is written: their term covers the rest of the line.
_UNWRITTEN = re.compile(r"^(?:feature|plan|US\d+-S\d+)$")
_SKIPPED_BLOCKS = ("fence", "code_block", "html_block")
# The ids completion offers: those spec-kit writes (scenario ids US1-S2 are spec-check's own).
ID_LOCAL = re.compile(r"^(?:US\d+|N?FR-\d+[a-z]?|SC-\d+[a-z]?|T\d{2,}[a-z]?|\d+(?:\.\d+)+[a-z]?)$")


def folder_namespace(path: Path) -> str:
    """The namespace the reader gives the nodes of ``path``'s folder (checklists are one below it)."""
    folder = path.parent.parent.name if path.parent.name == "checklists" else path.parent.name
    return speckit.namespace(folder)


def _local(kind: str, written: str) -> str:
    """The reader's local name for an id as written (US-01 → US1, "User Story 2" → US2)."""
    if kind in ("us", "story"):
        return f"US{int(_DIGITS.search(written).group(0))}"
    if kind == "scenario":
        story, scenario = _DIGITS.findall(written)
        return f"US{int(story)}-S{int(scenario)}"
    if kind == "phase":
        return "phase-" + written.split()[-1]
    return written.upper() if kind in ("req", "sc") else written


def scan_markdown(text: str, path: Path) -> DocumentTerms:
    """Index one spec-kit Markdown text (``path`` names the file: the reader reads by file name)."""
    ns = folder_namespace(path)
    doc = DocumentTerms(prefixes={"": ns, "spec": str(speckit.SPEC)})
    lines = Lines(text)
    tokens = speckit._parser().parse(text)
    skipped: set[int] = set()
    # Each line's innermost list item, paragraph or table row: (first line, end line), 0-based, end
    # exclusive. Blocks nest and open in order, so an inner block's lines overwrite its parent's.
    block_of: list[tuple[int, int] | None] = [None] * len(lines.starts)
    headings: list[tuple[int, int]] = []  # (line, level)
    for tok in tokens:
        if tok.map is None:
            continue
        if tok.type in _SKIPPED_BLOCKS:
            skipped.update(range(*tok.map))
        elif tok.type == "heading_open":
            headings.append((tok.map[0], int(tok.tag[1])))
        elif tok.type in ("list_item_open", "paragraph_open", "tr_open"):
            first, end = tok.map
            block_of[first:end] = [(first, end)] * (min(end, len(block_of)) - first)
    sections = _sections(headings, len(lines.starts))

    # Where the reader put each node: line (1-based) -> [(column, node local)].
    placed: dict[int, list[tuple[int, str]]] = {}
    for node, (line, column) in speckit.read(path, text).subject_positions.items():
        node = str(node)
        if node.startswith(ns):
            placed.setdefault(line, []).append((column, node[len(ns):]))

    found: list[tuple[int, int, str, str, bool]] = []  # (start, end, local, name, subject)
    for number in range(len(lines.starts)):
        if number in skipped:
            continue
        start, end = lines.starts[number], lines.line_end(number)
        line_text = text[start:end]
        here = sorted(placed.get(number + 1, ()))
        unclaimed = {local for _c, local in here}
        written = []
        heading = _PHASE_HEADING.match(line_text)
        if heading:
            written.append((heading.start("phase"), heading.end("phase"), "phase", heading.group("phase")))
        for m in _ID.finditer(line_text):
            written.append((m.start(), m.end(), m.lastgroup, m.group(0)))
        for s, e, kind, value in written:
            local = _local(kind, value)
            # The reader's node for this id on this line (a second T001 is the node T001--2).
            node = next((n for _c, n in here if n in unclaimed and n.split("--")[0] == local), None)
            if node is not None:
                unclaimed.discard(node)
            name = "" if kind == "phase" else local  # "Phase 3" says it better than phase-3
            found.append((start + s, start + e, node or local, name, node is not None))
        for column, local in here:
            if local in unclaimed and _UNWRITTEN.match(local.split("--")[0]):
                s = min(start + max(column - 1, 0), end)
                s += len(_HEADING_MARK.match(text, s, end).group(0))
                e = start + len(line_text.rstrip())
                if e > s:
                    found.append((s, e, local, local if local.split("--")[0] not in ("feature", "plan") else "", True))
    found.sort()
    for start, end, local, name, subject in found:
        line = lines.position(start)[0]
        doc.statements.append(_extent(lines, line, block_of, sections))
        doc.terms.append(Term(text[start:end], ns + local, start, end, subject, len(doc.statements) - 1, name))
    doc._starts = [t.start for t in doc.terms]
    return doc


def _sections(headings: list[tuple[int, int]], line_count: int) -> dict[int, int]:
    """Each heading's line -> the line where its section ends (the next heading of its level or above)."""
    ends = {}
    open_headings: list[tuple[int, int]] = []  # (line, level), levels increasing
    for line, level in headings:
        while open_headings and open_headings[-1][1] >= level:
            ends[open_headings.pop()[0]] = line
        open_headings.append((line, level))
    for line, _level in open_headings:
        ends[line] = line_count
    return ends


def _extent(lines: Lines, line: int, block_of, sections) -> tuple[int, int]:
    """The offsets of what a term on ``line`` belongs to: a heading's section, else the innermost
    list item, paragraph or table row holding the line, else the line."""
    if line in sections:
        first, end = line, sections[line]
    else:
        first, end = block_of[line] or (line, line + 1)
    last = max(min(end, len(lines.starts)) - 1, first)
    while last > first and not lines.text[lines.starts[last]:lines.line_end(last)].strip():
        last -= 1  # a section's trailing blank lines are no part of it
    return lines.starts[first], lines.line_end(last)
