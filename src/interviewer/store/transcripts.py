"""Transcripts on disk: atomic save, load with migration, an index for fast listing.

Each interview is ``<id>.json`` (the record) plus ``<id>.md`` (a rendering that reads on
its own) in the transcripts folder, and while it runs ``<id>.journal`` (its turns as they
are recorded: ``journal``), which every read folds in. Writes go to a temporary file in
the same folder, are flushed to disk and then renamed over the old file, so a crash or a
full disk never leaves a half-written transcript. The index (``index``) holds a summary
row per transcript, so ``list`` and ``progress`` read one file instead of parsing
thousands.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer.errors import DiskError, FileFormatError, NotFoundError
from interviewer.store import index, journal, verified
from interviewer.store.index import Summary
from interviewer.store.rescue import rescue_folder_for
from interviewer.store.session_lock import SessionLock
from interviewer.store.transcript_file import migrate as migrate
from interviewer.store.transcript_file import new_id as new_id
from interviewer.store.transcript_file import parse as parse
from interviewer.store.transcript_file import to_json
from interviewer.store.transcript_file import write_atomic as write_atomic

if TYPE_CHECKING:
    from interviewer.formats.transcript import Transcript


def save_failed(path: Path, exc: OSError) -> DiskError:
    """The error for a failed write, with advice that fits the cause."""
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "the folder is not writable: choose another with --transcripts-dir"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some disk space or choose another folder with --transcripts-dir"
    else:
        hint = "choose another folder with --transcripts-dir"
    return DiskError(f"could not save the transcript to {path}: {exc.strerror or exc}", hint=hint)


def match_prefix(prefix: str, ids: Iterable[str], what: str) -> str | None:
    """The one id a prefix names, as git resolves short hashes: an exact id, else the only
    id it begins; None when it names none; an error naming a few when it names several."""
    known = sorted(ids)
    if prefix in known:
        return prefix
    matches = [i for i in known if i.startswith(prefix)] if prefix else []
    if len(matches) > 1:
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise NotFoundError(
            f"'{prefix}' matches {len(matches)} {what}: {shown}", hint="type more of the id"
        )
    return matches[0] if matches else None


class Store:
    """The transcripts folder."""

    def __init__(self, folder: Path, render_markdown: Callable[[Transcript], str] | None = None):
        self.folder = folder
        self.render_markdown = render_markdown
        self._locks: dict[str, SessionLock] = {}

    def path(self, transcript_id: str) -> Path:
        return self.folder / f"{transcript_id}.json"

    def journal_path(self, transcript_id: str) -> Path:
        """The session's turns as they were recorded (``journal``), while it runs."""
        return self.folder / f"{transcript_id}{journal.SUFFIX}"

    def save(self, transcript: Transcript) -> Path:
        """Write the transcript, its Markdown and its index row atomically; raise DiskError.

        This is the full save, when a session stops or is scored. Per-turn checkpoints
        (``Checkpointer``) write only the JSON record, which is all a resume needs; skipping
        the rest per turn keeps our own time per turn low, and ``summaries`` re-indexes any
        file whose size or mtime moved on anyway.
        """
        path = self.path(transcript.id)
        try:
            with self.owning(transcript.id):
                write_atomic(path, to_json(transcript, indent=2))
                if self.render_markdown is not None:
                    write_atomic(path.with_suffix(".md"), self.render_markdown(transcript))
                with contextlib.suppress(FileNotFoundError):  # every turn it held is saved
                    self.journal_path(transcript.id).unlink()
            stat = path.stat()
            entry = index.summarise(transcript, stat.st_size, stat.st_mtime_ns)
            index.update(self.folder, {transcript.id: entry})
            for stale in (path.name, path.with_suffix(".md").name):  # the folder is back
                with contextlib.suppress(OSError):
                    (self.rescue_folder() / stale).unlink()
        except OSError as exc:
            raise self._failed(path, exc) from None
        return path

    def _failed(self, path: Path, exc: OSError) -> DiskError:
        return save_failed(path, exc)

    # ------------------------------------------------------------ rescue copies

    def rescue_folder(self) -> Path:
        """Where a transcript goes when this folder cannot be written (full, read-only):
        one folder per transcripts folder in the temporary folder, which every command
        that reads this store also reads."""
        return rescue_folder_for(self.folder)

    def save_rescue(self, transcript: Transcript) -> Path:
        """Write the transcript (and its Markdown) to the rescue folder; DiskError if not."""
        path = self.rescue_folder() / f"{transcript.id}.json"
        try:
            with self.owning(transcript.id):  # a rescue copy newer than the folder's is read
                write_atomic(path, to_json(transcript, indent=2))
                if self.render_markdown is not None:
                    write_atomic(path.with_suffix(".md"), self.render_markdown(transcript))
        except OSError as exc:
            raise save_failed(path, exc) from None
        return path

    def save_anywhere(self, transcript: Transcript) -> Path:
        """Save to the folder, else to the rescue folder: a paid scorecard is never lost.
        Raises the folder's DiskError only when neither could be written."""
        try:
            return self.save(transcript)
        except DiskError as exc:
            try:
                return self.save_rescue(transcript)
            except DiskError:
                raise exc from None

    def locate(self, transcript_id: str) -> Path:
        """The newest copy of a transcript: the folder's, or the rescue folder's when that
        is newer (the folder could not be written when it was last saved)."""
        path = self.path(transcript_id)
        rescued = self.rescue_folder() / path.name
        try:
            rescued_ns = rescued.stat().st_mtime_ns
        except OSError:
            return path
        try:
            return rescued if rescued_ns > path.stat().st_mtime_ns else path
        except OSError:  # no folder copy (or no folder): the rescue copy is the one
            return rescued

    def rescued_ids(self) -> list[str]:
        """Ids whose newest copy is in the rescue folder."""
        folder = self.rescue_folder()
        if not folder.is_dir():
            return []
        ids = [e.name[:-5] for e in os.scandir(folder) if e.name.endswith(".json")]
        return sorted(i for i in ids if self.locate(i).parent == folder)

    # ------------------------------------------------------------------ locks

    def lock(self, transcript_id: str, *, force: bool = False) -> SessionLock:
        """Claim a session for this process; see ``SessionLock``. Once it is ours, any
        temporary file a killed writer of it left behind is removed, and every write of
        the session through this store checks it is still ours (``owning``)."""
        lock = SessionLock(
            self.folder / f"{transcript_id}.lock",
            transcript_id,
            force=force,
            on_acquire=lambda: self.remove_strays(transcript_id),
        )
        self._locks[transcript_id] = lock
        return lock

    def owning(self, transcript_id: str) -> AbstractContextManager[None]:
        """Around a write of the session: raise ``SessionTakenOverError`` if another
        terminal has taken it over since this store locked it (nothing to check if not)."""
        lock = self._locks.get(transcript_id)
        return lock.owned() if lock is not None else contextlib.nullcontext()

    def keep_unsaved(self, transcript_id: str, answers: list[str]) -> Path | None:
        """Answers that could not be saved in a session taken over elsewhere, appended to
        ``<id>.unsaved.txt`` beside it (or in the rescue folder): text to paste into the
        terminal that has the session now. None if neither could be written."""
        heading = f"# Not saved in session {transcript_id}: it was taken over in another terminal."
        text = "\n\n".join([heading, *answers]) + "\n\n"
        for folder in (self.folder, self.rescue_folder()):
            path = folder / f"{transcript_id}.unsaved.txt"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as handle:
                    handle.write(text)
            except OSError:
                continue
            return path
        return None

    def remove_strays(self, transcript_id: str) -> None:
        """Delete ``.<id>.json.*.tmp`` files: writes that a kill cut short (never read)."""
        for folder in (self.folder, self.rescue_folder()):
            for pattern in (f".{transcript_id}.json.*.tmp", f".{transcript_id}.md.*.tmp"):
                for stray in folder.glob(pattern):
                    with contextlib.suppress(OSError):
                        stray.unlink()

    def load(self, transcript_id: str) -> Transcript:
        """The transcript named by an id or a unique prefix of it."""
        return self.read(self.resolve(transcript_id))

    def read(self, transcript_id: str) -> Transcript:
        """The transcript with exactly this id: no prefix search, so reading many is cheap."""
        return self._read(transcript_id, None)

    def load_to_show(self, transcript_id: str, verified_in: Path | None) -> Transcript:
        """``load`` for a command that only reads the session (``show``, ``export``): a
        file whose bytes were verified before (noted in ``verified_in``) is read without
        pydantic (``verified``). Never for a record that will be changed and saved."""
        return self._read(self.resolve(transcript_id), verified_in)

    def _read(self, transcript_id: str, verified_in: Path | None) -> Transcript:
        """The newest copy of the session with its journal's turns: a session that runs,
        or one whose process was killed before it was saved whole, is read whole."""
        path, pending = self.locate(transcript_id), self.journal_path(transcript_id)
        if not pending.exists():
            return verified.read(path, verified_in)
        transcript = verified.read(path, None)  # turns are added: a full record, not a light
        journal.fold(transcript, pending)
        return transcript

    def ids(self) -> list[str]:
        found = set(self.rescued_ids())
        if self.folder.is_dir():
            found.update(
                entry.name[:-5]
                for entry in os.scandir(self.folder)
                if entry.name.endswith(".json")
                and entry.name not in index.INDEX_FILES
                and entry.is_file()
            )
        return sorted(found)

    def resolve(self, prefix: str) -> str:
        """A full id from a unique prefix, as git resolves short hashes."""
        prefix = prefix.strip().removesuffix(".json")
        found = match_prefix(prefix, self.ids(), "sessions")
        if found is None:
            raise NotFoundError(
                f"no transcript matches '{prefix}' in {self.folder}",
                hint="'interviewer list' shows the saved sessions",
            )
        return found

    def delete(self, transcript_id: str) -> None:
        for suffix in (".json", ".md", journal.SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                self.path(transcript_id).with_suffix(suffix).unlink()
        index.update(self.folder, {}, remove=[transcript_id])

    def summaries(self, warn: Callable[[str], None]) -> list[Summary]:
        """Every transcript's summary, newest first (see ``index.summaries``), with the
        sessions whose newest copy had to go to the rescue folder."""
        rows = {row.id: row for row in index.summaries(self.folder, warn)}
        rows.update(self._rescued_summaries(warn))
        return sorted(rows.values(), key=lambda r: r.created, reverse=True)

    def _rescued_summaries(self, warn: Callable[[str], None]) -> dict[str, Summary]:
        """Rows for transcripts whose newest copy is in the rescue folder (few, if any)."""
        rows: dict[str, Summary] = {}
        for key in self.rescued_ids():
            path = self.rescue_folder() / f"{key}.json"
            try:
                stat = path.stat()
                transcript = parse(path, path.read_text(encoding="utf-8"))
            except FileFormatError as exc:
                warn(f"skipped {exc}")
                continue
            except (OSError, UnicodeDecodeError) as exc:
                warn(f"skipped {path}: {exc}")
                continue
            rows[key] = index.summarise(transcript, stat.st_size, stat.st_mtime_ns).summary
        return rows
