# SPDX-License-Identifier: MIT
"""Dialects, alignment, normalisation, parse guidance and gates, through the API and the CLI.

The data-driven cases are in test_dialect_cases.py; these tests pin what a
finding list cannot show (graphs, options, errors, the real-world corpus).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from conftest import SPEC_008, run_cli
from spec_check.api import CheckOptions, SpecCheck
from spec_check.dialects import dialect_files, load_dialects
from spec_check.errors import SpecCheckError
from spec_check.infer import InferenceMode
from spec_check.vocab import SC, SPEC

DATA = Path(__file__).resolve().parent / "dialects"
BELONGS = DATA / "belongs-to"
BELONGS_ALIGNMENT = DATA / "alignments" / "belongs-to.ttl"
SPEC_KIT = DATA / "spec-kit"
EX = "https://example.org/belongs#"


def _findings(result, rule_id):
    return [f for f in result.findings if f.rule_id == rule_id]


# -- alignment ------------------------------------------------------------


def test_every_builtin_dialect_is_listed_with_its_triggers():
    run = run_cli(["dialects"])
    assert run.exit_code == 0
    for path in dialect_files():
        graph = Graph().parse(path)
        for node in graph.subjects(RDF.type, SC.Dialect):
            assert f"{graph.value(node, SC.dialectName)}: " in run.stdout
            for ns in graph.objects(node, SC.triggerNamespace):
                assert f"namespace {ns}" in run.stdout


def test_extra_dialect_inverse_links_stories_but_never_invents_the_missing_feature():
    checker = SpecCheck(CheckOptions(extra_dialects=(BELONGS_ALIGNMENT,)))
    loaded, view = checker.load(BELONGS)
    assert (URIRef(EX + "F"), SPEC.hasUserStory, URIRef(EX + "S1")) in view.aligned
    assert (URIRef(EX + "S1"), RDF.type, SPEC.UserStory) in view.aligned
    # :Gone is not described: no triple about it is added, and the range axiom is never used.
    assert not list(view.graph.triples((URIRef(EX + "Gone"), None, None)))
    # The asserted graph is the files' triples, nothing more.
    assert not list(loaded.graph.triples((None, SPEC.hasUserStory, None)))
    result = checker.check([BELONGS])
    assert [f.focus for f in _findings(result, "story-linked")] == [":S2"]
    assert [f.value for f in _findings(result, "reference-defined")] == [":Gone"]


def test_without_the_extra_dialect_the_stories_are_recognised_by_name_and_said_so():
    result = SpecCheck().check([BELONGS])
    assert result.folders[0].recognised["stories"] == 2
    (note,) = _findings(result, "recognised-by-name")
    assert "by local name in <https://example.org/stories#>: Story as spec:UserStory (2)" in note.message
    assert "link read from belongsTo" in note.message
    with_it = SpecCheck(CheckOptions(extra_dialects=(BELONGS_ALIGNMENT,))).check([BELONGS])
    assert with_it.folders[0].recognised["stories"] == 2
    assert with_it.folders[0].dialects == ("stories",)
    assert _findings(with_it, "recognised-by-name") == []


@pytest.mark.parametrize("mode", list(InferenceMode))
def test_alignment_applies_whatever_the_inference_mode(mode):
    result = SpecCheck(CheckOptions(inference=mode)).check([SPEC_KIT])
    assert result.folders[0].recognised == {"stories": 2, "scenarios": 2, "tasks": 2, "requirements": 1}


def test_forcing_another_dialect_reads_the_folder_in_that_one_only():
    assert run_cli([SPEC_KIT, "--dialect", "spec-kit"]).stdout == run_cli([SPEC_KIT]).stdout
    forced = SpecCheck(CheckOptions(dialect="epic")).check([SPEC_KIT])
    assert forced.folders[0].dialects == ("epic",)
    # Without the spec-kit alignment its terms are only recognised by name, and that is said.
    assert forced.folders[0].recognised["stories"] == 2
    (note,) = _findings(forced, "recognised-by-name")
    assert "by local name in <http://github.com/github/spec-kit#>: " in note.message and " UserStory (2)" in note.message


def test_unknown_dialect_exits_2_naming_the_known_ones():
    run = run_cli([SPEC_008, "--dialect", "klingon"])
    assert run.exit_code == 2
    assert len(run.stderr.strip().splitlines()) == 1
    for name in load_dialects():
        assert name in run.stderr


def test_dialect_file_without_a_dialect_node_is_a_tool_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<urn:a> owl:equivalentClass <urn:b> .\n")
    with pytest.raises(SpecCheckError, match="declares no sc:Dialect"):
        SpecCheck(CheckOptions(extra_dialects=(bad,))).check([SPEC_008])


def test_our_own_vocabulary_triggers_no_dialect():
    run = run_cli([SPEC_008])
    assert run.exit_code == 0
    assert "dialect" not in run.stdout


def test_json_report_carries_recognised_counts_and_dialects():
    document = json.loads(run_cli([SPEC_KIT, "--format", "json"]).stdout)
    folder = document["folders"][0]
    assert folder["dialects"] == ["spec-kit"]
    assert folder["recognised"] == {"requirements": 1, "scenarios": 2, "stories": 2, "tasks": 2}


def test_normalised_links_replace_the_id_string_only_in_the_rule_view():
    loaded, view = SpecCheck().load(DATA / "id-strings")
    ids = "https://example.org/ids#"
    t3 = URIRef(ids + "T3")
    assert set(view.graph.objects(t3, SPEC.dependsOn)) == {URIRef(ids + "T1"), URIRef(ids + "T2")}
    assert [str(o) for o in loaded.graph.objects(t3, SPEC.dependsOn)] == ["T001, T002"]


# -- parse guidance -------------------------------------------------------


def test_rdf_star_is_explained_and_the_rest_is_still_checked():
    result = SpecCheck().check([DATA / "parse-rdf-star"])
    folder = result.folders[0]
    [syntax] = _findings(result, "syntax")
    assert (syntax.file.split("/")[-1], syntax.line) == ("plan.ttl", 5)
    assert "RDF-star" in syntax.message and "not supported by this parser" in syntax.message
    assert not folder.complete and folder.checks_applied > 0


def test_rdf_star_message_says_pyoxigraph_reads_the_file():
    pytest.importorskip("pyoxigraph", reason="pyoxigraph is optional; the hint needs it")
    [syntax] = _findings(SpecCheck().check([DATA / "parse-rdf-star"]), "syntax")
    assert "pyoxigraph parses this file" in syntax.message


# -- gates ----------------------------------------------------------------


def test_gate_rules_are_listed_with_kind_gate():
    run = run_cli(["rules", "--rules", DATA / "gate-rules"])
    assert run.exit_code == 0
    names = {p.stem for p in (DATA / "gate-rules").glob("*.rq")}
    listed = {line.split()[0] for line in run.stdout.splitlines() if line.split()[2:3] == ["gate"]}
    assert listed == names, run.stdout


@pytest.mark.parametrize("query, error", [
    ("SELECT ?x WHERE { ?x ", "does not parse"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "one ASK or SELECT"),
    ("# SEVERITY: fatal\nASK { ?s ?p ?o }", "SEVERITY"),
])
def test_a_broken_gate_exits_2_with_its_file(tmp_path, query, error):
    (tmp_path / "broken.rq").write_text(query + "\n")
    run = run_cli([SPEC_008, "--rules", tmp_path])
    assert run.exit_code == 2
    assert "broken.rq" in run.stderr and error in run.stderr


def test_gates_are_found_in_a_projects_specify_folder(tmp_path):
    gates = tmp_path / ".specify" / "gates"
    gates.mkdir(parents=True)
    (gates / "always.rq").write_text("# MESSAGE: always fails\nASK { ?s ?p ?o }\n")
    run = run_cli([DATA / "priority-iri", "--rules", tmp_path])
    assert "always fails (always)" in run.stdout
    assert run.exit_code == 1


def test_a_gate_id_that_is_a_rule_id_is_refused(tmp_path):
    (tmp_path / "syntax.rq").write_text("ASK { ?s ?p ?o }\n")
    run = run_cli([SPEC_008, "--rules", tmp_path])
    assert run.exit_code == 2 and "already a rule's id" in run.stderr


# -- the real-world corpus ------------------------------------------------

# Per folder: parse failures, dialects, and rules that must report something.
CORPUS_EXPECTATIONS = {
    "001-poka-yoke-patterns": (1, ["epic"], {"syntax", "task-traced"}),
    "014-affiliate-routing": (0, ["spec-kit"], {"story-covered", "task-traced"}),
    "020-craftplan": (2, ["ggen-vocab"], {"syntax", "reference-defined", "story-covered",
                                          "withheld-until-parsed"}),
    "_spec-kit-ontology": (0, [], {"not-a-spec"}),
    "clap-noun-verb-generator": (0, ["epic"], {"story-covered", "reference-defined"}),
    "disney-wave1-task2-park-opening": (2, ["process"], {"syntax", "nothing-to-trace", "reference-defined"}),
    "post-chatman": (0, [], {"not-a-spec"}),
}


@pytest.fixture
def ggen_corpus(request) -> Path:
    """The corpus: $SPEC_CHECK_CORPUS when set (a worktree outside the checkout), else conftest's."""
    override = os.environ.get("SPEC_CHECK_CORPUS")
    if override and Path(override).is_dir():
        return Path(override)
    return request.getfixturevalue("corpus")


