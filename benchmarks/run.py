# SPDX-License-Identifier: MIT
"""Benchmark spec-check side by side with the SHACL validators on the package index, and write RESULTS.md.

    python benchmarks/run.py --quick                    # 1k and 10k triples: a few minutes
    python benchmarks/run.py                            # 1k, 10k, 100k and 1M triples
    python benchmarks/run.py --sizes 100k --reps 1      # one size, one run of each tool
    python benchmarks/run.py --baseline-src /tmp/old/src   # also an older spec-check, as its own row
    python benchmarks/run.py --skip pyshacl@100k --skip pyrudof --timeout 300

For each corpus size the runner generates a synthetic corpus (benchmarks/generate.py, cached
under benchmarks/.corpora/), then runs every tool as a whole process, alternating within each
repetition so that the machine's noise hits every tool alike:

* spec-check on the corpus's spec folders (--no-cache, JSON report), and again on the unchanged
  corpus with its cache, as pre-commit runs it (`spec-check SPECS`); with --baseline-src, the
  same two for a second source tree (run with PYTHONPATH=that tree), "spec-check (baseline)";
* the pySHACL command line on every folder's triples merged into one file (pySHACL's best case),
  inference none, with "all checks": shapes/*.ttl plus benchmarks/pyshacl-sparql-shapes.ttl
  (the two checks spec-check runs as SPARQL or built-in rules, as SHACL-SPARQL); and with
  shapes/*.ttl alone ("SHACL only": pySHACL skips spec-check's own rule kinds, so it finds
  only the SHACL half of the planted defects);
* shacl-rust, pyshifty, pyrudof and `shacl` (benchmarks/peers.py: each through its Python
  API, the merged data file and the all-checks shapes);
* benchmarks/limit_pyoxigraph.py: the same checks as ten SPARQL queries on pyoxigraph, no
  positions, no report: the practical limit.

It reports medians of wall time and of cpu time (user + system of the process and of every
child it waited for, from os.wait4), the peak RSS of the largest process, for spec-check with
several jobs also the sampled peak of its process tree's summed RSS, the machine's load average
before and after each size, and the versions of everything it ran. Then it checks what each tool
found against the corpus manifest's planted defects (rule id and focus IRI): exactly the planted
set, or which part of it. A tool that takes longer than --timeout is stopped and shown as "timed
out after N s" (and not run at the larger sizes); a tool other than spec-check whose first run at
a size takes longer than --slow seconds runs only once there.
Not part of the test suite: nothing here asserts a time (tests/test_benchmark_peers.py checks,
on a small corpus, that every tool finds what this runner says it finds). Exit 1 when a tool
finds something other than what it is expected to find.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import generate  # noqa: E402
import peers  # noqa: E402

SPEC_008 = ROOT / "specs" / "008-build-optimization-complete"
SPARQL_SHAPES = HERE / "pyshacl-sparql-shapes.ttl"
BENCH = "https://spec-check.dev/benchmark#"
# (triples, folders, repetitions)
SIZES = {"1k": (1_000, 1, 5), "10k": (10_000, 3, 5), "100k": (100_000, 30, 3), "1M": (1_000_000, 300, 3)}
QUICK = ["1k", "10k"]
# Tools skipped by default at these sizes (--skip adds more; --no-default-skips drops these):
# pySHACL all checks took 210 s at 100k and grows faster than linearly.
DEFAULT_SKIPS = {("pyshacl", "1M"), ("pyshacl SHACL only", "1M")}


# -- running one process -----------------------------------------------------

@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds of the process and every child it waited for
    rss_mib: int  # peak RSS of the largest of them
    timed_out: bool = False
    failed: str = ""  # how it failed (exit code, last line of stderr), when asked not to stop the run


def _env(src: Path, cwd: Path | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_COLOR"] = "1"
    # Each command's cache lives in its working folder (the default is the user's cache folder,
    # shared by every run: a benchmark must not answer one corpus from another's entries).
    env.pop("SPEC_CHECK_CACHE_DIR", None)
    if cwd is not None:
        env["SPEC_CHECK_CACHE_DIR"] = str(Path(cwd) / ".spec-check-cache")
    return env


def run_once(cmd: list[str], cwd: Path, env: dict, timeout: float | None = None, keep_going: bool = False) -> Run:
    """Run ``cmd`` to its end (or until ``timeout`` seconds, then stop its whole process group).

    A command that fails stops the benchmark, unless ``keep_going``: then the run says how it failed
    (a peer running out of memory at 1M must not cost the other tools' figures).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, stop) if timeout else None
    if timer:
        timer.start()
    with proc.stderr:
        err = proc.stderr.read().decode(errors="replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if timer:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    if stopped.is_set():
        return Run(elapsed, cpu, usage.ru_maxrss // 1024, timed_out=True)
    if proc.returncode not in (0, 1) or "Traceback" in err:
        if keep_going:
            last = (err.strip().splitlines() or [""])[-1][:200]
            return Run(elapsed, cpu, usage.ru_maxrss // 1024, failed=f"exit {proc.returncode}: {last}")
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{err}")
    return Run(elapsed, cpu, usage.ru_maxrss // 1024)


def tree_peak_rss(cmd: list[str], cwd: Path, env: dict, interval: float = 0.05) -> int:
    """Peak of the summed RSS (MiB) of ``cmd`` and all its descendants, sampled from /proc."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def merged_shapes(workdir: Path, name: str, extra: list[Path], tool: str = "") -> Path:
    from spec_check.resources import shapes_files

    path = workdir / name
    text = "\n".join(p.read_text(encoding="utf-8") for p in shapes_files() + extra)
    path.write_text(peers.adapt_shapes(tool, text), encoding="utf-8")
    return path


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- what each tool found ----------------------------------------------------

def planted(manifest: dict, only: set[str] | None = None) -> set[tuple[str, str]]:
    return {(e["rule_id"], e["focus_iri"]) for e in manifest["expected_findings"]
            if only is None or e["rule_id"] in only}


def shacl_rule_ids() -> set[str]:
    from spec_check.rules import load_rules

    return {rid for rid, r in load_rules().rules.items() if r.kind == "shacl"}


def spec_check_violations(manifest: dict, report: Path) -> list[tuple[str, str]]:
    """(rule id, focus IRI) of every finding in a spec-check JSON report."""
    found = []
    for f in json.loads(report.read_text(encoding="utf-8"))["findings"]:
        ns = manifest["namespaces"][Path(f["folder"]).name]
        found.append((f["rule_id"], ns + f["focus"][1:] if f["focus"].startswith(":") else f["focus"]))
    return found


class ShapeRules:
    """The spec-check rule id of a SHACL result's source shape (bench:ruleId for the SHACL-SPARQL shapes)."""

    def __init__(self) -> None:
        from rdflib import Graph, Literal, URIRef

        from spec_check.rules import load_rules

        self._uri = URIRef
        self._rules = load_rules()
        bench = Graph().parse(SPARQL_SHAPES, format="turtle")
        self._bench = {str(s): str(o) for s, o in bench.subject_objects(URIRef(BENCH + "ruleId"))
                       if isinstance(o, Literal)}

    def __call__(self, shape) -> str:
        shape = str(shape)
        if shape in self._bench:
            return self._bench[shape]
        rule = self._rules.node_of_shape(self._uri(shape)) if shape and not shape.startswith("_:") else None
        return rule or f"(shape {shape or 'unnamed'})"


def pyshacl_violations(report_ttl: Path, rule_of: ShapeRules) -> list[tuple[str, str]]:
    """(spec-check rule id, focus IRI) of every result in a pyshacl report."""
    from rdflib import Graph

    from spec_check.vocab import SH

    report = Graph().parse(report_ttl, format="turtle")
    return [(rule_of(report.value(result, SH.sourceShape)), str(report.value(result, SH.focusNode)))
            for result in report.subjects(SH.focusNode, None)]


def peer_violations(results_tsv: Path, rule_of: ShapeRules) -> list[tuple[str, str]]:
    out = []
    for line in results_tsv.read_text(encoding="utf-8").splitlines():
        focus, shape = line.split("\t")
        out.append((rule_of(shape), focus))
    return out


def limit_violations(results_tsv: Path, _rule_of: ShapeRules) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in results_tsv.read_text(encoding="utf-8").splitlines()]


# -- the tools -----------------------------------------------------------------

@dataclass
class Tool:
    name: str
    checks: str  # what it checks, for the table
    command: Callable[[Path, Path], list[str]]  # (corpus root, output file) -> argv
    read: Callable[[Path, "ShapeRules"], list[tuple[str, str]]] | None  # output file -> violations
    src: Path | None = None  # the spec-check source tree on PYTHONPATH
    expects: str = "planted"  # "planted" | "shacl" (the SHACL half of the planted set)
    version: str = ""
    cached_of: str | None = None  # a cached re-run: its report must equal this tool's


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _git_version(src: Path) -> str:
    try:
        rev = subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(src), "status", "--porcelain", "--", "."], capture_output=True,
                               text=True, check=True).stdout.strip()
        return rev + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def tools(work: Path, jobs: int, src: Path, baseline: Path | None) -> list[Tool]:
    full = merged_shapes(work, "all-checks.ttl", [SPARQL_SHAPES])
    core = merged_shapes(work, "shacl-shapes.ttl", [])
    rust = merged_shapes(work, "all-checks-shacl-rust.ttl", [SPARQL_SHAPES], tool="shacl-rust")
    py = sys.executable

    def spec_check_tools(name: str, tree: Path) -> list[Tool]:
        def cold(root: Path, out: Path) -> list[str]:
            return [py, "-m", "spec_check", str(root / "specs"), "--no-cache", "--jobs", str(jobs),
                    "-f", "json", "-o", str(out)]

        def warm(root: Path, out: Path) -> list[str]:
            return [py, "-m", "spec_check", str(root / "specs")]  # as pre-commit runs it: no options

        checks = "all of its rules (SHACL, SPARQL, built-in), positions, JSON report"
        version = _git_version(tree)
        return [Tool(name, checks, cold, spec_check_violations, tree, version=version),
                Tool(f"{name} cached", "re-run on the unchanged corpus, result cache", warm, None, tree,
                     version=version, cached_of=name)]

    pyshacl_exe = Path(py).with_name("pyshacl")
    pyshacl = [str(pyshacl_exe)] if pyshacl_exe.exists() else [py, "-m", "pyshacl"]
    found: list[Tool] = spec_check_tools("spec-check", src)
    if baseline is not None:
        found += spec_check_tools("spec-check (baseline)", baseline)
    found += [
        Tool("pyshacl", "CLI; all checks: shapes/*.ttl + SHACL-SPARQL forms",
             lambda root, out: pyshacl + ["-s", str(full), "-i", "none", "-f", "turtle", "-o", str(out),
                                          str(root / "merged.ttl")], pyshacl_violations, version=_version("pyshacl")),
        Tool("pyshacl SHACL only", "CLI; shapes/*.ttl only (skips spec-check's SPARQL and built-in rules)",
             lambda root, out: pyshacl + ["-s", str(core), "-i", "none", "-f", "turtle", "-o", str(out),
                                          str(root / "merged.ttl")], pyshacl_violations, expects="shacl",
             version=_version("pyshacl")),
    ]
    for name, dist in (("shacl-rust", "shacl-rust"), ("pyshifty", "pyshifty"), ("pyrudof", "pyrudof"),
                       ("shacl", "shacl")):
        shapes = rust if name == "shacl-rust" else full
        checks = "Python API; all checks" + (" (story-covered rewritten as sh:or: it cannot parse the "
                                             "sequence path inside an alternative path)" if name == "shacl-rust" else "")
        found.append(Tool(name, checks, lambda root, out, name=name, shapes=shapes: [
            py, str(HERE / "peers.py"), name, str(root / "merged.ttl"), str(shapes), "--out", str(out)],
            peer_violations, version=_version(dist)))
    found.append(Tool("pyoxigraph limit", "the same checks as 10 SPARQL queries (bulk_load, no positions, no report)",
                      lambda root, out: [py, str(HERE / "limit_pyoxigraph.py"), str(root / "merged.ttl"),
                                         "--out", str(out)], limit_violations, version=_version("pyoxigraph")))
    return found


def verdict(tool: Tool, found: list[tuple[str, str]], manifest: dict, shacl_ids: set[str]) -> tuple[bool, str]:
    """Whether ``tool`` found what it is expected to find, and what it found, in words."""
    everything = planted(manifest)
    got = set(found)
    part = planted(manifest, shacl_ids)
    raw = f" ({len(found)} results)" if len(found) != len(got) else ""
    if got == everything:
        return tool.expects == "planted", f"exactly the {len(everything)} planted{raw}"
    if got == part:
        missing = sorted({r for r, _f in everything - got})
        return tool.expects == "shacl", (f"{len(part)} of {len(everything)} planted: only the SHACL half{raw} "
                                         f"(misses {', '.join(missing)})")
    return False, (f"MISMATCH: {len(got & everything)} of {len(everything)} planted, missing "
                   f"{sorted(everything - got)[:3]}, unexpected {sorted(got - everything)[:3]}")


# -- one size ------------------------------------------------------------------

@dataclass
class Outcome:
    runs: list[Run] = field(default_factory=list)
    status: str = ""  # "" ran; else why it has no figures ("skipped ...", "timed out after N s")
    findings: str = ""
    ok: bool = True
    tree_rss: int | None = None

    def figure(self, key: str) -> float:
        return median([getattr(r, key) for r in self.runs if not r.timed_out])


def measure_size(label: str, root: Path, manifest: dict, tool_list: list[Tool], reps: int, work: Path,
                 args, gone: dict[str, str], rule_of: ShapeRules, shacl_ids: set[str]) -> dict[str, Outcome]:
    cwd = work / f"cwd-{label}"
    cwd.mkdir()
    outcomes = {t.name: Outcome() for t in tool_list}
    outputs = {t.name: work / f"{label}-{t.name.replace(' ', '_').replace('(', '').replace(')', '')}.out"
               for t in tool_list}
    active = []
    for t in tool_list:
        if t.name in gone:
            outcomes[t.name].status = gone[t.name]
        elif (t.name, label) in args.user_skips or (t.name, "*") in args.user_skips:
            outcomes[t.name].status = "skipped (--skip)"
        elif (t.name, label) in DEFAULT_SKIPS and not args.no_default_skips:
            outcomes[t.name].status = "skipped by default (far too slow here; --no-default-skips runs it)"
        else:
            active.append(t)
    for t in active:  # the cached rows need a filled cache
        if t.cached_of:
            run_once(t.command(root, outputs[t.name]), cwd, _env(t.src, cwd / t.cached_of))
    runs_wanted = {t.name: reps for t in active}
    for rep in range(reps):
        for t in active:
            outcome = outcomes[t.name]
            if outcome.status or len(outcome.runs) >= runs_wanted[t.name]:
                continue
            cache_cwd = cwd / (t.cached_of or t.name)
            cache_cwd.mkdir(exist_ok=True)
            r = run_once(t.command(root, outputs[t.name]), cwd, _env(t.src or ROOT / "src", cache_cwd), args.timeout,
                         keep_going=True)
            if r.failed:
                outcome.status, outcome.ok = f"failed ({r.failed})", False
                continue
            if r.timed_out:
                outcome.status = f"timed out after {args.timeout:g} s"
                gone[t.name] = f"not run (timed out at {label})"
                continue
            outcome.runs.append(r)
            if rep == 0 and r.wall > args.slow and t.src is None:  # spec-check rows keep every repetition
                runs_wanted[t.name] = 1
    for t in active:
        outcome = outcomes[t.name]
        if outcome.status:  # skipped, timed out (no figures, no findings: no mismatch) or failed (not ok)
            continue
        if t.cached_of:
            report = work / f"{label}-{t.name.replace(' ', '_')}.json"
            run_once([sys.executable, "-m", "spec_check", str(root / "specs"), "-f", "json", "-o", str(report)],
                     cwd, _env(t.src, cwd / t.cached_of))
            same = report.read_bytes() == outputs[t.cached_of].read_bytes()
            outcome.ok, outcome.findings = same, ("report byte-identical to the uncached one" if same
                                                  else "MISMATCH: the cached report differs from the uncached one")
            continue
        found = (spec_check_violations(manifest, outputs[t.name]) if t.read is spec_check_violations
                 else t.read(outputs[t.name], rule_of))
        outcome.ok, outcome.findings = verdict(t, found, manifest, shacl_ids)
        if t.src is not None and args.jobs > 1:
            outcome.tree_rss = tree_peak_rss(t.command(root, outputs[t.name]), cwd,
                                             _env(t.src, cwd / t.name))
    return outcomes


# -- small commands: startup, the example spec, render, init -------------------

def small_commands(work: Path, reps: int, src: Path, baseline: Path | None) -> dict[str, dict]:
    py = sys.executable
    merged_008 = work / "008.ttl"
    merged_008.write_text("\n".join(p.read_text(encoding="utf-8") for p in sorted(SPEC_008.glob("*.ttl"))),
                          encoding="utf-8")
    core = work / "shacl-shapes.ttl"
    pyshacl_exe = Path(py).with_name("pyshacl")
    pyshacl = [str(pyshacl_exe)] if pyshacl_exe.exists() else [py, "-m", "pyshacl"]

    def sc(*a):
        return [py, "-m", "spec_check", *map(str, a)]

    commands: dict[str, tuple[object, Path]] = {
        "spec-check specs/008 --no-cache": (sc(SPEC_008, "--no-cache"), src),
        "spec-check specs/008 (cached re-run)": (sc(SPEC_008), src),
    }
    if baseline is not None:
        commands["spec-check (baseline) specs/008 --no-cache"] = (sc(SPEC_008, "--no-cache"), baseline)
        commands["spec-check (baseline) specs/008 (cached re-run)"] = (sc(SPEC_008), baseline)
    commands.update({
        "spec-check --version": (sc("--version"), src),
        "spec-check rules": (sc("rules"), src),
        "spec-check render specs/008 --out DIR": (sc("render", SPEC_008, "--out", work / "rendered"), src),
        "spec-check init specs/NNN-name": (lambda rep: sc("init", work / "init" / f"{100 + rep}-bench"), src),
        "python -c 'import rdflib, pyshacl'": ([py, "-c", "import rdflib, pyshacl"], src),
        "pyshacl CLI on specs/008 (merged), SHACL shapes": (pyshacl + [
            "-s", str(core), "-i", "none", "-f", "turtle", "-o", str(work / "008-report.ttl"), str(merged_008)], src),
    })
    cwd = work / "cwd-small"
    cwd.mkdir()
    for tree in {src, baseline} - {None}:
        (cwd / str(abs(hash(tree)))).mkdir()
        run_once(sc(SPEC_008), cwd, _env(tree, cwd / str(abs(hash(tree)))))  # warm each tree's cache
    runs: dict[str, list[Run]] = {k: [] for k in commands}
    for rep in range(reps):
        for name, (cmd, tree) in commands.items():
            runs[name].append(run_once(cmd(rep) if callable(cmd) else cmd, cwd,
                                       _env(tree, cwd / str(abs(hash(tree))))))
    return {k: {"wall": median([r.wall for r in v]), "cpu": median([r.cpu for r in v]),
                "rss_mib": max(r.rss_mib for r in v), "times": [r.wall for r in v]} for k, v in runs.items()}


# -- the report ------------------------------------------------------------------

def fmt_s(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "—"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _cell(outcome: Outcome, tool: Tool) -> str:
    if outcome.status:
        return outcome.status
    memory = outcome.tree_rss if outcome.tree_rss is not None else max(r.rss_mib for r in outcome.runs)
    text = f"{fmt_s(outcome.figure('wall'))} wall, {fmt_s(outcome.figure('cpu'))} cpu"
    if not tool.cached_of:
        text += f", {memory} MiB"
    return text + (f" ({len(outcome.runs)} run)" if len(outcome.runs) == 1 else "")


def md(text: str) -> str:
    """Escape a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def report_text(args, tool_list: list[Tool], sizes: list[dict], small: dict | None, started: str) -> str:
    labels = [s["label"] for s in sizes]
    out = [
        "# Benchmark results",
        "",
        f"Written by `{shlex.join(['python', 'benchmarks/run.py', *args.argv])}` on this machine, started "
        f"{started}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}; spec-check --jobs {args.jobs}. Whole-process medians; every tool runs "
        "once per repetition, in turn, so the machine's noise hits all alike. The machine is shared "
        "and noisy: compare within one run. cpu = user + system time of the process and its children "
        "(os.wait4), the figure the load disturbs least.",
        "",
        "| load average (1, 5, 15 min) | " + " | ".join(labels) + " |",
        "|---|" + "---|" * len(sizes),
        "| before | " + " | ".join(" / ".join(f"{x:.2f}" for x in s["load"][0]) for s in sizes) + " |",
        "| after | " + " | ".join(" / ".join(f"{x:.2f}" for x in s["load"][1]) for s in sizes) + " |",
        "",
        "## Time and memory (benchmarks/generate.py corpora, seed %d)" % args.seed,
        "",
        "| tool | " + " | ".join(f"{s['label']} ({s['written']:,} triples, {s['folders']} folders)" for s in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for t in tool_list:
        out.append(f"| {md(t.name)} | " + " | ".join(md(_cell(s["outcomes"][t.name], t)) for s in sizes) + " |")
    out += ["", "Memory: the peak RSS of the largest process; for spec-check with several jobs the sampled peak "
            "of its process tree's summed RSS. Repetitions: " + ", ".join(
                f"{s['label']} {s['reps']}" for s in sizes) + " (one run where the first took over "
            f"{args.slow:g} s).", "", "## Ratios of cpu time (medians)", "",
            "| tool | " + " | ".join(labels) + " |", "|---|" + "---|" * len(sizes)]

    def cpu(s, name):
        o = s["outcomes"].get(name)
        return o.figure("cpu") if o and not o.status and o.runs else float("nan")

    def ratio(a: float, b: float) -> str:
        return "—" if a != a or b != b or b == 0 else f"{a / b:.1f}x"

    for t in tool_list:
        if t.name == "spec-check" or t.cached_of:
            continue
        out.append(f"| {md(t.name)} / spec-check | " + " | ".join(
            ratio(cpu(s, t.name), cpu(s, "spec-check")) for s in sizes) + " |")
    out.append("| spec-check / pyoxigraph limit | " + " | ".join(
        ratio(cpu(s, "spec-check"), cpu(s, "pyoxigraph limit")) for s in sizes) + " |")
    if any(t.name == "spec-check (baseline)" for t in tool_list):
        out.append("| spec-check (baseline) / pyoxigraph limit | " + " | ".join(
            ratio(cpu(s, "spec-check (baseline)"), cpu(s, "pyoxigraph limit")) for s in sizes) + " |")
    out += ["", "## What each tool found (against the corpus manifest's planted defects: rule id and focus IRI)", "",
            "| tool | checks | " + " | ".join(labels) + " |", "|---|---|" + "---|" * len(sizes)]
    for t in tool_list:
        out.append(f"| {md(t.name)} | {md(t.checks)} | " + " | ".join(
            md(s["outcomes"][t.name].findings or "—") for s in sizes) + " |")
    out += ["", "## Versions", "", f"- Python {platform.python_version()} ({sys.executable})"]
    for t in tool_list:
        if t.src is not None and not t.cached_of:
            out.append(f"- {t.name}: {t.version} ({t.src})")
    out.append("- " + ", ".join(f"{dist} {_version(dist)}" for dist in (
        "pyshacl", "shacl-rust", "pyshifty", "pyrudof", "shacl")))
    out.append(f"- rdflib {_version('rdflib')}, pyoxigraph {_version('pyoxigraph')}")
    if small:
        out += ["", "## Startup, the example spec, render and init", "",
                "| command | wall | cpu | runs | peak RSS |", "|---|---|---|---|---|"]
        for name, r in small.items():
            out.append(f"| `{md(name)}` | {fmt_s(r['wall'])} | {fmt_s(r['cpu'])} | {len(r['times'])} | {r['rss_mib']} MiB |")
    out += ["", "## Raw times (wall / cpu seconds), in run order", ""]
    for s in sizes:
        for name, o in s["outcomes"].items():
            if o.runs:
                out.append(f"- {s['label']} {name}: " + ", ".join(f"{r.wall:.3f}/{r.cpu:.3f}" for r in o.runs))
    return "\n".join(out) + "\n"


def _parse_skip(value: str) -> tuple[str, str]:
    tool, _, size = value.partition("@")
    if size and size not in SIZES:
        raise argparse.ArgumentTypeError(f"unknown size {size!r}: one of {', '.join(SIZES)}")
    return tool, size or "*"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only 1k and 10k triples")
    parser.add_argument("--sizes", default=None, help=f"comma-separated sizes out of {', '.join(SIZES)}")
    parser.add_argument("--reps", type=int, default=None, help="repetitions per tool (default per size: 5, 5, 3, 3)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="spec-check --jobs (default: cores)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the spec-check source tree measured")
    parser.add_argument("--baseline-src", type=Path, default=None,
                        help="a second spec-check source tree (e.g. an older commit's src/), shown as "
                             "'spec-check (baseline)'")
    parser.add_argument("--skip", dest="user_skips", type=_parse_skip, action="append", default=[],
                        metavar="TOOL[@SIZE]", help="do not run TOOL (at SIZE, e.g. pyshacl@100k); repeatable")
    parser.add_argument("--no-default-skips", action="store_true",
                        help="also run pySHACL at 1M (skipped by default: hours)")
    parser.add_argument("--only", action="append", default=[], metavar="TOOL",
                        help="run only these tools (repeatable; the spec-check rows are always run)")
    parser.add_argument("--timeout", type=float, default=900, help="stop a tool's run after this many seconds")
    parser.add_argument("--slow", type=float, default=60,
                        help="a tool whose first run at a size takes longer runs only once there")
    parser.add_argument("--no-small", action="store_true", help="skip the startup/008/render/init commands")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    args.argv = argv
    args.user_skips = set(args.user_skips)
    labels = QUICK if args.quick else (args.sizes.split(",") if args.sizes else list(SIZES))
    for label in labels:
        if label not in SIZES:
            parser.error(f"unknown size {label!r}: one of {', '.join(SIZES)}")
    for tree in [args.src, args.baseline_src]:
        if tree is not None and not (tree / "spec_check" / "__main__.py").is_file():
            parser.error(f"{tree} holds no spec_check package")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rule_of, shacl_ids = ShapeRules(), shacl_rule_ids()
    sizes: list[dict] = []
    small = None
    with tempfile.TemporaryDirectory(prefix="spec-check-bench-") as tmp:
        work = Path(tmp)
        tool_list = tools(work, args.jobs, args.src.resolve(),
                          args.baseline_src.resolve() if args.baseline_src else None)
        names = {t.name for t in tool_list}
        for name in [n for n, _s in args.user_skips] + args.only:
            if name not in names:
                parser.error(f"unknown tool {name!r}: one of {', '.join(sorted(names))}")
        if args.only:
            tool_list = [t for t in tool_list if t.name in args.only or t.src is not None]
        gone: dict[str, str] = {}
        for label in labels:
            triples, folders, reps = SIZES[label]
            reps = args.reps or reps
            root = corpus(triples, folders, args.seed)
            manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
            print(f"{label}: {manifest['triples']:,} triples / {folders} folders, {reps} reps ...", flush=True)
            before = os.getloadavg()
            outcomes = measure_size(label, root, manifest, tool_list, reps, work, args, gone, rule_of, shacl_ids)
            sizes.append({"label": label, "written": manifest["triples"], "folders": folders, "reps": reps,
                          "outcomes": outcomes, "load": (before, os.getloadavg())})
            for t in tool_list:
                o = outcomes[t.name]
                print(f"  {t.name}: {_cell(o, t)}; {o.findings}", flush=True)
        if not args.no_small:
            print("small commands ...", flush=True)
            small = small_commands(work, args.reps or 7, args.src.resolve(),
                                   args.baseline_src.resolve() if args.baseline_src else None)
    text = report_text(args, tool_list, sizes, small, started)
    tmp_out = args.output.with_name(args.output.name + ".tmp")
    tmp_out.write_text(text, encoding="utf-8")
    os.replace(tmp_out, args.output)
    print(text)
    return 0 if all(o.ok for s in sizes for o in s["outcomes"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
