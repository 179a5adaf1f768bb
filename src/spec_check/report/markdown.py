# SPDX-License-Identifier: MIT
"""The Markdown reporter: a summary for pull-request comments and GitHub's job
summary (GITHUB_STEP_SUMMARY): a headline, a per-folder table and the findings
(at most MAX_ROWS rows, so the summary stays well under GitHub's 1 MiB limit)."""

from __future__ import annotations

from ..mdescape import md_cell
from ..model import CheckResult, Severity
from ..terminal import escape_controls

MAX_ROWS = 200
_ICONS = {Severity.VIOLATION: "❌ violation", Severity.WARNING: "⚠️ warning", Severity.INFO: "ℹ️ info"}


def _code(text: str) -> str:
    """A code span for a table cell: nothing inside is Markdown or HTML, only `|` must be escaped."""
    text = escape_controls(text.replace("`", "'").replace("\r", " ").replace("\n", " ")).replace("|", "\\|")
    return "`" + text + "`"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def render_markdown(result: CheckResult) -> str:
    violations, warnings = result.count(Severity.VIOLATION), result.count(Severity.WARNING)
    infos = result.count(Severity.INFO)
    verdict = "✅ closed" if not violations else "❌ not closed"
    lines = [
        f"## spec-check: {verdict}",
        "",
        f"Closure **{result.closure:.1f}%** ({result.checks_passed:,}/{result.checks_applied:,} checks): "
        f"{_plural(violations, 'violation')}, {_plural(warnings, 'warning')}, {_plural(infos, 'info')}"
        + (f", {result.suppressed:,} suppressed" if result.suppressed else "")
        + (f", {result.baselined:,} in baseline" if result.baselined else "") + ".",
        "",
        "| folder | closure | checks | violations | warnings | infos | suppressed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in result.folders:
        note = " (incomplete: a file did not parse)" if f.unparsed_files else ""
        lines.append(f"| {_code(f.path)}{note} | {f.closure:.1f}% | {f.checks_passed:,}/{f.checks_applied:,} "
                     f"| {f.counts.get('violation', 0):,} | {f.counts.get('warning', 0):,} "
                     f"| {f.counts.get('info', 0):,} | {f.suppressed:,} |")
    if len(result.folders) > 1:
        lines.append(f"| **total** | **{result.closure:.1f}%** | {result.checks_passed:,}/{result.checks_applied:,} "
                     f"| {violations:,} | {warnings:,} | {infos:,} | {result.suppressed:,} |")
    findings = sorted(result.findings, key=lambda f: (-f.severity.rank, f))
    if findings:
        lines += ["", f"<details><summary>{len(findings):,} findings</summary>", "",
                  "| severity | rule | location | message |", "| --- | --- | --- | --- |"]
        for f in findings[:MAX_ROWS]:
            lines.append(f"| {_ICONS[f.severity]} | {_code(f.rule_id)} "
                         f"| {_code(f'{f.file}:{f.line}')} | {md_cell(f.message)} |")
        if len(findings) > MAX_ROWS:
            lines += ["", f"…and {len(findings) - MAX_ROWS:,} more (the least severe); "
                          "see the job log or the SARIF/JSON report."]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
