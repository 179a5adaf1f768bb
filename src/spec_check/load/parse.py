# SPDX-License-Identifier: MIT
"""Parse one RDF file into its own graph, recording where each subject is written.

Neither rdflib triples nor pySHACL reports carry line numbers, so the Turtle
parser is extended here: a subclass of rdflib's SinkParser notes the line and
column where each statement's subject starts and where each predicate of a
subject first appears. That relies on rdflib's notation3 internals (pinned in
pyproject; tests/test_provenance.py fails if they change). Turtle is read by
load/fast_turtle.py first, which gives the same triples, order and positions
~3x faster on plain Turtle and hands anything else (syntax errors included)
to that parser. Other formats get positions from a lexical search for the
node's IRI.

Nothing here reaches the network: the loader reads bytes itself and hands the
parser a string, and owl:imports are left for the caller to report.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax, RDFSink, SinkParser
from rdflib.plugins.stores.memory import Memory

from ..graph import is_blank
from .formats import FORMATS
from .limits import DEFAULT_MAX_FILE_SIZE, xml_entity_problem

Position = tuple[int, int]  # 1-based line, 1-based column

# False: every Turtle file goes through rdflib's parser (tests/test_fast_turtle.py runs whole
# checks both ways and compares them).
FAST_TURTLE = True

@dataclass
class ParsedFile:
    """One file's triples, prefixes and positions, or the reason it did not parse.

    ``triples`` are in the order an rdflib SimpleMemory graph holding them iterates
    (the loader labels blank nodes in that order); ``graph`` builds such a graph.
    """

    path: Path
    triples: list = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    subject_positions: dict = field(default_factory=dict)
    predicate_positions: dict = field(default_factory=dict)
    # (subject, predicate, object) -> where the object is written, only for objects written on
    # another line than the subject's predicate first is (a repeated predicate, an object list
    # over several lines): a finding about such an object points at its own line. At the first
    # such place; an object on the predicate's line is located by predicate_positions.
    object_positions: dict = field(default_factory=dict)
    error: str | None = None
    error_position: Position = (1, 1)
    error_rule: str = "syntax"  # or "unsafe-input" / "limit-exceeded" (see load/limits.py)

    @property
    def graph(self) -> Graph:
        from ..graph import SpecGraph

        graph = SpecGraph()
        for t in self.triples:
            graph.add(t)
        return graph


class _PositionTrackingParser(SinkParser):
    """rdflib's Turtle parser, noting where subjects, predicates and objects are written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_positions: dict = {}
        self.predicate_positions: dict = {}
        self.object_positions: dict = {}
        self._subjects: list = []
        self._verb = None  # (subject, predicate) the next objectList belongs to
        self._newlines: list[int] | None = None
        self._text: str | None = None

    def _position(self, i: int) -> Position:
        # From the index in the whole text, not rdflib's own line counter: that one
        # counts some newlines twice when the parser backs up (CRLF files, object
        # lists; issue 20 item 10) and the fast reader would then disagree.
        return position_at(self._text, i, self._newlines)

    def loadBuf(self, buf):  # noqa: N802 - rdflib's name
        self._text = buf if isinstance(buf, str) else buf.decode("utf-8")
        self._newlines = newline_offsets(self._text)
        return super().loadBuf(buf)

    def statement(self, argstr: str, i: int) -> int:
        # Same as SinkParser.statement, plus the subject's position.
        j = self.skipSpace(argstr, i)
        if j < 0:
            return j
        start = self._position(j)
        r: list = []
        i = self.object(argstr, j, r)
        if i < 0:
            return i
        self.subject_positions.setdefault(r[0], start)
        k = self.property_list(argstr, i, r[0])
        if k < 0:
            self.BadSyntax(argstr, i, "expected propertylist")
        return k

    def property_list(self, argstr: str, i: int, subj) -> int:
        self._subjects.append(subj)
        try:
            return super().property_list(argstr, i, subj)
        finally:
            self._subjects.pop()

    def verb(self, argstr: str, i: int, res) -> int:
        j = self.skipSpace(argstr, i)
        if j < 0:
            return super().verb(argstr, i, res)
        start = self._position(j)
        before = len(res)
        k = super().verb(argstr, j, res)
        if k >= 0 and len(res) > before and self._subjects:
            subject = self._subjects[-1]
            predicate = res[-1][1]
            if isinstance(predicate, tuple):  # the keyword `a` comes as (SYMBOL, IRI string)
                predicate = URIRef(predicate[1])
            # Blank nodes written as [ ... ] are never a statement's subject.
            self.subject_positions.setdefault(subject, start)
            self.predicate_positions.setdefault((subject, predicate), start)
            if res[-1][0] == "->":  # not N3's `is p of`
                self._verb = (subject, predicate)
        return k

    def objectList(self, argstr: str, i: int, res) -> int:  # noqa: N802 - rdflib's name
        # Same as SinkParser.objectList, plus where each object is written (see ParsedFile).
        verb, self._verb = self._verb, None
        i = self._tracked_object(argstr, i, res, verb)
        if i < 0:
            return -1
        while 1:
            j = self.skipSpace(argstr, i)
            if j < 0:
                self.BadSyntax(argstr, j, "EOF found after object")
            if argstr[j] != ",":
                return j
            i = self._tracked_object(argstr, j + 1, res, verb)
            if i < 0:
                return i

    def _tracked_object(self, argstr: str, i: int, res, verb) -> int:
        j = self.skipSpace(argstr, i) if verb is not None else -1
        k = self.object(argstr, i, res)
        if k >= 0 and j >= 0 and res:
            subject, predicate = verb
            where = self._position(j)
            said = self.predicate_positions.get((subject, predicate))
            if said is not None and where[0] != said[0]:
                obj = self._store.normalise(self._context, res[-1])
                self.object_positions.setdefault((subject, predicate, obj), where)
        return k


