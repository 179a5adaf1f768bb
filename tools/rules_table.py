# SPDX-License-Identifier: MIT
"""Print the rules table of docs/closure-score-and-rules.md from the rule catalogue.

    python tools/rules_table.py            # print it
    python tools/rules_table.py --write    # replace the table in the doc

tests/test_docs_rules_table.py fails when the doc and the catalogue differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "closure-score-and-rules.md"
HEADER = "| id | severity | kind | checks | what it checks |\n| --- | --- | --- | --- | --- |\n"


def _checks(rules, rule) -> str:
    from spec_check.vocab import SH

    if rule.kind != "shacl":
        return {"sc:Folder": "the folder (1 check)", "sc:File": "each file", "": "the folder (1 check)"}.get(
            rule.scope, f"each {rule.scope}")
    shapes = rules.shapes
    node = rules.nodes[rule.rule_id]
    shape = shapes.value(None, SH.property, node) or node
    classes = sorted(_short(c) for c in shapes.objects(shape, SH.targetClass))
    subjects_of = sorted(_short(p) for p in shapes.objects(shape, SH.targetSubjectsOf))
    parts = [f"each {c}" for c in classes]
    if subjects_of:
        parts.append("each subject of " + ", ".join(subjects_of))
    return "; ".join(parts) or "its targets"


def _short(node) -> str:
    text = str(node)
    return "spec:" + text.split("#", 1)[1] if text.startswith("https://ggen.dev/spec#") else text


def table() -> str:
    from spec_check.rules import load_rules

    rules = load_rules()
    rows = [HEADER]
    for rule_id in sorted(rules.rules):
        rule = rules.rules[rule_id]
        description = " ".join(rule.description.split()).replace("|", "\\|")
        rows.append(f"| `{rule_id}` | {rule.severity.value} | {rule.kind} | {_checks(rules, rule)} | {description} |\n")
    return "".join(rows)


def replace_in_doc(text: str, new_table: str) -> str:
    start = text.index(HEADER)
    end = text.index("\n\n", start)
    return text[:start] + new_table.rstrip("\n") + text[end:]


if __name__ == "__main__":
    if "--write" in sys.argv:
        DOC.write_text(replace_in_doc(DOC.read_text(encoding="utf-8"), table()), encoding="utf-8")
    else:
        sys.stdout.write(table())
