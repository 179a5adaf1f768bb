# SPDX-License-Identifier: MIT
"""Turn the paths a user gives into spec folders and their RDF files.

A spec folder is a directory holding RDF files directly. A path that holds none
is searched below for such folders (hidden folders skipped), so `spec-check
specs/` checks every spec under it. A single file is a folder of one file.
A folder holding a marker file named ``.spec-check`` is one spec made of every
RDF file at any depth below it (for a spec split into sub-folders).
Everything is sorted, so nothing depends on file-system order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import SpecCheckError
from .formats import FORMATS


@dataclass(frozen=True)
class FolderToCheck:
    path: Path
    files: tuple[Path, ...]


MARKER = ".spec-check"


def rdf_files(folder: Path) -> list[Path]:
    if (folder / MARKER).is_file():
        return _rdf_files_below(folder)
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith(".")
    )


def _rdf_files_below(folder: Path) -> list[Path]:
    # Regular files only (links to them included), as in a plain folder: a FIFO
    # would block the read for ever, a dangling link stop the run (issue 20 item 11).
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(dirpath) / name for name in filenames
                  if Path(name).suffix.lower() in FORMATS and not name.startswith(".")
                  and (Path(dirpath) / name).is_file()]
    return sorted(found)


def discover(paths: list[Path]) -> list[FolderToCheck]:
    """Expand ``paths`` into spec folders, de-duplicated and in a stable order."""
    found: dict[Path, FolderToCheck] = {}
    for path in paths:
        if not path.exists():
            raise SpecCheckError("no such file or folder", path=display_path(path))
        if path.is_file():
            found.setdefault(path, FolderToCheck(path=path.parent, files=(path,)))
            continue
        if not path.is_dir():
            raise SpecCheckError("not a regular file or folder (a pipe or device is never read)",
                                 path=display_path(path))
        folders = _spec_folders_below(path)
        if not folders:
            raise SpecCheckError(
                "no RDF files (" + ", ".join(sorted(FORMATS)) + ") in or below this folder",
                path=display_path(path),
            )
        for folder, files in folders:
            found.setdefault(folder, FolderToCheck(path=folder, files=tuple(files)))
    return sorted(found.values(), key=lambda f: (display_path(f.path), f.files))


def _spec_folders_below(root: Path) -> list[tuple[Path, list[Path]]]:
    """(folder, its RDF files) for ``root`` if it holds RDF files, else for each such folder below it."""
    try:
        files = rdf_files(root)
    except PermissionError:
        raise SpecCheckError("cannot read this folder (permission denied)", path=display_path(root)) from None
    if files:
        return [(root, files)]
    folders = []
    for dirpath, dirnames, _files in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        if here == root:
            continue
        files = rdf_files(here)
        if files:
            folders.append((here, files))
            if (here / MARKER).is_file():
                dirnames[:] = []  # its sub-folders are part of this spec
    return folders


def display_path(path: Path) -> str:
    """The path as findings show it: relative to the working folder when inside it, POSIX slashes.

    Symbolic links are not resolved: a finding names the link the user sees in
    the folder, not wherever it points.
    """
    return _display(os.fspath(path), os.getcwd())


@lru_cache(maxsize=65536)
def _display(path: str, cwd: str) -> str:
    absolute = os.path.abspath(path)
    for base in _bases(cwd):
        if absolute == base:
            return "."
        inside = base if base.endswith(os.sep) else base + os.sep
        if absolute.startswith(inside):
            return Path(absolute[len(inside):]).as_posix()
    return Path(absolute).as_posix()


@lru_cache(maxsize=8)
def _bases(cwd: str) -> tuple[str, str]:
    # The working folder as given and resolved; resolving costs system calls, once per folder.
    return os.path.abspath(cwd), str(Path(cwd).resolve())
