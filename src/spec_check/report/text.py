# SPDX-License-Identifier: MIT
"""The text reporter: one ``file:line:col: [severity] message (rule-id)`` line per
finding (the yamllint "parsable" form, also the test oracle), then a summary."""

from __future__ import annotations

from ..model import CheckResult, FolderResult, Severity
# Keep one finding on one line: a newline, escape sequence, C1 control, line separator or bidi
# control in a file name or a literal is shown as a visible escape, never raw (terminal.py).
from ..terminal import escape_controls

_COLOURS = {Severity.VIOLATION: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"


def finding_line(f, color: bool = False) -> str:
    level = f"[{f.severity.value}]"
    if color:
        level = f"{_COLOURS[f.severity]}{level}{_RESET}"
    return f"{escape_controls(f.file)}:{f.line}:{f.column}: {level} {escape_controls(f.message)} ({f.rule_id})"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(applied: int, passed: int, closure: float, violations: int, warnings: int,
                 files: int, triples: int, unparsed: int, suppressed: int = 0, baselined: int = 0) -> str:
    text = (f"closure {closure:.1f}% ({passed:,}/{applied:,} checks), {_plural(violations, 'violation')}, "
            f"{_plural(warnings, 'warning')}, {_plural(files, 'file')}, {_plural(triples, 'triple')}")
    if suppressed:
        text += f", {suppressed:,} suppressed"
    if baselined:
        text += f", {baselined:,} in baseline"
    if unparsed:
        text += f"; incomplete: {_plural(unparsed, 'file')} did not parse"
    return text


def folder_summary(folder: FolderResult) -> str:
    text = summary_line(folder.checks_applied, folder.checks_passed, folder.closure,
                        folder.counts.get("violation", 0), folder.counts.get("warning", 0),
                        len(folder.files), folder.triples, len(folder.unparsed_files),
                        folder.suppressed, folder.baselined)
    return text + dialect_summary(folder)


def dialect_summary(folder: FolderResult) -> str:
    """What a folder written in another vocabulary was read as; empty for our own vocabulary."""
    if not folder.dialects:
        return ""
    r = folder.recognised
    stories = r.get("stories", 0)
    return (f"; dialect {', '.join(folder.dialects)}: recognised {stories:,} "
            f"{'story' if stories == 1 else 'stories'}, {_plural(r.get('scenarios', 0), 'scenario')}, "
            f"{_plural(r.get('tasks', 0), 'task')}, {_plural(r.get('requirements', 0), 'requirement')}")


def total_summary(result: CheckResult) -> str:
    return summary_line(
        result.checks_applied, result.checks_passed, result.closure,
        result.count(Severity.VIOLATION), result.count(Severity.WARNING),
        sum(len(f.files) for f in result.folders), sum(f.triples for f in result.folders),
        sum(len(f.unparsed_files) for f in result.folders), result.suppressed, result.baselined)


_TABLE_HEAD = ("folder", "closure", "checks", "violations", "warnings", "infos", "suppressed", "files", "note")


def folder_table(result: CheckResult) -> list[str]:
    """An aligned table, one row per folder, for runs over more than one folder."""
    rows = [_TABLE_HEAD]
    for f in result.folders:
        rows.append((escape_controls(f.path), f"{f.closure:.1f}%", f"{f.checks_passed:,}/{f.checks_applied:,}",
                     f"{f.counts.get('violation', 0):,}", f"{f.counts.get('warning', 0):,}",
                     f"{f.counts.get('info', 0):,}", f"{f.suppressed:,}", f"{len(f.files):,}",
                     _note(f)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(_TABLE_HEAD))]
    right = {1, 2, 3, 4, 5, 6, 7}
    out = []
    for row in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        out.append("  ".join(cells).rstrip())
    return out


def _note(folder: FolderResult) -> str:
    notes = (["incomplete"] if folder.unparsed_files else []) + [f"dialect {d}" for d in folder.dialects]
    return ", ".join(notes)


def summary_lines(result: CheckResult) -> list[str]:
    if len(result.folders) == 1:
        return [folder_summary(result.folders[0])]
    return folder_table(result) + ["total: " + total_summary(result)]


def render_text(result: CheckResult, color: bool = False, quiet: bool = False) -> str:
    lines = [finding_line(f, color) for f in result.findings]
    if not quiet:
        lines += summary_lines(result)
    return "\n".join(lines) + "\n" if lines else ""
