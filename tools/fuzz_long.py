# SPDX-License-Identifier: MIT
"""A longer fuzz run than the suite's, outside it: mutate seed files at random for N minutes.

    python tools/fuzz_long.py --minutes 5 [--seed 1] [--corpus ../shared/corpus/ggen] [--out fuzz-crashes]

Each input is one seed file after 1-8 random edits (byte flips, truncations,
line deletions/duplications/swaps, inserted tokens and broken UTF-8), checked
through the whole pipeline (SpecCheck.check) and, every tenth input, with
--inference owlrl. Allowed outcomes: a CheckResult or SpecCheckError. Anything
else is a crash: its input is saved under --out with the seed name and the
edit list, and the run goes on. Exit 1 if any crash was found.

Every input is also run under a --timeout (default 60 s) so a hang shows up
as a `timeout` finding, counted separately.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import fuzzing  # noqa: E402
from spec_check import CheckOptions, SpecCheck, SpecCheckError  # noqa: E402
from spec_check.infer import InferenceMode  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="how long to run (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--corpus", type=Path, default=None, help="an extra folder of seed files")
    parser.add_argument("--out", type=Path, default=Path("fuzz-crashes"), help="where crashing inputs go")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-input --timeout (default 60 s)")
    args = parser.parse_args(argv)

    seeds = fuzzing.seed_files()
    if args.corpus:
        seeds += sorted(p for p in args.corpus.rglob("*") if p.suffix in (".ttl", ".nt", ".trig", ".jsonld", ".rdf")
                        and p.is_file() and p.stat().st_size <= fuzzing.MAX_SEED_SIZE)
    seeds = sorted(set(seeds))
    contents = {p: p.read_bytes() for p in seeds}
    rng = random.Random(args.seed)
    checkers = {mode: SpecCheck(CheckOptions(inference=mode, timeout=args.timeout))
                for mode in (InferenceMode.NONE, InferenceMode.OWLRL)}
    stats = {"inputs": 0, "findings": 0, "tool_errors": 0, "timeouts": 0, "crashes": 0}
    crash_kinds: dict[str, int] = {}
    warnings.simplefilter("ignore", DeprecationWarning)
    started = time.monotonic()
    deadline = started + args.minutes * 60
    print(f"fuzzing with {len(seeds)} seed files for {args.minutes:g} min (seed {args.seed})", flush=True)
    while time.monotonic() < deadline:
        seed = rng.choice(seeds)
        ops = [(rng.choice(fuzzing.OPERATIONS), rng.random(), rng.randrange(256)) for _ in range(rng.randint(1, 8))]
        data = fuzzing.mutate(contents[seed], ops)
        mode = InferenceMode.OWLRL if stats["inputs"] % 10 == 9 else InferenceMode.NONE
        name = "feature.ttl" if seed.suffix == ".ttl" else seed.name
        stats["inputs"] += 1
        try:
            result = fuzzing.check_bytes(checkers[mode], {name: data})
            stats["findings"] += bool(result.findings)
            stats["timeouts"] += any(f.rule_id == "timeout" for f in result.findings)
        except SpecCheckError:
            stats["tool_errors"] += 1
        except Exception as e:  # a crash: save the input and go on
            stats["crashes"] += 1
            kind = f"{type(e).__name__}: {str(e)[:80]}"
            crash_kinds[kind] = crash_kinds.get(kind, 0) + 1
            args.out.mkdir(parents=True, exist_ok=True)
            stem = args.out / f"crash-{stats['crashes']:04d}"
            stem.with_suffix(seed.suffix).write_bytes(data)
            stem.with_suffix(".json").write_text(json.dumps({
                "seed_file": str(seed.relative_to(ROOT) if seed.is_relative_to(ROOT) else seed),
                "operations": ops, "inference": mode.value, "error": kind,
                "traceback": traceback.format_exc(),
            }, indent=2) + "\n")
        if stats["inputs"] % 200 == 0:
            print(f"  {stats['inputs']} inputs, {stats['crashes']} crashes", flush=True)
    elapsed = time.monotonic() - started
    print(f"done: {stats['inputs']} inputs in {elapsed:.0f} s ({stats['inputs'] / elapsed:.1f}/s); "
          f"with findings {stats['findings']}, exit-2 errors {stats['tool_errors']}, "
          f"timeouts {stats['timeouts']}, crashes {stats['crashes']}")
    for kind, count in sorted(crash_kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {count:5d}  {kind}")
    return 1 if stats["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
