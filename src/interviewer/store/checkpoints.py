"""A running session's turns, kept as they are recorded: a line in the session's journal
on the caller's thread, made durable by an fdatasync on a thread of its own.

Apart from the ``Store`` (one folder of saved sessions) because it is the one writer that
runs beside the interview, with its own thread, order and failure reporting.
"""

from __future__ import annotations

import contextlib
import os
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

SETTLE_S = 0.005
"""How long the sync thread waits after a line before syncing: more than the moment an
answer piped back at once takes to arrive, far less than any model takes to reply."""


class Checkpointer:
    """Keeps each turn of a running session as it is recorded (``keep``).

    The turn's journal line is written on the caller's thread, before anything else can
    fail; a thread of its own then fdatasyncs the journal (and, the first time, its
    folder), so the line outlives a power cut too, a moment later, while the next request
    is on its way. That thread runs a few lines of Python around its system calls and
    never serialises a transcript, so it seldom holds the interpreter lock the interview
    needs: a whole checkpoint a turn on it cost 0.75 ms of each turn's wait in paired
    runs, mostly in waits for that lock.

    The whole transcript is written at once, fsynced (``write_now``), for the first turn
    this process records (what the session's start changed: its status, models, plan),
    after a failed save (so the retry is known before the interview goes on), and when
    the journal cannot be written; at the end the ``Store`` saves it whole, and removes
    the journal. A failed fdatasync is raised from the next ``keep``, ``write_now`` or
    ``flush``, so the caller still learns of a failing disk after the very turn that hit it.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.Queue[Path | None] = queue.Queue()
        # A failed sync (a DiskError), or a bug there, raised on the caller's thread at its
        # next call: the thread itself must live on, or flush() would hang.
        self._error: Exception | None = None
        self._whole = False  # whether this process has written the session whole yet
        self._named: set[Path] = set()  # journals whose folder entry is fsynced
        self._hurry = threading.Event()  # set: sync at once (the session is being saved)
        self._thread = threading.Thread(target=self._work, name="checkpoints", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        """Sync the journals of the lines kept, ``SETTLE_S`` after the first of them: the
        lines kept meanwhile (an answer piped back at once) go in the same sync, and the
        sync runs while the interview waits on the network, not on its next write."""
        done = False
        while not done:
            batch = [self._queue.get()]
            if batch[0] is not None:
                self._hurry.wait(SETTLE_S)
                with contextlib.suppress(queue.Empty):
                    while True:
                        batch.append(self._queue.get_nowait())
            done = None in batch
            try:
                for path in dict.fromkeys(p for p in batch if p is not None):
                    self._sync_reporting(path)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _sync_reporting(self, path: Path) -> None:
        """Sync, keeping a failure for the caller's next call: the thread must live on."""
        try:
            self._sync(path)
        except OSError as exc:
            self._error = self.store._failed(path, exc)
        except Exception as exc:
            self._error = exc

    def _sync(self, path: Path) -> None:
        """The journal's lines on the disk itself; its name too, the first time."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            return  # saved whole and removed since: nothing left to sync
        try:
            getattr(os, "fdatasync", os.fsync)(fd)
        finally:
            os.close(fd)
        if path not in self._named:
            with contextlib.suppress(OSError):  # no folder fsync here (Windows): best effort
                folder = os.open(path.parent, os.O_RDONLY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)
            self._named.add(path)

    def _raise_pending(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

    def keep(self, transcript: Transcript) -> None:
        """Keep the newest turn: its journal line now, in one write that only this session's
        owner may make (``SessionTakenOverError`` otherwise), synced behind it. The first
        turn this process records, and any turn whose line cannot be written, is written
        whole instead (``write_now``, DiskError when that cannot be written either)."""
        if not self._whole:
            self.write_now(transcript)
            return
        path = self.store.journal_path(transcript.id)
        try:
            with self.store.owning(transcript.id):
                journal.append(path, journal.line_for(transcript))
        except OSError:
            self.write_now(transcript)
            return
        self._raise_pending()  # the line is kept: a failing disk is reported after it
        self._queue.put(path)

    def write_now(self, transcript: Transcript) -> None:
        """Write the whole transcript, fsynced, before returning; raise DiskError on failure.

        On success an earlier failed sync is moot (this file holds every turn the journal
        held), so it is forgotten rather than reported a turn late; anything else that
        failed there is a bug, and is still raised at the next call.
        """
        path = self.store.path(transcript.id)
        try:
            staged = stage(path, to_json(transcript))
        except OSError as exc:
            raise self.store._failed(path, exc) from None
        try:
            with self.store.owning(transcript.id):
                replace(path, staged)
        except OSError as exc:
            raise self.store._failed(path, exc) from None
        except SessionTakenOverError:
            discard(staged)
            raise
        self._whole = True
        if isinstance(self._error, DiskError):
            self._error = None

    def flush(self) -> None:
        """Wait until every kept line is synced (or has failed), hurrying the sync."""
        self._hurry.set()
        try:
            self._queue.join()
        finally:
            self._hurry.clear()
        self._raise_pending()

    def close(self) -> None:
        self._hurry.set()
        self._queue.put(None)
        self._thread.join()
