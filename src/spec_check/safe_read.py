# SPDX-License-Identifier: MIT
"""Reading a file a pull request may control: regular files only, never more than a limit.

A config's ``baseline`` or ``shapes`` pointing at /dev/zero read until memory ran
out; a FIFO blocked for ever; a cache entry linked to /dev/zero likewise (issue 20
item 1 and the Low list). Every such read goes through ``read_regular_file``:
opened without blocking, checked with fstat on the open file (no race with a
swap after a check), read at most ``limit`` bytes. No rdflib here.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

DEFAULT_LIMIT = 20 * 1024 * 1024  # as the spec files' --max-file-size default


def read_regular_file(path: Path, limit: int, follow_links: bool = True) -> bytes:
    """At most ``limit`` bytes of ``path``, which must be a regular file.

    With ``follow_links`` False a symbolic link is refused too.

    Raises:
        OSError: it cannot be opened, or is not a regular file (errno EINVAL, "not a regular file").
    """
    return b"".join(_chunks(path, limit, follow_links))


def _chunks(path: Path, limit: int, follow_links: bool = True):
    """The bytes of a regular file, in chunks, at most ``limit`` in all (see read_regular_file)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        size = 0
        while size < limit:
            chunk = os.read(fd, min(1 << 20, limit - size))
            if not chunk:
                break
            size += len(chunk)
            yield chunk
    finally:
        os.close(fd)


def hash_regular_file(path: Path, limit: int) -> str:
    """SHA-256 of the first ``limit`` bytes of a regular file, streamed (for cache keys).

    Raises:
        OSError: as read_regular_file.
    """
    import hashlib

    digest, size = hashlib.sha256(), 0
    for chunk in _chunks(path, limit):
        digest.update(chunk)
        size += len(chunk)
    return f"{size}:{digest.hexdigest()}"


def read_input_text(path: Path, what: str, limit: int = DEFAULT_LIMIT, encoding: str = "utf-8") -> str:
    """The text of an input file (config, baseline, shapes, gate, dialect, query), bounded and regular.

    Raises:
        SpecCheckError: missing, unreadable, not a regular file, larger than ``limit``, or not UTF-8;
            the message names ``what`` and never quotes the file's bytes.
    """
    from .errors import SpecCheckError

    try:
        data = read_regular_file(Path(path), limit + 1)
    except FileNotFoundError:
        raise SpecCheckError(f"{what} not found", path=str(path)) from None
    except OSError as e:
        raise SpecCheckError(f"cannot read {what} ({e.strerror or e})", path=str(path)) from None
    if len(data) > limit:
        raise SpecCheckError(f"{what} is larger than {limit:,} bytes; not read", path=str(path))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise SpecCheckError(f"{what} is not UTF-8 (byte 0x{data[e.start]:02x})", path=str(path)) from None
