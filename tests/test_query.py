# SPDX-License-Identifier: MIT
"""`spec-check query`: SELECT, ASK and CONSTRUCT over the folder's rule view."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import ROOT, run_cli
from rdflib import RDF, RDFS, BNode, Graph, Namespace

DATA = ROOT / "tests" / "authoring"
BASE = DATA / "diff" / "base"
REFORMATTED = DATA / "diff" / "reformatted"
QUERIES = DATA / "query"
SPEC = Namespace("https://ggen.dev/spec#")
NS = "https://ggen.dev/specs/010-cache-warmup#"


def _raw_graph(folder: Path) -> Graph:
    """The folder's triples read with plain rdflib: the oracle the query output is compared with."""
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _task_labels(folder: Path) -> list[tuple[str, str]]:
    graph = _raw_graph(folder)
    return sorted((str(t), str(graph.value(t, RDFS.label))) for t in graph.subjects(RDF.type, SPEC.Task))


TASKS = "SELECT ?task ?label WHERE { ?task a spec:Task ; rdfs:label ?label }"


def test_select_csv_lists_every_task_in_sorted_order():
    run = run_cli(["query", BASE, TASKS, "--format", "csv"])
    assert run.exit_code == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0] == ["task", "label"]
    assert [tuple(r) for r in rows[1:]] == _task_labels(BASE)


def test_select_table_shows_prefixed_names_and_a_row_count():
    run = run_cli(["query", BASE, TASKS])
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["?task", "?label"]
    expected = [(":" + iri[len(NS):], label) for iri, label in _task_labels(BASE)]
    assert [(line.split("  ", 1)[0], line.split("  ", 1)[1].strip()) for line in lines[2:-1]] == expected
    assert lines[-1] == f"({len(expected)} rows)"


