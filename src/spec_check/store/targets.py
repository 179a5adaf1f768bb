# SPDX-License-Identifier: MIT
"""Where graphs are published and queried: an embedded pyoxigraph store, or a SPARQL server.

Both take the same SPARQL Update text and the same query text, so what one
holds the other holds too (tests/test_store.py compares them). Answers come
back as rdflib terms, formatted by query.format_result like a folder query's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import SpecCheckError
from .http import HttpClient, HttpSettings, check_url

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass
class Answer:
    kind: str  # SELECT, ASK, CONSTRUCT, DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


def _literal(value: str, datatype: str | None, language: str | None) -> Literal:
    if language:
        return Literal(value, lang=language, normalize=False)
    if datatype in (None, _XSD_STRING, _RDF_LANG_STRING):
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype), normalize=False)  # as the store wrote it


class EmbeddedStore:
    """An on-disk pyoxigraph (RocksDB) store: nothing to run, one process at a time.

    Queries open it read-write too: RocksDB's read-only mode is undefined while
    another process writes, so a query waits for a running publish (RocksDB's
    lock) instead of risking what it would read; it never sees half a folder.
    """

    LOCK_WAIT = 30.0  # seconds to wait for another process's hold on the store

    def __init__(self, path: Path, must_exist: bool = False):
        import time

        import pyoxigraph

        self.path = Path(path)
        self.label = self.path.as_posix()
        if must_exist and not (self.path / "CURRENT").is_file():
            raise SpecCheckError("no store here; publish into it first (spec-check publish SPECS --store DIR)",
                                 path=self.label)
        if self.path.exists() and not self.path.is_dir():
            raise SpecCheckError("not a folder; a store is a folder", path=self.label)
        waited = 0.0
        while True:
            try:
                self.store = pyoxigraph.Store(str(self.path))
                return
            except OSError as e:
                if "lock" not in str(e).lower() or waited >= self.LOCK_WAIT:
                    busy = " (another spec-check process is using it)" if "lock" in str(e).lower() else ""
                    raise SpecCheckError(f"cannot open the store{busy}: {e}", path=self.label) from None
            time.sleep(0.2)
            waited += 0.2

    def update(self, text: str) -> None:
        try:
            self.store.update(text)  # one transaction: all of it or nothing
            # On disk now, and RocksDB's write buffers emptied: without this the
            # process grows by the size of everything published (~7 MiB per 7k quads).
            self.store.flush()
        except (OSError, SyntaxError, ValueError) as e:
            raise SpecCheckError(f"the update failed: {e}", path=self.label) from None

    def query(self, text: str, kind: str) -> Answer:
        try:
            result = self.store.query(text)
            if kind == "ASK":
                return Answer(kind, boolean=bool(result))
            if kind in ("CONSTRUCT", "DESCRIBE"):
                graph = Graph()
                for triple in result:
                    graph.add(tuple(_from_oxigraph(t) for t in (triple.subject, triple.predicate, triple.object)))
                return Answer(kind, graph=graph)
            variables = [v.value for v in result.variables]
            rows = [tuple(_from_oxigraph(solution[v]) if solution[v] is not None else None for v in variables)
                    for solution in result]
            return Answer(kind, variables=variables, rows=rows)
        except (OSError, SyntaxError, ValueError, RuntimeError) as e:
            raise SpecCheckError(f"the query failed: {e}", path=self.label) from None

    def close(self) -> None:
        del self.store  # releases RocksDB's lock for the next process


def _from_oxigraph(term):
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        return _literal(term.value, term.datatype.value if term.datatype else None, term.language)
    raise SpecCheckError(f"the store returned a term spec-check cannot show: {term}")


def update_url_for(query_url: str) -> str:
    """The update endpoint that goes with a query endpoint, by the servers' conventions.

    Oxigraph and Fuseki: .../query → .../update (Fuseki's .../sparql too);
    GraphDB: /repositories/ID → /repositories/ID/statements; otherwise the
    same URL (QLever, Virtuoso). --update-endpoint says it outright.
    """
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last in ("query", "sparql"):
        path = f"{head}/update"
    elif head.endswith("/repositories") or head == "/repositories":
        path = f"{path}/statements"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


class Endpoint:
    """A SPARQL 1.1 server: queries and updates over the SPARQL 1.1 Protocol (POST, direct body)."""

    def __init__(self, query_url: str, update_url: str | None = None, settings: HttpSettings | None = None,
                 environ=None):
        check_url(query_url)
        self.query_url = query_url
        self.update_url = update_url or update_url_for(query_url)
        check_url(self.update_url)
        self.label = query_url
        self.http = HttpClient(settings, environ)

    def update(self, text: str) -> None:
        self.http.post(self.update_url, text, "application/sparql-update", "*/*")

    def query(self, text: str, kind: str) -> Answer:
        graph_kind = kind in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph_kind else "application/sparql-results+json"
        content_type, body = self.http.post(self.query_url, text, "application/sparql-query", accept)
        if graph_kind:
            graph = Graph()
            try:
                graph.parse(data=body.decode("utf-8"), format="nt")
            except Exception as e:  # noqa: BLE001 - rdflib's parser raises many types
                raise SpecCheckError(f"{self.query_url}: the server's N-Triples do not parse: {e}") from None
            return Answer(kind, graph=graph)
        try:
            doc = json.loads(body)
            if kind == "ASK":
                return Answer(kind, boolean=bool(doc["boolean"]))
            variables = list(doc["head"]["vars"])
            rows = [tuple(_from_json(b.get(v)) for v in variables) for b in doc["results"]["bindings"]]
        except (ValueError, KeyError, TypeError) as e:
            shown = content_type or "no content type"
            raise SpecCheckError(f"{self.query_url}: the answer is not SPARQL JSON results ({shown}): {e}") from None
        return Answer(kind, variables=variables, rows=rows)

    def close(self) -> None:
        pass


def _from_json(term: dict | None):
    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        return _literal(value, term.get("datatype"), term.get("xml:lang"))
    raise ValueError(f"unknown term type {kind!r}")
