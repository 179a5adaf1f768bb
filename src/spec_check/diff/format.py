# SPDX-License-Identifier: MIT
"""A SpecDiff as text (terminal), Markdown (a PR comment) or JSON (the same data).

No rdflib here: SpecDiff is plain data. Every list is already sorted, so
the output is byte-identical from run to run.
"""

from __future__ import annotations

import json
import re

from . import KindDiff, SpecDiff, ValueChange

FORMATS = ("text", "markdown", "json")
MAX_VALUE = 120  # text and Markdown shorten long values; JSON keeps them whole
FOLD_AFTER = 20  # Markdown folds a kind with more items than this into <details>


def format_diff(diff: SpecDiff, fmt: str) -> str:
    return {"text": _text, "markdown": _markdown, "json": _json}[fmt](diff)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """One line, with control characters shown as \\xNN (a spec must not drive the terminal)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", " ".join(text.split()))


def _short(value: str) -> str:
    value = _clean(value)
    return value if len(value) <= MAX_VALUE else value[:MAX_VALUE - 1] + "…"


def _closure(diff: SpecDiff) -> str:
    old, new = diff.old, diff.new
    if diff.checked:
        delta = round(new.closure - old.closure, 1)
        sign = "+" if delta > 0 else ""
        text = f"closure {old.closure:.1f}% → {new.closure:.1f}% ({sign}{delta:.1f})"
    else:
        text = "closure not checked (--no-check)"
    for side, name in ((old, "old"), (new, "new")):
        if side.unparsed_files:
            text += (f"; {name} is incomplete: {', '.join(side.unparsed_files)} did not parse "
                     "and is left out of the comparison")
    return text


def _counts(kind: KindDiff) -> str:
    return f"+{len(kind.added)} -{len(kind.removed)} ~{len(kind.changed)}"


def _change_text(change: ValueChange) -> str:
    if len(change.removed) == 1 and len(change.added) == 1:
        return f"{change.property}: {_short(change.removed[0])} → {_short(change.added[0])}"
    parts = [f"- {_short(v)}" for v in change.removed] + [f"+ {_short(v)}" for v in change.added]
    return f"{change.property}: " + "; ".join(parts)


# --------------------------------------------------------------------------- text

def _text(diff: SpecDiff) -> str:
    lines = [f"spec-check diff {diff.old.source} → {diff.new.source}", _closure(diff)]
    for kind in diff.kinds:
        if kind.empty:
            continue
        lines.append("")
        lines.append(f"{kind.kind} ({_counts(kind)})")
        for mark, items in (("+", kind.added), ("-", kind.removed), ("~", kind.changed)):
            for item in items:
                head = f"{_clean(item.id)} → {_clean(item.target)}" if item.target else _clean(item.id)
                lines.append(f"  {mark} {head}" + (f"  {_short(item.label)}" if item.label else ""))
                for change in item.changes:
                    lines.append(f"      {_change_text(change)}")
    if not diff.has_changes:
        lines.append("no change in meaning")
    if diff.checked:
        for title, findings in (("findings fixed", diff.findings_fixed),
                                ("findings introduced", diff.findings_introduced)):
            lines.append("")
            lines.append(f"{title} ({len(findings)})")
            for f in findings:
                lines.append(f"  {_clean(f.file)}:{f.line}:{f.column}: [{f.severity.value}] "
                             f"{_clean(f.message)} ({f.rule_id})")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _md(text: str) -> str:
    """Free text safe in Markdown (and in a table cell)."""
    return _MD_SPECIAL.sub(r"\\\1", _clean(text))


def _code(text: str) -> str:
    text = _clean(text).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _markdown(diff: SpecDiff) -> str:
    out = [f"### spec-check diff: {_code(diff.old.source)} → {_code(diff.new.source)}", ""]
    closure = _md(_closure(diff))
    status = f"**{closure[:1].upper()}{closure[1:]}**" if diff.checked else f"*{closure}*"
    if diff.checked:
        status += (f" · findings: {len(diff.findings_fixed)} fixed, "
                   f"{len(diff.findings_introduced)} introduced")
    out += [status, ""]
    changed_kinds = [k for k in diff.kinds if not k.empty]
    if not changed_kinds:
        out += ["No change in meaning.", ""]
    else:
        out += ["| kind | added | removed | changed |", "| --- | ---: | ---: | ---: |"]
        out += [f"| {k.kind} | {len(k.added)} | {len(k.removed)} | {len(k.changed)} |" for k in changed_kinds]
        out.append("")
        for kind in changed_kinds:
            out += [f"#### {kind.kind.capitalize()}", ""]
            count = len(kind.added) + len(kind.removed) + len(kind.changed)
            folded = count > FOLD_AFTER  # keep a big diff's comment short: the table says how many
            if folded:
                out += ["<details>", f"<summary>{count} {kind.kind}</summary>", ""]
            for word, items in (("added", kind.added), ("removed", kind.removed), ("changed", kind.changed)):
                for item in items:
                    head = f"{_code(item.id)} → {_code(item.target)}" if item.target else _code(item.id)
                    label = f" {_md(_short(item.label))}" if item.label else ""
                    out.append(f"- **{word}** {head}{label}")
                    for change in item.changes:
                        if len(change.removed) == 1 and len(change.added) == 1:
                            out.append(f"  - {_code(change.property)}: {_code(_short(change.removed[0]))} → "
                                       f"{_code(_short(change.added[0]))}")
                        else:
                            values = [f"−{_code(_short(v))}" for v in change.removed]
                            values += [f"+{_code(_short(v))}" for v in change.added]
                            out.append(f"  - {_code(change.property)}: {', '.join(values)}")
            out.append("")
            if folded:
                out += ["</details>", ""]
    if diff.checked:
        for title, findings in (("Findings introduced", diff.findings_introduced),
                                ("Findings fixed", diff.findings_fixed)):
            if not findings:
                continue
            out += [f"#### {title} ({len(findings)})", ""]
            out += [f"- {_code(f'{f.file}:{f.line}')} **{f.severity.value}** {_md(f.message)} "
                    f"({_code(f.rule_id)})" for f in findings]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- json

def _version(v) -> dict:
    doc = {"source": v.source, "files": list(v.files), "triples": v.triples}
    if v.checked:
        doc.update({"closure": v.closure, "checks_applied": v.checks_applied,
                    "checks_passed": v.checks_passed, "findings": v.findings})
    doc["unparsed_files"] = list(v.unparsed_files)
    return doc


def _item(item) -> dict:
    doc = {"id": item.id, "label": item.label}
    if item.target:
        doc["target"] = item.target
    if item.changes:
        doc["changes"] = [{"property": c.property, "removed": list(c.removed), "added": list(c.added)}
                          for c in item.changes]
    return doc


def _finding(f) -> dict:
    return {"file": f.file, "line": f.line, "column": f.column, "rule": f.rule_id,
            "severity": f.severity.value, "message": f.message, "focus": f.focus, "value": f.value}


def _json(diff: SpecDiff) -> str:
    doc = {
        "format": "spec-check-diff",
        "version": 1,
        "old": _version(diff.old),
        "new": _version(diff.new),
        "checked": diff.checked,
        "changes": {k.kind: {"added": [_item(i) for i in k.added], "removed": [_item(i) for i in k.removed],
                             "changed": [_item(i) for i in k.changed]} for k in diff.kinds},
        "findings": {"fixed": [_finding(f) for f in diff.findings_fixed],
                     "introduced": [_finding(f) for f in diff.findings_introduced]},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
