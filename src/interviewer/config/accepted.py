"""Which config files pydantic took as they are written, so that reading one again costs a
hash instead of pydantic's import (some 70 ms of a 200 ms ``doctor`` on a 2-core machine).

A config file is checked by pydantic (``schema.FileConfig``) the first time it is read as
it is now. Where every value came out of that check as it went in (a word as a word, a
number as a number, a key as its text, a folder as its path), the file's table is noted
here, under a digest of it and of the code that checks it; read again, a noted table is
used as it is, and the settings made of it are exactly those made of pydantic's values. A
file whose values pydantic converts (``voice = "t"`` to ``True``, ``timeout_s = "30"`` to
``30.0``) is never noted, so it is checked on every run, and a file with a problem has
its problem named on every run.

The notes hold digests only, and no key's text goes into one: a key is hashed as its type
(pydantic takes any text as a key). The cache is best effort: unreadable notes are no
notes, and an unwritable folder is skipped.
"""

from __future__ import annotations

import hashlib
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from interviewer.formats.light import cache_dir, source_digest, write_whole

NOTES = "config-accepted"
"""The notes' file in the cache folder: one digest a line, the newest first."""
KEPT = 8
"""Tables noted: enough for a few config files used by turns (``INTERVIEWER_CONFIG``)."""
SECRETS = ("api_key", "judge_api_key")


def accepted(table: dict[str, Any]) -> bool:
    """Whether pydantic took ``table`` (a config file's, as read) as it is, before."""
    try:
        return _key(table) in (cache_dir() / NOTES).read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return False


def note(table: dict[str, Any], checked: dict[str, Any]) -> None:
    """Note ``table`` when ``checked`` (what pydantic gave for it) holds each of its values
    as it was written; else leave it to be checked on every run."""
    if not all(_same(checked.get(key), value) for key, value in table.items()):
        return
    notes = cache_dir() / NOTES
    try:
        kept = notes.read_text(encoding="ascii").split()
    except (OSError, ValueError):
        kept = []
    key = _key(table)
    lines = [key, *(k for k in kept if k != key)][:KEPT]
    try:
        write_whole(notes, "\n".join(lines) + "\n")
    except OSError:
        return


def _same(checked: Any, value: Any) -> bool:
    """Whether ``settings`` makes of the written ``value`` what it makes of the ``checked``
    one: a key of its text, a folder of its path (``"~/x/"`` is ``Path("~/x")``), a level
    of its name; anything else equal and of one type (``True == 1``, but pydantic made the
    one of the other), a whole number standing for its float."""
    if hasattr(checked, "get_secret_value"):
        return isinstance(value, str) and checked.get_secret_value() == value
    if isinstance(checked, Path):
        return isinstance(value, str) and Path(value) == checked
    if isinstance(checked, Enum):
        return isinstance(value, str) and checked.value == value
    if isinstance(checked, list) and isinstance(value, list):
        return len(checked) == len(value) and all(map(_same, checked, value))
    kind_ok = type(checked) is type(value) or (type(checked), type(value)) == (float, int)
    return kind_ok and checked == value


def _key(table: dict[str, Any]) -> str:
    shown = {k: type(v).__name__ if k in SECRETS else v for k, v in table.items()}
    return hashlib.blake2b(repr(shown).encode() + _rules(), digest_size=16).hexdigest()


@cache
def _rules() -> bytes:
    """The checking code's digest (the schema, the formats it uses, the installed
    pydantic): a change to it is a change to every note."""
    here = Path(__file__)
    return source_digest(here, here.with_name("schema.py"), here.with_name("settings.py"))
