# SPDX-License-Identifier: MIT
"""Dialects: other vocabularies for our concepts, and which of them a folder uses.

A dialect is one alignment file (ontology/dialects/NAME.ttl, or a file a user
names with ``extra_dialects``) holding an ``sc:Dialect`` node and OWL axioms
that map the dialect's terms onto ours ("their term → our term"):
owl:equivalentClass, owl:equivalentProperty, rdfs:subClassOf,
rdfs:subPropertyOf and owl:inverseOf. The infer stage materialises exactly
those axioms (see infer.align); nothing else in the file is used.

Detection: a folder uses a dialect when one of its triples has a predicate, or
an rdf:type object, that lies in one of the dialect's ``sc:triggerNamespace``
namespaces or is one of its ``sc:triggerTerm`` terms. Trigger terms exist for
dialects that share a namespace with another vocabulary (the ggen epic style
lives in our own https://ggen.dev/spec#). Subjects do not count: a schema file
that *defines* sk:Feature does not write a spec in spec-kit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from .errors import SpecCheckError
from .safe_read import read_input_text
from .load.fast_turtle import read_into
from .rule_files import dialect_files
from .vocab import SC

# The axiom kinds an alignment may use; any other triple of the file is documentation.
ALIGNMENT_PREDICATES = (OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf,
                        RDFS.subPropertyOf, OWL.inverseOf)


@dataclass(frozen=True)
class Dialect:
    """One alignment: its name, what triggers it, and its axioms."""

    name: str
    label: str
    comment: str
    source: str
    trigger_namespaces: tuple[str, ...] = ()
    trigger_terms: tuple[str, ...] = ()
    axioms: tuple = field(default=(), repr=False)  # (subject, predicate, object) triples
    prefixes: tuple = ()  # (prefix, namespace) pairs the file declares, for showing its terms

    def axiom_graph(self) -> Graph:
        graph = Graph()
        for t in self.axioms:
            graph.add(t)
        return graph


def load_dialects(extra_files: tuple[Path, ...] | list[Path] = ()) -> dict[str, Dialect]:
    """Read the built-in alignments and ``extra_files``, keyed by dialect name.

    A user file may replace a built-in dialect by using its name.

    Raises:
        SpecCheckError: a file does not parse, declares no sc:Dialect, or two
            files of the same origin declare the same name.
    """
    dialects: dict[str, Dialect] = {}
    for origin, files in (("built-in", dialect_files()), ("extra", [Path(p) for p in extra_files])):
        names_here: set[str] = set()
        for path in files:
            for dialect in _read(path):
                if dialect.name in names_here:
                    raise SpecCheckError(f"two {origin} dialect files declare the dialect {dialect.name!r}",
                                         path=str(path))
                names_here.add(dialect.name)
                dialects[dialect.name] = dialect
    return dict(sorted(dialects.items()))


def _read(path: Path) -> list[Dialect]:
    graph = Graph()
    try:
        text = read_input_text(path, "dialect file")
        if not read_into(graph, text):
            graph.parse(data=text, format="turtle", publicID=path.as_uri())
    except SpecCheckError:
        raise
    except Exception as e:
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise SpecCheckError(f"dialect file does not parse: {first}", path=str(path)) from None
    nodes = sorted(graph.subjects(RDF.type, SC.Dialect), key=str)
    if not nodes:
        raise SpecCheckError("dialect file declares no sc:Dialect (see docs/dialects.md)", path=str(path))
    axioms = tuple(sorted((t for p in ALIGNMENT_PREDICATES for t in graph.triples((None, p, None))
                           if isinstance(t[0], URIRef) and isinstance(t[2], URIRef)), key=str))
    found = []
    for node in nodes:
        name = graph.value(node, SC.dialectName)
        if name is None:
            raise SpecCheckError(f"dialect {node} has no sc:dialectName", path=str(path))
        found.append(Dialect(
            name=str(name),
            label=str(graph.value(node, RDFS.label) or name),
            comment=str(graph.value(node, RDFS.comment) or ""),
            source=path.name,
            trigger_namespaces=tuple(sorted(str(o) for o in graph.objects(node, SC.triggerNamespace))),
            trigger_terms=tuple(sorted(str(o) for o in graph.objects(node, SC.triggerTerm))),
            axioms=axioms,
            prefixes=tuple(sorted((p, str(ns)) for p, ns in graph.namespaces() if p)),
        ))
    return found


@dataclass(frozen=True)
class Detection:
    """A dialect a folder uses, with the triples that show it: (subject, term, predicate written).

    ``term`` is the trigger (a predicate, or an rdf:type object); ``predicate``
    is where it was written: the predicate itself, or rdf:type. A forced
    dialect has no uses.
    """

    name: str
    uses: tuple = ()


def detect(graph: Graph, dialects: dict[str, Dialect]) -> list[Detection]:
    """The dialects ``graph`` uses, in name order."""
    uses: dict[str, list] = {}
    from .graph import distinct_objects_of, distinct_predicates, is_iri

    terms = {(p, p) for p in distinct_predicates(graph)}
    terms |= {(o, RDF.type) for o in distinct_objects_of(graph, RDF.type) if is_iri(o)}
    for term, where in sorted(terms, key=str):
        text = str(term)
        for dialect in dialects.values():
            if text in dialect.trigger_terms or any(text.startswith(ns) for ns in dialect.trigger_namespaces):
                subjects = graph.subjects(where, term) if where == RDF.type else graph.subjects(term, None)
                uses.setdefault(dialect.name, []).extend((s, term, where) for s in set(subjects))
    return [Detection(name, tuple(sorted(uses[name], key=str))) for name in sorted(uses)]


def choose(graph: Graph, dialects: dict[str, Dialect], forced: str | None) -> list[Detection]:
    """The dialects to apply: the forced one (``--dialect NAME``), else the detected ones.

    Raises:
        SpecCheckError: ``forced`` names no known dialect.
    """
    if forced is None:
        return detect(graph, dialects)
    if forced not in dialects:
        known = ", ".join(dialects) or "none"
        raise SpecCheckError(f"unknown dialect {forced!r}; known dialects: {known} "
                             "(`spec-check dialects` lists them)")
    return [Detection(forced)]
