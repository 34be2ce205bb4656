"""Which files ``check`` found clean as they are now, so that checking them again costs a
hash instead of pydantic.

``check`` over a folder validates every file in it, and a file that changed nowhere gives
the same answer every time: ruff and mypy keep such answers for the same reason. A clean
file is noted in ``validated``'s cache under the digest of its bytes (with the code that
checks it, the folder it lies in, which can decide its kind, and its name, which its id
must match). A loop is checked against the rounds it names, so its note also holds the
digest of every round file its catalog sees: a round edited, added or removed there is a
loop checked again. A file with problems is never noted: they are found again, as they
were, on every run. ``check --no-cache`` ignores the notes.
"""

from __future__ import annotations

from pathlib import Path

from interviewer.catalog import validated
from interviewer.catalog.files import paths


class CleanNotes:
    """The notes of one ``check`` run; the digest of a catalog's rounds is taken once."""

    def __init__(self) -> None:
        self._rounds: dict[Path | None, str] = {}

    def passed(self, path: Path, raw: bytes, root: Path | None) -> bool:
        """Whether ``raw`` (the bytes of ``path``) passed ``check`` before, as they are
        now, against the catalog at ``root`` (``None``: the built-in files only)."""
        note = validated.get(_key(path, raw))
        if note is None or "rounds" not in note:
            return False
        return note["rounds"] is None or note["rounds"] == self._rounds_of(root)

    def note(self, path: Path, raw: bytes, kind: str, root: Path | None) -> None:
        """Note that ``raw`` (the bytes of ``path``, a file of ``kind``) has no problems."""
        rounds = self._rounds_of(root) if kind == "loop" else None
        validated.put(_key(path, raw), {"rounds": rounds})

    def _rounds_of(self, root: Path | None) -> str:
        """The digest of the round files a loop's catalog sees: their names and bytes."""
        if root not in self._rounds:
            found = sorted(paths("round", root).items())
            data = b"".join(name.encode() + b"\0" + p.read_bytes() for name, (p, _) in found)
            self._rounds[root] = validated.digest(data)
        return self._rounds[root]


def _key(path: Path, raw: bytes) -> str:
    where = f"{path.parent.name}/{path.name}\0".encode()
    return "check:" + validated.digest(where + raw)
