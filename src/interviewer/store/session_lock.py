"""``<id>.lock``: which process has a session open, and proof, at each write, that it still has.

Two terminals writing one session would each overwrite the other's answers (the last
writer wins), so a second terminal is refused while the first lives. A lock left by a
process that died is taken over; ``--force`` takes over a live one knowingly, and then
the terminal taken over must stop writing. So the lock file holds the holder's pid and
a random token, and every write of the transcript is made inside ``owned``: the lock file
is locked (``flock``) for the moment of the write and its token checked. A takeover
removes the old lock file under the same ``flock``, so a write either lands before the
new holder reads the transcript, or finds the token gone and is refused
(``SessionTakenOverError``): never one written over the other's unseen.

A folder where no lock can be written (read-only) is not locked: the session still runs,
and saves to the rescue folder. A full disk is an error before the session starts.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from interviewer.errors import DiskError, SessionLockedError, SessionTakenOverError, UserError

NO_ROOM = (errno.ENOSPC, errno.EDQUOT)


class SessionLock:
    """Claim a session for this process; ``owned`` around each write proves it still has."""

    def __init__(
        self,
        path: Path,
        transcript_id: str,
        *,
        force: bool = False,
        on_acquire: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.transcript_id = transcript_id
        self.force = force
        self.on_acquire = on_acquire
        self.token = secrets.token_hex(8)
        self.held = False
        self.lost = False

    def __enter__(self) -> SessionLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):  # a racing process may remove or create it between our calls
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                self._refuse_if_held()
                self._remove_theirs()
                continue
            except OSError as exc:
                if exc.errno in NO_ROOM:
                    raise self._no_room(exc) from None
                return  # an unwritable folder: nothing to lock, and nothing saved there
            self._write_claim(fd)
            self.held = True
            if self.on_acquire is not None:
                self.on_acquire()
            return

    def _write_claim(self, fd: int) -> None:
        """Our pid and token into the new lock file; on a full disk, no empty lock is left."""
        try:
            os.write(fd, f"{os.getpid()} {self.token}\n".encode())
        except OSError as exc:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            raise self._no_room(exc) from None
        os.close(fd)

    def _no_room(self, exc: OSError) -> DiskError:
        hint = "free some disk space or choose another folder with --transcripts-dir"
        if exc.errno not in NO_ROOM:
            hint = "choose another folder with --transcripts-dir"
        return DiskError(
            f"could not lock the session in {self.path.parent}: {exc.strerror or exc}", hint=hint
        )

    def _refuse_if_held(self) -> None:
        if self.path.is_dir():
            raise UserError(
                f"{self.path} is a folder, where session {self.transcript_id}'s lock file goes",
                hint=f"remove or rename that folder (rmdir '{self.path}' if it is empty)",
            )
        holder = self._holder()
        if holder is not None and holder != os.getpid() and _alive(holder) and not self.force:
            raise SessionLockedError(
                f"session {self.transcript_id} is open in another terminal (process {holder})",
                hint="finish it there, or take it over with --force",
            )

    def _remove_theirs(self) -> None:
        """Delete the other holder's lock file, under its ``flock``: a write of theirs in
        progress lands first, and every later one finds its token gone."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            _flock(fd)
            if _same_file(fd, self.path):
                os.unlink(self.path)
        finally:
            os.close(fd)

    def _holder(self) -> int | None:
        """The pid in the lock file; None when it holds none a process could have (an
        empty file, ``0`` or ``-1``, which ``kill`` reads as a group, not a process)."""
        try:
            pid = int(self.path.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if pid > 0 else None

    @contextmanager
    def owned(self) -> Iterator[None]:
        """While the block runs (a write of the transcript), the lock is surely ours: raise
        ``SessionTakenOverError`` if another terminal has taken the session over. Without
        a lock (an unwritable folder) there is nothing to check."""
        if self.lost:
            raise self._taken()
        fd = self._open() if self.held else None
        if fd is None:
            yield
            return
        try:
            _flock(fd)
            if not (_same_file(fd, self.path) and self._token_in(fd)):
                raise self._taken()
            yield
        finally:
            os.close(fd)

    def _open(self) -> int | None:
        """Our lock file, open; None if it cannot be read (the write itself will then say
        what is wrong with the folder). A lock file gone is a session taken over."""
        try:
            return os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            raise self._taken() from None
        except OSError:
            return None

    def _token_in(self, fd: int) -> bool:
        return self.token in os.read(fd, 256).decode("ascii", "replace")

    def _taken(self) -> SessionTakenOverError:
        self.lost = True  # for good: no later write of ours may land
        return SessionTakenOverError(
            f"session {self.transcript_id} was taken over in another terminal",
            hint="continue it there",
        )

    def release(self) -> None:
        if self.held and not self.lost:
            with contextlib.suppress(SessionTakenOverError, OSError), self.owned():
                os.unlink(self.path)
        self.held = False


def _flock(fd: int) -> None:
    """Hold ``fd``'s file still until it is closed (where there is ``flock``: not Windows)."""
    try:
        import fcntl
    except ImportError:
        return
    with contextlib.suppress(OSError):  # a file system without locks: the token still counts
        fcntl.flock(fd, fcntl.LOCK_EX)


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``fd`` is still the file at ``path`` (not one removed, or replaced since)."""
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True
