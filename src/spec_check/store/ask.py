# SPDX-License-Identifier: MIT
"""`spec-check query --store DIR | --endpoint URL`: SPARQL over everything published.

The query is parsed here first (rdflib's parser, as for a folder query), so a
typo is reported with its line and column before anything is opened or sent;
then the vocabulary prefixes it does not declare itself are put in front and
the same text goes to the embedded store or to the server. SERVICE is
refused: it would make the store fetch from another server, which nobody
asked for. Rows are sorted when the query has no ORDER BY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpecCheckError
from ..query import QueryResult, QuerySyntaxError, _has_order_by, _parse, _sort_key, _translate
from ..vocab import QUERY_PREFIXES

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
STORE_PREFIXES = {name: str(ns) for name, ns in QUERY_PREFIXES.items()}
_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class ReadyQuery:
    name: str
    title: str  # the file's first comment line
    text: str


def ready_queries() -> dict[str, ReadyQuery]:
    """The queries shipped with spec-check (store/queries/*.rq), by name."""
    found = {}
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        found[path.stem] = ReadyQuery(path.stem, first.lstrip("#").strip(), text)
    return found


def ready_query(name: str) -> ReadyQuery:
    queries = ready_queries()
    if name not in queries:
        raise SpecCheckError(f"no ready query named {name!r}; `spec-check query --list` lists "
                             + ", ".join(sorted(queries)))
    return queries[name]


def prepare(text: str, source: str = "query") -> tuple[str, str, bool]:
    """(kind, text to send with the prefixes declared, has ORDER BY); raises QuerySyntaxError."""
    parsed = _parse(text, source)
    _translate(parsed, text, source, STORE_PREFIXES)  # an unknown prefix is reported with its position
    if _uses_service(parsed):
        line, column = _position(text, "SERVICE")
        raise QuerySyntaxError("SERVICE is refused: a query over published specs does not reach other servers",
                               source, line, column, text.splitlines()[line - 1] if text.splitlines() else "")
    kind = _KINDS.get(getattr(parsed[1], "name", ""), "SELECT")
    declared = {(dict.get(d, "prefix") or "") for d in parsed[0] if getattr(d, "name", "") == "PrefixDecl"}
    head = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in sorted(STORE_PREFIXES.items())
                   if name not in declared)
    # A BASE or PREFIX of the query's own must stay in its prologue: the predeclared ones go first.
    return kind, head + text, _has_order_by(parsed)


def run_store_query(target, text: str, source: str = "query") -> QueryResult:
    """Run ``text`` over the store ``target`` (targets.EmbeddedStore or targets.Endpoint)."""
    kind, full, ordered = prepare(text, source)
    answer = target.query(full, kind)
    out = QueryResult(kind=answer.kind, prefixes=dict(STORE_PREFIXES), variables=answer.variables,
                      rows=answer.rows, boolean=answer.boolean, graph=answer.graph)
    if out.rows and not ordered:
        out.rows.sort(key=lambda row: tuple(_sort_key(v) for v in row))
    return out


def _uses_service(node) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            if current.name == "ServiceGraphPattern":
                return True
            stack.extend(dict.values(current))
        elif isinstance(current, (ParseResults, list, tuple)):
            stack.extend(current)
    return False


def _position(text: str, word: str) -> tuple[int, int]:
    pattern = re.compile(r"\b" + word + r"\b", re.IGNORECASE)
    for number, line in enumerate(text.splitlines(), start=1):
        found = pattern.search(line)
        if found:
            return number, found.start() + 1
    return 1, 1
