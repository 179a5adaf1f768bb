# SPDX-License-Identifier: MIT
"""Writing files so that an interrupted run never leaves half a file behind."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import SpecCheckError


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, LF) to ``path`` via a temporary file in the same folder and a rename.

    A target that exists and is not a regular file (a pipe, /dev/stdout, a
    device) is written in place: renaming over it would replace the device
    node itself, and a pipe cannot hold half a file anyway.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if _is_special(path):
        _write_in_place(path, text)
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a written file gets the usual mode
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as e:
        raise SpecCheckError(f"cannot write file ({e.strerror or e})", path=str(path)) from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _is_special(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_in_place(path: Path, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
    except OSError as e:
        raise SpecCheckError(f"cannot write file ({e.strerror or e})", path=str(path)) from None
