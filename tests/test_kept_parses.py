# SPDX-License-Identifier: MIT
"""The loader's kept parses (load/folder.py): only editor sessions keep them, and a changed text
is never answered by an old parse."""

from __future__ import annotations

import shutil

from conftest import SPEC_008
from rdflib import RDF

from spec_check.load import discover, load_folder
from spec_check.load import folder as folder_module
from spec_check.vocab import SPEC


def _plan_tasks(loaded) -> int:
    return len(set(loaded.graph.subjects(RDF.type, SPEC.Task)))


def test_a_check_run_keeps_no_parse(tmp_path):
    spec = shutil.copytree(SPEC_008, tmp_path / "008")
    folder_module._PARSED.clear()
    (found,) = discover([spec])
    load_folder(found)
    assert not folder_module._PARSED


def test_an_editor_session_reuses_unchanged_texts_and_reparses_changed_ones(tmp_path):
    spec = shutil.copytree(SPEC_008, tmp_path / "008")
    (found,) = discover([spec])
    feature = (spec / "feature.ttl").absolute()
    unsaved = {feature: feature.read_text(encoding="utf-8")}
    folder_module._PARSED.clear()
    first = load_folder(found, unsaved=unsaved)
    kept = {key[0].name for key in folder_module._PARSED}
    assert {"feature.ttl", "plan.ttl", "entities.ttl", "architecture.ttl"} <= kept
    assert _plan_tasks(load_folder(found, unsaved=unsaved)) == _plan_tasks(first) == 30
    # plan.ttl changes on disk: the next load reads the new text, not the kept parse.
    plan = spec / "plan.ttl"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n<urn:x:T99> a <https://ggen.dev/spec#Task> .\n",
                    encoding="utf-8")
    assert _plan_tasks(load_folder(found, unsaved=unsaved)) == 31
