# SPDX-License-Identifier: MIT
"""Accuracy benchmark: spec-check's findings against hand-labelled folders.

Each ``benchmarks/accuracy/*.toml`` names one spec folder and labels it:

* ``[[defect]]``: a true defect that must be reported (rule, file, and a
  ``focus`` or ``match`` regular expression; ``count`` when one label stands
  for several findings), with ``why`` it is a defect;
* ``[[pass]]``: something that must not be flagged (rule, optional file,
  focus, match), with ``why`` not.

A label may also give ``line`` (and ``column``): then a finding elsewhere does not
match it (where a finding points is part of being right). A labels file names its
folder with ``folder`` (a corpus folder, or one of the repository; ``real = true`` counts a
repository folder copied from a real project, such as tests/speckit/corpus/, with the real
folders), or with
``case = "tests/cases/NAME"``: that case's spec, assembled as tests/test_cases.py does.

A violation or warning that matches a ``defect`` label is a true positive;
any other violation or warning is a false positive (whether or not a
``pass`` label names it: unlabelled noise counts against us). Info findings
are listed but never counted. Prints per-rule precision and recall, then
precision over all violations and warnings, and recall over all defects.

    python benchmarks/accuracy.py [--corpus DIR] [--verbose]

``--corpus`` is where folders with ``corpus = true`` live (default:
../shared/corpus/ggen beside the checkout); other folders are relative to
the repository. A labelled folder that is absent is skipped and said so.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "benchmarks" / "accuracy"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ggen"


@dataclass
class Label:
    kind: str  # "defect" or "pass"
    rule: str
    file: str = ""
    focus: str = ""
    match: str = ""
    count: int = 1
    why: str = ""
    line: int = 0
    column: int = 0
    found: int = 0

    def matches(self, finding) -> bool:
        if finding.rule_id != self.rule:
            return False
        if (self.line and finding.line != self.line) or (self.column and finding.column != self.column):
            return False
        if self.file and Path(finding.file).name != self.file:
            return False
        if self.focus and not re.fullmatch(self.focus, finding.focus):
            return False
        if self.match and not re.search(self.match, finding.message):
            return False
        return True


@dataclass
class RuleTally:
    true_pos: int = 0
    false_pos: int = 0
    expected: int = 0
    recalled: int = 0
    false_examples: list = field(default_factory=list)


def load_labels(path: Path) -> tuple[str, bool, bool, list[Label]]:
    """(folder, in the corpus, a real folder, labels)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    labels = [Label(kind=kind, **{k: v for k, v in item.items()})
              for kind in ("defect", "pass") for item in data.get(kind, [])]
    in_corpus = bool(data.get("corpus", False))
    return data.get("folder") or data["case"], in_corpus, in_corpus or bool(data.get("real", False)), labels


def assembled_case(case: Path, scratch: Path) -> Path:
    """A tests/cases/ case's spec folder, built under ``scratch`` as the case suite builds it."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_cases import assemble, read_case

    where = scratch / case.name
    where.mkdir()
    return assemble(case, read_case(case), where)


def run(corpus: Path, verbose: bool) -> dict[str, list[int]]:
    """Print the figures; return them per group: name -> [true pos., false pos., expected, found]."""
    sys.path.insert(0, str(ROOT / "src"))
    from spec_check.api import CheckOptions, SpecCheck

    checker = SpecCheck(CheckOptions())
    tallies: dict[str, RuleTally] = {}
    total_tp = total_fp = total_expected = total_recalled = 0
    groups: dict[str, list[int]] = {}  # "real folders" / "self-written cases" -> [tp, fp, expected, recalled]
    scratch = Path(tempfile.mkdtemp(prefix="accuracy-"))
    for label_file in sorted(LABELS.glob("*.toml")):
        name, in_corpus, real, labels = load_labels(label_file)
        folder = (corpus / name) if in_corpus else (ROOT / name)
        if name.startswith("tests/cases/") and folder.is_dir():
            folder = assembled_case(folder, scratch)
        if not folder.is_dir():
            print(f"skipped {name}: {folder} is absent")
            continue
        result = checker.check([folder])
        (folder_result,) = result.folders
        tp = fp = 0
        for finding in folder_result.findings:
            if finding.severity.value == "info":
                continue
            tally = tallies.setdefault(finding.rule_id, RuleTally())
            label = next((lb for lb in labels if lb.kind == "defect" and lb.matches(finding)
                          and lb.found < lb.count), None)
            if label is not None:
                label.found += 1
                tally.true_pos += 1
                tp += 1
            else:
                tally.false_pos += 1
                fp += 1
                tally.false_examples.append(f"{name}/{Path(finding.file).name}:{finding.line} {finding.message}")
        expected = recalled = 0
        for label in labels:
            if label.kind != "defect":
                continue
            tally = tallies.setdefault(label.rule, RuleTally())
            tally.expected += label.count
            tally.recalled += label.found
            expected += label.count
            recalled += label.found
        group = groups.setdefault("real folders" if real else "self-written cases", [0, 0, 0, 0])
        for i, n in enumerate((tp, fp, expected, recalled)):
            group[i] += n
        total_tp += tp
        total_fp += fp
        total_expected += expected
        total_recalled += recalled
        print(f"{name}: {tp + fp} violations+warnings, {tp} true, {fp} false; "
              f"defects found {recalled}/{expected}; closure {folder_result.closure:.1f}%")
    shutil.rmtree(scratch, ignore_errors=True)
    print()
    print(f"{'rule':<28} {'TP':>4} {'FP':>4} {'precision':>9} {'found':>6} {'recall':>7}")
    for rule, t in sorted(tallies.items()):
        reported = t.true_pos + t.false_pos
        precision = f"{100 * t.true_pos / reported:.0f}%" if reported else "-"
        recall = f"{100 * t.recalled / t.expected:.0f}%" if t.expected else "-"
        print(f"{rule:<28} {t.true_pos:>4} {t.false_pos:>4} {precision:>9} "
              f"{t.recalled:>3}/{t.expected:<3} {recall:>6}")
        if verbose:
            for example in t.false_examples:
                print(f"    false: {example}")
    print()
    for name, (tp, fp, expected, recalled) in sorted(groups.items()):
        print(f"{name}: precision {tp}/{tp + fp} = {100 * tp / (tp + fp) if tp + fp else 100:.1f}%, "
              f"recall {recalled}/{expected} = {100 * recalled / expected if expected else 100:.1f}%")
    reported = total_tp + total_fp
    print(f"precision (violations+warnings): {total_tp}/{reported} = "
          f"{100 * total_tp / reported if reported else 100:.1f}%")
    print(f"recall (labelled defects): {total_recalled}/{total_expected} = "
          f"{100 * total_recalled / total_expected if total_expected else 100:.1f}%")
    return groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--verbose", action="store_true", help="list every false positive")
    args = parser.parse_args()
    run(args.corpus, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
