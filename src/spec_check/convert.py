# SPDX-License-Identifier: MIT
"""Convert a spec folder's graph into our Turtle files (feature.ttl, entities.ttl, plan.ttl).

The graph is the folder's asserted graph as the loader read it: for a spec-kit
folder, what load/speckit.py lifted from its Markdown. Each subject goes to one
file by its type (plans, phases and tasks to plan.ttl; entities and the data
model to entities.ttl; everything else to feature.ttl), so the folder reads back
as the same graph. The text is deterministic: rdflib's Turtle serializer sorts
subjects and predicates.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Namespace
from rdflib.namespace import RDFS, XSD

from .vocab import SC, SPEC

PLAN_TYPES = (SPEC.Plan, SPEC.Phase, SPEC.Task)
ENTITY_TYPES = (SPEC.Entity, SPEC.DataModel)
FILES = ("feature.ttl", "entities.ttl", "plan.ttl")


def file_for(graph: Graph, subject) -> str:
    types = set(graph.objects(subject, RDF.type))
    if types & set(PLAN_TYPES):
        return "plan.ttl"
    if types & set(ENTITY_TYPES):
        return "entities.ttl"
    return "feature.ttl"


def to_turtle(graph: Graph, prefixes: dict[str, str]) -> dict[str, str]:
    """{file name: Turtle text} for ``graph``; ``prefixes`` are the source's own (the empty one included)."""
    parts = {name: Graph() for name in FILES}
    for part in parts.values():
        for prefix, ns in (("spec", SPEC), ("sc", SC), ("rdfs", RDFS), ("xsd", XSD)):
            part.bind(prefix, ns)
        for prefix, ns in sorted(prefixes.items()):
            if prefix not in ("spec", "sc", "rdfs", "xsd", "rdf") and ns:
                part.bind(prefix, Namespace(ns), override=True, replace=True)
    placed = {s: file_for(graph, s) for s in set(graph.subjects())}
    for s, p, o in graph:
        parts[placed[s]].add((s, p, o))
    header = "# Converted by spec-check from the spec folder's files; `spec-check render` writes the documents back.\n"
    return {name: header + part.serialize(format="turtle") for name, part in parts.items() if len(part)}
