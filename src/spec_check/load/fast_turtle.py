# SPDX-License-Identifier: MIT
"""A fast Turtle reader that gives exactly what the position-tracking rdflib parser gives.

rdflib's notation3 parser reads ~40k triples/s: on a big corpus it is most of
spec-check's time. This reader tokenises with one regular expression and walks
the Turtle grammar in a small loop, ~4x faster. It is not a second Turtle
implementation with opinions of its own: it mirrors rdflib's parser (how names
are cut, how numbers are written, which escapes exist, in which order triples
are emitted, where a subject or predicate is said to be) on the plain Turtle
real specs are written in, and for everything else it gives up (raises
NotHandled) and the caller runs rdflib's parser, so the result never depends on
which reader ran:

* the same triples, emitted in the same order (nested blank nodes and list
  cells before the statement that holds them), so blank nodes get the same
  labels and graphs iterate alike;
* the same subject and predicate positions (line, column), the same prefixes;
* anything rdflib would reject, or read in one of its non-Turtle ways (a
  literal as subject, ``@base``, ``\\`` or ``%`` in a name, an IRI with spaces, a
  ``\\r`` anywhere, a datatype on a language-tagged string, N3 paths, ...), is
  NotHandled: syntax errors keep rdflib's wording and position.

tests/test_fast_turtle.py is the differential test: both readers on every Turtle
file of the test data, the example spec, the corpus, the synthetic benchmark
corpus and generated texts.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.plugins.parsers.notation3 import join

# Exactly rdflib's character classes (notation3._notQNameChars, _notNameChars).
_NOT_QNAME = "\t\r\n !\"#$&'()*,+/;<=>?@[\\\\\\]^`{|}~"
_NOT_NAME = _NOT_QNAME + ":"
# rdflib's number syntaxes, tried in its order (exponent, decimal, integer).
_EXPONENT = r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:e|E)[-+]?[0-9]+"
_DECIMAL = r"[-+]?[0-9]*\.[0-9]+"
_INTEGER = r"[-+]?[0-9]+"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = URIRef(_RDF + "type")
RDF_FIRST = URIRef(_RDF + "first")
RDF_REST = URIRef(_RDF + "rest")
RDF_NIL = URIRef(_RDF + "nil")
# Deeper nesting of [ ] and ( ) is left to rdflib, whose recursion limit decides
# whether such a file parses (its parser uses far more stack per level).
MAX_NESTING = 32

# One token per match; whitespace and comments before it are skipped by the
# same match. Alternatives are tried in order; ERR catches anything else.
_TOKEN = re.compile(
    r"[ \t\n]*(?:#[^\n]*[ \t\n]*)*"  # whitespace and comments, unrolled (see the strings)
    r"(?:"
    r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    # Strings "unrolled" (a run of plain characters, then escape-and-run repeats): an
    # alternation repeated per character costs the regex engine ~200 bytes of backtracking
    # state per character, 3.7 GB for a 19 MB literal (issue 20 item 7).
    r"|(?P<long>\"\"\"[^\"\\]*(?:(?:\\.|\"(?!\"\"))[^\"\\]*)*\"\"\"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*''')"
    r"|(?P<str>\"[^\"\\\n\r]*(?:\\.[^\"\\\n\r]*)*\"|'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*')"
    r"|(?P<punct>[;,\[\]()]|\.(?![0-9]))"
    rf"|(?P<num>{_EXPONENT}|{_DECIMAL}|{_INTEGER})"
    r"|(?P<bool>true|false)(?=[ \t\n.;,\])#])"
    r"|(?P<a>a)(?=[ \t\n])"
    r"|(?P<prefix>@prefix)(?=[ \t\n])"
    r"|(?P<sparql_prefix>[Pp][Rr][Ee][Ff][Ii][Xx])(?=[ \t\n])"
    # Names as rdflib cuts them: the longest run of name characters, less a final
    # "." (the statement's end). A name rdflib would end in "." is NotHandled later.
    r"|(?P<bnode>_:(?:[^" + _NOT_NAME + r"]*[^" + _NOT_NAME + r".])?)"
    r"|(?P<pname>(?:[^" + _NOT_NAME + r"0-9+.\-][^" + _NOT_NAME + r"]*)?:(?:[^" + _NOT_QNAME + r"]*[^" + _NOT_QNAME + r".])?)"
    r"|(?P<lang>@[a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*)"
    r"|(?P<dt>\^\^)"
    r"|(?P<end>\Z)"
    r"|(?P<err>.)"
    r")",
    re.DOTALL,
)
# What rdflib's join() returns unchanged: a scheme's colon before any slash.
_ABSOLUTE = re.compile(r"[^/:]*:")
_ESCAPE = re.compile(r"\\(?:([tbnrf\"'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class NotHandled(Exception):
    """This text needs rdflib's own parser (for its reading, or for its syntax error)."""


