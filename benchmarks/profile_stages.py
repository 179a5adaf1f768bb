# SPDX-License-Identifier: MIT
"""CPU time of each pipeline stage over a corpus, in one process (issue 19).

    PYTHONPATH=src python3 benchmarks/profile_stages.py /tmp/c100k/specs [--repeat 3]

Loads, builds the rule view and validates every folder with the native engine, and
prints the process CPU time of each stage (the best of ``--repeat`` passes: the
machine is shared, and the best pass is the one least disturbed). Run it with
another checkout's ``src`` on PYTHONPATH to compare two versions side by side; it
uses only the public stages of SpecCheck (load_folder, infer, validate).
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gc", action="store_true", help="keep the cycle collector on during the stages")
    args = parser.parse_args()

    from spec_check.api import SpecCheck
    from spec_check.load import discover, load_folder

    checker = SpecCheck()
    checker.rules, checker.ontology, checker.dialects  # noqa: B018 - parsed once, outside the stages
    folders = discover(args.paths)
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        spent = {"load": 0.0, "rule view": 0.0, "validate": 0.0}
        if not args.gc:
            gc.disable()
        for folder in folders:
            t0 = time.process_time()
            loaded = load_folder(folder)
            t1 = time.process_time()
            loaded, view = checker.infer(loaded)
            t2 = time.process_time()
            checker._validate(loaded, view)
            t3 = time.process_time()
            spent["load"] += t1 - t0
            spent["rule view"] += t2 - t1
            spent["validate"] += t3 - t2
        gc.enable()
        gc.collect()
        for stage, seconds in spent.items():
            best[stage] = min(best.get(stage, seconds), seconds)
    total = sum(best.values())
    print(f"{len(folders)} folders; best of {args.repeat} passes, process cpu seconds")
    for stage, seconds in best.items():
        print(f"  {stage:10} {seconds:7.3f}  {100 * seconds / total:4.0f} %")
    print(f"  {'total':10} {total:7.3f}")


if __name__ == "__main__":
    main()
