"""SIGTERM and SIGHUP stop an interview once, wherever they land: a stop Python swallowed
(raised inside a weakref callback, as the line editor's event loop runs them) is sent
again, and a second signal never interrupts the save the first began."""

from __future__ import annotations

import os
import signal
import threading
import weakref

import pytest

from interviewer.terminal.interrupts import Stopped, as_interrupt

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")


def test_a_stop_swallowed_inside_a_callback_is_raised_again() -> None:
    """The CLI sat at the prompt after a SIGTERM that landed in a weakref callback: its
    KeyboardInterrupt was printed as "Exception ignored" and every later signal ignored."""

    class Thing:
        pass

    never = threading.Event()
    with pytest.raises(Stopped, match="SIGTERM"), as_interrupt():
        thing = Thing()
        kept = weakref.ref(thing, lambda _ref: signal.raise_signal(signal.SIGTERM))
        del thing  # the callback runs now; the stop raised inside it is swallowed
        never.wait(10)  # where the interview would wait: the stop arrives here instead
    assert kept() is None


def test_a_second_signal_does_not_interrupt_the_save_the_first_began() -> None:
    saved = []
    with as_interrupt():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            threading.Event().wait(10)
        except Stopped:
            signal.raise_signal(signal.SIGTERM)  # while saving: ignored
            signal.raise_signal(signal.SIGHUP if hasattr(signal, "SIGHUP") else signal.SIGTERM)
            saved.append("saved")
    assert saved == ["saved"]
