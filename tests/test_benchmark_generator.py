# SPDX-License-Identifier: MIT
"""The benchmark generator's planted defects are exactly what spec-check reports.

A small corpus (three folders, every defect kind planted) keeps this fast; the
benchmark runner makes the same comparison on its big corpora.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
sys.modules["bench_generate"] = generate
_spec.loader.exec_module(generate)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus")
    manifest = generate.generate(out, triples=1_800, folders=3, seed=11, defects_per_kind=2)
    return out, manifest


def _findings(corpus: Path) -> set[tuple]:
    run = run_cli([corpus / "specs", "--no-cache", "--format", "json"])
    assert run.exit_code == 1, run.stderr
    return {(Path(f["folder"]).name, f["rule_id"], f["focus"], f["value"])
            for f in json.loads(run.stdout)["findings"]}


def test_every_defect_kind_is_planted(small_corpus):
    _out, manifest = small_corpus
    kinds = {e["kind"] for e in manifest["expected_findings"]}
    assert kinds == set(generate.DEFECT_KINDS)


def test_planted_defects_are_exactly_the_findings(small_corpus):
    out, manifest = small_corpus
    expected = {(e["folder"], e["rule_id"], e["focus"], e["value"]) for e in manifest["expected_findings"]}
    assert _findings(out) == expected


def test_a_clean_corpus_is_closed(tmp_path):
    generate.generate(tmp_path, triples=1_000, folders=1, seed=3, defects_per_kind=0)
    run = run_cli([tmp_path / "specs", "--no-cache"])
    assert run.exit_code == 0, run.stdout
    assert "closure 100.0%" in run.stdout


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    def files(seed: int, name: str) -> dict[str, bytes]:
        out = tmp_path / name
        generate.generate(out, triples=1_000, folders=2, seed=seed)
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    first, again, other = files(5, "a"), files(5, "b"), files(6, "c")
    assert first == again
    assert first != other


def test_size_is_about_what_was_asked(tmp_path):
    manifest = generate.generate(tmp_path, triples=5_000, folders=2, seed=1)
    assert 0.85 * 5_000 <= manifest["triples"] <= 1.15 * 5_000
    assert len(list((tmp_path / "specs").iterdir())) == 2


def test_pyshacl_with_the_benchmark_shapes_finds_exactly_the_planted_defects(small_corpus):
    """benchmarks/run.py times the pyshacl command line doing the same checks as spec-check:
    shapes/*.ttl plus benchmarks/pyshacl-sparql-shapes.ttl must find the same violations."""
    import pyshacl
    from rdflib import Graph, Literal, URIRef

    from spec_check.resources import shapes_files
    from spec_check.rules import load_rules
    from spec_check.vocab import SH

    out, manifest = small_corpus
    bench_file = ROOT / "benchmarks" / "pyshacl-sparql-shapes.ttl"
    shapes = Graph()
    for path in [*shapes_files(), bench_file]:
        shapes.parse(path, format="turtle")
    bench_rule = {s: str(o) for s, o in shapes.subject_objects(URIRef("https://spec-check.dev/benchmark#ruleId"))
                  if isinstance(o, Literal)}
    rules = load_rules()
    _conforms, report, _text = pyshacl.validate(Graph().parse(out / "merged.ttl", format="turtle"),
                                                shacl_graph=shapes, inference="none")
    found = {(bench_rule.get(report.value(r, SH.sourceShape)) or rules.node_of_shape(report.value(r, SH.sourceShape)),
              str(report.value(r, SH.focusNode))) for r in report.subjects(SH.focusNode, None)}
    assert found == {(e["rule_id"], e["focus_iri"]) for e in manifest["expected_findings"]}