_CORPUS_RUNS: dict = {}  # one check of the corpus shared by the tests below (they only read it)


def _corpus_json(path: Path) -> str:
    if path not in _CORPUS_RUNS:
        run = run_cli([path, "--format", "json"])
        assert run.exit_code == 1, run.stderr
        _CORPUS_RUNS[path] = run.stdout
    return _CORPUS_RUNS[path]


@pytest.fixture
def corpus_document(ggen_corpus) -> dict:
    return json.loads(_corpus_json(ggen_corpus))


def test_corpus_every_folder_is_checked_with_the_expected_rules(ggen_corpus, corpus_document):
    folders = {Path(f["path"]).name: f for f in corpus_document["folders"]}
    assert set(folders) == {d.name for d in ggen_corpus.iterdir() if d.is_dir()}
    for name, (syntax_count, dialects, rules) in CORPUS_EXPECTATIONS.items():
        findings = [f for f in corpus_document["findings"] if Path(f["folder"]).name == name]
        assert sum(f["rule_id"] == "syntax" for f in findings) == syntax_count, name
        assert len(folders[name]["unparsed_files"]) == syntax_count, name
        assert folders[name]["dialects"] == dialects, name
        assert rules <= {f["rule_id"] for f in findings}, name


def test_corpus_parse_failures_are_at_the_line_and_column_pyoxigraph_reports(ggen_corpus, corpus_document):
    pyoxigraph = pytest.importorskip("pyoxigraph", reason="pyoxigraph is the oracle for positions")
    syntax = [f for f in corpus_document["findings"] if f["rule_id"] == "syntax"]
    assert syntax
    for finding in syntax:
        assert "; likely cause: " in finding["message"]
        with pytest.raises(SyntaxError) as raised:
            list(pyoxigraph.parse(path=finding["file"], format=pyoxigraph.RdfFormat.TURTLE))
        m = re.search(r"line (\d+) (?:column|between columns) (\d+)", str(raised.value))
        assert (finding["line"], finding["column"]) == (int(m.group(1)), int(m.group(2))), finding


