"""SIGTERM and SIGHUP stop an interview the way Ctrl-C does: saved, then a clean exit.

A closed terminal sends SIGHUP and ``kill`` or a logout sends SIGTERM; by default either
ends Python at once, mid-turn, with the session left "in progress" and the last answer
possibly unsaved. Inside ``as_interrupt()`` both raise ``KeyboardInterrupt`` in the main
thread instead, so the one path that already saves on Ctrl-C saves for them too. After a
hang-up the terminal is gone: its descriptors are pointed at /dev/null first, so the
save's own messages cannot fail on a dead terminal and stop the save.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

CAUGHT = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s)


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


def _raise(signum: int, frame: FrameType | None) -> None:
    for caught in CAUGHT:  # a second signal must not interrupt the save the first began
        signal.signal(caught, signal.SIG_IGN)
    if signum == getattr(signal, "SIGHUP", None):
        _detach_terminal()
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
        for s, handler in previous.items():
            signal.signal(s, handler)
