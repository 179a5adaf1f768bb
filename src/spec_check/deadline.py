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

Python swallows an exception raised inside a garbage-collector callback or a
``__del__`` method (it only reports it to ``sys.unraisablehook``), so an alarm
that lands there would be lost. The timer therefore keeps firing every
RETRY_SECONDS until the block is left, a block that ends after its time ran
out ends with FolderTimeout even if every raise was swallowed, and a swallowed
FolderTimeout is kept away from the unraisable hook (it is no error).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from contextlib import contextmanager

from .errors import SpecCheckError


class FolderTimeout(BaseException):
    """The time given to one folder ran out."""


# After the limit, the alarm repeats this often until the block is left (see above).
RETRY_SECONDS = 0.05


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
    active = True
    expired = False

    def on_alarm(_signum, _frame):
        nonlocal expired
        if active:  # not once the block is being left
            expired = True
            raise FolderTimeout()

    def unraisable(info, chained=sys.unraisablehook):
        if not isinstance(info.exc_value, FolderTimeout):
            chained(info)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    started = time.monotonic()
    outer, _interval = signal.setitimer(signal.ITIMER_REAL, seconds, RETRY_SECONDS)
    try:
        yield
    finally:
        active = False  # first: an alarm from here on raises nothing
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
            if sys.unraisablehook is unraisable:
                sys.unraisablehook = previous_hook
            if outer > 0:  # an embedding program's own alarm (e.g. a test timeout): re-arm what is left
                signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
    if expired:  # the time ran out, but every raise was swallowed before the block ended
        raise FolderTimeout()
