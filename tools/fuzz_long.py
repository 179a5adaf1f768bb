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

Every other input (--structured, on by default) is a whole spec folder with one
Turtle file changed by a structured mutator (tests/fuzzing.py): token edits,
statement deletion/duplication/swap, graph edits written back as Turtle,
N-Triples or TriG, and splicing of statements and triples from another real
spec file. It is checked three ways, and all three must agree exactly (the
differential oracles): the fast Turtle reader against rdflib's parser, and the
native engine against pySHACL. A disagreement is saved like a crash and
counted as a mismatch.
"""

from __future__ import annotations

import argparse
import json
import logging
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
    parser.add_argument("--no-structured", dest="structured", action="store_false",
                        help="byte mutations only (no structured inputs and differential oracles)")
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
    stats = {"inputs": 0, "structured": 0, "findings": 0, "tool_errors": 0, "timeouts": 0, "crashes": 0,
             "mismatches": 0, "hangs": 0}
    folders = fuzzing.spec_folders(seeds)
    crash_kinds: dict[str, int] = {}
    warnings.simplefilter("ignore")
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # rdflib logs odd literals and IRIs
    started = time.monotonic()
    deadline = started + args.minutes * 60
    print(f"fuzzing with {len(seeds)} seed files for {args.minutes:g} min (seed {args.seed})", flush=True)
    while time.monotonic() < deadline:
        if args.structured and stats["inputs"] % 2 == 1:
            structured_round(folders, rng, args, stats, crash_kinds)
            continue
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
            save(args, stats, crash_kinds, "crash", f"{type(e).__name__}: {str(e)[:80]}", {name: data}, {
                "seed_file": str(seed.relative_to(ROOT) if seed.is_relative_to(ROOT) else seed),
                "operations": ops, "inference": mode.value, "traceback": traceback.format_exc()})
        report_progress(stats)
    elapsed = time.monotonic() - started
    print(f"done: {stats['inputs']} inputs in {elapsed:.0f} s ({stats['inputs'] / elapsed:.1f}/s); "
          f"with findings {stats['findings']}, exit-2 errors {stats['tool_errors']}, "
          f"timeouts {stats['timeouts']}, crashes {stats['crashes']}; structured (3-way differential) "
          f"{stats['structured']}, mismatches {stats['mismatches']}, hangs {stats['hangs']}")
    for kind, count in sorted(crash_kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {count:5d}  {kind}")
    return 1 if stats["crashes"] or stats["mismatches"] or stats["hangs"] else 0


def structured_round(folders, rng, args, stats, crash_kinds) -> None:
    """One structured input, checked by both readers and both engines; a crash or disagreement is saved."""
    from spec_check.deadline import FolderTimeout, deadline

    files, description = fuzzing.structured_input(folders, rng)
    stats["inputs"] += 1
    stats["structured"] += 1
    try:
        # A watchdog over the whole input (three checks and every reporter): anything the
        # per-folder --timeout does not cover and that hangs is a hang, saved like a crash.
        with deadline(args.timeout * 4):
            result, mismatches = fuzzing.differential(files, timeout=args.timeout)
    except FolderTimeout:
        save(args, stats, crash_kinds, "hang", f"no answer within {args.timeout * 4:g} s", files,
             {"input": description})
        return
    except Exception as e:
        save(args, stats, crash_kinds, "crash", f"{type(e).__name__}: {str(e)[:80]}", files,
             {"input": description, "traceback": traceback.format_exc()})
    else:
        if isinstance(result, str):
            stats["tool_errors"] += 1
        else:
            stats["findings"] += bool(result.findings)
            stats["timeouts"] += any(f.rule_id == "timeout" for f in result.findings)
        for mismatch in mismatches:
            save(args, stats, crash_kinds, "mismatch", mismatch[:100], files, {"input": description, "detail": mismatch})
    report_progress(stats)


def save(args, stats, kinds, what: str, kind: str, files: dict, info: dict) -> None:
    """Keep a failing input: its files in a folder, and what happened in info.json."""
    stats[{"crash": "crashes", "hang": "hangs"}.get(what, "mismatches")] += 1
    kinds[f"{what}: {kind}"] = kinds.get(f"{what}: {kind}", 0) + 1
    folder = args.out / f"{what}-{stats['crashes'] + stats['mismatches'] + stats['hangs']:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "info.json").write_text(json.dumps({"error": kind, **info}, indent=2) + "\n")


def report_progress(stats) -> None:
    if stats["inputs"] % 200 == 0:
        print(f"  {stats['inputs']} inputs, {stats['crashes']} crashes, {stats['mismatches']} mismatches, "
              f"{stats['hangs']} hangs", flush=True)


if __name__ == "__main__":
    sys.exit(main())
