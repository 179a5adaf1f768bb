# SPDX-License-Identifier: MIT
"""Where a version of a spec comes from: a folder on disk, or `REV:path` in git.

A git revision is read without a checkout: `git cat-file -t REV:path` says
whether it is a folder (tree) or a file (blob), `git ls-tree REV:path` lists
the folder's files, and `git cat-file blob` reads each RDF file into a
temporary folder that has the same name as the spec folder (so relative IRIs
resolve exactly as they do in the working tree). The path follows git's own
rule: relative to the repository root, or to the current folder when it
starts with ./ or ../.
"""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..errors import SpecCheckError
from ..load.parse import FORMATS


@dataclass(frozen=True)
class Version:
    """One side of a diff: what the user wrote, and a folder (or file) holding it on disk."""

    label: str
    path: Path
    revision: str | None = None  # the git revision, when read from git
    single_file: bool = False  # a version may be one RDF file rather than a folder

    def show_file(self, file: str) -> str:
        """How to name one of this version's files in output (``REV:path/file`` for git)."""
        name = PurePosixPath(file).name
        if self.revision is None:
            return file
        base = self.label.rstrip("/")
        if self.single_file:
            return base
        return f"{base}/{name}" if not base.endswith(":") else f"{base}{name}"


@contextmanager
def open_version(spec: str) -> Iterator[Version]:
    """Yield ``spec`` as a Version; git revisions live in a temporary folder until the block ends."""
    path = Path(spec)
    if path.exists():
        yield Version(label=spec, path=path, single_file=path.is_file())
        return
    if ":" not in spec:
        raise SpecCheckError("no such file or folder (and not a git revision REV:path)", path=spec)
    revision, inner = spec.split(":", 1)
    if not revision:
        raise SpecCheckError("a git revision is written REV:path, e.g. main:specs/008-x", path=spec)
    if revision.startswith("-"):  # git would read it as an option (issue 20 item 6)
        raise SpecCheckError("a git revision cannot start with '-'", path=spec)
    with tempfile.TemporaryDirectory(prefix="spec-check-diff-") as tmp:
        path = _materialise(spec, revision, inner, Path(tmp))
        yield Version(label=spec, path=path, revision=revision, single_file=path.is_file())


def is_revision(name: str) -> bool:
    """Whether git knows ``name`` as a commit (a branch, tag, hash, HEAD~3, ...) here."""
    try:
        done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"],
                              capture_output=True, check=False, timeout=60)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _git(args: list[str], spec: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise SpecCheckError("git is not installed; a REV:path version needs it", path=spec) from None
    except subprocess.TimeoutExpired:
        raise SpecCheckError("git did not answer within 60 s", path=spec) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpecCheckError(f"git cannot read it: {reason[0] if reason else 'exit ' + str(done.returncode)}",
                             path=spec)
    return done.stdout


def plain_name(name: str) -> bool:
    """One plain path component: no folder part, not absolute, not . or .., no NUL or backslash.

    A crafted git tree can hold names like ``/etc/x`` or ``a/../../b`` (git
    itself refuses to check them out, but ls-tree lists them); pathlib drops
    the temporary folder for an absolute name, so such a name is never used.
    """
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\0")


def _materialise(spec: str, revision: str, inner: str, tmp: Path) -> Path:
    from ..load.limits import DEFAULT_MAX_FILE_SIZE

    object_name = f"{revision}:{inner}"
    kind = _git(["cat-file", "-t", "--end-of-options", object_name], spec).decode().strip()
    name = PurePosixPath(inner).name if inner not in ("", ".", "./") else ""
    if not plain_name(name):
        name = ""
    if kind == "blob":
        if PurePosixPath(inner).suffix.lower() not in FORMATS:
            raise SpecCheckError("not an RDF file (" + ", ".join(sorted(FORMATS)) + ")", path=spec)
        parent = PurePosixPath(inner).parent.name
        folder = tmp / (parent if plain_name(parent) else "spec")  # the base IRI uses the folder name
        folder.mkdir()
        target = folder / (name or "spec.ttl")
        size = int(_git(["cat-file", "-s", "--end-of-options", object_name], spec).decode().strip() or 0)
        if size > DEFAULT_MAX_FILE_SIZE:
            raise SpecCheckError("the file in git is larger than the size limit; not read", path=spec)
        target.write_bytes(_git(["cat-file", "blob", "--end-of-options", object_name], spec))
        return target
    if kind != "tree":
        raise SpecCheckError(f"not a folder or file in git (it is a {kind})", path=spec)
    folder = tmp / (name or "spec")
    folder.mkdir()
    # --full-tree: inside a subfolder ls-tree would otherwise list only that subfolder's part of the tree.
    listing = _git(["ls-tree", "-z", "-l", "--full-tree", "--end-of-options", object_name],
                   spec).decode("utf-8", "surrogateescape")
    written = 0
    for entry in filter(None, listing.split("\0")):
        meta, file_name = entry.split("\t", 1)
        mode, entry_type, blob, size = meta.split()
        suffix = PurePosixPath(file_name).suffix.lower()
        if (entry_type != "blob" or mode not in ("100644", "100755") or not plain_name(file_name)
                or file_name.startswith(".") or suffix not in FORMATS):
            continue  # links, submodules and names that are no plain file name are never written
        if int(size) > DEFAULT_MAX_FILE_SIZE:
            raise SpecCheckError(f"{file_name} in git is larger than the size limit; not read", path=spec)
        (folder / file_name).write_bytes(_git(["cat-file", "blob", "--end-of-options", blob], spec))
        written += 1
    if not written:
        raise SpecCheckError("no RDF files (" + ", ".join(sorted(FORMATS)) + ") directly in this folder",
                             path=spec)
    return folder
