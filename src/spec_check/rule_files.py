# SPDX-License-Identifier: MIT
"""The files rules are read from besides shapes/: dialect alignments and SPARQL gate rules.

No rdflib here: the result cache's key is made from these files before anything is
parsed, and a run answered from the cache should not pay for importing rdflib.
"""

from __future__ import annotations

from pathlib import Path

from .errors import SpecCheckError
from .resources import data_dir


def dialect_files() -> list[Path]:
    """The built-in alignment files (ontology/dialects/*.ttl), sorted."""
    return sorted((data_dir("ontology") / "dialects").glob("*.ttl"))


def gate_files(paths: list[Path]) -> list[Path]:
    """The .rq files named by ``paths``: files as given, folders' *.rq (or their .specify/gates/*.rq).

    Raises:
        SpecCheckError: a path does not exist, or a folder holds no .rq file.
    """
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_file():
            files.append(path)
            continue
        if not path.is_dir():
            raise SpecCheckError("no such gate file or folder", path=str(path))
        found = sorted(path.glob("*.rq")) or sorted((path / ".specify" / "gates").glob("*.rq"))
        if not found:
            raise SpecCheckError("no .rq gate files in this folder (or its .specify/gates/)", path=str(path))
        files.extend(found)
    return sorted(dict.fromkeys(files), key=lambda p: (p.name, str(p)))
