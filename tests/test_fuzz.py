# SPDX-License-Identifier: MIT
"""Fuzzing, bounded: mutated spec files, broken UTF-8 and random small graphs through the loader
and the whole pipeline. The only allowed outcomes are findings or SpecCheckError (exit 2).

Derandomized so the suite is reproducible; tools/fuzz_long.py explores further.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import OPERATIONS, check_bytes, load_bytes, mutate, seed_files
from spec_check import SpecCheck, SpecCheckError

SEEDS = seed_files()
BOUNDED = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PIPELINE = settings(BOUNDED, max_examples=40)

operations = st.lists(st.tuples(st.sampled_from(OPERATIONS), st.floats(0, 1), st.integers(0, 255)),
                      min_size=1, max_size=6)


@pytest.fixture(scope="module")
def checker():
    checker = SpecCheck()
    checker.rules  # noqa: B018 - load the shapes once for every example
    checker.ontology  # noqa: B018
    return checker


def test_there_are_seeds():
    assert len(SEEDS) >= 4, SEEDS


@BOUNDED
@given(seed=st.sampled_from(SEEDS), ops=operations)
def test_loader_survives_mutated_files(seed, ops):
    data = mutate(seed.read_bytes(), ops)
    loaded = load_bytes(seed.name, data)
    # Each file either parsed or was reported; a file is never silently dropped.
    assert loaded.unparsed == [] or any(f.file in loaded.unparsed for f in loaded.findings)


@BOUNDED
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".ttl", ".nt", ".trig", ".jsonld", ".rdf"]))
def test_loader_survives_random_bytes(data, suffix):
    load_bytes("random" + suffix, data)


@PIPELINE
@given(seed=st.sampled_from(SEEDS), ops=operations)
def test_pipeline_survives_mutated_files(checker, seed, ops):
    files = {seed.name if seed.suffix != ".ttl" else "feature.ttl": mutate(seed.read_bytes(), ops)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            result = check_bytes(checker, files)
        except SpecCheckError:
            return
    assert result.folders and 0.0 <= result.closure <= 100.0


NODES = st.sampled_from([f":n{i}" for i in range(6)] + ["_:b0", "_:b1", "rdf:nil"])
PREDICATES = st.sampled_from(["a", "spec:hasUserStory", "spec:acceptanceScenarios", "spec:hasTask",
                              "spec:dependsOn", "spec:hasPhase", "spec:tracesTo", "rdf:first", "rdf:rest",
                              "rdfs:label", "spec:priority", "owl:inverseOf", "rdfs:subClassOf"])
OBJECTS = st.one_of(NODES, st.sampled_from(["spec:Feature", "spec:UserStory", "spec:Task", "spec:Phase",
                                            "spec:AcceptanceScenario", '"x"', '""', '"P1"', "42",
                                            "( :n1 :n2 )", "( )", "[ a spec:Task ]"]))
triples = st.lists(st.tuples(NODES.filter(lambda n: n != "rdf:nil"), PREDICATES, OBJECTS), max_size=25)
PREFIXES = ("@prefix spec: <https://ggen.dev/spec#> .\n@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "@prefix : <https://example.org/fuzz#> .\n")


_CHECKERS: dict = {}


@settings(PIPELINE, max_examples=30)
@given(graph=triples, inference=st.sampled_from(["none", "rdfs", "owlrl"]))
def test_pipeline_survives_random_graphs(graph, inference):
    from spec_check import CheckOptions
    from spec_check.infer import InferenceMode

    text = PREFIXES + "".join(f"{s} {p} {o} .\n" for s, p, o in graph)
    if inference not in _CHECKERS:
        _CHECKERS[inference] = SpecCheck(CheckOptions(inference=InferenceMode(inference)))
    checker = _CHECKERS[inference]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = check_bytes(checker, {"feature.ttl": text.encode()})
    assert result.folders[0].findings or result.closure == 100.0


# -- structured mutation with differential oracles (issue 20) ----------------------------------
# A short, seeded slice of what tools/fuzz_long.py runs for as long as you like: whole spec
# folders with one Turtle file changed by token, statement or graph edits or spliced with
# another spec's statements, checked by the fast reader and rdflib's parser, and by the native
# engine and pySHACL; all must agree exactly (and nothing may crash).

STRUCTURED_SEEDS = range(16)


@pytest.fixture(scope="module")
def spec_folders():
    import fuzzing

    folders = fuzzing.spec_folders()
    assert len(folders) >= 3, folders
    return folders


@pytest.mark.parametrize("seed", STRUCTURED_SEEDS)
def test_structured_inputs_agree_across_readers_and_engines(spec_folders, seed):
    import random

    import fuzzing

    files, description = fuzzing.structured_input(spec_folders, random.Random(seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result, mismatches = fuzzing.differential(files, timeout=120)
    assert mismatches == [], f"{description}: {mismatches}"


def test_the_structured_mutators_change_their_input():
    import random

    import fuzzing

    rng = random.Random(1)
    text = (fuzzing.ROOT / "specs" / "008-build-optimization-complete" / "plan.ttl").read_bytes()
    donor = (fuzzing.ROOT / "specs" / "008-build-optimization-complete" / "feature.ttl").read_bytes()
    assert b"".join(fuzzing.tokens(text)) == text and b"".join(sum(fuzzing.statements(text), [])) != b""
    changed = {fuzzing.token_mutate(text, donor, rng) != text for _ in range(10)}
    changed |= {fuzzing.statement_mutate(text, donor, rng) != text for _ in range(10)}
    assert True in changed
    assert fuzzing.graph_mutate(text, donor, rng) not in (None, text)


FOUND = __import__("pathlib").Path(__file__).parent / "fuzz-found"


@pytest.mark.parametrize("case", sorted(p.name for p in FOUND.iterdir() if p.is_dir()))
@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_inputs_the_long_fuzz_run_found(case, engine):
    """Each input once crashed the check (an exception other than SpecCheckError); now it is findings."""
    from spec_check.api import CheckOptions

    files = {p.name: p.read_bytes() for p in (FOUND / case).iterdir()}
    try:
        result = check_bytes(SpecCheck(CheckOptions(engine=engine)), files)
    except SpecCheckError:
        return  # allowed: the tool could not run, and says why
    assert len(result.folders) == 1, case