def test_corpus_spec_kit_folder_is_read_through_its_dialect(ggen_corpus):
    folder = ggen_corpus / "014-affiliate-routing"
    result = SpecCheck().check([folder])
    recognised = result.folders[0].recognised
    graph = Graph()
    for path in folder.glob("*.ttl"):
        graph.parse(path)
    sk = "http://github.com/github/spec-kit#"
    for name, cls in (("stories", "UserStory"), ("scenarios", "AcceptanceScenario"), ("tasks", "Task"),
                      ("requirements", "FunctionalRequirement")):
        assert recognised[name] == len(set(graph.subjects(RDF.type, URIRef(sk + cls)))), name
    stories = {str(s) for s in graph.subjects(RDF.type, URIRef(sk + "UserStory"))}
    covered = _findings(result, "story-covered")
    assert covered
    ns = "http://github.com/github/spec-kit/examples/affiliate-routing#"
    assert {ns + f.focus.removeprefix(":") for f in covered} <= stories


def test_corpus_output_is_deterministic(ggen_corpus):
    assert run_cli([ggen_corpus, "--format", "json"]).stdout == _corpus_json(ggen_corpus)


def test_story_sentence_parts_are_read_into_the_rule_view_only():
    loaded, view = SpecCheck().load(DATA / "story-sentence")
    story = URIRef("http://example.org/sentence#us-001")
    assert [str(o) for o in view.normalised.objects(story, SPEC.actor)] == ["FactoryPaaS operator"]
    assert [str(o) for o in view.normalised.objects(story, SPEC.goal)] == ["redirects are imperceptible"]
    assert not list(loaded.graph.objects(story, SPEC.goal))


