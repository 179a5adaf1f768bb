# SPDX-License-Identifier: MIT
"""`spec-check query`: run a SPARQL SELECT, ASK or CONSTRUCT over a spec folder.

The query sees exactly the graph the rules see (SpecCheck.load → RuleView):
lists read as one link per member, inverse links turned round, and inference
when asked for. The vocabulary prefixes (vocab.QUERY_PREFIXES) and the
prefixes the folder's own files declare are predeclared; a PREFIX in the
query wins over both.

Output is deterministic: rows are sorted when the query has no top-level
ORDER BY, CONSTRUCT results are printed as sorted N-Triples (or Turtle) with
blank nodes named by their content (diff.signature).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef

from .api import CheckOptions, SpecCheck
from .errors import SpecCheckError
from .vocab import QUERY_PREFIXES

SELECT_FORMATS = ("table", "csv", "json")
GRAPH_FORMATS = ("nt", "turtle")
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


class QuerySyntaxError(SpecCheckError):
    """The query does not parse; knows the line and column (1-based) and the line's text."""

    def __init__(self, message: str, source: str, line: int, column: int, line_text: str):
        self.source = source
        self.column = column
        self.line_text = line_text
        super().__init__(message, path=source, line=line)

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.message}"

    def caret(self) -> str:
        """The offending query line and a caret under the column, for the user."""
        text = self.line_text.expandtabs(1)
        return f"  {text}\n  {' ' * (self.column - 1)}^"


@dataclass
class QueryResult:
    """What a query returned, plus the prefixes to show IRIs with."""

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    prefixes: dict[str, str]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    notes: list[str] = field(default_factory=list)  # warnings for stderr, e.g. a file that did not parse


def query_prefixes(loaded) -> dict[str, str]:
    """The vocabulary prefixes, then each file's own (first file by name wins a clash)."""
    prefixes = {name: str(ns) for name, ns in QUERY_PREFIXES.items()}
    for file in sorted(loaded.index.prefixes_by_file):
        for name, ns in sorted(loaded.index.prefixes_by_file[file].items()):
            if ns:
                prefixes.setdefault(name, ns)
    return prefixes


def run_query(path: Path, text: str, options: CheckOptions | None = None,
              source: str = "query", allow_remote: bool = False) -> QueryResult:
    """Run the SPARQL ``text`` over the spec folder at ``path``.

    ``SERVICE`` and ``FROM`` (rdflib would fetch the IRI) are refused unless
    ``allow_remote`` (`--allow-service`) says otherwise.

    Raises:
        QuerySyntaxError: the query does not parse (line and column in the query).
        SpecCheckError: the folder cannot be loaded, or the query cannot run.
    """
    parsed = _parse(text, source)  # before loading: a typo is reported without waiting for the spec
    loaded, view = SpecCheck(options).load(path)
    notes = [f"{file} does not parse, so its triples are not queried; "
             f"`spec-check {loaded.display}` shows where" for file in loaded.unparsed]
    prefixes = query_prefixes(loaded)
    query = _translate(parsed, text, source, prefixes)
    if not allow_remote:
        from .sparql_safety import remote_access

        remote = remote_access(query.algebra)
        if remote is not None:
            raise SpecCheckError(f"the query asks for {remote}, which reaches the network or other files; "
                                 "pass --allow-service to allow it", path=source)
    if not _has_order_by(parsed):
        _order_before_slice(query)
    try:  # rdflib evaluates part of a query lazily, while the rows are read: keep that inside
        result = view.graph.query(query)
        out = QueryResult(kind=result.type, prefixes=prefixes, notes=notes)
        if result.type == "SELECT":
            out.variables = [str(v) for v in result.vars]
            if "projection" not in parsed[1]:
                # SELECT *: rdflib takes the variables from a set; use their order in the query text.
                out.variables.sort(key=lambda name: _first_use(text, name))
            out.rows = [tuple(row.asdict().get(v) for v in out.variables) for row in result]
        elif result.type == "ASK":
            out.boolean = bool(result.askAnswer)
        else:
            out.graph = result.graph
    except Exception as e:  # rdflib's evaluation raises many types
        raise SpecCheckError(f"the query failed: {type(e).__name__}: {e}", path=source) from None
    if out.rows and not _has_order_by(parsed):
        out.rows.sort(key=lambda row: tuple(_sort_key(v) for v in row))
    return out


