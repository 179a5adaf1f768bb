# SPDX-License-Identifier: MIT
"""The per-folder time limit (spec_check.deadline): fires, cleans up, and refuses where it cannot work."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from spec_check.deadline import FolderTimeout, deadline
from spec_check.errors import SpecCheckError

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")


def _spin_until_stopped():
    for _ in range(10**10):  # pure Python work, as rdflib's parser does; the alarm ends it
        pass


def test_the_deadline_interrupts_pure_python_work_and_restores_the_handler():
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(FolderTimeout):
        with deadline(0.01):
            _spin_until_stopped()
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_an_except_exception_cannot_swallow_the_timeout():
    with pytest.raises(FolderTimeout):
        with deadline(0.01):
            try:
                _spin_until_stopped()
            except Exception:  # what a library might write; FolderTimeout is a BaseException
                pass


def test_an_outer_alarm_is_rearmed_with_its_remaining_time():
    seen = []
    previous = signal.signal(signal.SIGALRM, lambda *_: seen.append("outer"))
    try:
        signal.setitimer(signal.ITIMER_REAL, 600)
        with pytest.raises(FolderTimeout):
            with deadline(0.01):
                _spin_until_stopped()
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 0 < remaining <= 600
        assert seen == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_no_limit_is_a_no_op():
    with deadline(None):
        time.sleep(0)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_outside_the_main_thread_the_timeout_is_refused_not_ignored():
    errors = []

    def run():
        try:
            with deadline(1):
                pass
        except SpecCheckError as e:
            errors.append(str(e))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert errors and "main thread" in errors[0]


class _SlowFinaliser:
    """An object whose __del__ runs long enough for the alarm to land inside it."""

    def __del__(self):
        stop = time.monotonic() + 0.2
        while time.monotonic() < stop:
            pass


def test_an_alarm_swallowed_inside_a_finaliser_fires_again_and_is_not_reported(monkeypatch):
    # Python swallows exceptions raised in __del__ and gc callbacks (hypothesis
    # installs one): the timer repeats, and the swallowed copy is no error report.
    reported = []
    monkeypatch.setattr("sys.unraisablehook", reported.append)
    started = time.monotonic()
    with pytest.raises(FolderTimeout):
        with deadline(0.01):
            obj = _SlowFinaliser()
            del obj  # the alarm fires during __del__, which swallows it
            while time.monotonic() - started < 5:  # bounded: without the retry this returns
                pass
    assert time.monotonic() - started < 5
    assert reported == []
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_block_that_ends_after_a_swallowed_alarm_still_times_out(monkeypatch):
    reported = []
    monkeypatch.setattr("sys.unraisablehook", reported.append)
    with pytest.raises(FolderTimeout):
        with deadline(0.01):
            obj = _SlowFinaliser()
            del obj  # the only alarm lands in __del__; the block then ends before the next one
    assert reported == []