@pytest.mark.parametrize("text, cause", [
    ('@prefix : <urn:x#> .\n:a :b """one\n  """ inner\n"""\n    .\n', 'ends a long string early'),
    ('@prefix : <urn:x#> .\n:a :b """one\n"""\n    :c "d" .\n', 'a missing `;`'),
])
def test_a_long_string_is_blamed_only_when_prose_follows_it(tmp_path, text, cause):
    from spec_check.load.parse import parse_file

    parsed = parse_file(tmp_path / "x.ttl", text)
    assert parsed.error is not None and cause in parsed.error, parsed.error


@pytest.mark.parametrize("case", ["spec-kit", "epic", "id-strings", "process"])
def test_inference_adds_nothing_alignment_and_normalisation_took_away(case):
    """owlrl sees the dialect axioms too; it must not re-derive a replaced list head or id string."""
    plain = SpecCheck().check([DATA / case]).findings
    inferred = SpecCheck(CheckOptions(inference=InferenceMode.RDFS)).check([DATA / case]).findings
    assert inferred == plain


def test_explaining_a_dialect_shows_every_alignment_axiom_of_its_file():
    from rdflib import OWL, RDFS

    kinds = (OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf)
    for path in dialect_files():
        graph = Graph().parse(path)
        name = str(graph.value(next(graph.subjects(RDF.type, SC.Dialect)), SC.dialectName))
        run = run_cli(["dialects", name])
        assert run.exit_code == 0
        axiom_lines = run.stdout.split("Alignment (their term → ours):\n", 1)[1].splitlines()
        assert len(axiom_lines) == sum(len(list(graph.triples((None, k, None)))) for k in kinds), name


def test_config_sparql_key_runs_gates_like_the_rules_option(tmp_path):
    config = tmp_path / "spec-check.toml"
    config.write_text(f'sparql = ["{(DATA / "gate-rules").as_posix()}"]\n', encoding="utf-8")
    by_config = run_cli([DATA / "gates", "--config", config])
    by_option = run_cli([DATA / "gates", "--rules", DATA / "gate-rules"])
    assert "(task-has-effort)" in by_config.stdout
    assert by_config.stdout == by_option.stdout
