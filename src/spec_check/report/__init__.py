# SPDX-License-Identifier: MIT
"""Reporters by name: each turns a CheckResult into text. None imports rdflib.

REPORTERS maps a --format name to a function (result, options) -> str.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..model import CheckResult


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    verbose: int = 0


def _text(result: CheckResult, options: ReportOptions) -> str:
    from .text import render_text

    return render_text(result, options.color)


def _json(result: CheckResult, options: ReportOptions) -> str:
    from .json import render_json

    return render_json(result)


REPORTERS: dict[str, Callable[[CheckResult, ReportOptions], str]] = {
    "text": _text,
    "json": _json,
}