def _parse(text: str, source: str):
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except ParseException as e:
        message = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)$", "", str(e)).strip()
        raise QuerySyntaxError(message or "syntax error", source, e.lineno, e.col, e.line) from None
    except Exception as e:  # noqa: BLE001
        first_line = text.splitlines()[0] if text.splitlines() else ""
        raise QuerySyntaxError(f"{type(e).__name__}: {e}", source, 1, 1, first_line) from None


def _translate(parsed, text: str, source: str, prefixes: dict[str, str]):
    from rdflib.plugins.sparql.algebra import translateQuery

    declared = {(dict.get(d, "prefix") or "") for d in parsed[0] if getattr(d, "name", "") == "PrefixDecl"}
    predeclared = {k: v for k, v in prefixes.items() if k not in declared}
    try:
        # Not initNs: rdflib keeps one prefix per namespace there, so `s:` beside `spec:`
        # for the same namespace would unbind `spec:`. Predeclared names are resolved here.
        return translateQuery(_resolve_prefixed_names(parsed, predeclared))
    except Exception as e:  # noqa: BLE001 - rdflib raises a bare Exception for an unknown prefix
        reason = str(e) or type(e).__name__
        unknown = re.match(r"Unknown namespace prefix : (\S*)", reason)
        if unknown:
            prefix = unknown.group(1)
            line, column = _position_of(text, f"{prefix}:")
            raise QuerySyntaxError(
                f"unknown prefix '{prefix}:' (declare it with PREFIX {prefix}: <...>)",
                source, line, column, text.splitlines()[line - 1] if text.splitlines() else "") from None
        first_line = text.splitlines()[0] if text.splitlines() else ""
        raise QuerySyntaxError(reason, source, 1, 1, first_line) from None


