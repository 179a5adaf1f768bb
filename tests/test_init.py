# SPDX-License-Identifier: MIT
"""`spec-check init`: the scaffold is closed as created, and init never overwrites."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli
from rdflib import RDFS, Graph, URIRef

SPEC = "https://ggen.dev/spec#"


def _snapshot(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _feature_labels(folder: Path) -> list[str]:
    graph = Graph()
    graph.parse(folder / "feature.ttl", format="turtle")
    features = graph.subjects(predicate=URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                              object=URIRef(SPEC + "Feature"))
    return [str(label) for f in features for label in graph.objects(f, RDFS.label)]


def test_init_creates_a_spec_that_is_closed(tmp_path):
    target = tmp_path / "specs" / "009-short-name"
    run = run_cli(["init", target])
    assert run.exit_code == 0, run.stderr
    names = sorted(p.name for p in target.iterdir())
    assert names == ["architecture.ttl", "entities.ttl", "feature.ttl", "plan.ttl"]
    check = run_cli([target])
    assert check.exit_code == 0, check.stdout
    assert check.stdout.splitlines()[-1].startswith("closure 100.0% (")
    assert "0 violations, 0 warnings" in check.stdout


def test_init_names_and_numbers_the_feature_from_the_folder(tmp_path):
    target = tmp_path / "009-short-name"
    assert run_cli(["init", target]).exit_code == 0
    query = "SELECT ?id ?label WHERE { ?f a spec:Feature ; spec:featureId ?id ; rdfs:label ?label }"
    run = run_cli(["query", target, query, "--format", "csv"])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == ["id,label", "009,Short Name"]
    # The folder's own namespace is named after it.
    assert "@prefix : <https://ggen.dev/specs/009-short-name#> ." in (target / "plan.ttl").read_text()


def test_title_option_is_escaped_for_turtle(tmp_path):
    target = tmp_path / "012-tricky"
    title = 'He said "fast" \\ then\nleft\ttwice'
    run = run_cli(["init", target, "--title", title])
    assert run.exit_code == 0, run.stderr
    assert _feature_labels(target) == [title]
    assert run_cli([target]).exit_code == 0


def test_second_init_refuses_and_leaves_the_folder_untouched(tmp_path):
    target = tmp_path / "009-short-name"
    assert run_cli(["init", target]).exit_code == 0
    (target / "notes.txt").write_text("mine")
    before = _snapshot(target)
    run = run_cli(["init", target, "--title", "Other"])
    assert run.exit_code == 2
    assert "already exists" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert _snapshot(target) == before


def test_init_refuses_an_existing_empty_folder(tmp_path):
    target = tmp_path / "009-empty"
    target.mkdir()
    run = run_cli(["init", target])
    assert run.exit_code == 2
    assert list(target.iterdir()) == []


def test_init_leaves_no_temporary_folder_behind(tmp_path):
    assert run_cli(["init", tmp_path / "009-a"]).exit_code == 0
    assert run_cli(["init", tmp_path / "009-a"]).exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["009-a"]


def test_badly_named_folder_is_refused(tmp_path):
    for name in ("short-name", "009", "009-", "009-with space", "009-bad/../x"):
        run = run_cli(["init", tmp_path / name])
        assert run.exit_code == 2, name
    assert list(tmp_path.iterdir()) == []


def test_empty_title_is_refused(tmp_path):
    run = run_cli(["init", tmp_path / "009-x", "--title", "  "])
    assert run.exit_code == 2
    assert not (tmp_path / "009-x").exists()


def test_init_output_is_the_same_wherever_it_is_made(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    for parent in (first, second):
        parent.mkdir()
        monkeypatch.chdir(parent)
        assert run_cli(["init", "specs/009-same"]).exit_code == 0
    assert _snapshot_bytes(first / "specs" / "009-same") == _snapshot_bytes(second / "specs" / "009-same")


def _snapshot_bytes(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_init_does_not_load_pyshacl(tmp_path):
    # init must stay instant: the SHACL engine is for checking only.
    script = ("import sys\nfrom spec_check.cli import main\n"
              "try:\n    main(['init', sys.argv[1]])\n"
              "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
              "print('pyshacl' in sys.modules, 'owlrl' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "009-quick")],
                          capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == "False False"
    assert (tmp_path / "009-quick" / "feature.ttl").is_file()


def test_the_commented_examples_keep_the_spec_closed_once_used(tmp_path):
    # The comments are the guide to growing the spec: following them must not break closure.
    import re

    target = tmp_path / "009-grow"
    assert run_cli(["init", target]).exit_code == 0
    uncommented = 0
    for path in target.glob("*.ttl"):
        text, count = re.subn(r"(?m)^# (:|    )", r"\1", path.read_text())
        path.write_text(text)
        uncommented += count
    assert uncommented >= 15
    plan, feature = target / "plan.ttl", target / "feature.ttl"
    plan.write_text(plan.read_text().replace("spec:hasTask ( :T001 ) .", "spec:hasTask ( :T001 :T002 ) ."))
    linked = "spec:hasUserStory :US1 ;\n    spec:hasRequirement :FR001 ."
    feature.write_text(feature.read_text().replace("spec:hasUserStory :US1 .", linked))
    run = run_cli([target])
    assert run.exit_code == 0, run.stdout
    assert run.stdout.splitlines()[-1].startswith("closure 100.0% (")
    query = "SELECT ?s WHERE { VALUES ?s { :T002 :FR001 :FirstConstraint } ?s a ?c }"
    names = run_cli(["query", target, query, "--format", "csv"]).stdout.splitlines()
    assert len(names) == 4
