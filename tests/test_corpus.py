# SPDX-License-Identifier: MIT
"""spec-check on real-world, messy ggen specs (../shared/corpus/ggen): never a traceback.

Every folder exits 0 or 1 (never 2), and every file that rdflib cannot parse is
a `syntax` finding at the line rdflib's own parser gives. Skipped, with the
reason, when the corpus is absent. SPEC_CHECK_CORPUS=DIR points at a corpus
elsewhere (e.g. from a git worktree, whose parent folder has no shared/).
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from conftest import CORPUS, run_cli
from spec_check.load.discover import rdf_files

CORPUS_DIR = Path(os.environ.get("SPEC_CHECK_CORPUS") or CORPUS)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"the real-world corpus is absent ({CORPUS_DIR}); it lives in ../shared/corpus beside "
                    "the checkout, or set SPEC_CHECK_CORPUS")
    return CORPUS_DIR


def corpus_folders() -> list[Path]:
    if not CORPUS_DIR.is_dir():
        return []
    return sorted(p for p in CORPUS_DIR.iterdir() if p.is_dir() and rdf_files(p))


def rdflib_error_line(path: Path) -> int | None:
    """The 1-based line where plain rdflib stops on this file, or None when it parses."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Graph().parse(data=path.read_text(encoding="utf-8-sig"), format="turtle")
    except BadSyntax as e:
        return e.lines + 1
    except Exception:
        return 0  # not a BadSyntax: the line is whatever the loader can find
    return None


def test_the_corpus_has_folders(corpus):
    assert corpus_folders(), f"no spec folders with RDF files in {corpus}"


@pytest.mark.parametrize("folder", corpus_folders() or [None], ids=lambda p: p.name if p else "absent")
def test_every_corpus_folder_runs_without_traceback(folder, corpus):
    run = run_cli([folder, "--format", "json"])
    assert run.exit_code in (0, 1), run.stderr
    assert "Traceback" not in run.stderr and run.stderr == ""
    doc = json.loads(run.stdout)
    syntax = {Path(f["file"]).name: f["line"] for f in doc["findings"] if f["rule_id"] == "syntax"}
    expected = {}
    for path in rdf_files(folder):
        line = rdflib_error_line(path)
        if line is not None:
            expected[path.name] = line
    if any(line == 0 for line in expected.values()):
        assert set(syntax) == set(expected)
    else:
        assert syntax == expected
    (summary,) = doc["folders"]
    assert summary["complete"] == (not expected)
    assert sorted(Path(p).name for p in summary["unparsed_files"]) == sorted(expected)
