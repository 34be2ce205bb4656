"""A running session's checkpoints: each turn kept as it is recorded, the journal line on
the caller's thread and the whole transcript, fsynced, on a background thread of its own.

Apart from the ``Store`` (one folder of saved sessions) because it is the one writer that
runs beside the interview, with its own thread, order and failure reporting.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer.errors import DiskError, SessionTakenOverError
from interviewer.store import journal
from interviewer.store.transcript_file import discard, replace, stage, to_json
from interviewer.store.transcripts import Store

if TYPE_CHECKING:
    from interviewer.formats.transcript import Transcript


class Checkpointer:
    """Keeps each turn as it is recorded: its journal line at once, on the caller's thread
    (``keep``), and the whole transcript, fsynced, on one background thread.

    A checkpoint is numbered on the caller's thread and holds its own list of turns (so
    later turns cannot leak into it); one older than the one already in place is dropped
    rather than put over it. Each write goes to a private temporary file, fsynced, and
    only the final rename is done one at a time. ``write_now`` writes the whole transcript
    on the caller's thread: after a failed save, so the retry is known at once, and when
    the journal cannot be written. It never waits for a queue of older checkpoints, nor
    for the fsync of one in progress: on a busy machine every such wait costs a scheduling
    slice, and one fsync on these machines' disks took from 0.2 to 8 ms. A failed
    background write is raised from the next ``keep``, ``submit``, ``write_now`` or
    ``flush``, so the caller still learns of a full disk after the very turn that hit it.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.Queue[tuple[int, Path, Transcript] | None] = queue.Queue()
        # A failed background write (a DiskError), or a bug there, raised on the caller's
        # thread at its next call: the thread itself must live on, or flush() would hang.
        self._error: Exception | None = None
        self._placing = threading.Lock()
        self._numbered = 0  # the last checkpoint numbered
        self._on_disk = 0  # the newest snapshot in place
        self._thread = threading.Thread(target=self._work, name="checkpoints", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            number, path, frozen = job
            try:
                if number > self._on_disk:  # else a checkpoint written at once overtook it
                    self._write(number, path, to_json(frozen))
            except Exception as exc:
                self._error = exc
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def _next(self) -> int:
        """The next checkpoint's number, taken on the caller's thread in recording order."""
        self._numbered += 1
        return self._numbered

    def _snapshot(self, transcript: Transcript) -> tuple[int, Path, str]:
        # Compact: a third faster than indented, on every turn; the full save indents.
        return self._next(), self.store.path(transcript.id), to_json(transcript)

    def _write(self, number: int, path: Path, text: str) -> None:
        if number <= self._on_disk:
            return  # a newer snapshot is already there
        try:
            staged = stage(path, text)
        except OSError as exc:
            raise self.store._failed(path, exc) from None
        with self._placing:
            if number <= self._on_disk:
                discard(staged)
                return
            try:
                with self.store.owning(path.stem):
                    replace(path, staged)
            except OSError as exc:
                raise self.store._failed(path, exc) from None
            except SessionTakenOverError:
                discard(staged)
                raise
            self._on_disk = number

    def _raise_pending(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

    def submit(self, transcript: Transcript) -> None:
        """Queue a checkpoint for the background thread, which also turns it into JSON.

        What is queued is a shallow copy with its own list of turns: later turns cannot
        leak into it, and a recorded turn is never changed. Serialising it there takes
        a sixth of a millisecond off every turn's wait.
        """
        self._raise_pending()
        frozen = transcript.model_copy(update={"turns": list(transcript.turns)})
        self._queue.put((self._next(), self.store.path(transcript.id), frozen))

    def keep(self, transcript: Transcript) -> None:
        """Keep the newest turn: its journal line now, in one write that only this session's
        owner may make (``SessionTakenOverError`` otherwise), then the whole transcript
        queued behind it. A journal that cannot be written is passed over for
        ``write_now``, which raises DiskError when the transcript cannot be written either.
        So is a session's first turn: commands find a session by its file, so that is
        made before the candidate is asked anything.
        """
        if not self._on_disk and not self.store.path(transcript.id).exists():
            self.write_now(transcript)
            return
        path = self.store.journal_path(transcript.id)
        try:
            with self.store.owning(transcript.id):
                journal.append(path, journal.line_for(transcript))
        except OSError:
            self.write_now(transcript)
            return
        self.submit(transcript)

    def write_now(self, transcript: Transcript) -> None:
        """Write a checkpoint, fsynced, before returning; raise DiskError on failure.

        On success an earlier background DiskError is moot (this snapshot holds all it
        held), so it is forgotten rather than reported a turn late; anything else that
        failed there is a bug, and is still raised at the next call.
        """
        self._write(*self._snapshot(transcript))
        if isinstance(self._error, DiskError):
            self._error = None

    def flush(self) -> None:
        """Wait until every submitted checkpoint is on disk (or has failed)."""
        self._queue.join()
        self._raise_pending()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
