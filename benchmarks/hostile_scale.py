# SPDX-License-Identifier: MIT
"""Issue 20 item 7: small hostile inputs that used to cost minutes or gigabytes, timed side by side.

    python benchmarks/hostile_scale.py [--src OTHER/src] [--limit 300]

Builds each input in a temporary folder, then runs `spec-check INPUT --no-cache` with this
checkout's code and, with --src, with another checkout's (e.g. the main branch before the fix),
alternating, and prints wall seconds and peak RSS. A run over --limit seconds is stopped and shown
as ">LIMIT". Inputs (the attack's sizes, rebuilt):

* labels: 2,000 tasks sharing one rdfs:label (81 KB) — unique-label was quadratic;
* nt: 20,000 triples of N-Triples (1.8 MB) — positions searched the text per subject;
* ring: 3,000 tasks in one spec:dependsOn cycle (150 KB) — a shortest cycle per task;
* near: 4,000 references sharing a near-miss key with 4,000 described IRIs (200 KB);
* literal: a 19 MB string literal in the 008 example — the fast reader's regex kept per-character state.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_008 = ROOT / "specs" / "008-build-optimization-complete"
HEAD = ("@prefix spec: <https://ggen.dev/spec#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix : <https://example.org/s#> .\n")


def labels(folder: Path) -> None:
    (folder / "plan.ttl").write_text(HEAD + "".join(f':T{i} a spec:Task ; rdfs:label "same" .\n'
                                                    for i in range(2000)))


def nt(folder: Path) -> None:
    (folder / "data.nt").write_text("".join(
        f'<https://example.org/s#N{i}> <http://www.w3.org/2000/01/rdf-schema#label> "node {i}" .\n'
        f"<https://example.org/s#N{i}> <https://ggen.dev/spec#dependsOn> <https://example.org/s#N{i + 1}> .\n"
        for i in range(10000)))


def ring(folder: Path) -> None:
    n = 3000
    (folder / "plan.ttl").write_text(HEAD + "".join(f":T{i} a spec:Task ; spec:dependsOn :T{(i + 1) % n} .\n"
                                                    for i in range(n)))


def near(folder: Path) -> None:
    word, names = "abcdefghijklm", []
    for cuts in itertools.combinations(range(1, len(word)), 3):
        for seps in itertools.product("_-", repeat=3):
            w = word
            for c, s in sorted(zip(cuts, seps), reverse=True):
                w = w[:c] + s + w[c:]
            names.append(w)
    rng = random.Random(1)
    refs = ["".join(c.upper() if rng.random() < 0.5 else c for c in word) for _ in range(4000)]
    (folder / "plan.ttl").write_text(HEAD + "".join(f":{n} a spec:Entity .\n" for n in names[:4000])
                                     + "".join(f":R{i} rdfs:seeAlso :{v} .\n" for i, v in enumerate(refs)))


def literal(folder: Path) -> None:
    for path in SPEC_008.glob("*.ttl"):
        shutil.copy(path, folder / path.name)
    (folder / "big.ttl").write_text(HEAD + ':Note rdfs:comment "' + "x" * 19_000_000 + '" .\n')


INPUTS = {f.__name__: f for f in (labels, nt, ring, near, literal)}


MEMORY_LIMIT = 4 * 1024**3  # address space per run: an old quadratic run must not take the shared machine down


def run(src: Path, folder: Path, limit: float) -> str:
    """Wall time and peak RSS of one check, ">LIMIT s" if stopped, "out of memory" past MEMORY_LIMIT."""
    import resource

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "spec_check", str(folder), "--no-cache"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=cap)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            err = proc.stderr.read().decode("utf-8", "replace")
            proc.stderr.close()
            if "MemoryError" in err or proc.returncode < 0:
                return f"out of memory (> {MEMORY_LIMIT // 1024**3} GiB)"
            return f"{time.perf_counter() - start:.1f} s, {usage.ru_maxrss // 1024} MiB"
        if time.perf_counter() - start > limit:
            proc.kill()
            proc.wait()
            proc.stderr.close()
            return f">{limit:g} s"
        time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, help="another checkout's src/ to compare with")
    parser.add_argument("--limit", type=float, default=300.0, help="stop a run after this many seconds")
    args = parser.parse_args()
    print("| input | this checkout |" + (f" {args.src} |" if args.src else ""))
    print("| --- | --- |" + (" --- |" if args.src else ""))
    for name, build in INPUTS.items():
        with tempfile.TemporaryDirectory(prefix="spec-check-scale-") as tmp:
            folder = Path(tmp) / name
            folder.mkdir()
            build(folder)
            ours = run(ROOT / "src", folder, args.limit)
            theirs = run(args.src, folder, args.limit) if args.src else None
        print(f"| {name} | {ours} |" + (f" {theirs} |" if theirs else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
