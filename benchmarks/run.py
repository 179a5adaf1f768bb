# SPDX-License-Identifier: MIT
"""Benchmark spec-check against the pyshacl command line, side by side, and write RESULTS.md.

    python benchmarks/run.py --quick     # 1k and 10k triples, a minute or two
    python benchmarks/run.py             # 1k, 10k, 100k and 1M triples (long: pyshacl at 100k takes minutes)

For each corpus size the runner generates a synthetic corpus (benchmarks/generate.py,
cached under benchmarks/.corpora/), then runs, alternating within each repetition so
that the machine's noise hits every command alike:

* spec-check on the corpus's spec folders (whole process, --no-cache);
* spec-check again on the unchanged corpus with its cache (the pre-commit re-run);
* the pyshacl command line on the same triples (every folder's files merged into one
  Turtle file, one process: pyshacl's best case) with the same shapes (shapes/*.ttl
  merged into one file), inference none.

It reports medians of wall time, the peak RSS of the largest process (os.wait4), and for
spec-check with several jobs the peak of the summed RSS of its process tree (sampled in a
separate run, so sampling never slows a timed one). It then checks the results:
spec-check's findings must be exactly the corpus's planted defects, and pySHACL's
violations (mapped to rule ids) exactly spec-check's findings of SHACL rules.
Not part of the test suite: nothing here asserts a time.
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
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import generate  # noqa: E402

SPEC_008 = ROOT / "specs" / "008-build-optimization-complete"
QUICK = [(1_000, 1, 5), (10_000, 3, 5)]
FULL = [(1_000, 1, 5), (10_000, 3, 5), (100_000, 30, 3), (1_000_000, 300, 1)]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_COLOR"] = "1"
    return env


def spec_check(*args) -> list[str]:
    return [sys.executable, "-m", "spec_check", *map(str, args)]


def pyshacl_cli() -> list[str]:
    exe = Path(sys.executable).with_name("pyshacl")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pyshacl"]


def run_once(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MiB of the largest process (the child or a descendant), exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1) or "Traceback" in err:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss // 1024, proc.returncode


def tree_peak_rss(cmd: list[str], cwd: Path, interval: float = 0.05) -> int:
    """Peak of the summed RSS (MiB) of ``cmd`` and all its descendants, sampled from /proc."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def merged_shapes(workdir: Path) -> Path:
    from spec_check.resources import shapes_files

    path = workdir / "shapes.ttl"
    path.write_text("\n".join(p.read_text(encoding="utf-8") for p in shapes_files()), encoding="utf-8")
    return path


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(commands: dict[str, list[str]], reps: int, cwd: Path) -> dict[str, dict]:
    """Run every command ``reps`` times, alternating; medians of time and peak RSS."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[int]] = {k: [] for k in commands}
    for _ in range(reps):
        for name, cmd in commands.items():
            t, r, _code = run_once(cmd, cwd)
            times[name].append(t)
            rss[name].append(r)
    return {k: {"median_s": median(times[k]), "times": times[k], "rss_mib": max(rss[k])} for k in commands}


# -- correctness -------------------------------------------------------------

def spec_check_findings(report: Path) -> list[dict]:
    return json.loads(report.read_text(encoding="utf-8"))["findings"]


def planted_match(manifest: dict, findings: list[dict]) -> tuple[bool, str]:
    expected = {(e["folder"], e["rule_id"], e["focus"], e["value"]) for e in manifest["expected_findings"]}
    got = {(Path(f["folder"]).name, f["rule_id"], f["focus"], f["value"]) for f in findings}
    if expected == got:
        return True, f"exactly the {len(expected)} planted findings"
    return False, f"missing {sorted(expected - got)[:5]}, unexpected {sorted(got - expected)[:5]}"


def pyshacl_match(manifest: dict, findings: list[dict], report_ttl: Path) -> tuple[bool, str]:
    """pySHACL's violations, by rule id and focus IRI, against spec-check's SHACL-rule findings."""
    from rdflib import Graph

    from spec_check.rules import load_rules
    from spec_check.vocab import SH

    rules = load_rules()
    shacl_ids = {rid for rid, r in rules.rules.items() if r.kind == "shacl"}
    report = Graph().parse(report_ttl, format="turtle")
    theirs = set()
    for result in report.subjects(SH.focusNode, None):
        rid = rules.node_of_shape(report.value(result, SH.sourceShape))
        theirs.add((rid, str(report.value(result, SH.focusNode))))
    ours = set()
    for f in findings:
        if f["rule_id"] in shacl_ids:
            ns = manifest["namespaces"][Path(f["folder"]).name]
            ours.add((f["rule_id"], ns + f["focus"][1:]))
    if ours == theirs:
        return True, f"same {len(ours)} SHACL violations"
    return False, f"pyshacl only {sorted(theirs - ours)[:5]}, spec-check only {sorted(ours - theirs)[:5]}"


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
    lines_out: list[str] = []
    rows: list[dict] = []
    checks: list[str] = []
    with tempfile.TemporaryDirectory(prefix="spec-check-bench-") as tmp:
        work = Path(tmp)
        shapes = merged_shapes(work)

        # Small commands: startup cost and the example spec.
        small = {
            "spec-check specs/008 (no cache)": spec_check(SPEC_008, "--no-cache"),
            "spec-check specs/008 (cached re-run)": spec_check(SPEC_008),
            "spec-check --version": spec_check("--version"),
            "spec-check rules": spec_check("rules"),
            "spec-check render specs/008 --out DIR": spec_check("render", SPEC_008, "--out", work / "rendered"),
            "python -c 'import rdflib, pyshacl'": [sys.executable, "-c", "import rdflib, pyshacl"],
            "pyshacl CLI on specs/008 (merged)": None,
        }
        merged_008 = work / "008.ttl"
        merged_008.write_text("\n".join(p.read_text(encoding="utf-8") for p in sorted(SPEC_008.glob("*.ttl"))),
                              encoding="utf-8")
        small["pyshacl CLI on specs/008 (merged)"] = pyshacl_cli() + ["-s", str(shapes), "-i", "none", "-f", "turtle",
                                                                      "-o", str(work / "008-report.ttl"), str(merged_008)]
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
            ours_report = work / f"ours-{triples}.json"
            theirs_report = work / f"pyshacl-{triples}.ttl"
            cold = spec_check(root / "specs", "--no-cache", "--jobs", args.jobs, "-f", "json", "-o", ours_report)
            warm = spec_check(root / "specs", "--jobs", args.jobs, "-f", "json", "-o", work / f"warm-{triples}.json")
            commands = {"spec-check": cold, "spec-check cached": warm}
            with_pyshacl = triples <= args.pyshacl_max
            if with_pyshacl:
                commands["pyshacl"] = pyshacl_cli() + ["-s", str(shapes), "-i", "none", "-f", "turtle",
                                                       "-o", str(theirs_report), str(root / "merged.ttl")]
            run_once(warm, cwd)  # fill the cache
            result = measure(commands, reps, cwd)
            tree = tree_peak_rss(cold, cwd) if args.jobs > 1 else result["spec-check"]["rss_mib"]
            findings = spec_check_findings(ours_report)
            ok, why = planted_match(manifest, findings)
            checks.append(f"- {triples:,} triples: spec-check finds {why}" + ("" if ok else " — MISMATCH"))
            if with_pyshacl:
                ok2, why2 = pyshacl_match(manifest, findings, theirs_report)
                checks.append(f"- {triples:,} triples: pyshacl CLI vs spec-check: {why2}" + ("" if ok2 else " — MISMATCH"))
            rows.append({"triples": triples, "written": manifest["triples"], "folders": folders, "reps": reps,
                         "result": result, "tree_rss": tree})

    lines_out += [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py{' --quick' if args.quick else ''}` on {platform.node() and 'this machine'}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}; "
        f"spec-check --jobs {args.jobs}. Whole-process wall-clock medians; commands alternate within each "
        "repetition. The machine is shared and noisy: compare ratios within one run, not across runs.",
        "",
        "## Startup and the example spec",
        "",
        "| command | median | runs | peak RSS |",
        "|---|---|---|---|",
    ]
    for name, r in small_results.items():
        lines_out.append(f"| `{name}` | {fmt_s(r['median_s'])} | {len(r['times'])} | {r['rss_mib']} MiB |")
    lines_out += [
        "",
        "## Synthetic corpora (benchmarks/generate.py, seed %d)" % args.seed,
        "",
        "| work | " + " | ".join(f"{r['triples'] // 1000}k triples ({r['folders']} folders)" for r in rows) + " |",
        "|---|" + "---|" * len(rows),
        "| `spec-check --no-cache` | " + " | ".join(
            f"{fmt_s(r['result']['spec-check']['median_s'])}, {r['tree_rss']} MiB" for r in rows) + " |",
        "| `spec-check` re-run, unchanged corpus (cache) | " + " | ".join(
            fmt_s(r['result']['spec-check cached']['median_s']) for r in rows) + " |",
        "| `pyshacl` CLI, same triples, same shapes, inference none | " + " | ".join(
            (f"{fmt_s(r['result']['pyshacl']['median_s'])}, {r['result']['pyshacl']['rss_mib']} MiB"
             if "pyshacl" in r["result"] else "not run") for r in rows) + " |",
        "| ratio pyshacl / spec-check (cold) | " + " | ".join(
            (f"{r['result']['pyshacl']['median_s'] / r['result']['spec-check']['median_s']:.1f}x"
             if "pyshacl" in r["result"] else "—") for r in rows) + " |",
        "| triples written | " + " | ".join(f"{r['written']:,}" for r in rows) + " |",
        "| repetitions | " + " | ".join(str(r["reps"]) for r in rows) + " |",
        "",
        "Memory: spec-check's figure is the peak of the summed RSS of its process tree (all jobs); "
        "pyshacl's the peak RSS of its one process.",
        "",
        "## Same findings",
        "",
        *checks,
        "",
        "Raw times (seconds), in run order:",
        "",
    ]
    for r in rows:
        for name, res in r["result"].items():
            lines_out.append(f"- {r['triples']:,} {name}: " + ", ".join(f"{t:.3f}" for t in res["times"]))
    for name, res in small_results.items():
        lines_out.append(f"- {name}: " + ", ".join(f"{t:.3f}" for t in res["times"]))
    args.output.write_text("\n".join(lines_out) + "\n", encoding="utf-8")
    print("\n".join(lines_out))
    return 0 if all("MISMATCH" not in c for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
