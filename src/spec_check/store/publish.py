# SPDX-License-Identifier: MIT
"""`spec-check publish`: check folders with the one pipeline, then write each into a store.

The folders are checked together (SpecCheck.check, so cross-folder references
resolve as in `spec-check check`), then each is loaded again for its graphs
(SpecCheck.load) and written by one SPARQL Update (layout.folder_update): a
folder is replaced whole or not at all. Folders are written one after the
other; when the target fails half-way, the folders before are published, the
rest keep what they had, and the error says how far it got.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from .. import __version__
from ..api import CheckOptions, SpecCheck
from ..errors import SpecCheckError
from ..model import CheckResult
from .layout import FolderSource, Publication, folder_update, is_latest_run, run_iri
from .source import SourceFinder

# progress(done, total, folder display path, written): after each folder; written is
# False when the store already held exactly this run of the folder.
Progress = Callable[[int, int, str, bool], None]


@dataclass(frozen=True)
class Published:
    result: CheckResult
    sources: tuple[FolderSource, ...]
    written: tuple[bool, ...]  # per folder: replaced (True) or already up to date (False)


def publish_time() -> str:
    """Now as xsd:dateTime (UTC, seconds); SOURCE_DATE_EPOCH fixes it, for reproducible stores."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        seconds = int(epoch) if epoch else int(time.time())
    except ValueError:
        raise SpecCheckError(f"SOURCE_DATE_EPOCH is not a number of seconds: {epoch!r}") from None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def content_digest(paths, result, file_paths: dict) -> str:
    """sha256 over each file's name and bytes, and the folder's check result.

    The result is part of it because a folder's findings can change while its
    files do not (a folder it refers to was fixed, the rules changed).
    """
    digest = hashlib.sha256()
    summary = (result.triples, result.checks_applied, result.checks_failed, result.complete, sorted(
        (file_paths.get(f.file, f.file), f.line, f.column, f.rule_id, f.severity.value, f.message, f.focus, f.value)
        for f in result.findings))
    digest.update(repr(summary).encode("utf-8") + b"\0")
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable")
        digest.update(b"\0")
    return digest.hexdigest()


def publish(paths: list[Path], target, options: CheckOptions | None = None, repository: str | None = None,
            progress: Optional[Progress] = None, force: bool = False) -> Published:
    """Check the spec folders in ``paths`` and publish each into ``target``.

    A folder whose latest run in the store is this very run (same files, same
    result, tool version and options) is left as it is, unless
    ``force``: its graphs would be written again identical.

    Raises:
        SpecCheckError: a path is missing or no folder, the check cannot run, or the
            target refuses or fails (the message says which folders were published).
    """
    from ..load import discover, display_path

    options = options or CheckOptions()
    for path in paths:
        if Path(path).is_file():  # a folder is the unit that is replaced whole
            raise SpecCheckError("publish takes spec folders, not single files", path=Path(path).as_posix())
    folders = discover([Path(p) for p in paths])
    checker = SpecCheck(options)
    result = checker.check([f.path for f in folders])
    find_source = SourceFinder(repository)
    sources = tuple(find_source(f.path) for f in folders)
    _refuse_clashes(folders, sources)
    when = publish_time()
    options_key = options.result_key()
    written = []
    for done, (folder, folder_result, source) in enumerate(zip(folders, result.folders, sources)):
        file_paths = {display_path(p): _in_repository(source, folder.path, p) for p in folder.files}
        digest = content_digest(folder.files, folder_result, file_paths)
        try:
            if not force and target.query(is_latest_run(source, run_iri(source, digest, __version__, options_key)),
                                          "ASK").boolean:
                written.append(False)
                if progress is not None:
                    progress(done + 1, len(folders), folder_result.path, False)
                continue
            loaded, view = checker.load(folder.path)
            pub = Publication(
                source=source, result=folder_result, asserted=loaded.graph, view=view.graph,
                prefixes=dict(loaded.index.prefixes_by_file), content_digest=digest,
                tool_version=__version__, options_key=options_key, published_at=when, file_paths=file_paths,
            )
            target.update(folder_update(pub))
            written.append(True)
        except SpecCheckError as e:
            where = f"{done} of {len(folders)} folders published before it" if done else "nothing was published"
            raise SpecCheckError(f"{e.message}; publishing {folder_result.path} failed, {where}; "
                                 "the store holds each folder whole, old or new: run publish again",
                                 path=e.path) from None
        if progress is not None:
            progress(done + 1, len(folders), folder_result.path, True)
    return Published(result=result, sources=sources, written=tuple(written))


def _in_repository(source: FolderSource, folder: Path, file: Path) -> str:
    """A file's path in its repository (findings name it so, not by where it was checked out)."""
    inside = file.relative_to(folder).as_posix()
    return inside if source.path == "." else f"{source.path}/{inside}"


def _refuse_clashes(folders, sources) -> None:
    seen: dict[str, str] = {}
    for folder, source in zip(folders, sources):
        other = seen.setdefault(source.iri, folder.path.as_posix())
        if other != folder.path.as_posix():
            raise SpecCheckError(f"{other} and {folder.path.as_posix()} would be published under the same "
                                 f"name {source.iri}; publish them separately with different --repository")
