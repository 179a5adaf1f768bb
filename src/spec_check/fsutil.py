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
        mode = _mode_for(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            # mkstemp creates 0600; the file written must look like any other the user writes.
            os.chmod(tmp, mode)
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


def _mode_for(path: Path) -> int:
    """The permission bits the written file gets: the target's own, else 0666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process umask, read without changing it where the platform allows (threads may be writing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
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
