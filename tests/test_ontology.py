# SPDX-License-Identifier: MIT
"""The vocabulary and the shapes: every spec: term used is declared and documented; shapes are valid SHACL."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from conftest import ROOT, SPEC_008

SPEC_NS = "https://ggen.dev/spec#"
SHAPES = sorted((ROOT / "shapes").glob("*.ttl"))
ONTOLOGY = sorted((ROOT / "ontology").glob("*.ttl"))


def parse(paths: list[Path]) -> Graph:
    g = Graph()
    for path in paths:
        g.parse(path, format="turtle")
    return g


def spec_terms(graph: Graph) -> set[URIRef]:
    """spec: IRIs in any triple, and spec:x names written inside literals (SPARQL rules, examples)."""
    terms = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(SPEC_NS)}
    # A failing example may misspell a term on purpose (term-typo's does); it is not a use.
    failing = URIRef("https://spec-check.dev/ns#failingExample")
    for literal in (o for s, p, o in graph if isinstance(o, Literal) and p != failing):
        terms |= {URIRef(SPEC_NS + name) for name in re.findall(r"\bspec:([A-Za-z_][\w-]*)", str(literal))}
    return terms


def code_terms() -> set[URIRef]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "src").rglob("*.py")))
    return {URIRef(SPEC_NS + name) for name in re.findall(r"\bSPEC\.([A-Za-z_]\w*)", text)}


@pytest.mark.parametrize("path", SHAPES + ONTOLOGY, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shapes_and_ontology_files_parse(path):
    assert len(parse([path])) > 0


@pytest.mark.parametrize(("where", "terms"), [
    ("shapes", lambda: spec_terms(parse(SHAPES))),
    ("specs/008", lambda: spec_terms(parse(sorted(SPEC_008.glob("*.ttl"))))),
    ("src", code_terms),
])
def test_every_spec_term_used_is_declared_with_label_and_comment(where, terms):
    ontology = parse(ONTOLOGY)
    used = terms()
    assert used, f"no spec: term found in {where}: the scan is broken"
    undeclared = sorted(str(t) for t in used if not set(ontology.objects(t, RDF.type)))
    unlabelled = sorted(str(t) for t in used if (t, RDFS.label, None) not in ontology)
    uncommented = sorted(str(t) for t in used if (t, RDFS.comment, None) not in ontology)
    assert (undeclared, unlabelled, uncommented) == ([], [], [])


def test_every_declared_term_is_documented():
    ontology = parse(ONTOLOGY)
    declared = {s for s in ontology.subjects(RDF.type, None)
                if isinstance(s, URIRef) and str(s).startswith(SPEC_NS)}
    assert declared
    assert sorted(str(s) for s in declared
                  if (s, RDFS.label, None) not in ontology or (s, RDFS.comment, None) not in ontology) == []


def test_inverse_properties_name_declared_properties():
    ontology = parse(ONTOLOGY)
    for a, b in ontology.subject_objects(OWL.inverseOf):
        assert (a, RDF.type, OWL.ObjectProperty) in ontology and (b, RDF.type, OWL.ObjectProperty) in ontology


def test_shapes_pass_meta_shacl():
    from pyshacl.entrypoints import meta_validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        conforms, _report, text = meta_validate(parse(SHAPES), inference="none")
    assert conforms, text


def test_meta_shacl_can_fail():
    from pyshacl.entrypoints import meta_validate

    broken = parse(SHAPES)
    shape = URIRef("https://spec-check.dev/ns#FeatureLabel")
    broken.add((shape, URIRef("http://www.w3.org/ns/shacl#minCount"), Literal("one")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        conforms, _report, _text = meta_validate(broken, inference="none")
    assert not conforms
