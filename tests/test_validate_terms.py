# SPDX-License-Identifier: MIT
"""validate/terms.py: a graph's IRI subjects and objects, shared by the rules of one folder's validation.

The sets are read from a SpecGraph's indexes (where a removed triple leaves empty entries)
and cached inside ``shared()``: they must be exactly what rdflib's graph API says, and a
cache must never answer for another graph or outside its scope.
"""

from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, URIRef

from spec_check.graph import SpecGraph
from spec_check.validate.terms import iri_objects, iri_subjects, shared

EX = "https://example.org/"
A, B, C, D = (URIRef(EX + n) for n in "abcd")
LINK = URIRef(EX + "link")
TRIPLES = [(A, RDF.type, URIRef(EX + "T")), (A, LINK, B), (B, LINK, BNode("n")), (BNode("n"), LINK, C),
           (C, URIRef(EX + "label"), Literal("C")), (D, LINK, Literal("x", lang="en"))]


def _both(triples) -> tuple[SpecGraph, Graph]:
    fast, plain = SpecGraph(), Graph()
    for t in triples:
        fast.add(t)
        plain.add(t)
    return fast, plain


def test_the_sets_are_what_rdflib_says_also_after_a_removal():
    fast, plain = _both(TRIPLES)
    expected_subjects = {s for s in plain.subjects() if isinstance(s, URIRef)}
    expected_objects = {o for o in plain.objects() if isinstance(o, URIRef)}
    assert iri_subjects(fast) == iri_subjects(plain) == expected_subjects == {A, B, C, D}
    assert iri_objects(fast) == iri_objects(plain) == expected_objects == {URIRef(EX + "T"), B, C}
    for graph in (fast, plain):
        graph.remove((D, LINK, None))  # D's index entry stays, with nothing under it
        graph.remove((None, None, C))
    assert iri_subjects(fast) == iri_subjects(plain) == {A, B, C}
    assert iri_objects(fast) == iri_objects(plain) == {URIRef(EX + "T"), B}


def test_outside_a_scope_every_call_reads_the_graph_afresh():
    graph, _ = _both(TRIPLES)
    before = iri_objects(graph)
    graph.add((A, LINK, D))
    assert D in iri_objects(graph) and D not in before


def test_inside_a_scope_each_graph_has_its_own_sets_and_the_scope_ends():
    first, _ = _both(TRIPLES)
    second, _ = _both(TRIPLES[:2])
    with shared():
        assert iri_subjects(first) is iri_subjects(first)  # computed once, shared
        assert iri_subjects(second) == {A}  # another graph is never answered from the first's entry
        assert iri_subjects(first) == {A, B, C, D}
        with shared():  # a nested scope (a folder validated inside another's) starts empty
            second.add((D, LINK, A))
            assert iri_subjects(second) == {A, D}
    second.add((B, LINK, A))
    assert iri_subjects(second) == {A, B, D}  # the scope ended: nothing cached answers now
