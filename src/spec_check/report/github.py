# SPDX-License-Identifier: MIT
"""The GitHub Actions reporter: one workflow command per finding, so findings
show as annotations on the pull request's files.

    ::error file=specs/a/plan.ttl,line=12,col=5,title=task-traced::message

violation → ``error``, warning → ``warning``, info → ``notice``. Values are
escaped as GitHub's workflow-command rules require: in the message ``%``, CR and
LF; in properties also ``:`` and ``,``. The plain summary follows (unless quiet), with no
line the runner could take for a command.
"""

from __future__ import annotations

from ..model import CheckResult, Finding, Severity
from ..terminal import escape_controls

COMMANDS = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    text = escape_controls(text, keep_newlines=True)  # ESC, C1, U+2028, bidi: visible, never raw in the log
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props = ",".join(f"{k}={escape_property(v)}" for k, v in (
        ("file", f.file), ("line", str(max(f.line, 1))), ("col", str(max(f.column, 1))), ("title", f.rule_id)))
    return f"::{COMMANDS[f.severity]} {props}::{escape_data(f.message)}"


def _inert(line: str) -> str:
    """A summary line the runner must not obey: it reads any line that starts with ``::`` (after
    leading blanks) as a workflow command, and a folder row starts with the folder's name. The
    row's first cell is a path, and ``./::name`` names the same folder."""
    if line.lstrip().startswith("::"):
        return "./" + line.lstrip()
    return line


def render_github(result: CheckResult, quiet: bool = False) -> str:
    from .text import summary_lines

    lines = [annotation(f) for f in result.findings]
    if not quiet:
        lines += [_inert(line) for line in summary_lines(result)]
    return "\n".join(lines) + "\n" if lines else ""
