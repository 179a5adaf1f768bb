# SPDX-License-Identifier: MIT
"""Benchmark spec-check against the pyshacl command line, side by side, and write RESULTS.md.

    python benchmarks/run.py --quick     # 1k and 10k triples: a few minutes
    python benchmarks/run.py             # 1k, 10k, 100k and 1M triples: about 20 minutes on 2 cores

For each corpus size the runner generates a synthetic corpus (benchmarks/generate.py,
cached under benchmarks/.corpora/), then runs, alternating within each repetition so
that the machine's noise hits every command alike:

* spec-check on the corpus's spec folders (whole process, --no-cache, JSON report);
* spec-check again on the unchanged corpus with its cache, as pre-commit runs it
  (`spec-check SPECS`, the report to /dev/null);
* the pyshacl command line on the same triples (every folder's files merged into one
  Turtle file, one process: pyshacl's best case), inference none, with
  - "all checks": shapes/*.ttl plus benchmarks/pyshacl-sparql-shapes.ttl, the checks
    spec-check runs as SPARQL or built-in rules written as SHACL-SPARQL, so that pySHACL
    finds the same violations as spec-check;
  - "SHACL shapes only": shapes/*.ttl as spec-check ships them (pySHACL then skips the
    rules that are not SHACL and finds only part of the violations).

It reports medians of wall time, the peak RSS of the largest process (os.wait4), and for
spec-check with several jobs the peak of the summed RSS of its process tree (sampled in a
separate run, so sampling never slows a timed one). Then it checks the results: spec-check's
findings must be exactly the corpus's planted defects, the cached report must equal the
uncached one, pySHACL with all checks must report exactly the planted defects too, and
pySHACL with SHACL shapes only exactly spec-check's findings of SHACL rules.
Not part of the test suite: nothing here asserts a time. Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import generate  # noqa: E402

SPEC_008 = ROOT / "specs" / "008-build-optimization-complete"
SPARQL_SHAPES = HERE / "pyshacl-sparql-shapes.ttl"
BENCH = "https://spec-check.dev/benchmark#"
# (triples, folders, repetitions)
QUICK = [(1_000, 1, 5), (10_000, 3, 5)]
FULL = [(1_000, 1, 5), (10_000, 3, 5), (100_000, 30, 3), (1_000_000, 300, 3)]


def _env(cwd: Path | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_COLOR"] = "1"
    # Each command's cache lives in its working folder (the default is the user's cache folder,
    # shared by every run: a benchmark must not answer one corpus from another's entries).
    env.pop("SPEC_CHECK_CACHE_DIR", None)
    if cwd is not None:
        env["SPEC_CHECK_CACHE_DIR"] = str(Path(cwd) / ".spec-check-cache")
    return env


def spec_check(*args) -> list[str]:
    return [sys.executable, "-m", "spec_check", *map(str, args)]


def pyshacl_cli() -> list[str]:
    exe = Path(sys.executable).with_name("pyshacl")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pyshacl"]


def run_once(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MiB of the largest process (the child or a descendant), exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=_env(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1) or "Traceback" in err:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss // 1024, proc.returncode


def tree_peak_rss(cmd: list[str], cwd: Path, interval: float = 0.05) -> int:
    """Peak of the summed RSS (MiB) of ``cmd`` and all its descendants, sampled from /proc."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=_env(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    page = os.sysconf("SC_PAGE_SIZE")

    def sample() -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
                rss[int(entry)] = int(fields[21]) * page
            except (OSError, IndexError, ValueError):
                continue
        tree, grew = {proc.pid}, True
        while grew:
            grew = False
            for pid, ppid in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        return sum(rss.get(p, 0) for p in tree)

    while proc.poll() is None:
        peak = max(peak, sample())
        time.sleep(interval)
    return peak // (1024 * 1024)


