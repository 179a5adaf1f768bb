# SPDX-License-Identifier: MIT
"""Where findings point: subject and predicate positions, blank nodes, parse errors, names.

Small Turtle texts are written inline so each test shows the exact layout whose
lines and columns it asserts.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from rdflib import RDF, BNode, Literal, Namespace, URIRef

from conftest import run_cli
from spec_check.load import discover, load_folder
from spec_check.load.parse import parse_file

EX = Namespace("http://example.org/ns#")
SPEC = Namespace("https://ggen.dev/spec#")
PREFIXES = "@prefix : <http://example.org/ns#> .\n@prefix spec: <https://ggen.dev/spec#> .\n"


def parse(tmp_path: Path, text: str, name: str = "f.ttl"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path, text)


def test_subject_and_predicate_positions_are_1_based(tmp_path):
    parsed = parse(tmp_path, PREFIXES + """
:A a spec:Task ;
    spec:taskId "T1" ;
    spec:dependsOn :B .

  :B a spec:Task .
""")
    assert parsed.error is None
    assert parsed.subject_positions[EX.A] == (4, 1)
    assert parsed.subject_positions[EX.B] == (8, 3)
    assert parsed.predicate_positions[(EX.A, RDF.type)] == (4, 4)
    assert parsed.predicate_positions[(EX.A, SPEC.taskId)] == (5, 5)
    assert parsed.predicate_positions[(EX.A, SPEC.dependsOn)] == (6, 5)


def test_a_predicate_repeated_later_keeps_its_first_line(tmp_path):
    parsed = parse(tmp_path, PREFIXES + """:A spec:dependsOn :B ;
    spec:taskId "T1" ;
    spec:dependsOn :C .
""")
    assert parsed.predicate_positions[(EX.A, SPEC.dependsOn)] == (3, 4)


def test_blank_node_subjects_are_located_at_their_first_predicate(tmp_path):
    parsed = parse(tmp_path, PREFIXES + """
:A spec:step [
        spec:order 1 ;
        spec:label "first"
    ] .

[] a spec:Task ;
    spec:taskId "T9" .
""")
    (inner,) = [o for o in parsed.graph.objects(EX.A, SPEC.step)]
    (top,) = [s for s in parsed.graph.subjects(SPEC.taskId, None)]
    assert isinstance(inner, BNode) and isinstance(top, BNode)
    assert parsed.subject_positions[inner] == (5, 9)
    assert parsed.predicate_positions[(inner, SPEC.label)] == (6, 9)
    assert parsed.subject_positions[top][0] == 9
    assert parsed.predicate_positions[(top, SPEC.taskId)] == (10, 5)


def test_parse_error_position_is_1_based_line_and_column(tmp_path):
    # The ';' after "T1" is missing: the parser stops at spec:dependsOn, line 6 column 5.
    parsed = parse(tmp_path, PREFIXES + """
:A a spec:Task ;
    spec:taskId "T1"
    spec:dependsOn :B .
