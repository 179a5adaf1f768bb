# SPDX-License-Identifier: MIT
"""The SPARQL rules run on a pyoxigraph store of only the predicates they read (issue 19).

validate/query_reads.py lists, per built-in SPARQL rule, the predicates its query can
match; validate/native.py then copies only those triples into pyoxigraph. These tests
keep the list true (it is what rdflib's algebra of each query says) and check that the
smaller store answers every built-in query with exactly the rows the whole view gives,
on every folder we have.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, SPEC_008
from rdflib import RDF, XSD, BNode, Literal, URIRef

from spec_check.api import SpecCheck
from spec_check.graph import SpecGraph
from spec_check.load import discover, load_folder
from spec_check.validate.native import _PREFIXES, _to_ox, oxigraph_store
from spec_check.validate.query_reads import (READS, REQUIRES, analyse, analyse_requirements, predicates_read,
                                             query_digest, requirements, requires_table, table)
from spec_check.vocab import SC

CHECKER = SpecCheck()


def _queries() -> dict[str, str]:
    rules = CHECKER.rules
    return {rule_id: str(rules.shapes.value(rules.nodes[rule_id], SC.select))
            for rule_id, rule in rules.rules.items() if rule.kind == "sparql"}


def test_the_table_is_what_the_queries_read():
    # Fails when a built-in query changes: `python -m spec_check.validate.query_reads` prints the new table.
    assert table(CHECKER.rules) == READS, "run `python -m spec_check.validate.query_reads` and paste its table"
    assert set(READS) == set(_queries())  # every built-in rule is bounded, so none needs the whole view


def test_the_requirements_are_what_the_queries_require():
    # Fails when a built-in query changes: `python -m spec_check.validate.query_reads` prints the new table.
    assert requires_table(CHECKER.rules) == REQUIRES, "run `python -m spec_check.validate.query_reads`"
    assert len(REQUIRES) >= 10  # most rules are about nodes of one class: they skip folders without one


@pytest.mark.parametrize("query, required", [
    ("SELECT ?this WHERE { ?this a spec:Plan ; spec:forFeature ?f }",
     {(str(RDF.type), "https://ggen.dev/spec#Plan"), ("https://ggen.dev/spec#forFeature", None)}),
    # OPTIONAL, MINUS and FILTER (NOT) EXISTS add no requirement; only the left side of OPTIONAL counts.
    ("SELECT ?this WHERE { ?this a spec:Plan OPTIONAL { ?this spec:forFeature ?f } "
     "MINUS { ?this spec:hasPhase ?p } FILTER EXISTS { ?this spec:hasTask ?t } }",
     {(str(RDF.type), "https://ggen.dev/spec#Plan")}),
    # A UNION requires what both sides do.
    ("SELECT ?this WHERE { { ?this a spec:Plan ; spec:hasTask ?t } UNION { ?this a spec:Phase ; spec:hasTask ?t } }",
     {("https://ggen.dev/spec#hasTask", None)}),
    # An aggregate over nothing is still a row: COUNT requires nothing.
    ("SELECT ?n WHERE { { SELECT (COUNT(?p) AS ?n) WHERE { ?p a spec:Plan } } FILTER (?n = 0) }", set()),
    ("SELECT (COUNT(?p) AS ?n) WHERE { ?p a spec:Plan }", set()),
    # A property path or a variable predicate: nothing known.
    ("SELECT ?this WHERE { ?this spec:hasPhase/spec:hasTask ?t . ?this ?p ?o }", set()),
    # A literal object requires only the predicate (rdflib and pyoxigraph may compare literals differently).
    ('SELECT ?this WHERE { ?this spec:status "done" }', {("https://ggen.dev/spec#status", None)}),
])
def test_what_a_query_requires(query, required):
    assert analyse_requirements(query, _PREFIXES) == required


def _folders() -> list[Path]:
    """The example, every folder of test data (as tests/test_engines.py finds them), the corpus."""
    folders = [SPEC_008, *sorted({p.parent for p in (ROOT / "tests").rglob("*.ttl")})]
    if CORPUS.parent.is_dir():
        folders += [f.path for f in discover([CORPUS.parent])]
    return folders


def _rows(store, query: str) -> list:
    result = store.query(query, prefixes=_PREFIXES)
    names = [v.value for v in result.variables]
    return sorted(tuple(str(solution[n]) for n in names) for solution in result)


def test_the_smaller_store_answers_every_query_as_the_whole_view_does():
    queries = _queries()
    folders = _folders()
    assert len(folders) > 100
    answered = skipped = 0
    for path in folders:
        folder = discover([path])[0]
        loaded, view = CHECKER.infer(load_folder(folder))
        try:
            whole = oxigraph_store(view.graph)
        except ValueError:  # a term pyoxigraph refuses: rdflib answers this folder (native.run_sparql_rules)
            with pytest.raises(ValueError):
                oxigraph_store(view.graph, frozenset({str(RDF.type)}))
            continue
        for rule_id, query in queries.items():
            part = oxigraph_store(view.graph, predicates_read(rule_id, query))
            rows = _rows(whole, query)
            assert _rows(part, query) == rows, (path, rule_id)
            answered += bool(rows)
            # A rule is skipped where the view lacks a pattern its query requires: it has no row there.
            lacking = [t for t in requirements(rule_id, query)
                       if (None, URIRef(t[0]), URIRef(t[1]) if t[1] else None) not in view.graph]
            assert not (lacking and rows), (path, rule_id, lacking)
            skipped += bool(lacking)
    assert answered > 20  # the queries found something: the comparison was not of empty answers
    assert skipped > 100  # and the requirements were put to the test


def test_a_refused_term_outside_the_predicates_read_still_sends_the_folder_to_rdflib():
    view = SpecGraph()
    view.add((URIRef("https://example.org/a"), RDF.type, URIRef("https://example.org/T")))
    view.add((URIRef("https://example.org/a"), URIRef("https://example.org/see"), URIRef("http://[bad")))
    with pytest.raises(ValueError):
        oxigraph_store(view, frozenset({str(RDF.type)}))


def _terms(triples) -> set:
    return {t for triple in triples for t in triple}


@pytest.mark.parametrize("bad", [
    Literal("x", lang="abcdefghi"),  # a language tag rdflib takes and pyoxigraph refuses
    Literal("x", datatype=URIRef("http://[bad")),  # a datatype that is no IRI
    Literal("\ud800 lone surrogate"),  # no UTF-8 text
    BNode("not a label"),
])
def test_a_refused_literal_or_blank_node_anywhere_sends_the_folder_to_rdflib(bad):
    # Literals outside the predicates read are only checked, never made: the check must refuse
    # exactly what making them refuses, in any position.
    ok = Literal("fine", lang="en")
    with pytest.raises(ValueError):
        _to_ox(bad)
    for triple in ((URIRef("https://example.org/a"), URIRef("https://example.org/note"), bad),
                   (bad, URIRef("https://example.org/note"), ok)):
        if isinstance(bad, Literal) and triple[0] is bad:
            continue
        view = SpecGraph()
        view.add((URIRef("https://example.org/a"), RDF.type, URIRef("https://example.org/T")))
        view.add(triple)
        with pytest.raises(ValueError):
            oxigraph_store(view, frozenset({str(RDF.type)}))
        view.remove(triple)  # a removed triple's term is no term of the view
        assert len(oxigraph_store(view, frozenset({str(RDF.type)}))) == 1


def test_the_store_holds_each_term_as_pyoxigraph_makes_it():
    # Conversions are shared between triples (one per IRI, blank node and datatype): every copied
    # triple must still hold its own terms, each exactly as _to_ox makes it on its own.
    a, b, t = URIRef("https://example.org/a"), URIRef("https://example.org/b"), URIRef("https://example.org/T")
    view = SpecGraph()
    label = URIRef("https://example.org/label")
    triples = [(a, RDF.type, t), (b, RDF.type, t), (BNode("n1"), RDF.type, t), (a, label, Literal("A")),
               (b, label, Literal("A", lang="en")), (BNode("n1"), label, Literal("A", lang="en-GB")),
               (a, label, Literal("1", datatype=XSD.integer)), (b, label, Literal("1", datatype=XSD.decimal)),
               (a, label, Literal("2.5", datatype=XSD.decimal)), (b, label, Literal("é", datatype=XSD.string)),
               (a, label, b), (b, label, BNode("n1"))]
    for triple in triples:
        view.add(triple)
    expected = {tuple(str(_to_ox(x)) for x in triple) for triple in triples}
    for predicates in (frozenset({str(RDF.type), str(label)}), None):
        store = oxigraph_store(view, predicates)
        assert {(str(q.subject), str(q.predicate), str(q.object)) for q in store} == expected
    assert len(oxigraph_store(view, frozenset({str(label)}))) == 9


def test_only_the_predicates_read_are_copied():
    view = SpecGraph()
    view.add((URIRef("https://example.org/a"), RDF.type, URIRef("https://example.org/T")))
    view.add((URIRef("https://example.org/a"), URIRef("https://example.org/see"), URIRef("https://example.org/b")))
    assert len(oxigraph_store(view, frozenset({str(RDF.type)}))) == 1
    assert len(oxigraph_store(view)) == 2
    view.remove((URIRef("https://example.org/a"), RDF.type, None))  # an emptied index entry is no triple
    assert len(oxigraph_store(view, frozenset({str(RDF.type)}))) == 0


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s a spec:Task . FILTER EXISTS { ?s ?p ?o } }",
    "SELECT ?s WHERE { ?s !rdf:type ?o }",
    "SELECT ?s WHERE { GRAPH ?g { ?s a spec:Task } }",
])
def test_a_query_that_can_read_any_predicate_gets_the_whole_view(query):
    assert analyse(query, _PREFIXES) is None


def test_paths_and_nested_patterns_name_their_predicates():
    query = ("SELECT ?s WHERE { ?s rdf:type/rdfs:subClassOf* spec:Task ; ^spec:hasTask|spec:x ?o "
             "OPTIONAL { ?o spec:y [ spec:z ?w ] } FILTER NOT EXISTS { ?s spec:v ( 1 ) } }")
    spec, rdf = "https://ggen.dev/spec#", str(RDF)
    assert analyse(query, _PREFIXES) == {
        rdf + "type", "http://www.w3.org/2000/01/rdf-schema#subClassOf", spec + "hasTask", spec + "x",
        spec + "y", spec + "z", spec + "v", rdf + "first", rdf + "rest"}


def test_a_rule_whose_query_differs_from_the_table_gets_the_whole_view():
    rule_id, query = next(iter(_queries().items()))
    assert predicates_read(rule_id, query) is not None
    assert predicates_read(rule_id, query + " ") is None  # a user's or an edited query
    assert predicates_read("no-such-rule", query) is None
    assert READS[rule_id][0] == query_digest(query)
