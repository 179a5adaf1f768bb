# SPDX-License-Identifier: MIT
"""Blank nodes are named by what they say (issue 13), so the loaded graph, and every report made
from it, is the same whichever reader read the file and whatever labels or order it was written in."""

from __future__ import annotations

from pathlib import Path

import pytest

from spec_check.api import CheckOptions, SpecCheck
from spec_check.load import discover, load_folder
from spec_check.load import parse as parse_module

HERE = Path(__file__).resolve().parent / "blank-nodes"
FOLDERS = ("turtle", "ntriples", "shuffled")


def _triples(folder: Path) -> set:
    return set(load_folder(discover([folder])[0]).graph)


def test_same_graph_same_labels_from_any_writing():
    graphs = [_triples(HERE / name) for name in FOLDERS]
    assert any(t for t in graphs[0] if any(type(x).__name__ == "BNode" for x in t))
    assert graphs[0] == graphs[1] == graphs[2]


def test_same_labels_from_either_turtle_reader(monkeypatch):
    fast = _triples(HERE / "turtle")
    monkeypatch.setattr(parse_module, "FAST_TURTLE", False)
    assert _triples(HERE / "turtle") == fast


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_same_report_from_any_writing(engine, tmp_path):
    import shutil

    results = []
    for name in FOLDERS:  # each at the same place in a project, so only the writing differs
        project = tmp_path / name
        (project / "specs" / "x").mkdir(parents=True)
        (project / "spec-check.toml").write_text("", encoding="utf-8")
        for file in (HERE / name).iterdir():
            shutil.copy(file, project / "specs" / "x" / file.name)
        results.append(SpecCheck(CheckOptions(engine=engine)).check([project / "specs" / "x"]).folders[0])
    meaning = [sorted((f.rule_id, f.severity, f.fingerprint) for f in r.findings) for r in results]
    assert meaning[0] and meaning[0] == meaning[1] == meaning[2]
    # The two Turtle files use the same prefixes: the same messages too.
    assert sorted(f.message for f in results[0].findings) == sorted(f.message for f in results[2].findings)
    assert results[0].checks_applied == results[1].checks_applied == results[2].checks_applied
