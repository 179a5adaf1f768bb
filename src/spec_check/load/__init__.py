# SPDX-License-Identifier: MIT
"""Load stage: spec folders → one asserted graph each, with provenance and load findings.

Each file is parsed on its own (so a broken file never hides the others, and
every triple is known to come from one file), then the files' triples are
merged into one graph that the later stages validate. Blank nodes are
relabelled in the order they are read, so output never depends on rdflib's
random blank-node ids.

discover.py finds the folders and their files, folder.py loads one folder,
parse.py and fast_turtle.py read one file, provenance.py keeps positions.
"""

from __future__ import annotations

from .discover import FolderToCheck, discover, display_path
from .limits import LoadLimits

__all__ = ["FolderToCheck", "LoadLimits", "LoadedFolder", "discover", "display_path", "load_folder"]


def __getattr__(name: str):
    # Loading needs rdflib; finding folders does not. A run answered from the cache
    # imports this package for `discover` only, so the loader is imported on first use.
    if name in ("LoadedFolder", "load_folder"):
        from . import folder

        return getattr(folder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
