# SPDX-License-Identifier: MIT
"""Read GitHub spec-kit's Markdown (spec.md, plan.md, tasks.md, data-model.md, checklists) into our graph.

Each file is read on its own, like any other input file, into triples of the
spec vocabulary whose IRIs are built from the ids the files use (``:US1``,
``:US1-S2``, ``:FR-001``, ``:T014``), so the files of one folder meet in the
merged graph and cross-file links (a task's ``[US1]`` label, a cited FR id)
are checked by the rules, not here.

markdown-it-py (CommonMark) splits each file into headings, paragraphs, list
items, tables and fences with their source lines; only the text of one block is
ever matched by a pattern, so fenced examples, HTML comments and inline code are
never mistaken for tasks, ids or placeholders. Recognition goes by structure:
a story is a heading that names a story number, a task a list item (or, in
files without checkboxes, a line in a phase) that starts with a task id, a
requirement a block that starts with an FR id.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import XSD

from .. import vocab


class _Terms:
    """vocab.SPEC with each term built once: rdflib's Namespace builds a new URIRef on every
    attribute access, which was a third of the reading time of a 200-task folder."""

    def __getattr__(self, name: str) -> URIRef:
        term = vocab.SPEC[name]
        setattr(self, name, term)
        return term

    def __str__(self) -> str:
        return str(vocab.SPEC)


SPEC = _Terms()
_MARKDOWN = None


def _parser():
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark").enable("table")
    return _MARKDOWN


def namespace(folder_name: str) -> str:
    """The folder's own namespace: stable, and the same whichever file names a node."""
    return f"urn:spec-kit:{quote(folder_name, safe='-._~')}#"


# -- Markdown blocks -------------------------------------------------------------

@dataclass
class Block:
    """One block of a Markdown file: a heading, a list item's first paragraph, a paragraph or a table row."""

    kind: str  # "heading", "item", "paragraph", "row"
    text: str  # the block's source text (inline Markdown kept), lines joined by "\n"
    line: int  # 1-based first line
    level: int = 0  # heading level; for items the list depth (0 = top level)
    plain: list = field(default_factory=list)  # text outside code spans, links' text included
    code: list = field(default_factory=list)  # inline code spans
    links: list = field(default_factory=list)  # link targets
    children: list = field(default_factory=list)  # for items: nested blocks' text (sub-bullets)
    checkbox: str | None = None  # for items: " ", "x", "X", "~" when the item starts with [ ]
    cells: list = field(default_factory=list)  # for table rows: each cell's source text
    header: bool = False  # for table rows: the header row


def blocks(text: str) -> list[Block]:
    """The file's blocks in source order; fences, code blocks and HTML are left out."""
    tokens = _parser().parse(text)
    out: list[Block] = []
    depth = -1
    item_stack: list[Block | None] = []
    pending_item = False
    row: Block | None = None
    heading_level = 0
    in_head = False
    for i, tok in enumerate(tokens):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif t == "list_item_open":
            pending_item = True
            item_stack.append(None)
        elif t == "list_item_close":
            item_stack.pop()
        elif t == "heading_open":
            heading_level = int(tok.tag[1])
        elif t in ("thead_open", "thead_close"):
            in_head = t == "thead_open"
        elif t == "tr_open":
            row = Block(kind="row", text="", line=(tok.map[0] + 1) if tok.map else 1, header=in_head)
        elif t == "tr_close" and row is not None:
            row.text = " | ".join(row.cells)
            out.append(row)
            row = None
        elif t == "inline":
            prev = tokens[i - 1].type if i else ""
            line = (tok.map[0] + 1) if tok.map else (out[-1].line if out else 1)
            plain, code, links = _inline_parts(tok)
            if row is not None:
                row.cells.append(tok.content.strip())
                row.plain += plain
                row.code += code
                row.links += links
                continue
            if prev == "heading_open":
                out.append(Block("heading", tok.content.strip(), line, heading_level, plain, code, links))
                continue
            if pending_item:
                pending_item = False
                b = Block("item", tok.content, line, depth, plain, code, links)
                m = _CHECKBOX.match(b.text)
                if m:
                    b.checkbox = m.group(1)
                item_stack[-1] = b
                for parent in item_stack[:-1]:
                    if parent is not None:
                        parent.children.append(b)
                out.append(b)
                continue
            b = Block("paragraph", tok.content, line, depth, plain, code, links)
            for parent in item_stack:
                if parent is not None:
                    parent.children.append(b)
            out.append(b)
    return out


_CHECKBOX = re.compile(r"^\s*\[([ xX~\-])\]\s+")


def _inline_parts(tok) -> tuple[list, list, list]:
    plain, code, links = [], [], []
    for child in tok.children or ():
        if child.type == "text":
            plain.append(child.content)
        elif child.type == "code_inline":
            code.append(child.content)
        elif child.type == "link_open":
            links.append(child.attrs.get("href", ""))
    return plain, code, links


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark's backslash escapes
_HELD = re.compile("\x00(\\d+)\x00")
_CODE_SPAN = re.compile(r"((?<![\\`])(`+)(?!`).*?(?<!`)\2(?!`))", re.S)  # kept as written, backticks included


