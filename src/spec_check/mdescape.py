# SPDX-License-Identifier: MIT
"""Escaping literals for Markdown (GitHub-flavoured): the rendered documents and the markdown
reporter (PR comments, job summaries) share it, so a label is inert text wherever it lands.
No imports beyond the standard library: reporters use it without loading Jinja2 or rdflib."""

from __future__ import annotations

import re

from .terminal import escape_controls

# Characters with a meaning in a Markdown table cell or list item (and the
# backslash that escapes them). < and > become entities so no HTML gets in.
_MD_ESCAPES = {
    "\\": "\\\\", "|": "\\|", "`": "\\`", "[": "\\[", "]": "\\]", "*": "\\*", "_": "\\_",
    "<": "&lt;", ">": "&gt;", "&": "&amp;",
}
# & only where it would start an entity (&lt; &#60;), so "R&D" stays readable.
_MD_PATTERN = re.compile(r"[\\|`\[\]<>]|&(?=#?\w+;)|(?<!\w)[*_]|[*_](?!\w)")
_BLOCK_START = re.compile(r"^(#{1,6}|[-+*]|=+|\d{1,9}[.)])(?=\s|$)")
NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def md_cell(value) -> str:
    """Escape a literal for a Markdown table cell or list item: one line, no table break, no HTML.

    >>> md_cell('a | b <script>')
    'a \\\\| b &lt;script&gt;'
    """
    # ESC, C1, U+2028 and bidi controls become visible escapes (terminal.py): a label cannot
    # restyle a log, hide text or reorder what a reviewer reads.
    text = escape_controls(NEWLINES.sub(" ", str(value)).strip())
    text = _MD_PATTERN.sub(lambda m: _MD_ESCAPES[m.group(0)], text)
    # A leading "#", "-", "+", "=" or "1." would turn a paragraph into a heading or list.
    return _BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1] if m.group(1)[0].isdigit()
                            else "\\" + m.group(1), text)
