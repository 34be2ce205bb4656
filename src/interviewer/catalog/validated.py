"""What validating a catalog file gave, kept under a digest of its bytes and of the code
that validates it, so that a file seen before as it is now is not read through pydantic.

Every command that derives something from a round, persona or loop file keeps it here:
the rows that ``rounds`` and ``personas`` list and what ``rounds show`` prints
(``listing``), and which files ``check`` found clean (``checked``). A key is what was
derived and the digest; any change to the file or to the validating code (the formats,
the loader, the plan, the modules that derive) is a new key.

Each entry is a small JSON file of its own in ``derived/`` of the cache folder, named by
the key's hash, so a command reads just the entries it needs. They were once one table
(``listing.json``), read whole and written whole by every command that used it: after
600 edits of round files had left their rows there (10.8 MB), ``rounds`` took 281 ms
against 131 ms. Entries of files as they no longer are pile up with every edit; past
``KEPT`` the oldest written go, on the slow path that adds one. The cache is best effort:
an unreadable entry is derived again; an unwritable folder, skipped. It holds nothing
that is not in the files themselves.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from interviewer.formats.light import cache_dir, prune_oldest, source_digest, write_whole

CACHE_VERSION = 2
KEPT = 2000
"""Entries kept, the newest written. The folder is pruned when it holds a quarter more."""

Row = dict[str, Any]


def digest(data: bytes) -> str:
    """The key part for a file's bytes (or anything derived from files) under this code."""
    return hashlib.blake2b(data + _rules(), digest_size=16).hexdigest()


@cache
def _rules() -> bytes:
    """The validating code's digest: a change to it is a change to every entry."""
    here = Path(__file__)
    code = [here.with_name(name) for name in ("library.py", "plan.py", "listing.py")]
    return source_digest(*code, here, here.with_name("checked.py")) + bytes([CACHE_VERSION])


def folder() -> Path:
    return cache_dir() / "derived"


def _path(key: str) -> Path:
    return folder() / f"{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}.json"


def get(key: str) -> Row | None:
    """The entry kept under ``key``, or None (never kept, pruned, or unreadable)."""
    try:
        found = json.loads(_path(key).read_bytes())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def kept(what: str, path: Path, make: Callable[[], Row]) -> Row:
    """What ``make`` derives from the file at ``path`` (its ``what``), kept under the
    digest of the file's bytes: ``make`` (pydantic) runs only for a file not seen as it is
    now."""
    key = f"{what}:{digest(path.read_bytes())}"
    found = get(key)
    if found is None:
        found = make()
        put(key, found)
    return found


def put(key: str, row: Row) -> None:
    """Keep ``row`` under ``key``, written whole at once; best effort."""
    try:
        write_whole(_path(key), json.dumps(row))
    except OSError:
        return
    _prune()


def _prune() -> None:
    """Past a quarter more than ``KEPT`` entries, remove the oldest written down to
    ``KEPT``; and the table this folder replaced, once."""
    with contextlib.suppress(OSError):
        (cache_dir() / "listing.json").unlink()
    prune_oldest(folder(), KEPT)