def base_iri(path: Path) -> str:
    """A base IRI that does not depend on where the checkout lives (determinism), nor on where the
    check runs from: `check .` inside a folder names it as a check from outside does."""
    folder = path.parent.name or path.absolute().parent.name
    return f"file:///{folder}/{path.name}"


def parse_file(path: Path, text: str) -> ParsedFile:
    """Parse ``text`` (the content of ``path``) by the format its ending names."""
    if path.suffix.lower() == ".md":  # a spec-kit folder's Markdown
        from . import speckit

        return speckit.read(path, text)
    fmt = FORMATS.get(path.suffix.lower(), "turtle")
    if fmt == "turtle":
        parsed = (FAST_TURTLE and _parse_turtle_fast(path, text)) or parse_turtle_with_rdflib(path, text)
    else:
        parsed = _parse_other(path, text, Graph(store="SimpleMemory"), fmt)
    # Only an escape can make a surrogate (decoded UTF-8 holds none): skip the scan without one.
    if parsed.error is None and ("\\u" in text or "\\U" in text) and _has_lone_surrogate(parsed.triples):
        # "\uD800" parses to half a UTF-16 pair: no Unicode character, and no
        # report holding it could be written as UTF-8.
        parsed.error = "an escape (\\uD800-\\uDFFF) makes half a UTF-16 surrogate pair, which is no Unicode character"
        parsed.error_position = _surrogate_escape_position(text)
    if parsed.error is None:
        _refuse_what_is_not_rdf(parsed)
    return parsed


