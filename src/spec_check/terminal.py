# SPDX-License-Identifier: MIT
"""The one escaping helper for text that goes to a terminal or a CI log.

Anything a spec, file name, template or query controls can hold characters a
terminal or log viewer acts on: C0 controls (ESC starts colour, cursor and OSC
sequences such as window titles or hyperlinks; BEL ends an OSC), DEL, the C1
controls U+0080-U+009F (U+009B is a one-byte CSI, U+0085 NEL a line break),
the Unicode line and paragraph separators U+2028/U+2029 (a new line to many
viewers), and the bidirectional controls that reorder what a reviewer sees
("Trojan Source"). Each is written as a visible escape (``\\x1b``, ``\\u2028``),
so one finding stays one line and shows what is really there. Every output
path uses this: the text report, error and warning lines, render's "wrote"
lines and diffs, query's tables, and the Markdown and GitHub formats.
"""

from __future__ import annotations

_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_TABLE = ({c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
          | {c: f"\\u{c:04x}" for c in [0x2028, 0x2029, *_BIDI]}
          | {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_TABLE_KEEP_TABS = {k: v for k, v in _TABLE.items() if k != ord("\t")}
_TABLE_KEEP_NEWLINES = {k: v for k, v in _TABLE.items() if k not in (ord("\n"), ord("\r"))}


def escape_controls(text: str, keep_tabs: bool = False, keep_newlines: bool = False) -> str:
    """``text`` with every control, line-separator and bidi character written as a visible escape.

    ``keep_tabs`` leaves TAB (a diff's content); ``keep_newlines`` leaves CR and LF for a
    caller that encodes them its own way (GitHub's %0A).
    """
    table = _TABLE_KEEP_TABS if keep_tabs else _TABLE_KEEP_NEWLINES if keep_newlines else _TABLE
    return str(text).translate(table)


def has_controls(text: str) -> bool:
    return escape_controls(text) != text