def _resolve_prefixed_names(node, prefixes: dict[str, str]):
    """Replace each prefixed name whose prefix is in ``prefixes`` by its IRI, in place."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            slots = list(dict.items(current))
        elif isinstance(current, (ParseResults, list)):
            slots = list(enumerate(current))
        else:
            continue
        for slot, value in slots:
            if isinstance(value, CompValue) and value.name == "pname":
                prefix = dict.get(value, "prefix") or ""
                if prefix in prefixes:
                    current[slot] = URIRef(prefixes[prefix] + (dict.get(value, "localname") or ""))
                continue
            if isinstance(value, (CompValue, ParseResults, list)):
                stack.append(value)
    return node


def _position_of(text: str, needle: str) -> tuple[int, int]:
    """Line and column of the first ``needle`` that is a whole prefixed-name start."""
    pattern = re.compile(r"(?<![\w:<.-])" + re.escape(needle))
    for number, line in enumerate(text.splitlines(), start=1):
        found = pattern.search(line)
        if found:
            return number, found.start() + 1
    return 1, 1


def _first_use(text: str, variable: str) -> tuple[int, str]:
    found = re.search(r"[?$]" + re.escape(variable) + r"(?![\w])", text)
    return (found.start() if found else len(text), variable)


def _has_order_by(parsed) -> bool:
    return "orderby" in parsed[1]


def _order_before_slice(query) -> None:
    """Make LIMIT/OFFSET without ORDER BY pick the same rows on every run.

    Rows are sorted after evaluation anyway, but a slice taken before that
    would depend on the store's order; so order by every projected variable
    first, as if the query had said so.
    """
    from rdflib.plugins.sparql.parserutils import CompValue

    node = query.algebra.get("p")
    if node is None or getattr(node, "name", "") != "Slice":
        return
    inner = node.p
    while getattr(inner, "name", "") in ("Distinct", "Reduced"):
        inner = inner.p
    if getattr(inner, "name", "") != "Project" or not inner.PV:
        return
    conditions = [CompValue("OrderCondition", expr=v, order=None) for v in inner.PV]
    inner.p = CompValue("OrderBy", p=inner.p, expr=conditions)


_NUMERIC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _sort_key(value) -> tuple:
    """Unbound, then IRIs, blank nodes, numbers (by value), other literals (by text)."""
    if value is None:
        return (0, 0.0, "", "", "")
    if isinstance(value, URIRef):
        return (1, 0.0, str(value), "", "")
    if isinstance(value, BNode):
        return (2, 0.0, str(value), "", "")
    if isinstance(value, Literal):
        text = str(value)
        if value.datatype is not None and _NUMERIC.match(text):
            return (3, float(text), text, str(value.datatype), "")
        return (4, 0.0, text, str(value.datatype or ""), value.language or "")
    return (5, 0.0, str(value), "", "")


# --------------------------------------------------------------------------- output

def format_result(result: QueryResult, fmt: str | None = None) -> str:
    """Text for ``result`` in ``fmt`` (default: table for SELECT/ASK, nt for CONSTRUCT)."""
    graph_kind = result.kind in ("CONSTRUCT", "DESCRIBE")
    fmt = fmt or ("nt" if graph_kind else "table")
    if graph_kind:
        if fmt == "table":
            fmt = "nt"
        if fmt not in GRAPH_FORMATS:
            raise SpecCheckError(f"a {result.kind} query prints nt or turtle, not {fmt}")
        return _graph_text(result, fmt)
    if fmt not in SELECT_FORMATS:
        raise SpecCheckError(f"a {result.kind} query prints table, csv or json, not {fmt}")
    if result.kind == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    return {"table": _table, "csv": _csv, "json": _json}[fmt](result)


def _short(value, prefixes: dict[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, BNode):
        return f"_:{value}"
    iri = str(value)
    best = None
    for name, ns in prefixes.items():
        if iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns):]):
            candidate = (-len(ns), name not in QUERY_PREFIXES, name)  # spec: before a file's alias
            if best is None or candidate < best:
                best = candidate
    if best is None:
        return f"<{iri}>"
    ns = prefixes[best[2]]
    return f"{best[2]}:{iri[len(ns):]}"




def _one_line(text: str) -> str:
    """A table cell: one line; control, line-separator and bidi characters shown as escapes (terminal.py)."""
    from .terminal import escape_controls

    return escape_controls(" ".join(text.split()))


def _table(result: QueryResult) -> str:
    header = [f"?{v}" for v in result.variables]
    cells = [[_one_line(_short(v, result.prefixes)) for v in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _csv(result: QueryResult) -> str:
    # SPARQL 1.1 CSV results: IRIs in full, literals as their text, blank nodes as _:label.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if v is None else f"_:{v}" if isinstance(v, BNode) else str(v) for v in row])
    return buffer.getvalue()


def _json_term(value) -> dict:
    if isinstance(value, URIRef):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, BNode):
        return {"type": "bnode", "value": str(value)}
    term = {"type": "literal", "value": str(value)}
    if value.language:
        term["xml:lang"] = value.language
    elif value.datatype:
        term["datatype"] = str(value.datatype)
    return term


def _json(result: QueryResult) -> str:
    # The SPARQL 1.1 Query Results JSON format.
    bindings = [{var: _json_term(v) for var, v in zip(result.variables, row) if v is not None}
                for row in result.rows]
    doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _graph_text(result: QueryResult, fmt: str) -> str:
    from .blank_nodes import relabel_blank_nodes

    graph = relabel_blank_nodes(result.graph)
    if not len(graph):
        return ""  # (rdflib's Turtle would print every prefix it knows)
    if fmt == "nt":
        lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
        return "".join(line + "\n" for line in lines)
    from .load.parse import cyclic_list_cell

    if cyclic_list_cell(graph) is not None:  # rdflib's Turtle writer would follow it for ever
        raise SpecCheckError("the result holds an RDF list whose rdf:rest leads back into itself, which "
                             "Turtle cannot write as a list; use -f nt")
    for name, ns in sorted(result.prefixes.items()):
        graph.bind(name, Namespace(ns), override=True, replace=True)
    return graph.serialize(format="turtle")