def _refuse_what_is_not_rdf(parsed: ParsedFile) -> None:
    """A literal or blank node as predicate, a literal as subject, a list whose rdf:rest leads back into it.

    rdflib's parsers accept the first two (`:s "p" :o .`, N3 leftovers), which no
    RDF store or SHACL engine takes (issue 20 item 9: a crash); the engines
    clone a cyclic blank-node list for ever or raise. The file is refused like a
    syntax error, at the statement's position.
    """
    rest: dict = {}
    for s, p, o in parsed.triples:
        bad = None
        # type() first: the readers make plain terms, and isinstance against rdflib's terms goes
        # through ABCMeta (Python code, per triple).
        if type(p) is not URIRef and not isinstance(p, URIRef):
            bad = f"{_described(p)} cannot be a predicate: RDF predicates are IRIs"
        elif type(s) is not URIRef and type(s) is not BNode and not isinstance(s, (URIRef, BNode)):
            bad = f"{_described(s)} cannot be a subject: RDF subjects are IRIs or blank nodes"
        elif is_blank(s) and is_blank(o) and p == _RDF_REST:
            rest.setdefault(s, []).append(o)
        if bad:
            parsed.error, parsed.triples = bad, []
            parsed.error_position = parsed.subject_positions.get(s, (1, 1))
            return
    cell = _first_cycle(rest)
    if cell is not None:
        parsed.error = ("an RDF list's rdf:rest leads back into the same list (a cyclic list has no end "
                        "and is no RDF collection)")
        parsed.error_position = parsed.subject_positions.get(cell, (1, 1))
        parsed.triples = []


def cyclic_list_cell(triples):
    """A blank node on a cycle of rdf:rest links among ``triples`` (a graph), or None."""
    rest: dict = {}
    for s, p, o in triples:
        if p == _RDF_REST and isinstance(s, BNode) and isinstance(o, BNode):
            rest.setdefault(s, []).append(o)
    return _first_cycle(rest)


def _first_cycle(rest: dict):
    """A node on a cycle of ``rest`` links (node -> list of successors: a cell may have two
    rdf:rest values, and rdflib's list readers then follow either), or None; linear time."""
    state: dict = {}  # 1: on the current path, 2: done
    for start in rest:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(rest[start]))]
        while stack:
            node, successors = stack[-1]
            following = next(successors, None)
            if following is None:
                state[node] = 2
                stack.pop()
            elif state.get(following) == 1:
                return following
            elif following not in state and following in rest:
                state[following] = 1
                stack.append((following, iter(rest[following])))
    return None


_RDF_REST = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")


def _described(term) -> str:
    """"a literal ('p')" or "a blank node": a blank node's id is the parser's random one (never shown)."""
    if isinstance(term, BNode):
        return "a blank node"
    text = str(term)
    return f"a literal ({text if len(text) <= 40 else text[:40] + '…'!r})"


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u0*[dD][89a-fA-F][0-9a-fA-F]{2}|\\U0000[dD][89a-fA-F][0-9a-fA-F]{2}")


def _has_lone_surrogate(triples) -> bool:
    return any(_SURROGATE.search(term) for triple in triples for term in triple)


def _surrogate_escape_position(text: str) -> Position:
    m = _SURROGATE_ESCAPE.search(text)
    if not m:
        return (1, 1)
    return (text.count("\n", 0, m.start()) + 1, _column_of(text, m.start()))


def _parse_turtle_fast(path: Path, text: str) -> ParsedFile | None:
    """fast_turtle's reading, or None when rdflib's parser must read the text."""
    from . import fast_turtle

    try:
        with _quiet_rdflib():
            fast = fast_turtle.parse(text, base_iri(path))
    except Exception:  # NotHandled, or any surprise: rdflib's parser decides, as before
        return None
    return ParsedFile(path=path, triples=fast_turtle.in_graph_order(fast.triples), prefixes=fast.prefixes,
                      subject_positions=fast.subject_positions, predicate_positions=fast.predicate_positions,
                      object_positions=fast.object_positions)


