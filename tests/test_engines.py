# SPDX-License-Identifier: MIT
"""The engines' differential test: `--engine native` gives exactly the results of `--engine pyshacl`.

pySHACL (with rdflib's SPARQL for sc:SparqlRule) is the reference; the native engine
(validate/native.py) must agree on every folder we have: the example spec, every
test case folder, the rules' own passing and failing examples, the real-world
corpus, a synthetic benchmark corpus with every planted defect, and a shapes file
using SHACL features our closure shapes do not (including ones left to pySHACL).
Agreement is the whole FolderResult: findings (rule, focus, value, file, line,
message) and the closure score's counts.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import CASES, ROOT, SPEC_008, run_cli

from spec_check.api import CheckOptions, SpecCheck
from spec_check.cache import rule_catalogue
from spec_check.model import InferenceMode
from spec_check.validate.native import compiled

HERE = Path(__file__).resolve().parent
FEATURE_SHAPES = HERE / "engines" / "shapes-features.ttl"
FEATURE_DATA = HERE / "engines" / "data"

_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_generate", generate)
_spec.loader.exec_module(generate)

EXAMPLE_PREFIXES = """@prefix spec: <https://ggen.dev/spec#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <https://example.org/rule-example#> .
"""


def assert_same(paths: list[Path], extra_shapes: tuple[Path, ...] = (), inference: str = "none") -> int:
    """Check ``paths`` with both engines; identical results. Returns the number of findings."""
    results = {engine: SpecCheck(CheckOptions(engine=engine, extra_shapes=extra_shapes,
                                              inference=InferenceMode(inference))).check(paths)
               for engine in ("pyshacl", "native")}
    reference, native = results["pyshacl"], results["native"]
    assert [f.path for f in native.folders] == [f.path for f in reference.folders]
    for ours, theirs in zip(native.folders, reference.folders):
        missing = sorted(set(theirs.findings) - set(ours.findings))
        extra = sorted(set(ours.findings) - set(theirs.findings))
        assert not missing and not extra, (ours.path, missing[:3], extra[:3])
        assert ours == theirs, ours.path
    return len(reference.findings)


def test_example_spec():
    assert_same([SPEC_008])


@pytest.mark.parametrize("case", sorted(p for p in CASES.glob("*") if (p / "case.toml").is_file())
                         if CASES.is_dir() else [], ids=lambda p: p.name)
def test_every_test_case(case, tmp_path):
    from test_cases import assemble, read_case  # the case suite's own assembler (tests/cases/README.md)

    data = read_case(case)
    folder = assemble(case, data, tmp_path)
    options = {}
    args = list(data.get("args", []))
    if "--inference" in args:
        options["inference"] = args[args.index("--inference") + 1]
    assert_same([folder], **options)


# Every folder of test data the other suites use (dialects, CI, render, ...), as its own spec folder.
DATA_FOLDERS = sorted({p.parent for p in (ROOT / "tests").rglob("*.ttl")
                       if "engines" not in p.relative_to(ROOT / "tests").parts})


@pytest.mark.parametrize("folder", DATA_FOLDERS, ids=lambda p: p.relative_to(ROOT / "tests").as_posix())
def test_every_test_data_folder(folder):
    assert_same([folder])


def test_gate_rules_run_the_same(tmp_path):
    gates = ROOT / "tests" / "dialects" / "gate-rules"
    if not gates.is_dir():
        pytest.skip("no gate rules in this checkout")
    results = {e: SpecCheck(CheckOptions(engine=e, extra_rules=(gates,))).check([SPEC_008]) for e in ("native", "pyshacl")}
    assert results["native"].folders == results["pyshacl"].folders


def test_rule_examples(tmp_path):
    folders = []
    for rule in rule_catalogue():
        for kind, text in (("pass", rule.passing_example), ("fail", rule.failing_example)):
            if text:
                folder = tmp_path / f"{rule.rule_id}-{kind}"
                folder.mkdir()
                (folder / "example.ttl").write_text(EXAMPLE_PREFIXES + text + "\n", encoding="utf-8")
                folders.append(folder)
    assert folders
    assert_same(folders)


def test_real_world_corpus(corpus):
    assert assert_same([corpus]) > 0


def test_synthetic_corpus(tmp_path):
    generate.generate(tmp_path, triples=2_000, folders=2, seed=4)
    assert assert_same([tmp_path / "specs"]) > 0


def test_shapes_beyond_the_closure_rules():
    assert compiled(SpecCheck(CheckOptions(extra_shapes=(FEATURE_SHAPES,))).rules).fallback_graph is not None
    found = SpecCheck(CheckOptions(extra_shapes=(FEATURE_SHAPES,))).check([FEATURE_DATA]).findings
    # Every feature shape fires on the data, so agreement below is about real results.
    fired = {f.rule_id for f in found if f.rule_id.startswith("x-")}
    assert fired == {"x-target-node", "x-objects-of", "x-reachable", "x-named", "x-logic", "x-nested",
                     "x-in-list", "x-datatype"}
    assert_same([FEATURE_DATA], extra_shapes=(FEATURE_SHAPES,))


def test_closure_shapes_need_no_pyshacl():
    # All built-in shapes run natively: pySHACL is the fallback for user shapes only.
    assert compiled(SpecCheck().rules).fallback_graph is None


def test_engine_option_reports_the_same(tmp_path):
    generate.generate(tmp_path, triples=1_200, folders=1, seed=9)
    runs = [run_cli([tmp_path / "specs", "--no-cache", "--engine", e, "--format", "json"]) for e in ("native", "pyshacl")]
    assert runs[0].exit_code == runs[1].exit_code == 1
    assert runs[0].stdout == runs[1].stdout


CORE = HERE / "engines" / "core-components"
# SHACL core's constraint components (https://www.w3.org/TR/shacl/#core-components) that report results.
CORE_COMPONENTS = {
    "Class", "Datatype", "NodeKind", "MinCount", "MaxCount", "MinExclusive", "MinInclusive", "MaxExclusive",
    "MaxInclusive", "MinLength", "MaxLength", "Pattern", "LanguageIn", "UniqueLang", "Equals", "Disjoint",
    "LessThan", "LessThanOrEquals", "Not", "And", "Or", "Xone", "Node", "QualifiedMinCount",
    "QualifiedMaxCount", "Closed", "HasValue", "In",
}


def test_every_core_component_and_path_form():
    """Both engines on shapes using every SHACL-core component and path form, with and without ids,
    nested, shared and deactivated: the same results, and each component fires."""
    from rdflib import Graph

    from spec_check.validate.native import CompiledShapes, engine_results
    from spec_check.validate.shacl import pyshacl_results

    shapes = Graph().parse(CORE / "shapes.ttl", format="turtle")
    data = Graph().parse(CORE / "data" / "items.ttl", format="turtle")
    compiled_shapes = CompiledShapes(shapes)
    native = set(engine_results(compiled_shapes, data))
    reference = set(pyshacl_results(data, shapes))
    assert native == reference
    fired = {str(r.component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent") for r in reference}
    assert fired == CORE_COMPONENTS
    # The native engine really runs the shapes it implements (not everything handed to pySHACL) ...
    ex = "https://example.org/core#"
    assert {str(s) for s in compiled_shapes.native} == {ex + "Paths", ex + "ItemNames", ex + "KindNames",
                                                           ex + "Targets", ex + "NativeLogic"}
    # ... and the findings (rule ids, derived ones included; severities; scores) agree too.
    assert assert_same([CORE / "data"], extra_shapes=(CORE / "shapes.ttl",)) > 0
    found = SpecCheck(CheckOptions(extra_shapes=(CORE / "shapes.ttl",))).check([CORE / "data"])
    assert not any(f.rule_id == "c-off" for f in found.findings)  # deactivated
    severities = {(f.rule_id, f.severity.value) for f in found.findings}
    assert {("c-item-names", "warning"), ("c-kind-names", "warning"), ("Kind", "info"), ("Pairs", "violation")} <= severities
