# SPDX-License-Identifier: MIT
"""`spec-check site` on the benchmark corpus, side by side with `check` on the same folders.

    python benchmarks/site_corpus.py [--triples 100000] [--folders 30] [--runs 3]

Generates the corpus with benchmarks/generate.py, then runs, alternately and --runs times each,
`spec-check check --no-cache` and `spec-check site --no-cache` (both as separate processes, both
with the default --jobs), and a cached re-run of `site` (the check answered by the result cache).
Prints the medians, their ratio, the largest page and the whole site's size, and exits 1 when a
page is 1 MB or more. Not part of the test suite; the figures are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 1_000_000


def timed(args: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "spec_check", *args], cwd=cwd, env=env, capture_output=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"spec-check {' '.join(args)} failed: {done.stderr.decode()}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--folders", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="site-corpus-"))
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(work), "--triples",
                    str(args.triples), "--folders", str(args.folders)], check=True, capture_output=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SPEC_CHECK_CACHE_DIR=str(work / "cache"))
    check, site, cached = [], [], []
    for _ in range(args.runs):
        check.append(timed(["check", "specs", "--no-cache", "-q"], work, env))
        shutil.rmtree(work / "site", ignore_errors=True)
        site.append(timed(["site", "specs", "--out", "site", "--no-cache"], work, env))
    timed(["check", "specs", "-q"], work, env)  # fills the result cache
    for _ in range(args.runs):
        shutil.rmtree(work / "site", ignore_errors=True)
        cached.append(timed(["site", "specs", "--out", "site"], work, env))
    pages = {p: p.stat().st_size for p in (work / "site").rglob("*.html")}
    biggest = max(pages, key=pages.get)
    total = sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file())
    c, s, k = statistics.median(check), statistics.median(site), statistics.median(cached)
    print(f"corpus: {args.triples} triples requested, {args.folders} folders; medians of {args.runs} runs; "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| command | median | runs |")
    print("| --- | ---: | --- |")
    print(f"| `spec-check check specs --no-cache` | {c:.2f} s | {', '.join(f'{x:.2f}' for x in check)} |")
    print(f"| `spec-check site specs --out site --no-cache` | {s:.2f} s ({s / c:.1f}x check) | "
          f"{', '.join(f'{x:.2f}' for x in site)} |")
    print(f"| `spec-check site` with the check cached | {k:.2f} s | {', '.join(f'{x:.2f}' for x in cached)} |")
    print(f"pages: {len(pages)}, largest {pages[biggest] / 1024:.0f} KiB ({biggest.relative_to(work / 'site')}), "
          f"whole site {total / 1024 / 1024:.1f} MiB")
    shutil.rmtree(work)
    return 0 if pages[biggest] < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
