# SPDX-License-Identifier: MIT
"""Reporters by name: each turns a CheckResult into text. None imports rdflib.

REPORTERS maps a --format name to a function (result, options) -> str. The
CLI resolves ``auto`` (github under GitHub Actions, else text) before lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..model import CheckResult, Severity


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    verbose: int = 0
    quiet: bool = False  # only the findings, no summary (text, github)
    fail_on: Severity = Severity.VIOLATION  # junit: findings at or above it are failures


def _text(result: CheckResult, options: ReportOptions) -> str:
    from .text import render_text

    return render_text(result, options.color, options.quiet)


def _json(result: CheckResult, options: ReportOptions) -> str:
    from .json import render_json

    return render_json(result)


def _sarif(result: CheckResult, options: ReportOptions) -> str:
    from .sarif import render_sarif

    return render_sarif(result)


def _junit(result: CheckResult, options: ReportOptions) -> str:
    from .junit import render_junit

    return render_junit(result, options.fail_on)


def _github(result: CheckResult, options: ReportOptions) -> str:
    from .github import render_github

    return render_github(result, options.quiet)


def _markdown(result: CheckResult, options: ReportOptions) -> str:
    from .markdown import render_markdown

    return render_markdown(result)


def _gitlab(result: CheckResult, options: ReportOptions) -> str:
    from .gitlab import render_gitlab

    return render_gitlab(result)


REPORTERS: dict[str, Callable[[CheckResult, ReportOptions], str]] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "junit": _junit,
    "github": _github,
    "markdown": _markdown,
    "gitlab": _gitlab,
}


def auto_format(environ: dict) -> str:
    """The format ``--format auto`` means: github inside GitHub Actions, else text."""
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
