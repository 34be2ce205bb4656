"""``<id>.journal``: each turn of a running session, the kernel's in one system call, before
the candidate waits on anything else.

A turn is kept by a line here: the turn and the session's fields that move with it
(``formats.transcript.JournalLine``), appended to the file in one ``write``. Once that
call returns the line is the kernel's, so a SIGKILL, an out-of-memory kill or a crash of
ours a moment later cannot take it back; the checkpoint thread then fdatasyncs it
(``checkpoints.Checkpointer``), so it outlives a power cut too, while the next request is
on its way. The transcript file itself is written whole at the first turn a process
records and when the session stops, which removes the journal. (The answer's transcript
written whole and fsynced before each request took 1.2-1.5 ms of every turn's wait, and
whole checkpoints on a background thread 0.75 ms more, in waits for the interpreter lock;
the line takes a twentieth of a millisecond.)

Every reader of a session folds its journal in (``fold``): a line whose turn the
transcript holds already is skipped, the next turn's is appended, and a line that cannot
be read (one a kill cut short) is passed over. Each line begins with a newline, so one cut
short never runs into the next.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewer.formats.transcript import Transcript

SUFFIX = ".journal"


def line_for(transcript: Transcript) -> bytes:
    """The journal line of the transcript's newest turn."""
    from interviewer.formats.transcript import JournalLine
    from interviewer.store.transcript_file import to_json

    line = JournalLine.model_construct(
        at=len(transcript.turns) - 1,
        turn=transcript.turns[-1],
        updated_at=transcript.updated_at,
        draft=transcript.draft,
        usage=transcript.usage,
        probed=list(transcript.probed),
    )
    return b"\n" + to_json(line).encode("utf-8")


def append(path: Path, line: bytes) -> None:
    """Add ``line`` to the journal at ``path`` (made if missing); OSError as the system says.
    Opened for each line, so a journal removed meanwhile (the session saved whole by
    another command) is made again rather than written into a file no reader sees."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)  # as written
    opened = partial(os.open, path, flags, 0o600)
    try:  # the folder is made only when missing, as for a transcript
        fd = opened()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = opened()
    try:
        view = memoryview(line)
        while view:  # a regular file takes it all in one call but on a full disk
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def fold(transcript: Transcript, path: Path) -> int:
    """Append to ``transcript`` the turns the journal at ``path`` holds beyond its own, with
    the fields recorded beside them; how many. No journal (or none readable): 0."""
    try:
        data = path.read_bytes()
    except OSError:
        return 0
    from pydantic import ValidationError

    from interviewer.formats.transcript import JournalLine

    folded = 0
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            line = JournalLine.model_validate_json(raw)
        except ValidationError:
            continue  # cut short by a kill: its turn is in no later line's place
        if line.at != len(transcript.turns):
            continue  # in the transcript already, or after a turn a cut line lost
        transcript.turns.append(line.turn)
        transcript.updated_at, transcript.draft = line.updated_at, line.draft
        transcript.usage, transcript.probed = line.usage, line.probed
        folded += 1
    return folded
