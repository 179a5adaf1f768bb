# SPDX-License-Identifier: MIT
"""The infer stage: what the rules see, and what it must never do to the asserted data.

Data: tests/infer/*.ttl.
"""

from __future__ import annotations

import json

import pytest
from rdflib import RDF, Graph, Namespace

from conftest import ROOT, SPEC_008, run_cli
from spec_check.api import SpecCheck
from spec_check.infer import InferenceMode, list_members, rule_view

DATA = ROOT / "tests" / "infer"
EX = Namespace("https://example.org/specs/infer#")
SPEC = Namespace("https://ggen.dev/spec#")
MODES = list(InferenceMode)


def ontology() -> Graph:
    return SpecCheck().ontology


def graph_of(name: str) -> Graph:
    g = Graph()
    g.parse(DATA / name, format="turtle")
    return g


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_asserted_graph_is_never_changed(mode):
    loaded, _view = SpecCheck().load(SPEC_008)
    before = set(loaded.graph)
    view = rule_view(loaded.graph, ontology(), mode)
    assert set(loaded.graph) == before
    assert not set(view.inferred) & before, "an inferred triple was already asserted"
    assert set(view.aligned) <= set(view.graph)
    assert set(view.inferred) <= set(view.graph)


def test_list_members_and_repeated_objects_both_count():
    view = rule_view(graph_of("lists.ttl"), ontology(), InferenceMode.NONE)
    scenarios = SPEC.acceptanceScenarios
    assert set(view.graph.objects(EX.S1, scenarios)) == {EX.A1, EX.A2}
    assert set(view.graph.objects(EX.S2, scenarios)) == {EX.B1, EX.B2}
    # The list itself is replaced by one link per member in the rule view.
    assert (EX.S1, scenarios, EX.A1) in view.normalised


def test_inverse_links_are_turned_round():
    view = rule_view(graph_of("lists.ttl"), ontology(), InferenceMode.NONE)
    # The inverse axioms are applied by the alignment step (even with inference off).
    assert (EX.Ph, SPEC.hasTask, EX.T1) in view.aligned
    assert (EX.Ph, SPEC.hasTask, EX.T1) in view.graph
    assert (EX.Ph, SPEC.hasTask, EX.T1) not in graph_of("lists.ttl")


def test_list_members_reads_well_formed_lists_only():
    g = graph_of("lists.ttl")
    head = g.value(EX.S1, SPEC.acceptanceScenarios)
    assert list_members(g, head) == [EX.A1, EX.A2]
    assert list_members(g, RDF.nil) == []
    assert list_members(g, EX.A1) is None


@pytest.mark.parametrize("mode", [InferenceMode.RDFS, InferenceMode.OWLRL], ids=lambda m: m.value)
def test_inferred_triples_go_only_into_the_inferred_graph(mode):
    asserted = graph_of("subclass.ttl")
    before = set(asserted)
    view = rule_view(asserted, ontology(), mode)
    assert (EX.T1, RDF.type, SPEC.Task) in view.inferred
    assert (EX.T1, RDF.type, SPEC.Task) in view.graph
    assert set(asserted) == before


def test_no_inference_adds_nothing():
    view = rule_view(graph_of("subclass.ttl"), ontology(), InferenceMode.NONE)
    assert len(view.inferred) == 0
    assert (EX.T1, RDF.type, SPEC.Task) not in view.graph


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_a_dangling_reference_is_never_typed_by_inference(mode):
    view = rule_view(graph_of("dangling.ttl"), ontology(), mode)
    assert (EX.T999, RDF.type, SPEC.Task) not in view.graph
    assert not set(view.inferred.triples((EX.T999, None, None)))


@pytest.mark.parametrize("mode", [m.value for m in MODES])
def test_a_dangling_dependency_stays_reported_with_every_inference_mode(mode, tmp_path):
    (tmp_path / "dangling.ttl").write_bytes((DATA / "dangling.ttl").read_bytes())
    run = run_cli([tmp_path, "--inference", mode, "--format", "json"])
    assert run.exit_code == 1
    dangling = [f for f in json.loads(run.stdout)["findings"]
                if f["rule_id"] in ("dependency-target", "reference-defined") and f["value"] == ":T999"]
    assert dangling, run.stdout
    assert (dangling[0]["file"].rsplit("/", 1)[-1], dangling[0]["line"]) == ("dangling.ttl", 10)


# The example spec staying closed under rdfs and owlrl is the case suite's
# pass-008-inference-rdfs / pass-008-inference-owlrl.


@pytest.mark.parametrize("mode", [InferenceMode.RDFS, InferenceMode.OWLRL], ids=lambda m: m.value)
def test_domain_and_range_never_type_a_node(mode):
    view = rule_view(graph_of("subclass.ttl"), ontology(), mode)
    assert (EX.Loose, RDF.type, SPEC.Task) not in view.graph


@pytest.mark.parametrize("mode", [InferenceMode.RDFS, InferenceMode.OWLRL], ids=lambda m: m.value)
def test_inference_adds_no_second_copy_of_a_literal_value(mode):
    view = rule_view(graph_of("literals.ttl"), ontology(), mode)
    assert len(set(view.graph.objects(EX.T1, SPEC.effortHours))) == 1
    assert not set(view.inferred.triples((EX.T1, None, None)))
