# SPDX-License-Identifier: MIT
"""How long `spec-check diff` takes on two versions of the 008 example.

    python benchmarks/diff_008.py [--repeat 5]

The new version is 008 with one task added, one dependency removed and one
literal changed. Prints the best of --repeat runs for:

* the structural diff alone (both versions already parsed): meaning triples,
  blank-node signatures and the comparison;
* diff_specs() in-process, content only (check=False) and with both checks;
* the whole `spec-check diff` command in a fresh process, folder vs folder
  and git revision vs folder (a throw-away repository in a temp folder),
  with and without --no-check.

Not part of the test suite: timings depend on the machine (see docs/authoring.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_008 = ROOT / "specs" / "008-build-optimization-complete"
sys.path.insert(0, str(ROOT / "src"))


def edited_copy(target: Path) -> Path:
    folder = target / SPEC_008.name
    shutil.copytree(SPEC_008, folder)
    plan = folder / "plan.ttl"
    text = plan.read_text()
    text = text.replace("spec:hasTask ( :T025 :T026 :T027 :T028 :T029 :T030 )",
                        "spec:hasTask ( :T025 :T026 :T027 :T028 :T029 :T030 :T031 )")
    text = text.replace("spec:dependsOn :T019 , :T020 , :T022 ;", "spec:dependsOn :T019 , :T020 ;")
    text = text.replace("spec:effortHours 12.0 ;", "spec:effortHours 14.0 ;")
    text += ('\n:T031 a spec:Task ; spec:taskId "T031" ; rdfs:label "Write the adoption guide" ;\n'
             '    spec:implements :US5 ; spec:dependsOn :T030 ;\n'
             '    spec:effortHours 1.0 ; spec:status "todo" .\n')
    plan.write_text(text)
    return folder


def best(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from spec_check import SpecCheck
    from spec_check.diff import _compare, _Side, diff_specs
    from spec_check.diff.sources import Version

    with tempfile.TemporaryDirectory() as tmp:
        new = edited_copy(Path(tmp))
        checker = SpecCheck()
        old_side = _Side.read(checker, Version(str(SPEC_008), SPEC_008), check=False)
        new_side = _Side.read(checker, Version(str(new), new), check=False)

        def structural():
            from spec_check.diff import meaning_triples

            for side in (old_side, new_side):
                side.triples = meaning_triples(side.loaded.graph, checker.ontology)
                side._index()
            _compare(old_side, new_side)

        print(f"triples: old {len(old_side.loaded.graph)}, new {len(new_side.loaded.graph)}")
        print(f"structural diff (parsed versions)     {best(args.repeat, structural) * 1000:7.1f} ms")
        diff_specs(str(SPEC_008), str(new), check=True)  # warm: rules and ontology parsed once
        for check in (False, True):
            seconds = best(args.repeat, lambda: diff_specs(str(SPEC_008), str(new), check=check))
            print(f"{f'diff_specs(check={check}) in-process':<38}{seconds * 1000:7.1f} ms")

        repo = Path(tmp) / "repo"
        (repo / "specs").mkdir(parents=True)
        shutil.copytree(SPEC_008, repo / "specs" / SPEC_008.name)
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@spec-check.invalid",
               "-c", "commit.gpgsign=false"]
        subprocess.run(git + ["init", "-q"], cwd=repo, check=True)
        subprocess.run(git + ["add", "."], cwd=repo, check=True)
        subprocess.run(git + ["commit", "-qm", "008"], cwd=repo, check=True)
        for path in new.glob("*.ttl"):
            shutil.copy(path, repo / "specs" / SPEC_008.name / path.name)

        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        command = [sys.executable, "-m", "spec_check", "diff"]
        cases = [
            ("folders", [str(SPEC_008), str(new)], ROOT),
            ("git HEAD:path vs folder", [f"HEAD:specs/{SPEC_008.name}", f"specs/{SPEC_008.name}"], repo),
        ]
        for name, pair, cwd in cases:
            for extra in (["--no-check"], []):
                def run():
                    subprocess.run(command + pair + extra, cwd=cwd, env=env, check=True, capture_output=True)
                label = f"whole command, {name} {' '.join(extra) or '(with checks)'}"
                print(f"{label:<55} {best(args.repeat, run) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