def parse_turtle_with_rdflib(path: Path, text: str) -> ParsedFile:
    """Turtle through rdflib's parser with position tracking (the reference for fast_turtle)."""
    graph = Graph(store="SimpleMemory")  # faster adds; iterates in parse order
    sink = RDFSink(graph)
    parser = _PositionTrackingParser(sink, baseURI=base_iri(path), turtle=True)
    parsed = ParsedFile(path=path)
    try:
        with _quiet_rdflib():
            parser.loadBuf(text)
    except BadSyntax as e:
        parsed.error_position = position_at(text, e._i)
        parsed.error = _bad_syntax_reason(e) + explain_syntax_error(text, e._i, e._why)
    except RecursionError:
        _too_deep(parsed, parser.lines + 1)
    except Exception as e:  # rdflib raises bare exceptions for some bad input
        parsed.error = _plain_reason(e)
        parsed.error_position = (parser.lines + 1, 1)
    parsed.triples = list(graph)
    parsed.prefixes = {k: str(v) for k, v in parser._bindings.items()}
    parsed.subject_positions = parser.subject_positions
    parsed.predicate_positions = parser.predicate_positions
    parsed.object_positions = parser.object_positions
    return parsed


@contextmanager
def _quiet_rdflib():
    """rdflib logs warnings (e.g. "does not look like a valid URI" on RDF-star input) to stderr;
    spec-check reports the problem as a finding instead."""
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _parse_other(path: Path, text: str, graph: Graph, fmt: str) -> ParsedFile:
    parsed = ParsedFile(path=path)
    refused = xml_entity_problem(text) if fmt == "xml" else None
    if refused:
        parsed.error, parsed.error_rule = refused, "unsafe-input"
        return parsed
    from .jsonld import ContextRefused, contained_contexts

    try:
        with contained_contexts(path, base_iri(path), DEFAULT_MAX_FILE_SIZE):
            _parse_quads(graph, text, fmt, base_iri(path))
    except ContextRefused as e:
        parsed.error, parsed.error_rule = e.reason(), "unsafe-input"
        return parsed
    except RecursionError:
        _too_deep(parsed, 1)
        return parsed
    except Exception as e:  # each rdflib parser has its own exception types
        parsed.error = _plain_reason(e)
        parsed.error_position = (_line_in_message(e), _column_in_error(e))
        return parsed
    parsed.triples = list(graph)
    parsed.prefixes = {p: str(ns) for p, ns in graph.namespaces()}
    parsed.subject_positions = _lexical_positions(graph, text)
    return parsed


def _too_deep(parsed: ParsedFile, line: int) -> None:
    parsed.error_rule = "limit-exceeded"
    parsed.error = "nesting is too deep to parse (blank nodes, lists or objects nested beyond the parser's recursion limit)"
    parsed.error_position = (line, 1)


def _parse_quads(graph: Graph, text: str, fmt: str, base: str) -> None:
    """Parse into a Dataset (TriG's named graphs included), then keep every triple, in parse order.

    rdflib's Memory store keeps each graph's triples in a set, so iterating the
    dataset gives an order that depends on PYTHONHASHSEED and on the random
    blank-node ids; blank-node labels, and with them findings, then changed from
    run to run (issue 20 item 10, found by the fuzzer). The store below records
    the order the parser added triples in, which only the text decides.

    rdflib 7's TriG, JSON-LD and N-Quads parsers use its own deprecated
    ConjunctiveGraph/default_context internally; those DeprecationWarnings are
    rdflib's business, and under ``-W error`` they would turn a valid file into
    a parse error, so they are silenced for the parse call only.
    """
    import warnings

    from rdflib import Dataset

    store = _ParseOrderMemory()
    dataset = Dataset(store=store)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=text, format=fmt, publicID=base)
        for s, p, o in store.added:
            graph.add((s, p, o))
        for prefix, ns in dataset.namespaces():
            graph.bind(prefix, ns, override=False)