def strip_md(text: str) -> str:
    """Text without emphasis markers, backslash escapes and entities, whitespace collapsed.

    Code spans keep their backticks: a task's `src/x.py` reads as written.
    """
    held: list[str] = []

    def hold(m):
        held.append(re.sub(r"\s+", " ", m.group(1)))
        return f"\x00{len(held) - 1}\x00"

    text = _CODE_SPAN.sub(hold, text)  # first: inside code, a backslash is no escape
    text = _ESCAPED.sub(hold, text)
    text = re.sub(r"\*\*|(?<![\w*])\*(?!\s)|(?<!\s)\*(?![\w*])", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return html.unescape(_HELD.sub(lambda m: held[int(m.group(1))], text))


# -- the graph being built -------------------------------------------------------

class Triples:
    """Triples in insertion order with the (line, column) of each subject and (subject, predicate)."""

    def __init__(self, ns: str, lines: list[str]):
        self.ns = ns
        self.lines = lines
        self.triples: list = []
        self.seen: set = set()
        self.subjects: dict = {}
        self.predicates: dict = {}

    def iri(self, local: str) -> URIRef:
        return URIRef(self.ns + quote(local, safe="-._~"))

    def column(self, line: int, needle: str | None) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if needle:
            at = text.find(needle)
            if at >= 0:
                return at + 1
        return len(text) - len(text.lstrip()) + 1

    def at(self, node, line: int, needle: str | None = None) -> None:
        self.subjects.setdefault(node, (line, self.column(line, needle)))

    def add(self, s, p, o, line: int | None = None, needle: str | None = None) -> None:
        if o is None or (isinstance(o, str) and not isinstance(o, URIRef) and not str(o).strip()):
            return
        if not isinstance(o, (URIRef, Literal)):
            o = Literal(o)
        t = (s, p, o)
        if t not in self.seen:
            self.seen.add(t)
            self.triples.append(t)
        if line is not None:
            self.subjects.setdefault(s, (line, self.column(line, needle)))
            self.predicates.setdefault((s, p), (line, self.column(line, needle)))


# -- shared patterns -------------------------------------------------------------

_STORY_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:user\s+story|story|us)\s*[-#]?\s*(\d+)\b\s*(?:[-–—:.]\s*)?(.*)$", re.I)
_PRIORITY = re.compile(r"\(\s*(?:priority\s*:?\s*)?(P\d+)\s*\)|\bpriority\s*:?\s*\**\s*(P\d+)\b", re.I)
_REQ_START = re.compile(r"^\s*(?:\[[ xX]\]\s*)?\**\s*((?:N?FR)-\d+[a-z]?)\s*\**\s*[:.\-–—]?\s*\**\s*(.*)$", re.S)
_SC_START = re.compile(r"^\s*\**\s*(SC-\d+[a-z]?)\s*\**\s*[:.\-–—]?\s*\**\s*(.*)$", re.S)
_REQ_CITED = re.compile(r"\b(N?FR-\d+[a-z]?)\b")
# A task id: T001 (T014a), or a dotted number (1.1) as `### Task 1.1` blocks use, only after a checkbox.
# Bold (**T001**) and bracketed ([T001]) ids too; a ":" or dash after the id is no part of the title.
_TASK_START = re.compile(r"^\s*(?:\[([ xX~\-])\]\s+)?(\*\*|__)?\[?(T\d{2,}[a-z]?|(?<=\] )\d+(?:\.\d+)+[a-z]?)\b\]?"
                         r"(?:\2)?\s*(?:[:.]|[-–—](?=\s))?\s*(.*)$", re.S)
_LABEL = re.compile(r"^\s*\[([^\]\s](?:[^\]\n]{0,18}[^\]\s])?)\]\s*")  # [P], [US1], [Story 2], [FND]
_STORY_LABEL = re.compile(r"^(?:US|Story)\s*-?\s*(\d+)$", re.I)
_TASK_REF = re.compile(r"\bT\d{2,}[a-z]?\b")
_DEPENDS = re.compile(r"\b(?:depends\s+on|blocked\s+by|requires|after|needs)\s*:?\s*"
                      r"((?:\**T\d{2,}[a-z]?\**(?:\s*(?:,|and|&|/)\s*)?)+)", re.I)
_DEPENDS_LINE = re.compile(r"^\s*(?:depends\s+on|blocked\s+by)\s*:", re.I)
_ARROW_CHAIN = re.compile(r"\bT\d{2,}[a-z]?(?:\s*(?:→|->|⟶)\s*T\d{2,}[a-z]?)+")
_TASK_BLOCK = re.compile(r"^(✅\s*)?(?:\[([ xX])\]\s*)?task\s+(\d+(?:\.\d+)*[a-z]?)\b\s*[:.\-–—]?\s*(.*?)\s*(?:✅)?$", re.I)
_PHASE = re.compile(r"^\s*phase\s+(\d+(?:\.\d+)*)\s*[:.\-–—]?\s*(.*)$", re.I)
_PATH = re.compile(r"(?<![\w/])(?:[\w.@-]+/)+[\w.@-]*\w\.[A-Za-z0-9]{1,8}\b|(?<![\w/.-])[\w-]+\.(?:py|go|rs|ts|tsx|js|jsx|"
                   r"cs|java|kt|rb|php|swift|c|h|cpp|hpp|md|json|ya?ml|toml|sql|sh|html|css|razor|ini|cfg)\b")
_PLACEHOLDERS = re.compile(
    r"\[(?:FEATURE NAME|FEATURE|DATE|###-feature-name|###-feature|Brief Title|initial state|action|expected outcome|"
    r"REMOVE IF UNUSED|Entity \d|Entity\d|link|Title)\]|\$ARGUMENTS")
_NEEDS = re.compile(r"\[NEEDS CLARIFICATION(?::[^\]]*)?\]")


def norm_name(name: str) -> str:
    """An entity name compared across files: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


# -- one file ---------------------------------------------------------------------

def read(path: Path, text: str):
    """The triples, prefixes and positions of one spec-kit Markdown file (a load.parse.ParsedFile)."""
    from .parse import ParsedFile

    folder = path.parent.parent.name if path.parent.name == "checklists" else path.parent.name
    out = Triples(namespace(folder), text.splitlines())
    bl = blocks(text)
    name = path.name.lower()
    if path.parent.name != "checklists":
        # The document itself: the spec-kit rules about a whole file (a plan not linking its
        # spec, the branch a spec names) are about this node, and apply once per document.
        title = _title(bl)
        doc = out.iri(document_local(path.name))
        out.add(doc, RDF.type, SPEC.Document, title.line if title else 1)
        out.add(doc, SPEC.fileName, Literal(path.name))
        if name == "tasks.md":
            out.add(doc, RDF.type, SPEC.TasksDocument)
    if path.parent.name == "checklists":
        _checklist(out, bl, path)
    elif name == "spec.md":
        _spec(out, bl, folder)
    elif name == "tasks.md":
        _tasks(out, bl)
    elif name == "plan.md":
        _plan(out, bl)
    elif name == "data-model.md":
        _data_model(out, bl)
    if path.parent.name != "checklists":
        _markers(out, bl, path.name)
    return ParsedFile(path=path, triples=out.triples, prefixes={"": out.ns, "spec": str(SPEC)},
                      subject_positions=out.subjects, predicate_positions=out.predicates)


def document_local(file_name: str) -> str:
    """The local name of a document's node: spec.md → spec-md."""
    return re.sub(r"[^0-9A-Za-z]+", "-", file_name).strip("-")


def _sections(bl: list[Block]):
    """(block, the texts of the headings above it, outermost first) for every block."""
    stack: list[tuple[int, str]] = []
    for b in bl:
        if b.kind == "heading":
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            yield b, [h for _, h in stack]
            stack.append((b.level, b.text))
        else:
            yield b, [h for _, h in stack]


def _title(bl: list[Block]) -> Block | None:
    return next((b for b in bl if b.kind == "heading" and b.level == 1), None)


def _after_colon(text: str) -> str:
    return strip_md(text.split(":", 1)[1]) if ":" in text else strip_md(text)


def _meta(bl: list[Block], key: str) -> tuple[str, Block] | None:
    """The value of a ``**Key**: value`` line in the file's paragraphs, with its block."""
    pattern = re.compile(r"^\s*\*\*" + key + r"\*\*\s*:?\s*(.*?)\s*(?:\||$)", re.I | re.M)
    for b in bl:
        if b.kind == "paragraph":
            m = pattern.search(b.text)
            if m:
                return m.group(1).strip(), b
    return None


def _unique(out: Triples, seen: dict, local: str) -> URIRef:
    """The IRI for id ``local``; a second node with the same id gets its own IRI (unique-id reports it)."""
    n = seen.get(local, 0) + 1
    seen[local] = n
    return out.iri(local if n == 1 else f"{local}--{n}")


# -- spec.md -----------------------------------------------------------------------

def _spec(out: Triples, bl: list[Block], folder: str) -> None:
    feature = out.iri("feature")
    title = _title(bl)
    out.add(feature, RDF.type, SPEC.Feature, title.line if title else 1)
    doc = out.iri(document_local("spec.md"))
    out.add(doc, SPEC.folderName, Literal(folder))
    if title:
        out.add(feature, RDFS.label, Literal(_after_colon(title.text)), title.line)
    branch = _meta(bl, r"Feature\s+Branch")
    if branch:
        out.add(doc, SPEC.featureBranch, Literal(branch[0].strip("`* ")), branch[1].line, "Branch")
    described = _meta(bl, "Input")
    if described and described[0]:
        out.add(feature, RDFS.comment, Literal(strip_md(described[0])), described[1].line, "Input")
    else:  # no **Input** line: the first plain paragraph under the title (as spec-check renders it)
        first = next((b for b, heads in _sections(bl) if b.kind != "heading" and len(heads) <= 1), None)
        if first is not None and first.kind == "paragraph" and not first.text.lstrip().startswith("**"):
            out.add(feature, RDFS.comment, Literal(strip_md(first.text)), first.line)
    seen: dict = {}
    story = story_level = None
    story_n = 0
    scenario_n = 0
    goal_set = False
    scenario_depth = None
    section, section_level = "", 0
    entity_names: dict = {}
    counters = {"edge": 0, "clarification": 0, "criterion": 0}
    for b, heads in _sections(bl):
        if b.kind == "heading":
            text = strip_md(b.text)
            m = _STORY_HEADING.match(text)
            primary = re.match(r"^primary\s+user\s+stor(?:y|ies)\b", text, re.I)
            if m or (primary and story is None and story_n == 0):
                number = m.group(1) if m else "1"
                rest = m.group(2) if m else ""
                story_n += 1
                sid = f"US{int(number)}"
                story = _unique(out, seen, sid)
                story_level, scenario_n, goal_set, scenario_depth = b.level, 0, False, None
                prio = _PRIORITY.search(rest)
                label = _PRIORITY.sub("", rest)
                label = re.sub(r"[🎯].*$", "", label).strip(" -–—:")
                out.add(story, RDF.type, SPEC.UserStory, b.line, m and re.split(r"\s", text)[0])
                out.add(story, SPEC.storyId, Literal(sid), b.line)
                out.add(feature, SPEC.hasUserStory, story)
                out.add(story, RDFS.label, Literal(label or text), b.line, label or None)
                if prio:
                    out.add(story, SPEC.priority, Literal((prio.group(1) or prio.group(2)).upper()), b.line,
                            prio.group(0).strip())
                elif primary:  # the older template's one "Primary User Story" is the first priority
                    out.add(story, SPEC.priority, Literal("P1"), b.line)
                section, section_level = "story", b.level
                continue
            if story is not None and b.level <= story_level and not re.search(r"acceptance\s+(scenario|criteria)", text, re.I):
                story = None
            low = text.lower()
            named = ("edge" if "edge case" in low else "clarify" if "clarification" in low
                     else "entities" if re.search(r"^(key )?entities\b", low) else "criteria" if "success criteria" in low
                     else None)
            if named:
                section, section_level = named, b.level
            elif b.level <= section_level or story is not None:
                section, section_level = "", 0
            elif section == "entities":
                # A sub-heading of an Entities section names an entity (as spec-check renders them).
                _entity(out, entity_names, strip_md(re.sub(r"\(.*?\)", "", b.text)), "", b.line)
            continue
        text = b.text
        if b.kind in ("item", "paragraph", "row"):
            if _requirement(out, b, seen, feature):
                continue
            if _criterion(out, b, seen, feature):
                continue
            if section == "criteria" and (b.kind == "row" and not b.header or b.kind == "item" and b.level == 0):
                # A criterion without an SC id: a list item, or a table row's first cell.
                label = strip_md(b.cells[0] if b.kind == "row" else text)
                if label and label != "—":
                    counters["criterion"] += 1
                    node = out.iri(f"criterion-{counters['criterion']}")
                    out.add(node, RDF.type, SPEC.SuccessCriterion, b.line)
                    out.add(node, RDFS.label, Literal(label), b.line)
                    out.add(feature, SPEC.successCriteria, node)
                continue
        if story is not None:
            if b.kind == "paragraph" and b.level < 0:
                p = strip_md(text)
                low = p.lower()
                gwt = _gwt(text)
                if gwt is not None:  # a scenario written as a paragraph of its own
                    scenario_n += 1
                    _scenario(out, seen, story, scenario_n, gwt, b.line)
                elif low.startswith("independent test"):
                    out.add(story, SPEC.independentTest, Literal(_after_colon(p)), b.line)
                elif low.startswith("priority") and not out_has(out, story, SPEC.priority):
                    m = re.search(r"\bP\d+\b", p)
                    if m:
                        out.add(story, SPEC.priority, Literal(m.group(0)), b.line, m.group(0))
                elif not goal_set and not p.endswith(":") and not re.match(r"^[A-Z][\w ]{0,40}:", p):
                    out.add(story, SPEC.goal, Literal(p), b.line)
                    goal_set = True
            elif b.kind == "item" and (field := re.match(r"^\s*\*\*(Actor|Goal|Action):?\*\*:?\s*(.*)$", text, re.S)):
                prop = {"Actor": SPEC.actor, "Goal": SPEC.goal, "Action": SPEC.action}[field.group(1)]
                out.add(story, prop, Literal(strip_md(field.group(2))), b.line)
                goal_set = goal_set or field.group(1) == "Goal"
            elif b.kind == "item":
                whole = "\n".join([text] + [c.text for c in b.children])
                if scenario_depth is not None and b.level > scenario_depth:
                    continue  # a sub-bullet of a scenario (its Given/When/Then lines)
                scenario_depth = None
                gwt = _gwt(whole)
                if gwt is not None:
                    scenario_depth = b.level
                    scenario_n += 1
                    _scenario(out, seen, story, scenario_n, gwt, b.line)
            continue
        if section == "edge" and b.kind == "item" and b.level == 0:
            counters["edge"] += 1
            node = out.iri(f"edge-{counters['edge']}")
            out.add(node, RDF.type, SPEC.EdgeCase, b.line)
            out.add(node, RDFS.label, Literal(strip_md(text)), b.line)
            if b.children:
                out.add(node, RDFS.comment, Literal(" ".join(strip_md(c.text) for c in b.children)), b.line)
            out.add(feature, SPEC.hasEdgeCase, node)
        elif section == "clarify" and b.kind == "item":
            m = re.match(r"^\s*\**Q\**\s*:\s*(.*?)\s*(?:→|->|\n)\s*\**A\**\s*:\s*(.*)$", text, re.S)
            if m:
                counters["clarification"] += 1
                node = out.iri(f"clarification-{counters['clarification']}")
                out.add(node, RDF.type, SPEC.Clarification, b.line)
                out.add(node, SPEC.question, Literal(strip_md(m.group(1))), b.line)
                out.add(node, SPEC.answer, Literal(strip_md(m.group(2))), b.line)
                out.add(feature, SPEC.hasClarification, node)
        elif section == "entities" and b.kind == "item" and b.level == 0:
            m = re.match(r"^\s*(?:\*\*([^*]+)\*\*|`([^`]+)`|([^:—–]+?))\s*(?:\([^)]*\))?\s*[:—–-]\s*(.*)$", text, re.S)
            if m:
                _entity(out, entity_names, strip_md(m.group(1) or m.group(2) or m.group(3)).strip(" :"),
                        strip_md(m.group(4)), b.line)


def _entity(out: Triples, seen: dict, name: str, description: str, line: int) -> None:
    key = norm_name(name)
    if not key or key in seen:
        return
    seen[key] = name
    node = out.iri("entity-" + (re.sub(r"[^0-9A-Za-z]+", "-", name).strip("-") or key))
    out.add(node, RDF.type, SPEC.Entity, line, name)
    out.add(node, RDFS.label, Literal(name), line, name)
    out.add(node, SPEC.normalisedName, Literal(key))
    out.add(node, RDFS.comment, Literal(description), line)


def _scenario(out: Triples, seen: dict, story, number: int, gwt: tuple, line: int) -> None:
    """Scenario ``number`` of ``story`` (its id is the story's and its position: US1-S2)."""
    sid = f"{out_local(story).split('--')[0]}-S{number}"
    sc = _unique(out, seen, sid)
    out.add(sc, RDF.type, SPEC.AcceptanceScenario, line)
    out.add(sc, SPEC.scenarioId, Literal(sid), line)
    out.add(story, SPEC.acceptanceScenarios, sc)
    given, when, then, label = gwt
    if label:
        out.add(sc, RDFS.label, Literal(label), line)
    for prop, value in ((SPEC.givenContext, given), (SPEC.whenAction, when), (SPEC.thenResult, then)):
        if value:
            out.add(sc, prop, Literal(value), line)


def out_has(out: Triples, s, p) -> bool:
    return any(t[0] == s and t[1] == p for t in out.triples)


def out_local(node) -> str:
    return str(node).rsplit("#", 1)[1]


_GWT = re.compile(r"(?:\*\*|__)?\b(Given|When|Then|And|But)\b(?:\*\*|__)?[,:]?\s*")


def _gwt(text: str):
    """(given, when, then, label) of a scenario written with Given/When/Then keywords, else None."""
    parts = _GWT.split(text)
    if len(parts) < 3:
        return None
    label = strip_md(parts[0]).strip(" :-–—.,")
    label = re.sub(r"^(?:US\d+-S\d+\b\s*:?\s*)+", "", label)  # the id spec-check renders before a scenario
    found: dict = {}
    last = None
    for key, value in zip(parts[1::2], parts[2::2]):
        value = strip_md(value).strip(" ,;-")
        if key in ("And", "But") and last:
            found[last] = (found[last] + " and " + value).strip()
            continue
        if key in found:  # a second When: the text says more than one scenario; keep the first
            continue
        found[key] = value
        last = key
    if "Then" not in found or ("When" not in found and "Given" not in found):
        return None
    return found.get("Given", ""), found.get("When", ""), found.get("Then", ""), label


def _requirement(out: Triples, b: Block, seen: dict, feature) -> bool:
    """An FR-001 block: a spec:Requirement (True), or not one (False)."""
    return _id_block(out, b, seen, feature, _REQ_START, SPEC.Requirement, SPEC.requirementId, SPEC.hasRequirement)


def _criterion(out: Triples, b: Block, seen: dict, feature) -> bool:
    """An SC-001 block: a spec:SuccessCriterion (True), or not one (False)."""
    return _id_block(out, b, seen, feature, _SC_START, SPEC.SuccessCriterion, SPEC.criterionId, SPEC.successCriteria)


def _id_block(out: Triples, b: Block, seen: dict, feature, pattern, cls, id_property, link) -> bool:
    """A list item, paragraph or table row that starts with an id of ``pattern``; the rest is its text."""
    text = b.text.split(" | ", 1) if b.kind == "row" else [b.text]
    m = pattern.match(text[0])
    if not m:
        return False
    ident = m.group(1)
    label = strip_md(m.group(2) or (text[1] if len(text) > 1 else ""))
    node = _unique(out, seen, ident)
    out.add(node, RDF.type, cls, b.line, ident)
    out.add(node, id_property, Literal(ident), b.line, ident)
    out.add(node, RDFS.label, Literal(label.strip(" |") or ident), b.line, ident)
    out.add(feature, link, node)
    return True


# -- tasks.md ----------------------------------------------------------------------

def _tasks(out: Triples, bl: list[Block]) -> None:
    plan = out.iri("plan")
    title = _title(bl)
    out.add(plan, RDF.type, SPEC.Plan, title.line if title else 1)
    # A spec-kit folder holds one feature: its tasks.md plans that feature, with or without a plan.md.
    out.add(plan, SPEC.forFeature, out.iri("feature"), title.line if title else 1)
    checkboxes = any(b.kind == "item" and b.checkbox is not None and _TASK_START.match(b.text) for b in bl)
    phases = [b for b in bl if b.kind == "heading" and _PHASE.match(strip_md(b.text))]
    phase = None
    phase_story = None
    phase_level = 0
    seen: dict = {}
    order = 0
    tasks: dict = {}  # id -> node (first of that id)
    deps_section = False
    phase_seen: dict = {}
    phase_count = 0
    statements: list = []  # blocks that are not tasks: dependency statements are read once every task is known
    for b, heads in _sections(bl):
        if b.kind == "heading":
            text = strip_md(b.text)
            m = _PHASE.match(text)
            if m:
                number = m.group(1)
                phase = _unique(out, phase_seen, f"phase-{number}")  # two "Phase 3" headings: two phases
                phase_level = b.level
                out.add(phase, RDF.type, SPEC.Phase, b.line, "Phase")
                out.add(plan, SPEC.hasPhase, phase)
                phase_count += 1
                out.add(phase, SPEC.order, Literal(phase_count, datatype=XSD.integer))
                title_text = re.sub(r"[🎯].*$", "", m.group(2)).strip()
                out.add(phase, RDFS.label, Literal(title_text or f"Phase {number}"), b.line)
                s = _STORY_HEADING.match(_PRIORITY.sub("", title_text).replace("[", "").replace("]", "").strip())
                phase_story = out.iri(f"US{int(s.group(1))}") if s else None
                if phase_story is not None:  # the story's id as text: a link would be reported twice when it is missing
                    out.add(phase, SPEC.phaseStory, Literal(out_local(phase_story)), b.line)
                deps_section = False
                continue
            block = _TASK_BLOCK.match(text)
            if block and (phase is not None or not phases) and b.level > phase_level:
                # `### Task 1.1: Title` blocks (some repositories' format): the heading is the task.
                order += 1
                state = "x" if "✅" in text or block.group(2) in ("x", "X") else block.group(2)
                _task(out, block.group(3), block.group(4), state, b.text, [], b.line,
                      phase if phase is not None else _implicit_phase(out, plan, b.line), phase_story,
                      seen, tasks, order)
                continue
            if phase is not None and b.level <= phase_level:
                phase, phase_story = None, None
            deps_section = bool(re.search(r"dependenc|execution order", text, re.I))
            continue
        m = _TASK_START.match(b.text)
        if not m or (b.kind == "item" and b.checkbox is None and checkboxes):
            if b.kind in ("item", "paragraph"):
                statements.append((b, deps_section))
            continue
        # With checkboxes in the file, only checkbox items are tasks (legend lines, dependency
        # notes and summaries mention ids too); without, a line starting with an id in a phase is.
        is_task = (b.kind == "item" and b.checkbox is not None) or (
            not checkboxes and (phase is not None or not phases))
        if not is_task:
            continue
        if phase is None:
            target_phase, story_of_phase = _implicit_phase(out, plan, b.line), None
        else:
            target_phase, story_of_phase = phase, phase_story
        lines = [b.text] if b.kind == "item" else [ln for ln in b.text.split("\n")]
        if b.kind == "paragraph" and len(lines) > 1:
            # Bare task lines without list markers: one task per line that starts with an id.
            for k, ln in enumerate(lines):
                mm = _TASK_START.match(ln)
                if mm:
                    order += 1
                    _task(out, mm.group(3), mm.group(4), mm.group(1), ln, [], b.line + k, target_phase,
                          story_of_phase, seen, tasks, order)
            continue
        order += 1
        _task(out, m.group(3), m.group(4), b.checkbox if b.checkbox is not None else m.group(1), b.text, b.children,
              b.line, target_phase, story_of_phase, seen, tasks, order)
    for b, in_deps_section in statements:
        _dependency_lines(out, b, tasks, in_deps_section)
    if not any(p in (SPEC.storyLabel, SPEC.phaseStory) for _, p, _ in out.triples):
        # A tasks file that names no story anywhere (spec-kit's format before story labels,
        # "Phase 3.1" ...): it does not say which task serves which story, so every task
        # is taken to serve every story of the feature (docs/speckit.md).
        out.triples = [(s, SPEC.servesEveryStory if p == SPEC.servesFeature else p, o) for s, p, o in out.triples]
        out.predicates = {((s, SPEC.servesEveryStory) if p == SPEC.servesFeature else (s, p)): v
                          for (s, p), v in out.predicates.items()}


def _task(out, tid, rest, state, text, children, line, phase, phase_story, seen, tasks, order) -> None:
    """One task: ``tid`` with its title text ``rest`` ([P] and [USn] labels first), ``state`` its checkbox."""
    node = _unique(out, seen, tid)
    tasks.setdefault(tid, node)
    labels = []
    while True:
        lm = _LABEL.match(rest)
        if not lm:
            break
        labels.append(lm.group(1))
        rest = rest[lm.end():]
    out.add(node, RDF.type, SPEC.Task, line, tid)
    out.add(node, SPEC.taskId, Literal(tid), line, tid)
    out.add(phase, SPEC.hasTask, node)
    out.add(node, SPEC.documentOrder, Literal(order, datatype=XSD.integer))
    # A continuation line that states dependencies ("Depends on: T001", as spec-check renders
    # tasks) is not part of the title.
    title = "\n".join(ln for ln in rest.split("\n") if not _DEPENDS_LINE.match(ln))
    out.add(node, RDFS.label, Literal(strip_md(title) or tid), line, tid)
    if state is not None:
        out.add(node, SPEC.status, Literal({"x": "done", "X": "done", "~": "skipped", "-": "skipped"}.get(state, "todo")),
                line, "[")
    story_labels = []
    for label in labels:
        if label == "P":
            out.add(node, SPEC.parallel, Literal(True), line, "[P]")
            continue
        sm = _STORY_LABEL.match(label)
        if sm:
            sid = f"US{int(sm.group(1))}"
            story_labels.append(sid)
            out.add(node, SPEC.storyLabel, Literal(sid), line, f"[{label}]")
            out.add(node, SPEC.implements, out.iri(sid), line, f"[{label}]")
        else:
            out.add(node, SPEC.taskLabel, Literal(label), line, f"[{label}]")
    whole = "\n".join([text] + [c.text for c in children])
    for rid in sorted(set(_REQ_CITED.findall(whole))):
        out.add(node, SPEC.implements, out.iri(rid), line, rid)
    if not story_labels:
        if phase_story is not None:
            out.add(node, SPEC.implements, phase_story, line, tid)
        elif not _REQ_CITED.search(whole):
            out.add(node, SPEC.servesFeature, out.iri("feature"), line, tid)
    for path in sorted(set(_paths(whole))):
        out.add(node, SPEC.filePath, Literal(path), line, path)
    for dm in _DEPENDS.finditer(whole):
        for ref in _TASK_REF.findall(dm.group(1)):
            if ref != tid:
                out.add(node, SPEC.dependsOn, out.iri(ref), line, ref)


def _implicit_phase(out: Triples, plan, line: int) -> URIRef:
    """The phase of tasks written outside any phase heading (a file without phases)."""
    phase = out.iri("phase-tasks")
    if (phase, RDF.type, SPEC.Phase) not in out.seen:
        out.add(phase, RDF.type, SPEC.Phase, line)
        out.add(phase, RDFS.label, Literal("Tasks"), line)
        out.add(plan, SPEC.hasPhase, phase)
        out.add(phase, SPEC.order, Literal(0, datatype=XSD.integer))
    return phase


def _paths(text: str) -> list[str]:
    found = []
    for m in _PATH.finditer(text):
        p = m.group(0).strip("`")
        if "://" in text[max(0, m.start() - 8): m.start()] or p.startswith(("e.g", "i.e")):
            continue
        if re.fullmatch(r"\d+(\.\d+)+", p):  # a version number
            continue
        found.append(p)
    return found


def _dependency_lines(out: Triples, b: Block, tasks: dict, in_deps_section: bool) -> None:
    """`T005 → T006` chains anywhere, and `T012 depends on T011` in a Dependencies section."""
    for k, ln in enumerate(b.text.split("\n")):
        for chain in _ARROW_CHAIN.finditer(ln):
            ids = _TASK_REF.findall(chain.group(0))
            for before, after in zip(ids, ids[1:]):
                if after in tasks and before != after:
                    out.add(tasks[after], SPEC.dependsOn, out.iri(before), b.line + k, after)
        blocks_m = in_deps_section and re.match(r"^\W*(T\d{2,}[a-z]?)\b\s+blocks\s+((?:T\d{2,}[a-z]?(?:\s*(?:,|and|&)\s*)?)+)", ln)
        if blocks_m:
            for ref in _TASK_REF.findall(blocks_m.group(2)):
                if ref in tasks and ref != blocks_m.group(1):
                    out.add(tasks[ref], SPEC.dependsOn, out.iri(blocks_m.group(1)), b.line + k, blocks_m.group(1))
        m = in_deps_section and re.match(r"^\W*(T\d{2,}[a-z]?)\b[^.;]*?" + _DEPENDS.pattern, ln, re.I)
        if m and m.group(1) in tasks:
            for ref in _TASK_REF.findall(m.group(2)):
                if ref != m.group(1):
                    out.add(tasks[m.group(1)], SPEC.dependsOn, out.iri(ref), b.line + k, ref)


# -- plan.md, data-model.md, checklists -------------------------------------------

def _plan(out: Triples, bl: list[Block]) -> None:
    plan = out.iri("plan")
    title = _title(bl)
    line = title.line if title else 1
    out.add(plan, RDF.type, SPEC.Plan, line)
    out.add(plan, SPEC.forFeature, out.iri("feature"), line)
    if title:
        out.add(plan, RDFS.label, Literal(_after_colon(title.text)), line)
    for b in bl:
        target = next((h for h in b.links if re.search(r"(^|/)spec\.md(#.*)?$", h)), None)
        if target is None and b.kind == "paragraph" and re.search(r"\*\*Spec\*\*\s*:?\s*`?[^\s`|]*spec\.md", b.text):
            target = re.search(r"[^\s`|(]*spec\.md", b.text).group(0)
        if target:
            out.add(out.iri(document_local("plan.md")), SPEC.specLink, Literal(target), b.line, "spec.md")
            break
    summary = False
    for b, heads in _sections(bl):
        if b.kind == "heading":
            summary = strip_md(b.text).lower() in ("summary", "overview")
        elif summary and b.kind == "paragraph":
            out.add(plan, RDFS.comment, Literal(strip_md(b.text)), b.line)
            summary = False


_GENERIC_HEADINGS = {"overview", "entities", "relationships", "validationrules", "statetransitions", "summary",
                     "notes", "datamodel", "entityrelationships", "keyentities", "fields", "attributes"}
_TYPE_DECL = re.compile(r"\b(?:class|struct|type|interface|enum|record|message|table|model)\s+`?([A-Z]\w+)")


def _data_model(out: Triples, bl: list[Block]) -> None:
    node = out.iri("data-model")
    title = _title(bl)
    out.add(node, RDF.type, SPEC.DataModel, title.line if title else 1)
    names: set = set()
    for b in bl:
        if b.kind == "heading" and b.level >= 2:
            text = re.sub(r"^(?:\d+(?:\.\d+)*\.?\s*)|^(?:entity|model|table)\s*:?\s*", "", strip_md(b.text), flags=re.I)
            text = re.sub(r"\(.*?\)|`", "", text)
            for part in re.split(r"\s*(?:/|,|&|\band\b)\s*", text):
                names.add(norm_name(part))
        elif b.kind in ("item", "row") and (m := re.match(r"^\s*(?:\*\*([^*]+)\*\*|`([^`]+)`)", b.text)):
            names.add(norm_name(m.group(1) or m.group(2)))
        for c in b.code:
            names.add(norm_name(c))
    raw = "\n".join(out.lines)
    for m in _TYPE_DECL.finditer(raw):  # fenced struct, class and table declarations included
        names.add(norm_name(m.group(1)))
    for name in sorted(n for n in names if n and n not in _GENERIC_HEADINGS):
        out.add(node, SPEC.modelEntityName, Literal(name))
    # The whole text, normalised: an entity the data model mentions anywhere ("OpenConnect
    # processes", "LogViewerState") is not reported as missing, only one it never names.
    out.add(node, SPEC.modelText, Literal(norm_name(raw)))


def _checklist(out: Triples, bl: list[Block], path: Path) -> None:
    node = out.iri("checklist-" + re.sub(r"[^0-9A-Za-z]+", "-", path.stem).strip("-"))
    title = _title(bl)
    out.add(node, RDF.type, SPEC.Checklist, title.line if title else 1)
    if title:
        out.add(node, RDFS.label, Literal(_after_colon(title.text)), title.line)
    items = [b for b in bl if b.kind == "item" and b.checkbox is not None]
    out.add(node, SPEC.itemCount, Literal(len(items), datatype=XSD.integer))
    out.add(node, SPEC.doneCount, Literal(sum(1 for b in items if b.checkbox in "xX"), datatype=XSD.integer))


def _markers(out: Triples, bl: list[Block], file: str) -> None:
    """Template placeholders and [NEEDS CLARIFICATION] markers left in the text (code spans and fences excluded)."""
    n = 0
    for b in bl:
        if b.kind == "item" and b.checkbox is not None and not _TASK_START.match(b.text):
            continue  # a checklist item ("- [ ] No [NEEDS CLARIFICATION] markers remain") names markers, it is none
        if b.kind == "heading":
            plain = [b.text] if not b.code else b.plain
        else:
            plain = b.plain
        # The inline parser splits "[x]" into "[", "x", "]" text tokens; join them back.
        joined = "".join(plain)
        for pattern, cls in ((_PLACEHOLDERS, SPEC.TemplatePlaceholder), (_NEEDS, SPEC.ClarificationMarker)):
            for m in pattern.finditer(joined):
                n += 1
                node = out.iri(f"{file.replace('.', '-')}-marker-{n}")
                line = b.line
                for k, ln in enumerate(b.text.split("\n")):
                    if m.group(0) in ln:
                        line = b.line + k
                        break
                out.add(node, RDF.type, cls, line, m.group(0))
                out.add(node, SPEC.markerText, Literal(m.group(0)), line, m.group(0))
