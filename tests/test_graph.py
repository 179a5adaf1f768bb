# SPDX-License-Identifier: MIT
"""spec_check.graph: IndexedStore/SpecGraph behave exactly as rdflib's SimpleMemory graph.

Every result of spec-check depends on graph iteration order (blank-node labels,
"first use" positions, insertion order of derived graphs), so the faster store
must give the same triples in the same order for every pattern, after any mix of
adds and removes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.paths import OneOrMore

from spec_check.graph import SpecGraph

EX = Namespace("http://example.org/")
TERMS = [EX.a, EX.b, EX.c, BNode("x"), BNode("y")]
PREDICATES = [EX.p, EX.q, EX.r]
OBJECTS = TERMS + [Literal("1"), Literal("x", lang="en")]

triple = st.tuples(st.sampled_from(TERMS), st.sampled_from(PREDICATES), st.sampled_from(OBJECTS))
operations = st.lists(st.tuples(st.sampled_from(["add", "add", "remove"]), triple), max_size=40)
pattern = st.tuples(st.sampled_from(TERMS + [None]), st.sampled_from(PREDICATES + [None]),
                    st.sampled_from(OBJECTS + [None]))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(ops=operations, patterns=st.lists(pattern, min_size=1, max_size=8))
def test_same_triples_in_the_same_order_as_simple_memory(ops, patterns):
    ours, theirs = SpecGraph(), Graph(store="SimpleMemory")
    for op, t in ops:
        if op == "add":
            ours.add(t)
            theirs.add(t)
        else:
            ours.remove((t[0], None, t[2]))
            theirs.remove((t[0], None, t[2]))
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs) == len(set(theirs))
    for p in patterns:
        assert list(ours.triples(p)) == list(theirs.triples(p)), p
    assert list(ours.subjects(EX.p, None)) == list(theirs.subjects(EX.p, None))
    wanted = {EX.p, EX.r}
    assert ours.triples_with_predicates(wanted) == [t for t in theirs if t[1] in wanted]
    assert ((EX.a, EX.p, EX.b) in ours) == ((EX.a, EX.p, EX.b) in theirs)


def test_paths_queries_and_copies_work():
    g = SpecGraph()
    for s, o in ((EX.a, EX.b), (EX.b, EX.c)):
        g.add((s, EX.p, o))
    assert set(g.objects(EX.a, EX.p * OneOrMore)) == {EX.b, EX.c}
    rows = list(g.query("SELECT ?o WHERE { <http://example.org/a> <http://example.org/p>+ ?o } ORDER BY ?o"))
    assert [r[0] for r in rows] == [EX.b, EX.c]
    copy = g.copy_triples(without={(EX.a, EX.p, EX.b)})
    assert list(copy) == [(EX.b, EX.p, EX.c)] and len(g) == 2
    g.bind("ex", URIRef(str(EX)))
    assert ("ex", URIRef(str(EX))) in list(g.namespaces())


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(first=st.lists(triple, max_size=30), removed=st.lists(triple, max_size=5), then=st.lists(triple, max_size=30))
def test_add_all_builds_the_indexes_add_builds(first, removed, then):
    # add_all is add() inlined (issue 19): the same three indexes, key for key in the same order,
    # also after removes left emptied entries behind, and the same count.
    one_by_one, at_once = SpecGraph(), SpecGraph()
    for t in first:
        one_by_one.add(t)
    at_once.add_all(first)
    for t in removed:
        one_by_one.remove((t[0], None, t[2]))
        at_once.remove((t[0], None, t[2]))
    for t in then:
        one_by_one.add(t)
    at_once.add_all(iter(then))
    for index in ("spo", "pos", "osp"):
        a, b = getattr(one_by_one.store, index), getattr(at_once.store, index)
        assert _nested_items(a) == _nested_items(b), index
    assert len(one_by_one) == len(at_once) == len(set(one_by_one))
    assert list(one_by_one.copy_triples()) == list(at_once) == list(at_once.copy_triples(without=set()))


def _nested_items(index: dict) -> list:
    return [(k, [(k2, list(inner)) for k2, inner in middle.items()]) for k, middle in index.items()]


def _deep_copy(graph: SpecGraph) -> SpecGraph:
    """What copy_triples must read as: every index dict copied at once, in its order."""
    copy = SpecGraph()
    for index in ("spo", "pos", "osp"):
        setattr(copy.store, index, {k: {k2: dict(inner) for k2, inner in middle.items()}
                                    for k, middle in getattr(graph.store, index).items()})
    copy.store.size = len(graph)
    return copy


both_sides_operations = st.lists(st.tuples(st.sampled_from(["original", "copy"]),
                                           st.sampled_from(["add", "add_all", "remove"]), triple), max_size=40)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(first=st.lists(triple, max_size=30), ops=both_sides_operations, patterns=st.lists(pattern, min_size=1, max_size=8))
def test_a_copy_and_its_original_never_see_each_others_writes(first, ops, patterns):
    # copy_triples shares inner dicts and copies one before a write (issue 19): after any adds and
    # removes on either side, each graph reads pattern by pattern, in order, as if the copy had
    # copied every dict at once; a second copy of either one is a plain copy.
    original = SpecGraph()
    original.add_all(first)
    copy = original.copy_triples()
    models = {"original": _deep_copy(original), "copy": _deep_copy(original)}
    graphs = {"original": original, "copy": copy}
    for side, op, t in ops:
        for g in (graphs[side], models[side]):
            if op == "add":
                g.add(t)
            elif op == "add_all":
                g.add_all([t, (t[2], t[1], t[0])] if not isinstance(t[2], Literal) else [t])
            else:
                g.remove((t[0], None, t[2]))
    for side in ("original", "copy"):
        ours, model = graphs[side], models[side]
        for index in ("spo", "pos", "osp"):
            assert _nested_items(getattr(ours.store, index)) == _nested_items(getattr(model.store, index)), index
        for p in patterns:
            assert list(ours.triples(p)) == list(model.triples(p)), p
        assert len(ours) == len(model) == len(set(model))
        assert list(ours.copy_triples()) == list(ours)


def test_distinct_terms_skip_what_a_removal_emptied():
    from spec_check.graph import (distinct_objects, distinct_objects_of, distinct_predicates, distinct_subjects,
                                  iris)

    g = SpecGraph()
    g.add_all([(EX.a, EX.p, EX.b), (EX.a, EX.q, Literal("x")), (BNode("n"), EX.p, EX.c)])
    assert distinct_subjects(g) == {EX.a, BNode("n")} and distinct_objects(g) == {EX.b, EX.c, Literal("x")}
    assert iris(g, "subjects") == {EX.a}
    assert iris(g, "objects") == {EX.b, EX.c}
    g.remove((EX.a, None, None))  # leaves emptied entries behind, as SimpleMemory does
    assert distinct_subjects(g) == {BNode("n")} and distinct_predicates(g) == {EX.p}
    assert distinct_objects(g) == {EX.c}
    assert iris(g, "subjects") == set() and iris(g, "objects") == {EX.c}
    g.add((BNode("n"), EX.q, EX.d))
    assert distinct_objects_of(g, EX.p) == {EX.c} and distinct_objects_of(g, EX.q) == {EX.d}
    assert distinct_objects_of(g, EX.r) == set()
    plain = Graph()
    plain.add((EX.a, EX.p, Literal("y")))
    assert iris(plain, "subjects") == {EX.a} and iris(plain, "objects") == set()
    assert distinct_objects_of(plain, EX.p) == {Literal("y")}
