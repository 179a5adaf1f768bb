# SPDX-License-Identifier: MIT
"""The rules table in docs/closure-score-and-rules.md is generated from the shapes, and stays so."""

import importlib.util

from conftest import ROOT


def _tool():
    spec = importlib.util.spec_from_file_location("rules_table", ROOT / "tools" / "rules_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doc_rules_table_matches_the_catalogue():
    tool = _tool()
    text = tool.DOC.read_text(encoding="utf-8")
    assert tool.replace_in_doc(text, tool.table()) == text, "run: python tools/rules_table.py --write"


def test_every_rule_has_a_row():
    from spec_check.rules import load_rules

    table = _tool().table()
    assert all(f"| `{rule_id}` |" in table for rule_id in load_rules().rules)
