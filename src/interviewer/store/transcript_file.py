"""A transcript's file on disk: written atomically, read with every older version
upgraded on the way in. Below both ``transcripts`` (the store) and ``index`` (the list's
rows), so neither has to import the other to read or write a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interviewer.errors import FileFormatError
from interviewer.formats.text import scalars

if TYPE_CHECKING:  # pydantic is imported by what reads or writes a record, not by the store
    from pydantic import BaseModel

    from interviewer.formats.transcript import Transcript


def new_id() -> str:
    """A short random hex id; like git, any unique prefix of it names the transcript."""
    return secrets.token_hex(4)


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Replace ``path`` with ``text`` all at once, or not at all, fsynced. ``text`` may
    come in pieces (a 50 MB export is written as it is made, never held whole)."""
    replace(path, stage(path, text))


def stage(path: Path, text: str | Iterable[str]) -> Path:
    """Write ``text``, fsynced, to a new temporary file beside ``path``; ``replace`` puts
    it there. Apart so that the slow part (the write and its fsync) need not hold up
    other writers of the same file: only the rename has to be done one at a time.
    """
    temporary = partial(tempfile.mkstemp, dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:  # the folder is made only when missing: a mkdir per write cost 0.2 ms a turn
        fd, tmp = temporary()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temporary()
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        discard(Path(tmp))
        raise
    return Path(tmp)


def replace(path: Path, staged: Path) -> None:
    """Put a staged file in place of ``path`` (atomic: readers see the old or the new)."""
    try:
        os.replace(staged, path)
    except BaseException:
        discard(staged)
        raise


def discard(staged: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(staged)


# ------------------------------------------------------------------ migrations


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept a single ``scorecard``; version 2 keeps every scoring in ``scorecards``."""
    card = data.pop("scorecard", None)
    data["scorecards"] = [card] if card else []
    data["version"] = 2
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 records the track, the planned topics and the probed dimensions; older
    sessions had none, and their defaults (empty) say so."""
    data["version"] = 3
    return data


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 keeps an answer typed but not sent (Ctrl-C) as the ``draft``, off the turns.

    Version 3 saved it as the last answer, so ``resume`` sent it half-written to the
    interviewer and the judge read it as a whole answer. It is recognisable: every sent
    answer was recorded with how it reads (``kind``); only what a stop cut short was
    not. An unscored, interrupted session that ends on such a turn gets it back as its
    draft; a scored one keeps it, since its scorecard quotes it.
    """
    turns = data.get("turns")
    if (
        data.get("status") == "interrupted"
        and not data.get("scorecards")
        and isinstance(turns, list)
        and turns
        and isinstance(turns[-1], dict)
        and turns[-1].get("role") == "candidate"
        and turns[-1].get("kind") is None
        and turns[-1].get("delivery") is None
    ):
        data["draft"] = turns.pop().get("text") or None
    data["version"] = 4
    return data


def _v4_to_v5(data: dict[str, Any]) -> dict[str, Any]:
    """Version 5 keeps a person's grades beside the judge's (``human_grades``); older
    sessions had none, and the default (empty) says so. The bump is what makes an older
    interviewer say "newer than this interviewer understands" of a graded session, rather
    than call a field it does not know damage."""
    data["version"] = 5
    return data


def _v5_to_v6(data: dict[str, Any]) -> dict[str, Any]:
    """Version 6 marks a re-drill (``drill``: the session and dimension it drills); older
    sessions were none, and the default (none) says so. Bumped for the reason version 5
    was: an older interviewer then says "newer", not "damaged", of a drill."""
    data["version"] = 6
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Upgrade an older transcript's data step by step to the current version."""
    version = data.get("version")
    while isinstance(version, int) and version in MIGRATIONS:
        data = MIGRATIONS[version](data)
        version = data.get("version")
    return data


def to_json(record: BaseModel, indent: int | None = None) -> str:
    """The transcript (or a journal line) as JSON, whatever text reached it: a lone
    surrogate (half a UTF-16 pair, from a model or a file) cannot be written as UTF-8, and
    pydantic refuses the whole record for it. Then the record is saved with U+FFFD in its
    place, rather than a session lost to one character."""
    from pydantic_core import PydanticSerializationError

    try:
        return record.model_dump_json(indent=indent)
    except PydanticSerializationError:
        data = scalars(record.model_dump(mode="json"))
        return json.dumps(data, indent=indent, ensure_ascii=False)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A JSON escape of a surrogate: the only way one can be in a UTF-8 file."""


BIG = 1 << 20
"""Characters from which a transcript dense with escapes is read by pydantic-core's JSON
reader (``_loads``)."""
DENSE = 8  # characters an escape, at most, in the middle megabyte of a dense file


def _loads(text: str) -> Any:
    """The JSON in ``text``. A big file dense with escapes (a pasted answer of millions
    of short lines) is read by pydantic-core's reader, already loaded to validate it:
    16 million escaped newlines in 0.17 s, where ``json`` takes 0.25 s. Not every big
    file: it holds the text once more while it reads (50 MB more for a 50 MB answer),
    and is no faster on one with few escapes. What it refuses (a lone surrogate, nesting
    too deep, a damaged file) is read by ``json``, whose value or error is the one given,
    as for every other file. A lone surrogate escaped into the text is read as U+FFFD
    (``scalars``); pydantic-core's reader refuses every one, so what it reads has none."""
    middle = len(text) // 2
    sample = text.count("\\", middle - BIG // 2, middle + BIG // 2) if len(text) >= BIG else 0
    if sample * DENSE > BIG:
        from pydantic_core import from_json

        with contextlib.suppress(ValueError):
            return from_json(text)
    data = json.loads(text)
    return scalars(data) if _SURROGATE_ESCAPE.search(text) else data


def parse(path: Path, text: str) -> Transcript:
    """The transcript in ``text``, read from ``path``.

    The file's name is the session's id: a copy or a renamed file whose inner id differs
    is still the session its name says, so a save (a scorecard, a resumed turn) goes back
    to the file that was read, not to a second file named by the inner id. A lone
    surrogate escaped into the text is read as U+FFFD, so the session can still be shown,
    exported, scored and resumed.
    """
    from pydantic import ValidationError

    from interviewer.formats.transcript import CURRENT_TRANSCRIPT_VERSION, Transcript

    try:
        data = _loads(text)
    except RecursionError:
        raise FileFormatError(
            f"{path}: not a transcript (nested too deeply to read)",
            hint="restore it from a backup or delete it with 'interviewer delete'",
        ) from None
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"{path}: not a valid transcript (JSON error at line {exc.lineno})",
            hint="restore it from a backup or delete it with 'interviewer delete'",
        ) from None
    if not isinstance(data, dict) or "version" not in data:
        raise FileFormatError(f"{path}: not an interviewer transcript (no 'version' field)")
    version = data["version"]
    if isinstance(version, int) and version > CURRENT_TRANSCRIPT_VERSION:
        raise FileFormatError(
            f"{path}: transcript version {version} is newer than this interviewer understands",
            hint="upgrade interviewer",
        )
    try:
        transcript = Transcript.model_validate(migrate(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise FileFormatError(
            f"{path}: {loc}: {first['msg']}",
            hint="the transcript is damaged; restore it or delete it",
        ) from None
    transcript.id = path.stem
    return transcript