def _unescape_match(m: re.Match) -> str:
    simple, u4, u8, other = m.groups()
    if simple is not None:
        return _SIMPLE_ESCAPES[simple]
    if other is not None:
        raise NotHandled("escape")  # \a, \v or a bad escape: rdflib decides
    try:
        return chr(int(u4 or u8, 16))
    except (ValueError, OverflowError):
        raise NotHandled("escape") from None


# What Literal(text) holds for a plain string (no language, no datatype), made without its
# constructor: most literals in a spec are such strings, and Literal.__new__ (type checks, a
# cast to a Python value and back) was ~6% of a check at 100k triples. Only when rdflib's
# Literal has the slots this knows; tests/test_fast_turtle.py compares both term by term.
_PLAIN_LITERAL_SLOTS = ("_language", "_datatype", "_value", "_ill_typed")
_new_str = str.__new__


def plain_literal(text: str) -> Literal:
    """``Literal(text)`` for a str ``text``, faster."""
    literal = _new_str(Literal, text)
    literal._language = None
    literal._datatype = None
    literal._value = text
    literal._ill_typed = None
    return literal


if tuple(Literal.__slots__) != _PLAIN_LITERAL_SLOTS:  # another rdflib: its own constructor decides
    plain_literal = Literal  # noqa: F811


def _unescape(body: str) -> str:
    return _ESCAPE.sub(_unescape_match, body) if "\\" in body else body


class FastTurtle:
    """The result: triples in rdflib's emission order, positions, prefixes."""

    __slots__ = ("object_positions", "predicate_positions", "prefixes", "subject_positions", "triples")

    def __init__(self):
        self.triples: list = []
        self.subject_positions: dict = {}
        self.predicate_positions: dict = {}
        # Only objects written on another line than their predicate first is (parse.ParsedFile).
        self.object_positions: dict = {}
        self.prefixes: dict[str, str] = {}


def parse(text: str, base: str | None) -> FastTurtle:
    """Read ``text`` (Turtle) with ``base`` as its base IRI (None: a relative IRI is NotHandled).

    Raises:
        NotHandled: rdflib's parser must read this text (see the module docstring).
    """
    if "\r" in text:
        raise NotHandled("carriage return")  # rdflib counts lines in its own way around them
    return _Reader(text, base).run()


def read_into(graph, text: str) -> bool:
    """Add the triples of ``text`` to ``graph`` and bind its prefixes, as ``graph.parse(...,
    format="turtle")`` would; False (nothing added) when rdflib's parser must read it.

    For spec-check's own shapes and ontology files (the loader reads spec files with
    positions through parse.py). A relative IRI is left to rdflib, which knows the base.
    """
    try:
        read = parse(text, None)
    except Exception:  # NotHandled, or any surprise: the caller's rdflib parse decides
        return False
    for t in read.triples:
        graph.add(t)
    for prefix, namespace in read.prefixes.items():
        graph.bind(prefix, namespace)  # as rdflib's TurtleParser does after parsing
    return True


