# SPDX-License-Identifier: MIT
"""Benchmark `spec-check publish` and the shipped queries: embedded store and Oxigraph server, side by side.

    python benchmarks/publish.py                      # 1M triples in 300 folders
    python benchmarks/publish.py --triples 100000 --folders 30

Generates (or reuses) the synthetic corpus of benchmarks/generate.py under
benchmarks/.corpora/, then in one run, each a whole `spec-check` process:

* `spec-check check` on the corpus (no cache): the pipeline alone, for scale;
* publish into a fresh embedded store, then again unchanged (idempotent re-publish);
* publish into a fresh `oxigraph serve` on 127.0.0.1 (its own data folder), then again;
* every shipped query (`query --name`) on both, timed, and the answers compared
  (exit 1 when they differ).

Prints a Markdown table (and writes it to --out). Times are wall-clock medians
of --repeat runs of each query; publishes run once (they dominate the run).
Not part of the test suite: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from run import corpus  # noqa: E402
from store_servers import OxigraphServer  # noqa: E402

EPOCH = "1767225600"


CACHE = Path(tempfile.mkdtemp(prefix="spec-check-publish-bench-cache-"))  # not the checkout's .spec-check-cache


def spec_check(*args, env_extra=None) -> tuple[float, subprocess.CompletedProcess]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SOURCE_DATE_EPOCH=EPOCH, SPEC_CHECK_CACHE_DIR=str(CACHE),
               **(env_extra or {}))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "spec_check", *map(str, args)], capture_output=True, text=True,
                          env=env)
    return time.perf_counter() - started, done


def must(result: tuple[float, subprocess.CompletedProcess], ok=(0,)) -> float:
    seconds, done = result
    if done.returncode not in ok:
        sys.exit(f"spec-check failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return seconds


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) // (1024 * 1024)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--folders", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query (median)")
    parser.add_argument("--out", type=Path, help="also write the table here")
    args = parser.parse_args(argv)

    from spec_check.store.ask import ready_queries

    specs = corpus(args.triples, args.folders, args.seed) / "specs"
    work = Path(tempfile.mkdtemp(prefix="spec-check-publish-bench-"))
    server = OxigraphServer(work / "server")
    rows: list[tuple[str, str, str]] = []
    failures = []
    try:
        rows.append(("check (no cache), for scale", f"{must(spec_check('check', specs, '--no-cache', '-q', '--format', 'json'), ok=(0, 1)):.1f} s", ""))
        store = work / "store"
        first = must(spec_check("publish", specs, "--store", store, "-q", "--repository", "bench"))
        again = must(spec_check("publish", specs, "--store", store, "-q", "--repository", "bench"))
        rows.append(("publish → embedded store", f"{first:.1f} s", f"store {du(store)} MiB on disk"))
        rows.append(("publish again, unchanged → embedded store", f"{again:.1f} s", "skips every folder: the store holds its latest run"))
        server.start()
        endpoint = ["--endpoint", server.query_url, "--request-timeout", "600"]
        first = must(spec_check("publish", specs, *endpoint, "-q", "--repository", "bench"))
        again = must(spec_check("publish", specs, *endpoint, "-q", "--repository", "bench"))
        rows.append(("publish → Oxigraph server (127.0.0.1)", f"{first:.1f} s", f"server data {du(work / 'server')} MiB"))
        rows.append(("publish again, unchanged → Oxigraph server", f"{again:.1f} s", ""))
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        quads = must(spec_check("query", "--store", store, count, "--format", "csv"))
        _, done = spec_check("query", "--store", store, count, "--format", "csv")
        rows.append(("quads in the store", done.stdout.splitlines()[1], f"({quads:.1f} s to count)"))
        for name in sorted(ready_queries()):
            times = {}
            answers = {}
            for label, target in (("embedded", ["--store", store]), ("server", endpoint)):
                runs = []
                for _ in range(args.repeat):
                    seconds, done = spec_check("query", *target, "--name", name, "--format", "csv")
                    must((seconds, done))
                    runs.append(seconds)
                    answers[label] = done.stdout
                times[label] = statistics.median(runs)
            lines = answers["embedded"].count("\n") - 1
            same = answers["embedded"] == answers["server"]
            if not same:
                failures.append(name)
            rows.append((f"query --name {name}", f"{times['embedded']:.2f} s / {times['server']:.2f} s",
                         f"{lines:,} rows, {'same' if same else 'DIFFERENT'} answers"))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(CACHE, ignore_errors=True)

    table = [f"Corpus: {args.triples:,} triples requested in {args.folders} folders (benchmarks/generate.py, seed {args.seed}); "
             f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
             f"{platform.machine()}. Whole `spec-check` processes; queries: median of {args.repeat}, "
             "embedded / server.", "",
             "| step | time | notes |", "| --- | ---: | --- |"]
    table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    table += ["", f"Peak RSS of the largest spec-check or oxigraph process: {peak} MiB."]
    text = "\n".join(table) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if failures:
        print(f"answers differ between the embedded store and the server: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