def corpus(triples: int, folders: int, seed: int) -> Path:
    """The generated corpus for these parameters (generated once, then reused)."""
    out = HERE / ".corpora" / f"{triples}-{folders}-s{seed}"
    manifest = out / "manifest.json"
    if not manifest.exists():
        per_kind = max(1, folders // 3)
        generate.generate(out, triples, folders, seed, per_kind)
    return out


def merged_shapes(workdir: Path, name: str, extra: list[Path]) -> Path:
    from spec_check.resources import shapes_files

    path = workdir / name
    path.write_text("\n".join(p.read_text(encoding="utf-8") for p in shapes_files() + extra), encoding="utf-8")
    return path


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(commands: dict[str, object], reps: int, cwd: Path) -> dict[str, dict]:
    """Run every command ``reps`` times, alternating; medians of time and peak RSS.

    A command is an argument list, or a function of the repetition number giving one.
    """
    times: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[int]] = {k: [] for k in commands}
    for rep in range(reps):
        for name, cmd in commands.items():
            t, r, _code = run_once(cmd(rep) if callable(cmd) else cmd, cwd)
            times[name].append(t)
            rss[name].append(r)
    return {k: {"median_s": median(times[k]), "times": times[k], "rss_mib": max(rss[k])} for k in commands}


# -- correctness -------------------------------------------------------------

def spec_check_findings(report: Path) -> list[dict]:
    return json.loads(report.read_text(encoding="utf-8"))["findings"]


def planted(manifest: dict) -> set[tuple[str, str]]:
    return {(e["rule_id"], e["focus_iri"]) for e in manifest["expected_findings"]}


def ours(manifest: dict, findings: list[dict], only: set[str] | None = None) -> set[tuple[str, str]]:
    found = set()
    for f in findings:
        if only is None or f["rule_id"] in only:
            ns = manifest["namespaces"][Path(f["folder"]).name]
            found.add((f["rule_id"], ns + f["focus"][1:]))
    return found


def planted_match(manifest: dict, findings: list[dict]) -> tuple[bool, str]:
    expected = {(e["folder"], e["rule_id"], e["focus"], e["value"]) for e in manifest["expected_findings"]}
    got = {(Path(f["folder"]).name, f["rule_id"], f["focus"], f["value"]) for f in findings}
    if expected == got:
        return True, f"exactly the {len(expected)} planted findings"
    return False, f"missing {sorted(expected - got)[:5]}, unexpected {sorted(got - expected)[:5]}"


def pyshacl_violations(report_ttl: Path) -> set[tuple[str, str]]:
    """(spec-check rule id, focus IRI) of every result in a pyshacl report."""
    from rdflib import Graph, Literal, URIRef

    from spec_check.rules import load_rules
    from spec_check.vocab import SH

    rules = load_rules()
    bench = Graph().parse(SPARQL_SHAPES, format="turtle")
    bench_rule = {s: str(o) for s, o in bench.subject_objects(URIRef(BENCH + "ruleId")) if isinstance(o, Literal)}
    report = Graph().parse(report_ttl, format="turtle")
    found = set()
    for result in report.subjects(SH.focusNode, None):
        source = report.value(result, SH.sourceShape)
        rule_id = bench_rule.get(source) or rules.node_of_shape(source)
        found.add((rule_id, str(report.value(result, SH.focusNode))))
    return found


def compare(name: str, theirs: set, wanted: set) -> tuple[bool, str]:
    if theirs == wanted:
        return True, f"{name}: same {len(wanted)} violations"
    return False, f"{name}: only theirs {sorted(theirs - wanted)[:4]}, only ours {sorted(wanted - theirs)[:4]}"


# -- the run -----------------------------------------------------------------