class _Reader:
    def __init__(self, text: str, base: str | None):
        self.text = text
        self.base = base
        self.out = FastTurtle()
        self.bindings: dict[str, str] = {}
        self.names: dict[str, URIRef] = {}  # prefixed name or IRI text -> URIRef
        self.literals: dict = {}
        self.labels: dict[str, BNode] = {}  # _:label -> its node
        self.positions_at: list = []  # (node or (node, predicate), char index), turned into (line, col) at the end
        # Objects that may lie on another line than their predicate's first place: (triple, char index).
        # Only those after a line break or under a repeated predicate are noted (a check per object
        # would cost a position per triple); _positions keeps the ones on another line.
        self.objects_at: list = []
        self.pairs_seen: set = set()
        # The tokens: kind, text, start, end.
        tokens = []
        append = tokens.append
        # Matches are back to back: at any place one alternative matches (ERR takes any character,
        # END the end), so no text is skipped. A token's group ends where its match ends.
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup
            if kind == "end":
                break
            if kind == "err":
                raise NotHandled("token")
            start, end = m.span(kind)
            append((kind, text[start:end], start, end))
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    # -- the document -----------------------------------------------------------

    def run(self) -> FastTurtle:
        tokens = self.tokens
        n = len(tokens)
        while self.i < n:
            kind, _value, start, _end = tokens[self.i]
            if kind == "prefix":
                self.i += 1
                self._prefix_declaration()
                self._expect(".")
            elif kind == "sparql_prefix":
                self.i += 1
                self._prefix_declaration()
            else:
                self._statement(start)
                self._expect(".")
        self._positions()
        return self.out

    def _expect(self, punct: str) -> None:
        if self.i >= len(self.tokens):
            raise NotHandled("end of input")
        kind, value, _s, _e = self.tokens[self.i]
        if kind != "punct" or value != punct:
            raise NotHandled("expected " + punct)
        self.i += 1

    def _peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", len(self.text), len(self.text))

    def _prefix_declaration(self) -> None:
        kind, value, _s, _e = self._peek()
        if kind != "pname" or not value.endswith(":") or value.count(":") != 1:
            raise NotHandled("prefix declaration")
        prefix = value[:-1]
        if prefix.endswith(".") or prefix == "_":
            raise NotHandled("prefix name")
        self.i += 1
        kind, value, _s, _e = self._peek()
        if kind != "iri":
            raise NotHandled("prefix declaration")
        self.i += 1
        # As rdflib: the IRI is resolved as any <...> is, then joined to the base once more.
        namespace = str(self._iri(value))
        if self.base is not None:
            namespace = join(self.base, namespace)
        self.bindings[prefix] = namespace
        self.out.prefixes[prefix] = namespace
        self.names = {k: v for k, v in self.names.items() if k.startswith("<")}  # pnames may now mean other IRIs

    # -- statements ---------------------------------------------------------------

    def _statement(self, start: int) -> None:
        subject = self._subject()
        self.positions_at.append((subject, start))
        self._property_list(subject)

    def _subject(self):
        kind, value, _start, _end = self._peek()
        self.i += 1
        if kind == "iri":
            return self._iri(value)
        if kind == "pname":
            return self._pname(value)
        if kind == "bnode":
            return self._bnode(value)
        if kind == "punct" and value == "[":
            return self._bracket()
        if kind == "punct" and value == "(":
            return self._collection()
        raise NotHandled("subject")  # a literal subject, or not a term at all

    def _property_list(self, subject) -> None:
        # The reader's hottest loop (one pass per predicate and object of the file): the token index
        # is kept in a local and written back to self.i around every call that reads tokens itself,
        # and a prefixed name already seen (most verbs and objects) is taken from the cache inline.
        tokens = self.tokens
        n = len(tokens)
        emit = self.out.triples.append
        positions = self.positions_at
        objects_at = self.objects_at
        pairs_seen = self.pairs_seen
        names = self.names
        text = self.text
        i = self.i
        while True:
            while i < n and tokens[i][0] == "punct" and tokens[i][1] == ";":
                i += 1
            if i >= n:
                self.i = i
                return
            kind, value, start, _end = tokens[i]
            if kind == "pname":
                if value.startswith(":-"):
                    raise NotHandled("verb")  # rdflib reads :- as N3 syntax
                predicate = names.get(value)
                if predicate is None:
                    predicate = self._pname(value)
            elif kind == "a":
                predicate = RDF_TYPE
            elif kind == "iri":
                if value.startswith("<="):
                    raise NotHandled("verb")  # rdflib reads <= as N3's implies
                predicate = self._iri(value)
            elif kind in ("punct", "end"):
                self.i = i
                return  # "void but valid", as rdflib: the caller checks what follows
            else:
                raise NotHandled("verb")
            i += 1
            positions.append((subject, start))
            pair = (subject, predicate)
            positions.append((pair, start))
            repeated = pair in pairs_seen
            if not repeated:
                pairs_seen.add(pair)
            # An object may lie on another line than the predicate's first place when the pair is
            # repeated or a line break lies between them (searched from the previous object on:
            # linear in a long object list on one line, not quadratic).
            crossed, searched = repeated, start
            objects = []
            while True:
                at = tokens[i][2] if i < n else searched
                if not crossed and text.find("\n", searched, at) >= 0:
                    crossed = True
                searched = at
                obj = names.get(tokens[i][1]) if i < n and tokens[i][0] == "pname" else None
                if obj is not None:
                    i += 1
                else:
                    self.i = i
                    obj = self._object()
                    i = self.i
                if crossed:
                    objects_at.append(((subject, predicate, obj), at))
                objects.append(obj)
                if not (i < n and tokens[i][0] == "punct" and tokens[i][1] == ","):
                    break
                i += 1
            for obj in objects:
                emit((subject, predicate, obj))
            if not (i < n and tokens[i][0] == "punct" and tokens[i][1] == ";"):
                self.i = i
                return
            i += 1

    def _object(self):
        if self.i >= len(self.tokens):
            raise NotHandled("end of input")
        kind, value, _start, end = self.tokens[self.i]
        self.i += 1
        if kind == "pname":
            return self._pname(value)
        if kind == "iri":
            return self._iri(value)
        if kind == "str" or kind == "long":
            return self._literal(value, kind, end)
        if kind == "bnode":
            return self._bnode(value)
        if kind == "punct":
            if value == "[":
                return self._bracket()
            if value == "(":
                return self._collection()
            raise NotHandled("object")
        if kind == "num":
            return self._number(value)
        if kind == "bool":
            return self._literal_of(value, _XSD + "boolean")
        raise NotHandled("object")

    def _bracket(self):
        node = BNode()
        self._nest()
        self._property_list(node)
        self._expect("]")
        self.depth -= 1
        return node

    def _nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise NotHandled("nesting")

    def _collection(self):
        items = []
        tokens = self.tokens
        self._nest()
        while True:
            if self.i >= len(tokens):
                raise NotHandled("end of input")
            kind, value, _s, _e = tokens[self.i]
            if kind == "punct" and value == ")":
                self.i += 1
                break
            items.append(self._object())
        self.depth -= 1
        if not items:
            return RDF_NIL
        emit = self.out.triples.append
        head = cell = BNode()
        for item in items[:-1]:
            emit((cell, RDF_FIRST, item))
            following = BNode()
            emit((cell, RDF_REST, following))
            cell = following
        emit((cell, RDF_FIRST, items[-1]))
        emit((cell, RDF_REST, RDF_NIL))
        return head

    # -- terms --------------------------------------------------------------------

    def _iri(self, token: str) -> URIRef:
        found = self.names.get(token)
        if found is None:
            ref = token[1:-1]
            if self.base is None:
                if not _ABSOLUTE.match(ref):
                    raise NotHandled("relative IRI with no base")
                resolved = ref
            else:
                resolved = join(self.base, ref)
            if ref.endswith("#") and not resolved.endswith("#"):
                resolved += "#"  # as rdflib does
            found = self.names[token] = URIRef(resolved)
        return found

    def _pname(self, token: str) -> URIRef:
        found = self.names.get(token)
        if found is None:
            prefix, local = token.split(":", 1)
            if prefix.endswith("."):
                raise NotHandled("prefix ending in a dot")  # no name for rdflib
            if "\\" in local or "%" in local:
                raise NotHandled("escape in a name")
            namespace = self.bindings.get(prefix)
            if namespace is None:
                raise NotHandled("prefix not bound")  # rdflib's error message
            found = self.names[token] = URIRef(namespace + local)
        return found

    def _bnode(self, token: str) -> BNode:
        label = token[2:]
        if not label:
            raise NotHandled("blank node label")
        node = self.labels.get(label)
        if node is None:
            node = self.labels[label] = BNode()
        return node

    def _literal(self, token: str, kind: str, end: int):
        quote = token[0]
        body = token[3:-3] if kind == "long" else token[1:-1]
        tokens = self.tokens
        if kind == "long" and self.text[end:end + 1] == quote:
            raise NotHandled("quotes after a long string")  # rdflib ends such strings differently
        lang = datatype = None
        if self.i < len(tokens) and tokens[self.i][2] == end:  # a language tag or ^^ right after the quote
            next_kind, next_value, _s, next_end = tokens[self.i]
            if next_kind == "lang":
                lang = next_value[1:]
                self.i += 1
                if self.i < len(tokens) and tokens[self.i][2] == next_end and tokens[self.i][0] == "dt":
                    raise NotHandled("language and datatype")
            elif next_kind == "dt":
                self.i += 1
                if self.i >= len(tokens):
                    raise NotHandled("end of input")
                dt_kind, dt_value, _s, _e = tokens[self.i]
                self.i += 1
                if dt_kind == "pname":
                    datatype = self._pname(dt_value)
                elif dt_kind == "iri":
                    datatype = self._iri(dt_value)
                else:
                    raise NotHandled("datatype")
        key = (body, lang, datatype)
        found = self.literals.get(key)
        if found is None:
            value = _unescape(body)
            if datatype:
                found = Literal(value, datatype=datatype)
            elif lang:
                found = Literal(value, lang=lang)
            else:
                found = plain_literal(value)
            self.literals[key] = found
        return found

    def _literal_of(self, lexical: str, datatype: str) -> Literal:
        key = (lexical, None, datatype)
        found = self.literals.get(key)
        if found is None:
            found = self.literals[key] = Literal(lexical, datatype=datatype)
        return found

    def _number(self, token: str) -> Literal:
        # As rdflib's parser writes each number (notation3.RDFSink.normalise).
        if "e" in token or "E" in token:
            return self._literal_of(token, _XSD + "double")
        if "." in token:
            value = str(Decimal(token))
            return self._literal_of("0" if value == "-0" else value, _XSD + "decimal")
        return self._literal_of(str(int(token)), _XSD + "integer")

    # -- positions ------------------------------------------------------------------

    def _positions(self) -> None:
        text = self.text
        newlines = [m.start() for m in re.finditer("\n", text)]
        subjects = self.out.subject_positions
        predicates = self.out.predicate_positions
        where: dict[int, tuple[int, int]] = {}
        for key, index in self.positions_at:
            target = predicates if isinstance(key, tuple) else subjects
            if key in target:
                continue
            position = where.get(index)
            if position is None:
                line = bisect.bisect_left(newlines, index)
                line_start = newlines[line - 1] + 1 if line else 0
                position = where[index] = (line + 1, index - line_start + 1)
            target[key] = position
        objects = self.out.object_positions
        for key, index in self.objects_at:
            if key in objects:
                continue
            line = bisect.bisect_left(newlines, index)
            said = predicates.get((key[0], key[1]))
            if said is not None and line + 1 != said[0]:
                line_start = newlines[line - 1] + 1 if line else 0
                objects[key] = (line + 1, index - line_start + 1)


def read_file_into(graph, path) -> bool:
    """read_into for a file; False (nothing added) when it cannot be read as UTF-8 or needs rdflib."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")  # rdflib drops a byte order mark too
    except (OSError, UnicodeDecodeError):
        return False  # the caller's rdflib parse reports it
    return read_into(graph, text)


def in_graph_order(triples: list) -> list:
    """``triples`` without duplicates, in the order an rdflib SimpleMemory graph they were
    added to iterates them (grouped by subject, then predicate, in order of first addition)."""
    spo: dict = {}
    for s, p, o in triples:
        po = spo.get(s)
        if po is None:
            po = spo[s] = {}
        objects = po.get(p)
        if objects is None:
            objects = po[p] = {}
        objects[o] = None
    return [(s, p, o) for s, po in spo.items() for p, objects in po.items() for o in objects]
