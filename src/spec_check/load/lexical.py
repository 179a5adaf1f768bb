# SPDX-License-Identifier: MIT
"""What a file that did not parse names, read lexically (no parser).

A file with a syntax error contributes no triples, so every node it defines
looks undefined and every link it writes looks missing. To tell those
knock-on findings apart from real ones (validate/refine.py), the file's
Turtle tokens are read without its grammar: prefix declarations, IRIs and
prefixed names outside strings and comments. A name written at the start of
a line is taken as *defined* there (the usual layout of a subject); every
name is *mentioned*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

_TOKEN = re.compile(
    r'(?P<long>"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*(?:\'\'\'|$))'
    r'|(?P<short>"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r'|(?P<comment>#[^\n]*)'
    r'|(?P<prefix>@prefix|PREFIX|@base|BASE)\b'
    r'|(?P<pname>(?<![\w.:-])(?:[A-Za-z][\w.-]*)?:(?:[\w][\w.:%-]*[\w:%-]|[\w])?)',
    re.DOTALL)


@dataclass(frozen=True)
class LexicalNames:
    """IRIs an unparsed file defines (at a line start) and mentions (anywhere)."""

    defined: frozenset = frozenset()
    mentioned: frozenset = frozenset()


def _join(base: str, reference: str) -> str:
    """``reference`` resolved against ``base``; as written when it is no URL urllib can read (a file
    that did not parse holds anything, e.g. ``<http://[>``)."""
    if not base:
        return reference
    try:
        return urljoin(base, reference)
    except ValueError:
        return reference


def scan(text: str, base: str = "") -> LexicalNames:
    prefixes: dict[str, str] = {}
    defined: set[str] = set()
    mentioned: set[str] = set()
    pending = None  # "prefix" after @prefix (waiting for "p:"), then the name; "base" after @base
    declared_name = None
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group(kind)
        if kind in ("long", "short", "comment"):
            continue
        if kind == "prefix":
            pending = "base" if value.lower().endswith("base") else "prefix"
            continue
        if kind == "pname" and pending == "prefix" and value.endswith(":") and value.count(":") == 1:
            declared_name = value[:-1]
            pending = "prefix-iri"
            continue
        if kind == "iri":
            iri = _join(base, value[1:-1])
            if pending == "prefix-iri":
                prefixes[declared_name] = iri
                pending = None
                continue
            if pending == "base":
                base = iri
                pending = None
                continue
        else:
            prefix, _, local = value.partition(":")
            if prefix not in prefixes or not local:
                pending = None
                continue
            iri = prefixes[prefix] + local
        pending = None
        mentioned.add(iri)
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text[line_start:m.start()].strip():
            if m.start() == line_start:
                defined.add(iri)
    return LexicalNames(frozenset(defined), frozenset(mentioned))