def test_select_json_is_the_sparql_results_format():
    run = run_cli(["query", BASE, TASKS, "--format", "json"])
    doc = json.loads(run.stdout)
    assert doc["head"]["vars"] == ["task", "label"]
    got = [(b["task"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]]
    assert got == _task_labels(BASE)
    assert {b["task"]["type"] for b in doc["results"]["bindings"]} == {"uri"}


def test_vocabulary_and_folder_prefixes_are_predeclared():
    # The reformatted folder declares p:, f:, w: and s:; spec: and rdfs: come with spec-check.
    for query in ("ASK { p:T002 spec:dependsOn f:T001 }", "ASK { w:T002 s:dependsOn w:T001 }",
                  "ASK { p:T001 rdfs:label ?l }"):
        run = run_cli(["query", REFORMATTED, query])
        assert (run.exit_code, run.stdout) == (0, "true\n"), (query, run.stderr)


def test_a_prefix_in_the_query_wins_over_the_predeclared_one():
    run = run_cli(["query", BASE, "PREFIX : <https://example.org/other#> ASK { :T001 a spec:Task }"])
    assert (run.exit_code, run.stdout) == (0, "false\n")


def test_ask_sees_the_normalised_graph():
    # plan.ttl writes `:Phase1 spec:hasTask ( :T001 :T002 )`: a list, and no spec:inPhase.
    for query, answer in (("ASK { :Phase1 spec:hasTask :T002 }", "true"),
                          ("ASK { :T002 spec:inPhase :Phase1 }", "true"),
                          ("ASK { :T002 spec:inPhase :Phase2 }", "false")):
        run = run_cli(["query", BASE, query])
        assert (run.exit_code, run.stdout) == (0, answer + "\n"), query


def test_ask_json():
    run = run_cli(["query", BASE, "ASK { :T003 spec:dependsOn :T001 }", "--format", "json"])
    assert json.loads(run.stdout) == {"head": {}, "boolean": True}


def test_rows_are_sorted_without_order_by_and_kept_with_it():
    unordered = run_cli(["query", BASE, "SELECT ?t ?h WHERE { ?t spec:effortHours ?h }", "--format", "csv"])
    rows = list(csv.reader(io.StringIO(unordered.stdout)))[1:]
    assert rows == sorted(rows) and len(rows) == 3
    ordered = run_cli(["query", BASE, "--file", QUERIES / "tasks-by-effort.rq", "--format", "csv"])
    assert ordered.exit_code == 0, ordered.stderr
    hours = [float(r[1]) for r in list(csv.reader(io.StringIO(ordered.stdout)))[1:]]
    assert hours == sorted(hours, reverse=True) and hours != sorted(hours)


def test_limit_without_order_by_takes_the_first_sorted_rows():
    everything = run_cli(["query", BASE, "SELECT ?t WHERE { ?t a spec:Task }", "--format", "csv"]).stdout
    limited = run_cli(["query", BASE, "SELECT ?t WHERE { ?t a spec:Task } LIMIT 2", "--format", "csv"]).stdout
    assert limited.splitlines() == everything.splitlines()[:3]


def test_output_is_identical_on_a_second_run():
    query = ("CONSTRUCT { ?c spec:hasSetting [ spec:settingKey ?k ] } "
             "WHERE { ?c spec:hasSetting ?s . ?s spec:settingKey ?k }")
    first = run_cli(["query", BASE, query])
    second = run_cli(["query", BASE, query])
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout


def test_construct_prints_sorted_ntriples_that_parse_back():
    query = "CONSTRUCT { ?t spec:inPhase ?p } WHERE { ?p spec:hasTask ?t }"
    run = run_cli(["query", BASE, query])
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines == sorted(lines)
    graph = Graph().parse(data=run.stdout, format="nt")
    raw = _raw_graph(BASE)
    expected = {(t, SPEC.inPhase, p) for p in raw.subjects(RDF.type, SPEC.Phase)
                for head in raw.objects(p, SPEC.hasTask) for t in raw.items(head)}
    assert set(graph) == expected


def test_construct_with_blank_nodes_as_turtle():
    query = "CONSTRUCT { ?e spec:hasAttribute ?a . ?a ?p ?o } WHERE { ?e spec:hasAttribute ?a . ?a ?p ?o }"
    run = run_cli(["query", BASE, query, "--format", "turtle"])
    assert run.exit_code == 0, run.stderr
    assert "@prefix spec: <https://ggen.dev/spec#> ." in run.stdout
    graph = Graph().parse(data=run.stdout, format="turtle")
    names = sorted(str(o) for o in graph.objects(None, SPEC.attributeName))
    assert names == ["key", "size"]
    assert all(isinstance(a, BNode) for a in graph.objects(None, SPEC.hasAttribute))


def test_construct_refuses_a_table_format_for_rows():
    run = run_cli(["query", BASE, "CONSTRUCT { ?s a spec:Task } WHERE { ?s a spec:Task }", "--format", "csv"])
    assert run.exit_code == 2
    assert "nt or turtle" in run.stderr


def test_syntax_error_shows_line_column_and_caret():
    run = run_cli(["query", BASE, "SELECT ?t WHERE {\n  ?t a spec:Task .\n  FILTR (?t) }"])
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert lines[0].startswith("spec-check: error: query:3:3: ")
    assert lines[1] == "    FILTR (?t) }"
    assert lines[2] == "    ^"


def test_syntax_error_in_a_query_file_names_the_file():
    query_file = QUERIES / "syntax-error.rq"
    run = run_cli(["query", BASE, "--file", query_file])
    assert run.exit_code == 2
    assert run.stderr.splitlines()[0].startswith(f"spec-check: error: {query_file.as_posix()}:5:3: ")


def test_unknown_prefix_is_located():
    run = run_cli(["query", BASE, "SELECT ?t\nWHERE { ?t a nope:Task }"])
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert lines[0] == ("spec-check: error: query:2:14: unknown prefix 'nope:' "
                        "(declare it with PREFIX nope: <...>)")
    assert lines[2].index("^") == lines[1].index("nope:")


def test_query_argument_and_file_are_exclusive(tmp_path):
    assert run_cli(["query", BASE, "ASK {}", "--file", QUERIES / "tasks-by-effort.rq"]).exit_code == 2
    assert run_cli(["query", BASE]).exit_code == 2
    assert run_cli(["query", BASE, "--file", tmp_path / "missing.rq"]).exit_code == 2


def test_missing_spec_folder_exits_2(tmp_path):
    run = run_cli(["query", tmp_path / "nope", "ASK {}"])
    assert run.exit_code == 2
    assert "no such file or folder" in run.stderr


def test_inference_option_is_accepted():
    run = run_cli(["query", BASE, "ASK { :T001 a spec:Task }", "--inference", "rdfs"])
    assert (run.exit_code, run.stdout) == (0, "true\n")


def test_a_file_that_does_not_parse_is_left_out_with_a_warning(tmp_path):
    folder = tmp_path / "010-cache-warmup"
    folder.mkdir()
    for path in BASE.glob("*.ttl"):
        (folder / path.name).write_text(path.read_text())
    (folder / "entities.ttl").write_text((BASE / "entities.ttl").read_text().replace("] .", "]"))
    run = run_cli(["query", folder, "ASK { :T001 a spec:Task }"])
    assert (run.exit_code, run.stdout) == (0, "true\n")
    assert "entities.ttl does not parse" in run.stderr
    run = run_cli(["query", folder, "ASK { :CacheEntry ?p ?o }"])
    assert run.stdout == "false\n"


def test_construct_output_does_not_depend_on_the_hash_seed():
    import os
    import subprocess
    import sys

    query = ("CONSTRUCT { ?c spec:hasSetting ?s . ?s ?k ?v . ?e spec:hasAttribute ?a . ?a ?q ?w } WHERE { "
             "{ ?c spec:hasSetting ?s . ?s ?k ?v } UNION { ?e spec:hasAttribute ?a . ?a ?q ?w } }")
    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONHASHSEED=seed)
        argv = [sys.executable, "-m", "spec_check", "query", str(BASE), query, "--format", "turtle"]
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert "spec:settingKey" in outputs.pop()


