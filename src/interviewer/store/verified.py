"""A saved session read again without pydantic, once pydantic has verified its bytes.

``show`` and ``export`` read a session the way every command does the first time:
parsed, migrated and validated by pydantic (``transcript_file.parse``), every error named.
When the file is exactly what our writer makes of the record pydantic returned (the same
bytes from ``to_json``), the SHA-256 of those bytes and of the code that reads them is
noted in the cache folder (an empty file named by it), with the records' shape
(``formats.light.shape_of``). The next time the very same bytes are read by the very same
code, they are built into light records (``formats.light.build``) and pydantic is never
imported: it was 90 ms of a 215 ms ``show``. Any other bytes (a changed, older, edited or
hand-written file) take pydantic's path again, so a broken file is reported as before.

The cache is best effort: unwritable, it is skipped; emptied, the next read fills it.
Its notes hold no content, only digests: one per verified state of a file, so past
``KEPT`` of them the oldest go (a session shown again after that is verified again), and
the shape of an older version of the code goes when a new one is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from interviewer.errors import FileFormatError
from interviewer.formats.light import Shape, build, source_digest

if TYPE_CHECKING:
    from interviewer.formats.transcript import Transcript

KEPT = 5000
"""Notes kept, the newest written: some months of sessions shown, exported and saved."""
LIGHT_LIMIT = 4 * 1024 * 1024
"""Files from this size are always read through pydantic. Checking that a file is our
writer's bytes means writing the record out again: on a session with a pasted 50 MB answer
that added 0.45 s and 90 MB to its first ``show``, to save 0.09 s on the next ones."""


def read(path: Path, cache_dir: Path | None) -> Transcript:
    """The transcript at ``path``: light when these bytes were verified before (in
    ``cache_dir``; ``None``: never), else through pydantic, noting them when they verify."""
    raw = read_bytes(path)
    notes = cache_dir if len(raw) < LIGHT_LIMIT else None
    key = _digest(raw) if notes is not None else ""
    if notes is not None and (notes / key).exists():
        record = _light(notes, raw)
        if record is not None:
            record.id = path.stem  # as ``parse`` names a session: by its file
            return cast("Transcript", record)  # the same attributes, values and methods
    from interviewer.store.transcript_file import parse, to_json

    text = decode(path, raw)
    del raw  # one copy of the file at a time
    transcript = parse(path, text)
    if notes is not None:
        ours = to_json(transcript, indent=2 if text.startswith("{\n") else None)
        if ours == text:  # what our writer makes of the record, exactly
            _note(notes, key)
    return transcript


def _light(notes: Path, raw: bytes) -> Any:
    """The light record of verified bytes, or None when the shape note is missing or
    damaged (pydantic reads them then, as if they had never been noted)."""
    shape = _shape(notes)
    if shape is None:
        return None
    try:
        return build(shape, json.loads(raw))
    except (KeyError, TypeError, ValueError, AttributeError, ImportError):
        return None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read ({exc.strerror})") from None


def decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"{path}: not a transcript (not UTF-8 text at byte {exc.start})",
            hint="restore it from a backup or delete it with 'interviewer delete'",
        ) from None


def _digest(raw: bytes) -> str:
    return hashlib.sha256(_code() + raw).hexdigest()


@cache
def _code() -> bytes:
    """The digest of the code that reads a transcript (the formats, the reader, this
    module): a change to any of it verifies every file again."""
    return source_digest(Path(__file__).with_name("transcript_file.py"), Path(__file__))


def _shape_path(cache_dir: Path) -> Path:
    return cache_dir / f"shape-{_code().hex()[:16]}.json"


def _shape(cache_dir: Path) -> Shape | None:
    try:
        found: Shape = json.loads(_shape_path(cache_dir).read_bytes())
    except (OSError, ValueError):
        return None
    return found


def _note(cache_dir: Path, key: str) -> None:
    """Note the bytes as verified, and the shape they are built to; best effort."""
    from interviewer.formats.light import prune_oldest, shape_of, write_whole
    from interviewer.formats.transcript import Transcript

    with contextlib.suppress(OSError):
        shape = _shape_path(cache_dir)
        if not shape.exists():  # written whole, its folder made: a reader sees all or none
            write_whole(shape, json.dumps(shape_of(Transcript)))
            for older in cache_dir.glob("shape-*.json"):  # the code's earlier versions'
                if older != shape:
                    older.unlink(missing_ok=True)
        (cache_dir / key).touch()
    prune_oldest(cache_dir, KEPT, spare=lambda name: name.startswith("shape-"))
