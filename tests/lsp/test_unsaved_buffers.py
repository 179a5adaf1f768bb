# SPDX-License-Identifier: MIT
"""CheckOptions.unsaved: the check reads an editor's buffer instead of the file on disk
(the language server's input), with the loader's limits, and never from a cached result."""

from __future__ import annotations

import shutil
from pathlib import Path

from spec_check.api import CheckOptions, SpecCheck

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "specs" / "008-build-optimization-complete"


def copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("docs"))
    return folder


def test_a_buffer_replaces_the_file_on_disk(tmp_path: Path):
    folder = copy_example(tmp_path)
    plan = folder / "plan.ttl"
    broken = plan.read_text(encoding="utf-8").replace("spec:dependsOn :T001 ;", "spec:dependsOn :t001 ;", 1)
    result = SpecCheck(CheckOptions(unsaved=((plan, broken),))).check([folder])
    assert {f.rule_id for f in result.findings} == {"reference-defined", "dependency-target"}
    assert all(f.file.endswith("plan.ttl") for f in result.findings)
    # The disk is unchanged and still closed; a buffer of a file outside the folder changes nothing.
    assert SpecCheck().check([folder]).findings == ()
    other = SpecCheck(CheckOptions(unsaved=((tmp_path / "elsewhere" / "plan.ttl", broken),))).check([folder])
    assert other.findings == ()


def test_with_unsaved_shares_what_was_read_and_keeps_the_other_options():
    checker = SpecCheck(CheckOptions(ignore=("unique-label",)))
    rules = checker.rules
    other = checker.with_unsaved(((EXAMPLE / "plan.ttl", ""),))
    assert other.rules is rules and other.options.ignore == ("unique-label",)
    assert other.options.unsaved_texts == {(EXAMPLE / "plan.ttl").absolute(): ""}


def test_the_size_limit_applies_to_buffers(tmp_path: Path):
    folder = copy_example(tmp_path)
    plan = folder / "plan.ttl"
    # 51k characters, 81 kB in UTF-8: over the limit in bytes only, as the file would be on disk
    text = plan.read_text(encoding="utf-8") + "# " + "é" * 30_000 + "\n"
    result = SpecCheck(CheckOptions(max_file_size=60_000, unsaved=((plan, text),))).check([folder])
    assert [(f.rule_id, f.file.rsplit("/", 1)[1]) for f in result.findings if f.rule_id == "limit-exceeded"] == [
        ("limit-exceeded", "plan.ttl")]


def test_a_cached_result_never_answers_for_a_buffer(tmp_path: Path):
    folder = copy_example(tmp_path)
    plan = folder / "plan.ttl"
    cache = tmp_path / "cache"
    assert SpecCheck(CheckOptions(cache_dir=cache)).check([folder]).findings == ()
    broken = plan.read_text(encoding="utf-8").replace("spec:dependsOn :T001 ;", "spec:dependsOn :t001 ;", 1)
    result = SpecCheck(CheckOptions(cache_dir=cache, unsaved=((plan, broken),))).check([folder])
    assert "reference-defined" in {f.rule_id for f in result.findings}


def test_checkers_over_new_buffers_share_what_was_read_once(tmp_path: Path):
    """The language server derives a checker per keystroke: rules, dialects and the ontology are
    read once, on the checker it derives from, even when that one never checked anything."""
    folder = copy_example(tmp_path)
    plan = folder / "plan.ttl"
    base = SpecCheck()
    first = base.with_unsaved(((plan, plan.read_text(encoding="utf-8")),))
    second = base.with_unsaved(())
    assert first.rules is base.rules is second.rules
    assert first.ontology is second.ontology and first.dialects is second.dialects
    assert first.check([folder]).findings == ()  # and a derived checker still checks its own buffers


def test_a_file_parsed_before_is_taken_again_only_with_the_same_text(tmp_path: Path):
    """The loader keeps recent parses by path and text (the server re-loads a folder per keystroke):
    a buffer, its fix and an edit on disk each give their own result."""
    folder = copy_example(tmp_path)
    plan = folder / "plan.ttl"
    text = plan.read_text(encoding="utf-8")
    broken = text.replace("spec:dependsOn :T001 ;", "spec:dependsOn :t001 ;", 1)
    base = SpecCheck()
    for _ in range(2):
        assert {f.rule_id for f in base.with_unsaved(((plan, broken),)).check([folder]).findings} == {
            "reference-defined", "dependency-target"}
        assert base.with_unsaved(((plan, text),)).check([folder]).findings == ()
    plan.write_text(broken, encoding="utf-8")  # the same text on disk: the same findings
    assert {f.rule_id for f in SpecCheck().check([folder]).findings} == {"reference-defined", "dependency-target"}
    copy = tmp_path / "copy" / EXAMPLE.name  # the same texts in another folder: found in that folder
    shutil.copytree(folder, copy)
    findings = SpecCheck().check([copy]).findings
    assert len(findings) == 2 and all(f.file.endswith(f"copy/{EXAMPLE.name}/plan.ttl") for f in findings)