def test_select_star_in_a_fresh_process_keeps_the_query_order():
    import os
    import subprocess
    import sys

    heads = set()
    for seed in ("1", "2", "3", "4"):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONHASHSEED=seed)
        argv = [sys.executable, "-m", "spec_check", "query", str(BASE),
                "SELECT * WHERE { ?s spec:dependsOn ?o . ?o spec:effortHours ?h }", "--format", "csv"]
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
        heads.add(done.stdout.splitlines()[0])
    assert heads == {"s,o,h"}


def test_empty_construct_prints_nothing():
    for fmt in ("nt", "turtle"):
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . ?s a spec:Nothing }"
        run = run_cli(["query", BASE, query, "--format", fmt])
        assert (run.exit_code, run.stdout) == (0, "")


def test_numbers_sort_by_value():
    from conftest import SPEC_008

    query = "SELECT DISTINCT ?h WHERE { ?t spec:effortHours ?h }"
    run = run_cli(["query", SPEC_008, query, "--format", "csv"])
    hours = [float(h) for h in run.stdout.splitlines()[1:]]
    assert len(hours) > 5 and hours == sorted(hours)
    assert [h for h in run.stdout.splitlines()[1:]] != sorted(run.stdout.splitlines()[1:])  # not as text


def test_table_cells_show_control_characters_escaped():
    run = run_cli(["query", BASE, 'SELECT ?x WHERE { BIND("a\\u001b[2Jb" AS ?x) }'])
    assert "\x1b" not in run.stdout
    assert "a\\x1b[2Jb" in run.stdout


def test_a_dialect_spec_is_queried_in_the_spec_vocabulary():
    spec_kit = DATA / "diff" / "spec-kit-old"
    query = "SELECT ?t WHERE { ?t a spec:Task ; spec:dependsOn ?d }"
    run = run_cli(["query", spec_kit, query, "--format", "csv"])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == ["t", "http://example.org/routing#task-002"]
    forced = run_cli(["query", spec_kit, "ASK { ?t a spec:Task }", "--dialect", "spec-kit"])
    assert (forced.exit_code, forced.stdout) == (0, "true\n")
    unknown = run_cli(["query", spec_kit, "ASK { ?t a spec:Task }", "--dialect", "no-such-dialect"])
    assert unknown.exit_code == 2
