# SPDX-License-Identifier: MIT
"""The accuracy benchmark's own figures: the goal of issue 12, kept.

benchmarks/accuracy.py checks hand-labelled folders (benchmarks/accuracy/*.toml): the self-written
cases always, the real corpus when ../shared/corpus is there. Precision for violations and warnings
must stay at or above 90 %, and every labelled defect must be found.
"""

from __future__ import annotations

import importlib.util
import sys

from conftest import CORPUS, ROOT


def _benchmark():
    spec = importlib.util.spec_from_file_location("accuracy", ROOT / "benchmarks" / "accuracy.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_labels_name_existing_rules_and_say_why():
    from spec_check.rules import load_rules

    bench = _benchmark()
    known = set(load_rules().rules)
    for path in sorted(bench.LABELS.glob("*.toml")):
        _folder, _in_corpus, _real, labels = bench.load_labels(path)
        for label in labels:
            assert label.rule in known, (path.name, label.rule)
            assert label.why.strip(), (path.name, label.rule)


def test_precision_and_recall_on_the_labelled_folders(capsys):
    groups = _benchmark().run(CORPUS, verbose=False)
    capsys.readouterr()
    for name, (true_pos, false_pos, expected, found) in groups.items():
        assert true_pos / max(1, true_pos + false_pos) >= 0.9, name
        assert found == expected, name
    assert "self-written cases" in groups