def fmt_s(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "—"
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only 1k and 10k triples")
    parser.add_argument("--reps", type=int, default=None, help="repetitions per command (default per size)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="spec-check --jobs (default: cores)")
    parser.add_argument("--pyshacl-max", type=int, default=100_000,
                        help="skip the pyshacl CLI above this many triples (it takes many minutes)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    rows: list[dict] = []
    checks: list[str] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="spec-check-bench-") as tmp:
        work = Path(tmp)
        full_shapes = merged_shapes(work, "all-checks.ttl", [SPARQL_SHAPES])
        core_shapes = merged_shapes(work, "shacl-shapes.ttl", [])

        # Small commands: startup cost, the example spec, render and init.
        merged_008 = work / "008.ttl"
        merged_008.write_text("\n".join(p.read_text(encoding="utf-8") for p in sorted(SPEC_008.glob("*.ttl"))),
                              encoding="utf-8")
        small = {
            "spec-check specs/008 --no-cache": spec_check(SPEC_008, "--no-cache"),
            "spec-check specs/008 (cached re-run)": spec_check(SPEC_008),
            "spec-check --version": spec_check("--version"),
            "spec-check rules": spec_check("rules"),
            "spec-check render specs/008 --out DIR": spec_check("render", SPEC_008, "--out", work / "rendered"),
            "spec-check init specs/NNN-name": lambda rep: spec_check("init", work / "init" / f"{100 + rep}-bench"),
            "python -c 'import rdflib, pyshacl'": [sys.executable, "-c", "import rdflib, pyshacl"],
            "pyshacl CLI on specs/008 (merged), SHACL shapes": pyshacl_cli() + [
                "-s", str(core_shapes), "-i", "none", "-f", "turtle", "-o", str(work / "008-report.ttl"),
                str(merged_008)],
        }
        cache_root = work / "cwd"
        cache_root.mkdir()
        run_once(spec_check(SPEC_008), cache_root)  # warm the cache for the cached row
        print("small commands ...", flush=True)
        small_results = measure(small, args.reps or 7, cache_root)

        for triples, folders, reps in sizes:
            reps = args.reps or reps
            root = corpus(triples, folders, args.seed)
            manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
            print(f"{triples} triples / {folders} folders ({manifest['triples']} written), {reps} reps ...", flush=True)
            cwd = work / f"cwd-{triples}"
            cwd.mkdir()
            cold_report = work / f"ours-{triples}.json"
            cold = spec_check(root / "specs", "--no-cache", "--jobs", args.jobs, "-f", "json", "-o", cold_report)
            warm = spec_check(root / "specs")  # as pre-commit runs it: no options (jobs default to the cores)
            commands: dict[str, object] = {"spec-check": cold, "spec-check cached": warm}
            with_pyshacl = triples <= args.pyshacl_max
            reports = {"pyshacl": work / f"pyshacl-{triples}.ttl", "pyshacl core": work / f"core-{triples}.ttl"}
            if with_pyshacl:
                for name, shapes in (("pyshacl", full_shapes), ("pyshacl core", core_shapes)):
                    commands[name] = pyshacl_cli() + ["-s", str(shapes), "-i", "none", "-f", "turtle",
                                                      "-o", str(reports[name]), str(root / "merged.ttl")]
            run_once(warm, cwd)  # fill the cache
            result = measure(commands, reps, cwd)
            tree = tree_peak_rss(cold, cwd) if args.jobs > 1 else result["spec-check"]["rss_mib"]

            findings = spec_check_findings(cold_report)
            ok, why = planted_match(manifest, findings)
            checks.append(f"- {triples:,} triples: spec-check finds {why}" + ("" if ok else " — MISMATCH"))
            warm_report = work / f"warm-{triples}.json"
            run_once(spec_check(root / "specs", "-f", "json", "-o", warm_report), cwd)
            same = warm_report.read_bytes() == cold_report.read_bytes()
            checks.append(f"- {triples:,} triples: the cached report is " + ("byte-identical to the uncached one"
                                                                          if same else "DIFFERENT — MISMATCH"))
            if with_pyshacl:
                from spec_check.rules import load_rules

                shacl_ids = {rid for rid, r in load_rules().rules.items() if r.kind == "shacl"}
                ok2, why2 = compare("pyshacl CLI, all checks, vs the planted defects",
                                    pyshacl_violations(reports["pyshacl"]), planted(manifest))
                ok3, why3 = compare("pyshacl CLI, SHACL shapes only, vs spec-check's SHACL-rule findings",
                                    pyshacl_violations(reports["pyshacl core"]), ours(manifest, findings, shacl_ids))
                checks.append(f"- {triples:,} triples: {why2}" + ("" if ok2 else " — MISMATCH"))
                checks.append(f"- {triples:,} triples: {why3}" + ("" if ok3 else " — MISMATCH"))
            rows.append({"triples": triples, "written": manifest["triples"], "folders": folders, "reps": reps,
                         "result": result, "tree_rss": tree})
    load_after = os.getloadavg()[0]
    text = report_text(args, rows, small_results, checks, started, (load_before, load_after))
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all("MISMATCH" not in c for c in checks) else 1


def report_text(args, rows, small_results, checks, started, load) -> str:
    def cell(row, name, memory=False):
        r = row["result"].get(name)
        if r is None:
            return "not run"
        return f"{fmt_s(r['median_s'])}, {r['rss_mib']} MiB" if memory else fmt_s(r["median_s"])

    def ratio(row, name):
        r = row["result"].get(name)
        return f"{r['median_s'] / row['result']['spec-check']['median_s']:.1f}x" if r else "—"

    out = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py{' --quick' if args.quick else ''}` on this machine, started "
        f"{started}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}; load average {load[0]:.2f} before, {load[1]:.2f} after; spec-check --jobs {args.jobs}. "
        "Whole-process wall-clock medians; commands alternate within each repetition. The machine is shared "
        "and noisy: compare ratios within one run, not across runs.",
        "",
        "## Synthetic corpora (benchmarks/generate.py, seed %d)" % args.seed,
        "",
        "| work | " + " | ".join(f"{r['triples'] // 1000}k triples ({r['folders']} folders)" for r in rows) + " |",
        "|---|" + "---|" * len(rows),
        "| `spec-check --no-cache` | " + " | ".join(
            f"{fmt_s(r['result']['spec-check']['median_s'])}, {r['tree_rss']} MiB" for r in rows) + " |",
        "| `spec-check` re-run, unchanged corpus (cache) | " + " | ".join(
            cell(r, "spec-check cached") for r in rows) + " |",
        "| `pyshacl` CLI, all checks (SHACL + SHACL-SPARQL), inference none | " + " | ".join(
            cell(r, "pyshacl", memory=True) for r in rows) + " |",
        "| ratio pyshacl all checks / spec-check | " + " | ".join(ratio(r, "pyshacl") for r in rows) + " |",
        "| `pyshacl` CLI, SHACL shapes only (finds part of the violations) | " + " | ".join(
            cell(r, "pyshacl core", memory=True) for r in rows) + " |",
        "| ratio pyshacl SHACL only / spec-check | " + " | ".join(ratio(r, "pyshacl core") for r in rows) + " |",
        "| triples written | " + " | ".join(f"{r['written']:,}" for r in rows) + " |",
        "| repetitions | " + " | ".join(str(r["reps"]) for r in rows) + " |",
        "",
        "Memory: spec-check's figure is the peak of the summed RSS of its process tree (all jobs); "
        "pyshacl's the peak RSS of its one process. The cached re-run is `spec-check SPECS` as pre-commit "
        "runs it; the uncached run writes the JSON report that the checks below read.",
    ]
    by_size = {r["triples"]: r for r in rows}
    if 100_000 in by_size and 1_000_000 in by_size:
        growth = by_size[1_000_000]["result"]["spec-check"]["median_s"] / by_size[100_000]["result"]["spec-check"]["median_s"]
        out += ["", f"Growth: 1M triples took {growth:.1f}x the time of 100k."]
    out += ["", "## Startup, the example spec, render and init", "",
            "| command | median | runs | peak RSS |", "|---|---|---|---|"]
    for name, r in small_results.items():
        out.append(f"| `{name}` | {fmt_s(r['median_s'])} | {len(r['times'])} | {r['rss_mib']} MiB |")
    out += ["", "## Same findings", "", *checks, "", "## Raw times (seconds), in run order", ""]
    for r in rows:
        for name, res in r["result"].items():
            out.append(f"- {r['triples']:,} {name}: " + ", ".join(f"{t:.3f}" for t in res["times"]))
    for name, res in small_results.items():
        out.append(f"- {name}: " + ", ".join(f"{t:.3f}" for t in res["times"]))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
