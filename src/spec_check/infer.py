# SPDX-License-Identifier: MIT
"""Infer stage: build the graph the rules see, without touching the asserted one.

Two steps, each writing into a graph of its own:

1. Normalisation (always): a link written as an RDF list is read as one link
   per member, so ``spec:acceptanceScenarios ( :A :B )`` and
   ``spec:acceptanceScenarios :A, :B`` mean the same; links written in the
   direction opposite to ours (owl:inverseOf in ontology/) are turned round.
2. Inference (``--inference rdfs|owlrl``, off by default): owlrl's closure of
   the data with the ontology's sub-class, sub-property, equivalence and
   inverse axioms. rdfs:domain and rdfs:range are never used, and an inferred
   rdf:type on a node the folder does not describe is dropped: typing a
   dangling reference would hide the error (a test pins this).

The rules then run on asserted + normalised + inferred triples.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from .vocab import VOCABULARY_NAMESPACES

# A list longer than this is cut: bounded work on hostile input.
MAX_LIST_LENGTH = 100_000


class InferenceMode(str, enum.Enum):
    NONE = "none"
    RDFS = "rdfs"
    OWLRL = "owlrl"


@dataclass
class RuleView:
    """The graph the rules run on, and the parts it was made from."""

    graph: Graph  # asserted (less list-valued links) + normalised + inferred
    normalised: Graph
    inferred: Graph


def list_members(graph: Graph, head) -> list | None:
    """Members of the RDF list at ``head``, or None when ``head`` is no well-formed list."""
    if head == RDF.nil:
        return []
    if not isinstance(head, BNode) or (head, RDF.first, None) not in graph:
        return None
    members, seen, node = [], set(), head
    while node != RDF.nil:
        if node in seen or len(members) >= MAX_LIST_LENGTH:
            return members  # a cyclic or absurdly long list: keep what was read
        seen.add(node)
        first = graph.value(node, RDF.first)
        if first is None:
            return None
        members.append(first)
        node = graph.value(node, RDF.rest)
        if node is None:
            return None
    return members


def normalise(asserted: Graph, ontology: Graph) -> tuple[Graph, set]:
    """Return (normalised triples, list-valued links they replace)."""
    out = Graph()
    replaced = set()
    for s, p, o in asserted:
        if p in (RDF.first, RDF.rest) or not isinstance(o, (BNode, URIRef)):
            continue
        members = list_members(asserted, o)
        if members is None:
            continue
        replaced.add((s, p, o))
        for m in members:
            out.add((s, p, m))
    for a, b in ontology.subject_objects(OWL.inverseOf):
        for s, o in list(asserted.subject_objects(a)) + list(out.subject_objects(a)):
            if isinstance(o, (URIRef, BNode)):
                out.add((o, b, s))
        for s, o in list(asserted.subject_objects(b)) + list(out.subject_objects(b)):
            if isinstance(o, (URIRef, BNode)):
                out.add((o, a, s))
    return out, replaced


def infer(asserted: Graph, normalised: Graph, ontology: Graph, mode: InferenceMode) -> Graph:
    """owlrl's closure under ``mode``, as a graph of only the new triples."""
    inferred = Graph()
    if mode is InferenceMode.NONE:
        return inferred
    import owlrl  # imported here: a run without inference never pays for it

    work = Graph()
    for g in (asserted, normalised, ontology):
        for t in g:
            if t[1] not in (RDFS.domain, RDFS.range):
                work.add(t)
    semantics = owlrl.RDFS_Semantics if mode is InferenceMode.RDFS else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    described = set(asserted.subjects())
    for s, p, o in work:
        if (s, p, o) in asserted or (s, p, o) in normalised or (s, p, o) in ontology:
            continue
        if isinstance(s, Literal) or _is_vocabulary(s):
            continue
        if s not in described:
            continue  # never invent a node: that would hide a dangling reference
        if p == RDF.type and (isinstance(o, Literal) or _is_vocabulary(o) and not str(o).startswith("https://ggen.dev/spec#")):
            continue  # rdfs:Resource, owl:Thing and the like say nothing about closure
        if p == OWL.sameAs and s == o:
            continue  # OWL-RL's reflexive sameAs on every node says nothing either
        if isinstance(o, Literal) and _same_value_known(s, p, o, asserted, normalised):
            # owlrl hands literals back in canonical form ("4.0"^^xsd:decimal comes back as
            # "4"^^xsd:integer): a second copy of a known value, which would be counted twice
            # by any rule that sums or counts values.
            continue
        inferred.add((s, p, o))
    return inferred


def _same_value_known(s, p, o: Literal, *graphs: Graph) -> bool:
    for g in graphs:
        for known in g.objects(s, p):
            if isinstance(known, Literal) and (known == o or (
                    known.value is not None and o.value is not None and known.value == o.value)):
                return True
    return False


def _is_vocabulary(node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(VOCABULARY_NAMESPACES)


def rule_view(asserted: Graph, ontology: Graph, mode: InferenceMode) -> RuleView:
    normalised, replaced = normalise(asserted, ontology)
    inferred = infer(asserted, normalised, ontology, mode)
    graph = Graph()
    for t in asserted:
        if t not in replaced:
            graph.add(t)
    for g in (normalised, inferred):
        for t in g:
            graph.add(t)
    return RuleView(graph=graph, normalised=normalised, inferred=inferred)
