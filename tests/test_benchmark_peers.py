# SPDX-License-Identifier: MIT
"""benchmarks/run.py's side-by-side runner is right about what each tool finds.

The runner times spec-check against pySHACL, shacl-rust, pyshifty, pyrudof, `shacl` and a
pyoxigraph-SPARQL script on the same checks; a timing means something only if every tool did
those checks. Here, on a small generated corpus, the runner runs every tool once as a real
process (the same commands it times) and each must find exactly what the runner's table says
it finds: the corpus's planted defects, or for pySHACL with shapes/*.ttl alone exactly their
SHACL half. No time is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_run"] = bench
_spec.loader.exec_module(bench)

PEERS = {"pyshacl", "pyshacl SHACL only", "shacl-rust", "pyshifty", "pyrudof", "shacl", "pyoxigraph limit"}


def _args(**overrides) -> argparse.Namespace:
    values = dict(user_skips=set(), no_default_skips=False, timeout=300.0, slow=60.0, jobs=1, seed=7,
                  argv=["--sizes", "1k"])
    values.update(overrides)
    return argparse.Namespace(**values)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    manifest = bench.generate.generate(root, 1_000, 1, 7, 1)
    return root, manifest


@pytest.fixture(scope="module")
def measured(small, tmp_path_factory):
    """Every tool, the baseline rows included (this tree as its own baseline), run once at 1k."""
    root, manifest = small
    work = tmp_path_factory.mktemp("work")
    tools = bench.tools(work, 1, ROOT / "src", ROOT / "src")
    outcomes = bench.measure_size("1k", root, manifest, tools, 1, work, _args(), {}, bench.ShapeRules(),
                                  bench.shacl_rule_ids())
    return tools, outcomes


def test_the_runner_runs_spec_check_every_peer_and_the_limit(measured):
    tools, _outcomes = measured
    names = {t.name for t in tools}
    assert PEERS <= names
    assert {"spec-check", "spec-check cached", "spec-check (baseline)", "spec-check (baseline) cached"} <= names


def test_every_tool_finds_what_the_runner_says_it_finds(measured, small):
    tools, outcomes = measured
    _root, manifest = small
    planted = len(manifest["expected_findings"])
    for tool in tools:
        outcome = outcomes[tool.name]
        assert outcome.status == "", (tool.name, outcome.status)
        assert outcome.ok, (tool.name, outcome.findings)
        assert len(outcome.runs) == 1 and outcome.runs[0].cpu > 0
        if tool.cached_of:
            assert outcome.findings == "report byte-identical to the uncached one"
        elif tool.expects == "shacl":
            assert outcome.findings.startswith(f"{planted // 2} of {planted} planted: only the SHACL half"), \
                outcome.findings
        else:
            assert outcome.findings.startswith(f"exactly the {planted} planted"), (tool.name, outcome.findings)


def test_the_sets_behind_the_verdicts(measured, small):
    """The verdict strings above rest on these sets: the planted set, and its SHACL half."""
    _tools, _outcomes = measured
    _root, manifest = small
    everything = bench.planted(manifest)
    half = bench.planted(manifest, bench.shacl_rule_ids())
    assert {rule for rule, _focus in everything - half} == {"unique-id", "dependency-cycle"}
    assert len(half) == len(everything) // 2


def test_a_tool_that_finds_something_else_is_a_mismatch(small):
    _root, manifest = small
    tool = bench.Tool("x", "", lambda root, out: [], None)
    planted = sorted(bench.planted(manifest))
    ok, text = bench.verdict(tool, planted[1:] + [("story-goal", "https://example.org/other")], manifest,
                             bench.shacl_rule_ids())
    assert not ok and text.startswith("MISMATCH")
    ok, _text = bench.verdict(tool, planted[1:], manifest, bench.shacl_rule_ids())
    assert not ok
    # A tool expected to find everything that finds only the SHACL half is not right either.
    half = sorted(bench.planted(manifest, bench.shacl_rule_ids()))
    ok, text = bench.verdict(tool, half, manifest, bench.shacl_rule_ids())
    assert not ok and "only the SHACL half" in text


def test_a_slow_tool_is_reported_as_timed_out_and_not_run_at_larger_sizes(small, tmp_path):
    root, manifest = small
    tools = [t for t in bench.tools(tmp_path, 1, ROOT / "src", None) if t.name == "pyshacl"]
    gone: dict[str, str] = {}
    outcomes = bench.measure_size("1k", root, manifest, tools, 2, tmp_path, _args(timeout=0.05), gone,
                                  bench.ShapeRules(), bench.shacl_rule_ids())
    assert outcomes["pyshacl"].status == "timed out after 0.05 s"
    assert outcomes["pyshacl"].runs == []
    assert gone == {"pyshacl": "not run (timed out at 1k)"}
    table = bench.report_text(_args(timeout=0.05), tools, [
        {"label": "1k", "written": manifest["triples"], "folders": 1, "reps": 2, "outcomes": outcomes,
         "load": ((0.5, 0.5, 0.5), (0.6, 0.6, 0.6))}], None, "2026-12-06 00:00 UTC")
    assert "| pyshacl | timed out after 0.05 s |" in table


def test_skipped_tools_are_named_as_skipped(small, tmp_path):
    root, manifest = small
    tools = [t for t in bench.tools(tmp_path, 1, ROOT / "src", None) if t.name in ("pyrudof", "shacl")]
    outcomes = bench.measure_size("1k", root, manifest, tools, 1, tmp_path, _args(user_skips={("pyrudof", "1k")}),
                                  {}, bench.ShapeRules(), bench.shacl_rule_ids())
    assert outcomes["pyrudof"].status == "skipped (--skip)" and outcomes["pyrudof"].runs == []
    assert outcomes["shacl"].status == "" and outcomes["shacl"].ok


def test_the_report_shows_every_tool_its_figures_and_findings(measured, small):
    tools, outcomes = measured
    _root, manifest = small
    text = bench.report_text(_args(), tools, [
        {"label": "1k", "written": manifest["triples"], "folders": 1, "reps": 1, "outcomes": outcomes,
         "load": ((0.5, 0.4, 0.3), (0.6, 0.5, 0.4))}], None, "2026-12-06 00:00 UTC")
    assert "started 2026-12-06 00:00 UTC" in text
    assert "| before | 0.50 / 0.40 / 0.30 |" in text
    for tool in tools:
        row = next(line for line in text.splitlines() if line.startswith(f"| {tool.name} | ") and " wall, " in line)
        assert " cpu" in row
    assert "| spec-check / pyoxigraph limit | " in text
    assert "| spec-check (baseline) / pyoxigraph limit | " in text
    assert text.count(f"exactly the {len(manifest['expected_findings'])} planted") >= len(PEERS) - 1


def test_the_limit_script_writes_rule_and_focus(small, tmp_path):
    root, manifest = small
    out = tmp_path / "limit.tsv"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import limit_pyoxigraph

    assert limit_pyoxigraph.main([str(root / "merged.ttl"), "--out", str(out)]) == 0
    rows = {tuple(line.split("\t")) for line in out.read_text(encoding="utf-8").splitlines()}
    assert rows == bench.planted(manifest)
    assert len(limit_pyoxigraph.QUERIES) == 10


def test_a_failing_tool_is_reported_and_the_run_goes_on(tmp_path):
    run = bench.run_once([sys.executable, "-c", "import sys; print('out of memory', file=sys.stderr); sys.exit(3)"],
                         tmp_path, bench._env(ROOT / "src"), keep_going=True)
    assert run.failed == "exit 3: out of memory"
    with pytest.raises(SystemExit):
        bench.run_once([sys.executable, "-c", "raise ValueError('x')"], tmp_path, bench._env(ROOT / "src"))
