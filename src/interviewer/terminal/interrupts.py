"""SIGTERM and SIGHUP stop an interview the way Ctrl-C does: saved, then a clean exit.

A closed terminal sends SIGHUP and ``kill`` or a logout sends SIGTERM; by default either
ends Python at once, mid-turn, with the session left "in progress" and the last answer
possibly unsaved. Inside ``as_interrupt()`` both raise ``KeyboardInterrupt`` in the main
thread instead, so the one path that already saves on Ctrl-C saves for them too (Ctrl-C
itself, SIGINT, takes the same handler). After a hang-up the terminal is gone: its
descriptors are pointed at /dev/null first, so the save's own messages cannot fail on a
dead terminal and stop the save.

One moment must not be interrupted: between an answer being sent and its being recorded.
``hold()`` (called as the answer is sent) makes a stop arriving then wait until
``release()`` (called once the answer is in the transcript), so a kill right after Enter
never drops the answer on the floor between the editor and the disk.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

CAUGHT = tuple(
    s
    for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
    if s
)


def _detach_terminal() -> None:
    """Point stdin, stdout and stderr at /dev/null: reads end, writes vanish."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in (0, 1, 2):
        with suppress(OSError):
            os.dup2(null, fd)
    os.close(null)


class _Held:
    """Between an answer being sent and its being recorded, a stop waits (see ``hold``)."""

    active = False
    pending: int | None = None


def hold() -> None:
    """An answer was just sent: a SIGTERM or SIGHUP arriving now waits for ``release``, so
    the answer is recorded (and saved) before the stop, instead of being dropped between
    the editor and the transcript."""
    _Held.active = True


def release() -> None:
    """The sent answer is recorded: a stop that waited happens now."""
    _Held.active = False
    signum, _Held.pending = _Held.pending, None
    if signum is not None:
        raise KeyboardInterrupt(signal.Signals(signum).name)


def _raise(signum: int, frame: FrameType | None) -> None:
    for caught in CAUGHT:  # a second signal must not interrupt the save the first began
        signal.signal(caught, signal.SIG_IGN)
    if signum == getattr(signal, "SIGHUP", None):
        _detach_terminal()
    if _Held.active:
        _Held.pending = signum
        return
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise KeyboardInterrupt; restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in CAUGHT}
    try:
        yield
    finally:
        _Held.active, _Held.pending = False, None
        for s, handler in previous.items():
            signal.signal(s, handler)