""")
    assert parsed.error is not None and parsed.error.startswith("Turtle syntax error: ")
    assert parsed.error_position == (6, 5)


def test_parse_error_on_the_first_line(tmp_path):
    parsed = parse(tmp_path, "@prefix : <http://example.org/ns#> \n")
    assert parsed.error is not None
    assert parsed.error_position[0] in (1, 2)  # the parser may only notice at end of input


def test_syntax_finding_carries_the_file_and_line(tmp_path):
    (tmp_path / "a.ttl").write_text(PREFIXES + ":A a spec:Task .\n", encoding="utf-8")
    (tmp_path / "b.ttl").write_text(PREFIXES + "\n\n:B a spec:Task ;\n    spec:taskId \"x\" \n    :oops .\n",
                                    encoding="utf-8")
    (folder,) = discover([tmp_path])
    loaded = load_folder(folder)
    (finding,) = loaded.findings
    assert finding.rule_id == "syntax" and finding.file.endswith("/b.ttl")
    assert (finding.line, finding.column) == (7, 5)
    assert loaded.unparsed == [finding.file]
    assert (EX.A, RDF.type, SPEC.Task) in loaded.graph  # the other file still counts


def test_names_use_the_prefixes_of_the_file_that_holds_the_node(tmp_path):
    (tmp_path / "a.ttl").write_text(
        "@prefix x: <http://example.org/ns#> .\n@prefix spec: <https://ggen.dev/spec#> .\nx:A a spec:Entity .\n",
        encoding="utf-8")
    (tmp_path / "b.ttl").write_text(
        "@prefix y: <http://example.org/ns#> .\n@prefix spec: <https://ggen.dev/spec#> .\n"
        "y:T1 a spec:Task ;\n    spec:dependsOn y:T9 .\n", encoding="utf-8")
    (folder,) = discover([tmp_path])
    index = load_folder(folder).index
    a_file, b_file = (f for f in sorted(index.prefixes_by_file))
    assert index.name(EX.A, a_file) == "x:A"
    assert index.name(EX.T1, b_file) == "y:T1"
    assert index.name(URIRef("urn:other:thing")) == "<urn:other:thing>"
    run = run_cli([tmp_path, "--no-color"])
    assert "b.ttl:4:5: [violation] task y:T1 depends on y:T9, which is not a task or phase" in run.stdout


def test_node_only_used_as_object_is_located_where_first_used(tmp_path):
    (tmp_path / "a.ttl").write_text(PREFIXES + "\n:A a spec:Task ;\n    spec:dependsOn :Ghost .\n", encoding="utf-8")
    (folder,) = discover([tmp_path])
    file, line, col = load_folder(folder).index.locate(EX.Ghost)
    assert (file.rsplit("/", 1)[-1], line, col) == ("a.ttl", 5, 5)


def test_n_triples_subjects_are_found_by_their_iri(tmp_path):
    text = ("<http://example.org/ns#A> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<https://ggen.dev/spec#Task> .\n\n<http://example.org/ns#B> "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://ggen.dev/spec#Task> .\n")
    parsed = parse(tmp_path, text, "f.nt")
    assert parsed.error is None
    assert parsed.subject_positions[EX.A] == (1, 1)
    assert parsed.subject_positions[EX.B] == (3, 1)


def test_rdflib_internals_that_the_tracking_parser_overrides_are_still_there():
    """load/parse.py subclasses rdflib's notation3 SinkParser; fail loudly if that changes."""
    from rdflib.plugins.parsers import notation3

    parser_cls = notation3.SinkParser
    for method, params in {
        "statement": ["self", "argstr", "i"],
        "property_list": ["self", "argstr", "i", "subj"],
        "verb": ["self", "argstr", "i", "res"],
        "object": ["self", "argstr", "i", "res"],
        "skipSpace": ["self", "argstr", "i"],
        "loadBuf": ["self", "buf"],
    }.items():
        assert list(inspect.signature(getattr(parser_cls, method)).parameters) == params, method
    parser = parser_cls(notation3.RDFSink(__import__("rdflib").Graph()), baseURI="file:///x/y.ttl", turtle=True)
    for attribute in ("lines", "startOfLine", "_bindings"):
        assert hasattr(parser, attribute), attribute
    try:
        parser.loadBuf("@prefix : <http://e/#> .\n:a :b\n")
    except notation3.BadSyntax as e:
        assert isinstance(e.lines, int) and isinstance(e._i, int) and isinstance(e._why, str)
    else:
        raise AssertionError("the bad Turtle above should not parse")


def test_an_object_on_another_line_than_its_predicate_is_located_where_it_is_written(tmp_path):
    # Issue 12: a repeated predicate, and an object list over lines, were located at the
    # predicate's first line. Objects on the predicate's own line keep the predicate's place.
    parsed = parse(tmp_path, PREFIXES + """:A spec:dependsOn :B ;
    spec:taskId "T1" ;
    spec:dependsOn :C .
:D spec:hasRisk :E , :F ,
        :G , "x" .
""")
    assert parsed.object_positions == {(EX.A, SPEC.dependsOn, EX.C): (5, 20), (EX.D, SPEC.hasRisk, EX.G): (7, 9),
                                       (EX.D, SPEC.hasRisk, Literal("x")): (7, 14)}
    folder = load_folder(discover([tmp_path])[0])
    assert folder.index.locate(EX.A, SPEC.dependsOn, EX.C) == (str(folder.files[0]), 5, 20)
    assert folder.index.locate(EX.A, SPEC.dependsOn, EX.B) == (str(folder.files[0]), 3, 4)
    assert folder.index.locate(EX.D, SPEC.hasRisk, EX.F) == (str(folder.files[0]), 6, 4)
    assert folder.index.locate(EX.D, SPEC.hasRisk) == (str(folder.files[0]), 6, 4)
