# SPDX-License-Identifier: MIT
"""The text reporter: one ``file:line:col: [severity] message (rule-id)`` line per
finding (the yamllint "parsable" form, also the test oracle), then a summary."""

from __future__ import annotations

from ..model import CheckResult, FolderResult, Severity

_COLOURS = {Severity.VIOLATION: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F]} | {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}


def escape_controls(text: str) -> str:
    """Keep one finding on one line: a newline (or escape sequence) in a file name or a
    literal is shown as ``\\n`` (``\\x1b``), never written raw."""
    return text.translate(_CONTROLS)


def finding_line(f, color: bool = False) -> str:
    level = f"[{f.severity.value}]"
    if color:
        level = f"{_COLOURS[f.severity]}{level}{_RESET}"
    return f"{escape_controls(f.file)}:{f.line}:{f.column}: {level} {escape_controls(f.message)} ({f.rule_id})"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(applied: int, passed: int, closure: float, violations: int, warnings: int,
                 files: int, triples: int, unparsed: int) -> str:
    text = (f"closure {closure:.1f}% ({passed:,}/{applied:,} checks), {_plural(violations, 'violation')}, "
            f"{_plural(warnings, 'warning')}, {_plural(files, 'file')}, {_plural(triples, 'triple')}")
    if unparsed:
        text += f"; incomplete: {_plural(unparsed, 'file')} did not parse"
    return text


def folder_summary(folder: FolderResult) -> str:
    return summary_line(folder.checks_applied, folder.checks_passed, folder.closure,
                        folder.counts.get("violation", 0), folder.counts.get("warning", 0),
                        len(folder.files), folder.triples, len(folder.unparsed_files))


def render_text(result: CheckResult, color: bool = False) -> str:
    lines = [finding_line(f, color) for f in result.findings]
    if len(result.folders) == 1:
        lines.append(folder_summary(result.folders[0]))
    else:
        for folder in result.folders:
            lines.append(f"{escape_controls(folder.path)}: {folder_summary(folder)}")
        lines.append("total: " + summary_line(
            result.checks_applied, result.checks_passed, result.closure,
            result.count(Severity.VIOLATION), result.count(Severity.WARNING),
            sum(len(f.files) for f in result.folders), sum(f.triples for f in result.folders),
            sum(len(f.unparsed_files) for f in result.folders)))
    return "\n".join(lines) + "\n"