class _ParseOrderMemory(Memory):
    """rdflib's Memory store, remembering each triple's first addition (a dict keeps order)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.added: dict = {}

    def add(self, triple, context, quoted=False):
        super().add(triple, context, quoted)
        if not quoted:
            self.added.setdefault(triple, None)


def _bad_syntax_reason(e: BadSyntax) -> str:
    return f"Turtle syntax error: {e._why}"


# Namespaces people most often forget to declare, for the "prefix not declared" hint.
WELL_KNOWN_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "spec": "https://ggen.dev/spec#",
}

_UNBOUND = re.compile(r'Prefix "([^"]*):" not bound')


def explain_syntax_error(text: str, index: int, why: str) -> str:
    """A plain "; likely cause: ..." for a Turtle syntax error at ``index`` of ``text``.

    The parser's own reason names what it expected, not what went wrong; these
    are the mistakes seen in real specs, checked in order. Empty when none fits.
    """
    line_start = text.rfind("\n", 0, index) + 1
    line_end = text.find("\n", index)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    at = text[index: index + 1]
    m = _UNBOUND.search(why)
    if m and re.match(re.escape(m.group(1)) + r":\s", text[index:]) and m.group(1) not in WELL_KNOWN_PREFIXES:
        # `ex:A hasProperty: ex:b`: a label with a colon, not a prefixed name (its local part is empty).
        return (f"; likely cause: `{m.group(1)}:` is not a Turtle term (a name followed by a colon is "
                f"read as an undeclared prefix); write the predicate as a prefixed name, e.g. "
                f"`ex:{m.group(1)}`, with no colon after it")
    if m:
        prefix = m.group(1)
        known = WELL_KNOWN_PREFIXES.get(prefix)
        iri = f"<{known}>" if known else "<namespace IRI>"
        return (f"; likely cause: the prefix {prefix}: is used but not declared in this file; "
                f"add `@prefix {prefix}: {iri} .` at the top (each file declares its own prefixes)")
    if "<<" in line or "{|" in line:
        return ("; likely cause: RDF-star (`<< ... >>` quoted triples or `{| ... |}` annotations) "
                "is not supported by this parser (rdflib)" + _rdf_star_hint(text))
    if "in list" in why and at == ",":
        return ("; likely cause: a comma inside a list `( a, b )`; RDF list members are separated "
                "by spaces only: write `( a b )`")
    if "in list" in why and at == ";":
        return ("; likely cause: a semicolon inside a list `( a ; b )`; RDF list members are separated "
                "by spaces only: write `( a b )`")
    if "objectList expected" in why and at == "=":
        return ("; likely cause: `=` is not Turtle: a predicate and its value are separated by a space, "
                'as in `ex:name "x"`')
    if "objectList expected" in why and _inside_brackets(text, index):
        return ("; likely cause: `[ ... ]` used as a list; square brackets hold predicate-value pairs "
                '(`[ ex:p "x" ; ex:q "y" ]`): for a list of values write `( "a" "b" )`, '
                'or repeat the values with commas (`ex:p "a", "b"`)')
    opened = text.rfind('"""', 0, index)
    # Prose right after a closed long string: the string ended early. A term
    # there (prefixed name, IRI, literal, punctuation) is a missing separator.
    word = (text[index:].split() or [""])[0]
    prose = re.match(r"[A-Za-z][A-Za-z'-]*$", word) is not None and word not in ("a", "true", "false")
    closed = opened >= 0 and text.count('"""', 0, index) % 2 == 0
    if closed and prose and text.count("\n", opened, index) <= 2 and "end of statement" in why:
        closing_line = text.count("\n", 0, opened) + 1
        return (f'; likely cause: the """ on line {closing_line} ends a long string early; a """ inside '
                'a triple-quoted string must be escaped (\\"\\"\\") or the string written with \'\'\'')
    if "end of statement" in why or "expected propertylist" in why:
        return ("; likely cause: a missing `;` (before another predicate), `,` (before another object) "
                "or `.` (at the end of the previous statement)")
    return ""


def _inside_brackets(text: str, index: int) -> bool:
    """True when ``index`` lies inside a `[` opened earlier on its line and not yet closed."""
    line_start = text.rfind("\n", 0, index) + 1
    before = text[line_start:index]
    return before.count("[") > before.count("]")


def _rdf_star_hint(text: str) -> str:
    """Say whether pyoxigraph (optional) reads the file: then it is valid RDF-star, only not here."""
    try:
        import pyoxigraph  # optional: `pip install pyoxigraph` gives this hint
    except ImportError:
        return "; install pyoxigraph to learn whether the file is otherwise valid RDF-star"
    try:
        for _ in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE):
            pass
    except Exception:
        return "; pyoxigraph cannot parse it either"
    return ("; pyoxigraph parses this file, so it is valid RDF-star (RDF 1.2) Turtle, "
            "but spec-check cannot check it: state the annotated triple plainly or use RDF reification")


