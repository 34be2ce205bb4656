"""An answer's write to disk, begun on Enter and waited for before the next request.

An answer is on disk (fsynced) before the next question is requested, whatever kills us
after Enter. Written on the main thread, the fsync's wait (about a millisecond on these
machines, more on a busy disk) came on top of every turn; written on a thread of its own,
it overlaps the work of making the request (the session's next step, the messages, the
reply guard), and the runner waits for it just before the request is sent, and before
any other save, so that checkpoints stay in order and none overtakes the answer's.
"""

from __future__ import annotations

import threading

from interviewer.formats.transcript import Transcript
from interviewer.store.transcripts import Checkpointer


class AnswerWrite:
    """At most one answer's checkpoint in flight (``start``), until ``wait``."""

    def __init__(self, checkpoints: Checkpointer) -> None:
        self._checkpoints = checkpoints
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._turns = 0

    def start(self, transcript: Transcript) -> None:
        """Begin writing the transcript as it is now (a copy with its own list of turns:
        turns recorded meanwhile cannot leak into it, and a recorded turn never changes).
        Not a daemon thread: should the interview end by a bug, the answer still lands."""
        self.wait()  # never two at once: the caller waits first, so this returns at once
        frozen = transcript.model_copy(update={"turns": list(transcript.turns)})
        self._turns = len(frozen.turns)
        self._thread = threading.Thread(target=self._write, args=(frozen,), name="answer")
        self._thread.start()

    def _write(self, frozen: Transcript) -> None:
        try:
            self._checkpoints.write_now(frozen)
        except BaseException as exc:  # raised in the caller's thread by ``wait``
            self._error = exc

    def wait(self) -> int | None:
        """Wait for the write in flight: how many turns it put on disk (None if none was
        in flight); what it raised (a ``DiskError``, a takeover) is raised here."""
        thread = self._thread
        if thread is None:
            return None
        thread.join()  # a Ctrl-C here leaves it in flight: the stop's save waits again
        self._thread = None
        error, self._error = self._error, None
        if error is not None:
            raise error
        return self._turns
