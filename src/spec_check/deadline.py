# SPDX-License-Identifier: MIT
"""A per-folder time limit (--timeout), so hostile input cannot hang a CI job.

It uses SIGALRM on the main thread: the handler raises FolderTimeout in the
middle of whatever Python code is running (rdflib, pySHACL and owlrl are pure
Python, so they are interrupted between two bytecodes). FolderTimeout derives
from BaseException so that no ``except Exception`` on the way (ours or a
library's) can swallow it. The caller turns it into a ``timeout`` finding.

Why not a worker process: a folder's graph, rules and findings would have to
be pickled across, and every run would pay for a process start. The cost of
the signal is that it needs a POSIX system and the main thread; elsewhere
--timeout is refused with a clear message rather than silently ignored. An
alarm the embedding program had set is re-armed afterwards with its remaining
time (it fires late if it was due during the folder).
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from .errors import SpecCheckError


class FolderTimeout(BaseException):
    """The time given to one folder ran out."""


def timeout_supported() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float | None):
    """Raise FolderTimeout inside the ``with`` block once ``seconds`` have passed (None: never)."""
    if not seconds:
        yield
        return
    if not timeout_supported():
        raise SpecCheckError("--timeout needs a POSIX system and must run on the main thread (it uses SIGALRM)")
    fired = False

    def on_alarm(_signum, _frame):
        nonlocal fired
        if not fired:  # raise once, even if the alarm races with the end of the block
            fired = True
            raise FolderTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    started = time.monotonic()
    outer, _interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
            if outer > 0:  # an embedding program's own alarm (e.g. a test timeout): re-arm what is left
                signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