def _plain_reason(e: Exception) -> str:
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return f"{type(e).__name__}: {first}"


def newline_offsets(text: str) -> list[int]:
    """Where each LF is: a line is what ends in LF (a CR before it is part of the line ending)."""
    return [m.start() for m in re.finditer("\n", text)]


def position_at(text: str, index: int, newlines: list[int] | None = None) -> Position:
    """1-based (line, column) of ``index`` in ``text``; lines end at LF only."""
    import bisect

    if index < 0 or index > len(text):  # rdflib reports an error at the end of input as index -1
        index = len(text)
    if newlines is None:
        newlines = newline_offsets(text)
    line = bisect.bisect_left(newlines, index)
    line_start = newlines[line - 1] + 1 if line else 0
    return (line + 1, index - line_start + 1)


def _column_of(text: str, index: int) -> int:
    if index < 0 or index > len(text):  # rdflib reports an error at the end of input as index -1
        index = len(text)
    return index - (text.rfind("\n", 0, index) + 1) + 1


def _line_in_message(e: Exception) -> int:
    for attr in ("lineno", "line"):
        value = getattr(e, attr, None)
        if isinstance(value, int) and value > 0:
            return value
    getter = getattr(e, "getLineNumber", None)
    if callable(getter):
        try:
            return int(getter())
        except Exception:
            pass
    m = re.search(r"line (\d+)", str(e))
    return int(m.group(1)) if m else 1


def _column_in_error(e: Exception) -> int:
    """The 1-based column a parser names (json's colno, SAX's getColumnNumber()), else 1."""
    value = getattr(e, "colno", None)
    if isinstance(value, int) and value > 0:
        return value
    getter = getattr(e, "getColumnNumber", None)
    if callable(getter):
        try:
            column = int(getter())  # expat counts columns from 0
            return column + 1 if column >= 0 else 1
        except Exception:
            pass
    return 1


_LEXICAL_TERM = re.compile(r"""<([^<>\s"{}|^`\\]*)>|"([^"\n]*)"|'([^'\n]*)'|([A-Za-z_][\w.-]*)?:([\w.-]*)""")


def _lexical_positions(graph: Graph, text: str) -> dict:
    """Positions for formats without a tracking parser: where the IRI is first written.

    One pass over the text indexes every bracketed IRI, quoted string (RDF/XML
    attributes, JSON-LD values) and prefixed name by its first position, so the
    cost is linear in the text (issue 20 item 7: the old search per subject was
    quadratic). Lines end at LF only (item 10), as everywhere else.
    """
    first: dict[str, int] = {}
    for m in _LEXICAL_TERM.finditer(text):
        if m.group(1) is not None:
            first.setdefault("<" + m.group(1) + ">", m.start())
        elif m.group(2) is not None or m.group(3) is not None:
            first.setdefault(m.group(2) if m.group(2) is not None else m.group(3), m.start() + 1)
        else:
            first.setdefault(m.group(0), m.start())
    prefixes = sorted(((str(ns), prefix) for prefix, ns in graph.namespaces()), key=lambda x: -len(x[0]))
    newlines = newline_offsets(text)
    positions: dict = {}
    for subject in sorted({s for s in graph.subjects() if isinstance(s, URIRef)}):
        # Prefer the IRI in angle brackets (N-Triples), so the column points at the start of the term.
        iri = str(subject)
        candidates = [f"<{iri}>", iri]
        candidates += [f"{prefix}:{iri[len(ns):]}" for ns, prefix in prefixes if iri.startswith(ns)]
        found = [first[c] for c in candidates if c in first]
        if found:
            positions[subject] = position_at(text, min(found), newlines)
    for subject in graph.subjects():
        if isinstance(subject, BNode):
            positions.setdefault(subject, (1, 1))
    return positions
