"""One call after a delay, on one long-lived thread: the "still waiting" notice of a turn.

``threading.Timer`` starts a new thread for every call, and ``Thread.start`` waits until
that thread has run: on a busy machine that hand-off costs a scheduling slice, on every
interviewer turn, before the request is even sent. Here the thread is started once, and
arming or cancelling only updates a deadline under a lock. The thread is woken only when
a deadline comes sooner than the one it sleeps towards: a wake-up mid-turn would make it
contend with the turn's own thread for the interpreter lock, which on a busy machine can
cost the turn a whole scheduling slice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Alarm:
    """At most one pending call; arming again replaces it."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._due: float | None = None
        self._call: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None
        self._sleeping_until: float | None = None  # None: until woken

    def arm(self, delay_s: float, call: Callable[[], None]) -> None:
        """Run ``call`` on the alarm's thread in ``delay_s`` seconds, unless cancelled first."""
        with self._changed:
            self._due, self._call = time.monotonic() + delay_s, call
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="alarm", daemon=True)
                self._thread.start()
            elif self._sleeping_until is None or self._due < self._sleeping_until:
                self._changed.notify()

    def cancel(self) -> None:
        """Forget the pending call, if any (one already running finishes). The thread is
        not woken: at its deadline it finds nothing to do."""
        with self._changed:
            self._due = self._call = None

    def _run(self) -> None:
        with self._changed:
            while True:
                if self._due is None or self._call is None:
                    self._sleeping_until = None
                    self._changed.wait()
                    continue
                left = self._due - time.monotonic()
                if left > 0:
                    self._sleeping_until = self._due
                    self._changed.wait(left)
                    continue
                call, self._due, self._call = self._call, None, None
                self._changed.release()  # the call may arm or cancel again
                try:
                    call()
                except Exception:  # a notice that fails must not kill the thread
                    pass
                finally:
                    self._changed.acquire()
