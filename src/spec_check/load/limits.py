# SPDX-License-Identifier: MIT
"""Limits and guards for untrusted input: what the loader refuses to read, and why.

spec-check runs in CI on pull requests from anyone, so every file is hostile
until read. This module owns the knobs (LoadLimits) and the pre-parse checks
that need no rdflib:

* a file over ``max_file_size`` bytes is not read;
* a symbolic link whose target lies outside the spec folder is not followed
  unless ``follow_symlinks`` is set;
* RDF/XML with an external DTD or entity, a parameter entity, nested entity
  references or an entity expansion bigger than the file allows is refused
  before the XML parser sees it (no XXE, no billion laughs);
* JSON-LD contexts are read only from inside the spec folder (load/jsonld.py).

A refused file becomes a finding; the other files of the folder are still checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024  # 20 MiB: far above any real spec file

# An internal XML entity may expand the document to at most this many times its size.
_MAX_XML_EXPANSION = 4

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass(frozen=True)
class LoadLimits:
    """What the loader will read: the CLI's --max-file-size and --follow-symlinks."""

    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    follow_symlinks: bool = False


def parse_size(text: str) -> int:
    """``"20MB"``, ``"512k"``, ``"1000"`` → bytes (binary units: 1k = 1024).

    Raises:
        ValueError: the text is no size.
    """
    m = _SIZE.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not a size; write e.g. 20MB, 512k or 1000000")
    unit = (m.group(2) or "").lower()[:1]
    return int(m.group(1)) * _UNITS[unit]


def describe_size(size: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


def symlink_escapes(path: Path, folder: Path) -> bool:
    """True when ``path`` is (or passes through) a link whose target lies outside ``folder``."""
    try:
        target = path.resolve(strict=False)
        return not target.is_relative_to(folder.resolve(strict=False))
    except (OSError, RuntimeError):  # a link loop
        return True


# -- RDF/XML ---------------------------------------------------------------

_DOCTYPE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_DOCTYPE_EXTERNAL = re.compile(r"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\b", re.IGNORECASE)
_ENTITY = re.compile(r"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(SYSTEM\b|PUBLIC\b|\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
_ANY_ENTITY = re.compile(r"<!ENTITY\b", re.IGNORECASE)


def xml_entity_problem(text: str) -> str | None:
    """Why an RDF/XML document's DTD is refused, or None when it is harmless.

    Internal entities are allowed (OWL tools write ``<!ENTITY owl "http://...">``
    to shorten IRIs) as long as their values hold no further references and
    expanding them all cannot make the document more than a few times bigger.
    """
    if not _DOCTYPE.search(text):
        return None
    if _DOCTYPE_EXTERNAL.search(text):
        return "an external DTD (SYSTEM/PUBLIC) is refused: spec-check never reads outside the folder"
    declared = _ENTITY.findall(text)
    if len(declared) != len(_ANY_ENTITY.findall(text)):
        return "an XML entity declaration could not be read safely and is refused"
    expansion = 0
    for percent, name, kind, dq, sq in declared:
        if percent:
            return f"the XML parameter entity %{name}; is refused"
        if kind.upper() in ("SYSTEM", "PUBLIC"):
            return f"the external XML entity &{name}; is refused (no XXE: files and URLs are never read)"
        value = dq if kind.startswith('"') else sq
        if "&" in value or "%" in value:
            return f"the XML entity &{name}; refers to other entities; nested expansion is refused"
        expansion += text.count(f"&{name};") * len(value)
    if expansion > _MAX_XML_EXPANSION * max(len(text), 1024):
        return f"XML entities would expand the file to {expansion:,} characters; refused"
    return None


# -- JSON-LD ---------------------------------------------------------------
