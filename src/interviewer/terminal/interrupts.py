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

A stop can also land where Python swallows every exception: a signal's handler runs
between any two bytecodes, and inside a weakref callback or a ``__del__`` (the line
editor's event loop runs such) its ``KeyboardInterrupt`` was printed as "Exception
ignored" and dropped; with later signals ignored, the CLI sat at the prompt and never
saved (SIGTERM under load, about one time in ten). Python hands such an exception to
``sys.unraisablehook``: there ours sends the same signal again, from a thread, so it is
raised once more where it can stop the interview.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from types import FrameType
from typing import Any

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


class Stopped(KeyboardInterrupt):
    """A stop asked for by a signal (its name is the message)."""


class _Stop:
    """The stop a signal asked for: later signals are ignored (a second must not
    interrupt the save the first began), but for the one sent again (``again``) when
    Python swallowed the first."""

    signum: int | None = None
    again = False


def release() -> None:
    """The sent answer is recorded: a stop that waited happens now."""
    _Held.active = False
    signum, _Held.pending = _Held.pending, None
    if signum is not None:
        raise Stopped(signal.Signals(signum).name)


def _raise(signum: int, frame: FrameType | None) -> None:
    if _Stop.signum is not None and not _Stop.again:
        return
    if _Stop.signum is None:
        _Stop.signum = signum
        if signum == getattr(signal, "SIGHUP", None):
            _detach_terminal()
    _Stop.again = False
    if _Held.active:
        _Held.pending = _Stop.signum
        return
    raise Stopped(signal.Signals(_Stop.signum).name)


def _send_again(unraisable: Any, previous: Callable[[Any], None]) -> None:
    """``sys.unraisablehook`` within ``as_interrupt``: a stop Python swallowed (see the
    module's docstring) is sent again; anything else is reported as before."""
    signum = _Stop.signum
    if not isinstance(unraisable.exc_value, Stopped) or signum is None:
        previous(unraisable)
        return
    returned = threading.Event()

    def send() -> None:  # once this hook has returned: raised inside it, it is lost again
        returned.wait()
        _Stop.again = True
        os.kill(os.getpid(), signum)

    threading.Thread(target=send, name="stop", daemon=True).start()
    returned.set()


@contextmanager
def as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise KeyboardInterrupt; restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in CAUGHT}
    hook = sys.unraisablehook
    sys.unraisablehook = partial(_send_again, previous=hook)
    try:
        yield
    finally:
        _Held.active, _Held.pending = False, None
        _Stop.signum, _Stop.again = None, False
        sys.unraisablehook = hook
        for s, handler in previous.items():
            signal.signal(s, handler)
