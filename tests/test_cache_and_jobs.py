# SPDX-License-Identifier: MIT
"""The result cache never serves a stale result; --jobs never changes the report; fast paths match Typer's."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SPEC_008, run_cli

from spec_check.api import CheckOptions, SpecCheck
from spec_check.cache import folder_key

_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_generate", generate)
_spec.loader.exec_module(generate)

EXTRA_SHAPE = """@prefix sc: <https://spec-check.dev/ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix spec: <https://ggen.dev/spec#> .
sc:TaskStatusShape a sh:NodeShape ;
    sc:ruleId "task-status" ;
    sh:targetClass spec:Task ;
    sh:property [ sh:path spec:status ; sh:in ( {allowed} ) ] ;
    sh:severity sh:Warning ;
    sh:message "task {{this}} has an unknown status" .
"""


@pytest.fixture
def spec(tmp_path) -> Path:
    target = tmp_path / "008"
    shutil.copytree(SPEC_008, target)
    return target


def cached(args, cache: Path):
    return run_cli([*args, "--format", "json"], env={"SPEC_CHECK_CACHE_DIR": str(cache)})


def test_rerun_is_served_from_the_cache_and_identical(spec, tmp_path):
    cache = tmp_path / "cache"
    first = cached([spec], cache)
    entries = sorted((cache / "folders").glob("*.json"))
    assert len(entries) == 1
    stamp = entries[0].stat().st_mtime_ns
    second = cached([spec], cache)
    assert second.stdout == first.stdout and second.exit_code == first.exit_code == 0
    assert entries[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_a_changed_data_file_is_never_a_stale_hit(spec, tmp_path):
    cache = tmp_path / "cache"
    assert cached([spec], cache).exit_code == 0
    plan = spec / "plan.ttl"
    # Same length, same mtime: only the content tells the change.
    text = plan.read_text(encoding="utf-8")
    stat = plan.stat()
    changed = text.replace('spec:taskId "T002"', 'spec:taskId "T001"', 1)
    assert len(changed) == len(text) and changed != text
    plan.write_text(changed, encoding="utf-8")
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    run = cached([spec], cache)
    assert run.exit_code == 1
    assert "unique-id" in json.loads(run.stdout)["rules"]
    plan.write_text(text, encoding="utf-8")  # and back: the old entry is right again
    assert cached([spec], cache).exit_code == 0


def test_an_added_file_is_never_a_stale_hit(spec, tmp_path):
    cache = tmp_path / "cache"
    assert cached([spec], cache).exit_code == 0
    (spec / "extra.ttl").write_text("@prefix spec: <https://ggen.dev/spec#> .\n"
                                    "<https://ggen.dev/specs/008-build-optimization-complete#Ghost> a spec:Task .\n",
                                    encoding="utf-8")
    assert cached([spec], cache).exit_code == 1


def test_a_changed_shapes_file_is_never_a_stale_hit(spec, tmp_path):
    shapes = tmp_path / "extra-shapes.ttl"
    options = CheckOptions(extra_shapes=(shapes,), cache_dir=tmp_path / "cache")
    shapes.write_text(EXTRA_SHAPE.format(allowed='"done" "todo" "in-progress"'), encoding="utf-8")
    before = SpecCheck(options).check([spec])
    shapes.write_text(EXTRA_SHAPE.format(allowed='"nothing-matches"'), encoding="utf-8")
    after = SpecCheck(options).check([spec])
    assert not [f for f in before.findings if f.rule_id == "task-status"]
    assert [f for f in after.findings if f.rule_id == "task-status"]
    assert "task-status" in {r.rule_id for r in after.rules}


def test_every_input_of_the_key_changes_it(tmp_path):
    data = tmp_path / "a.ttl"
    data.write_text("x", encoding="utf-8")
    other = tmp_path / "b.ttl"
    other.write_text("y", encoding="utf-8")
    base = dict(rules="r", ontology="o", options="opt", folder_display="f", files=[("a.ttl", data)])
    variants = [dict(base, rules="r2"), dict(base, ontology="o2"), dict(base, options="opt2"),
                dict(base, folder_display="g"), dict(base, files=[("a.ttl", other)]),
                dict(base, files=[("c.ttl", data)]), dict(base, files=[("a.ttl", data), ("b.ttl", other)])]
    keys = {folder_key(**base)} | {folder_key(**v) for v in variants}
    assert len(keys) == 1 + len(variants)
    assert folder_key(**base) == folder_key(**dict(base))
    # Options that only say how to run are left out of the key; the ones that change findings are in it.
    assert CheckOptions(jobs=4, cache_dir=tmp_path).result_key() == CheckOptions().result_key()
    assert CheckOptions(inference="owlrl").result_key() != CheckOptions().result_key()


def test_a_damaged_entry_is_a_miss(spec, tmp_path):
    cache = tmp_path / "cache"
    first = cached([spec], cache)
    for entry in (cache / "folders").glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert cached([spec], cache).stdout == first.stdout


def test_an_unusable_cache_folder_is_ignored(spec, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    run = cached([spec], blocker)
    assert run.exit_code == 0, run.stderr
    assert blocker.read_text(encoding="utf-8") == ""


def test_no_cache_writes_nothing(spec, tmp_path):
    cache = tmp_path / "cache"
    run = run_cli([spec, "--no-cache"], env={"SPEC_CHECK_CACHE_DIR": str(cache)})
    assert run.exit_code == 0
    assert not cache.exists()


def test_jobs_do_not_change_the_report(tmp_path):
    generate.generate(tmp_path, triples=1_500, folders=3, seed=2)
    reports = {jobs: run_cli([tmp_path / "specs", "--no-cache", "--jobs", jobs, "--format", "json"]).stdout
               for jobs in (1, 2, 3)}
    assert reports[1] == reports[2] == reports[3]
    assert len(json.loads(reports[1])["folders"]) == 3


def _main_output(capsys, args) -> tuple[int, str]:
    from spec_check.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(args)
    return exit_.value.code, capsys.readouterr().out


CROSS = ROOT / "tests" / "ci" / "cross"


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rules", "story-goal"],
                                  [str(SPEC_008)], ["check", str(SPEC_008)],
                                  [str(CROSS), str(SPEC_008)],
                                  [str(ROOT / "tests" / "dialects" / "parse-list-comma")],
                                  ["check", str(ROOT / "tests" / "ci" / "no-such-folder")],
                                  # check with the options the fast path takes (issue 19) ...
                                  ["check", str(SPEC_008), "--no-cache", "-f", "json"],
                                  [str(SPEC_008), "--format=sarif", "-q", "--jobs", "2", "--no-cache"],
                                  ["check", "--engine", "pyshacl", str(CROSS), "--no-color", "-j", "1",
                                   "-f", "text"],
                                  ["check", str(CROSS), "--quiet", "--format", "github", "--jobs=2"],
                                  ["check", str(ROOT / "tests" / "ci" / "no-such-folder"), "--no-cache",
                                   "-f", "json"],
                                  # ... and what it leaves to Typer, which reports the problem.
                                  ["check", str(SPEC_008), "-f", "yaml"], ["check", str(SPEC_008), "-j", "0"],
                                  ["check", str(SPEC_008), "-q", "--quiet"], ["check", str(SPEC_008), "-f=json"],
                                  ["check", str(SPEC_008), "--no-cache=yes"], ["check", str(SPEC_008), "-f"]])
def test_fast_paths_print_what_typer_prints(capsys, monkeypatch, tmp_path, args):
    monkeypatch.setenv("SPEC_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    code, out = _main_output(capsys, args)
    typer_run = run_cli(args)
    assert (code, out) == (typer_run.exit_code, typer_run.stdout)


def test_check_options_fast_path_writes_what_typer_writes(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SPEC_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    fast, slow = tmp_path / "fast.json", tmp_path / "slow.json"
    code, _ = _main_output(capsys, ["check", str(CROSS), "--no-cache", "-f", "json", "-o", str(fast)])
    run = run_cli(["check", str(CROSS), "--no-cache", "-f", "json", "-o", str(slow)])
    assert code == run.exit_code
    assert fast.read_bytes() == slow.read_bytes()
    assert json.loads(fast.read_text())["folders"]


def test_check_with_common_options_does_not_import_pydantic(tmp_path):
    # The point of the fast path: Typer's option parsing imports pydantic (~0.1 s).
    env = dict(os.environ, SPEC_CHECK_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    probe = ("import sys\nfrom spec_check.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n"
             "    pass\nprint('pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe, str(SPEC_008), "--no-cache", "-f", "json", "-o",
                          str(tmp_path / "r.json"), "-j", "1"], env=env, check=True, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
    assert json.loads((tmp_path / "r.json").read_text())["folders"]


def test_rules_and_version_do_not_import_rdflib_or_pyshacl(tmp_path):
    env = dict(os.environ, SPEC_CHECK_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    probe = ("import sys\nfrom spec_check.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'pyshacl', 'owlrl'}))")
    subprocess.run([sys.executable, "-c", probe, "rules"], env=env, check=True, capture_output=True)  # fills the cache
    for args in (["--version"], ["rules"], ["rules", "task-phase"]):
        out = subprocess.run([sys.executable, "-c", probe, *args], env=env, check=True,
                             capture_output=True, text=True).stdout
        assert out.strip().splitlines()[-1] == "[]", (args, out)


def test_cross_folder_references_are_the_same_for_any_jobs_and_cache(tmp_path):
    target = tmp_path / "cross"
    shutil.copytree(CROSS, target)
    cache = tmp_path / "cache"
    runs = [run_cli([target, "--no-cache", "--jobs", 1, "--format", "json"]),
            run_cli([target, "--no-cache", "--jobs", 2, "--format", "json"]),
            cached([target], cache), cached([target], cache)]
    assert len({r.stdout for r in runs}) == 1
    findings = {(f["rule_id"], f["value"]) for f in json.loads(runs[0].stdout)["findings"]}
    assert ("reference-defined", ":FeatureA") not in findings  # resolved by folder a


def test_a_change_in_another_folder_is_never_a_stale_hit(tmp_path):
    target = tmp_path / "cross"
    shutil.copytree(CROSS, target)
    cache = tmp_path / "cache"
    before = {(f["rule_id"], f["value"]) for f in json.loads(cached([target], cache).stdout)["findings"]}
    assert ("reference-defined", ":FeatureA") not in before
    # Folder b is unchanged (its own cache entry is still valid), but what it refers to is gone.
    feature_a = target / "a" / "feature.ttl"
    feature_a.write_text(feature_a.read_text(encoding="utf-8").replace(":FeatureA a", ":FeatureZ a"),
                         encoding="utf-8")
    after = {(f["rule_id"], f["value"]) for f in json.loads(cached([target], cache).stdout)["findings"]}
    assert ("reference-defined", ":FeatureA") in after
    fresh = run_cli([target, "--no-cache", "--format", "json"]).stdout
    assert cached([target], cache).stdout == fresh


def test_an_unchanged_run_is_answered_by_its_run_entry_alone(tmp_path):
    target = tmp_path / "cross"
    shutil.copytree(CROSS, target)
    cache = tmp_path / "cache"
    first = cached([target], cache)
    assert len(list((cache / "runs").glob("*.json"))) == 1
    for entry in (cache / "folders").glob("*.json"):
        entry.unlink()
    assert cached([target], cache).stdout == first.stdout
    assert not list((cache / "folders").glob("*.json"))  # nothing was checked again
    # Another set of folders is another run: checked (or taken per folder), never this run's result.
    only_a = cached([target / "a"], cache)
    assert only_a.stdout == run_cli([target / "a", "--no-cache", "--format", "json"]).stdout
    assert len(list((cache / "runs").glob("*.json"))) == 2


def test_a_changed_gate_file_is_never_a_stale_hit(spec, tmp_path):
    gate = tmp_path / "gates" / "task-has-status.rq"
    gate.parent.mkdir()
    query = ("# Gate: every task states its status\n# MESSAGE: task {{task}} has no status\n# SEVERITY: warning\n"
             "SELECT ?task WHERE {{ ?task a spec:Task . FILTER NOT EXISTS {{ ?task spec:{predicate} ?s }} }}\n")
    options = CheckOptions(extra_rules=(gate.parent,), cache_dir=tmp_path / "cache")
    gate.write_text(query.format(predicate="status"), encoding="utf-8")
    before = SpecCheck(options).check([spec])
    gate.write_text(query.format(predicate="noSuchProperty"), encoding="utf-8")
    after = SpecCheck(options).check([spec])
    assert not [f for f in before.findings if f.rule_id == "task-has-status"]
    assert [f for f in after.findings if f.rule_id == "task-has-status"]


def test_a_timed_out_result_is_never_cached(spec, tmp_path):
    cache = tmp_path / "cache"
    run = run_cli([spec, "--timeout", "0.001", "--format", "json"], env={"SPEC_CHECK_CACHE_DIR": str(cache)})
    assert "timeout" in json.loads(run.stdout)["rules"]
    assert not list((cache / "folders").glob("*.json")) if (cache / "folders").exists() else True
    assert not list((cache / "runs").glob("*.json")) if (cache / "runs").exists() else True
    assert cached([spec], cache).exit_code == 0  # no limit now: checked, not served the timeout


def test_a_result_cached_without_a_limit_never_answers_a_run_with_one(spec, tmp_path):
    # Same command, same data: whether --timeout fires must not depend on a warm cache.
    cache = tmp_path / "cache"
    assert cached([spec], cache).exit_code == 0
    run = run_cli([spec, "--timeout", "0.001", "--format", "json"], env={"SPEC_CHECK_CACHE_DIR": str(cache)})
    assert "timeout" in json.loads(run.stdout)["rules"]


def test_a_folder_is_checked_with_the_cycle_collector_off_and_it_is_restored_after(monkeypatch):
    import gc

    from spec_check import api

    seen = []
    original = api.SpecCheck._check_one_folder

    def recording(self, folder, elsewhere):
        seen.append(gc.isenabled())
        return original(self, folder, elsewhere)

    monkeypatch.setattr(api.SpecCheck, "_check_one_folder", recording)
    assert gc.isenabled()
    result = SpecCheck(CheckOptions()).check([SPEC_008])
    assert seen == [False] and gc.isenabled() and result.folders[0].checks_applied > 0
    gc.disable()  # an embedding program that turned it off keeps it off
    try:
        SpecCheck(CheckOptions()).check([SPEC_008])
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()
