# SPDX-License-Identifier: MIT
""""Did you mean …?" for names a user types: commands, rule ids, config keys."""

from __future__ import annotations

import difflib
from typing import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice (difflib ratio >= 0.7), else ``""``."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.7)
    return f"; did you mean {close[0]!r}?" if close else ""
