"""What validating a catalog file gave, kept under a digest of its bytes and of the code
that validates it, so that a file seen before as it is now is not read through pydantic.

One table in the cache folder (``listing.json``: a JSON object of plain values) serves
every command that derives something from a round, persona or loop file: the rows that
``rounds`` and ``personas`` list and what ``rounds show`` prints (``listing``), and which
files ``check`` found clean (``checked``). A key is what was derived and the digest; any
change to the file or to the validating code (the formats, the loader, the plan, the
modules that derive) is a new key. The cache is best effort: unreadable, it is rebuilt;
unwritable, it is skipped. It holds nothing that is not in the files themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from interviewer.formats.light import cache_dir, source_digest

CACHE_VERSION = 1
KEPT = 2000
"""Entries kept, the newest: those of files as they no longer are pile up with every edit."""

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


def cache_path() -> Path:
    return cache_dir() / "listing.json"


def read() -> dict[str, Row]:
    try:
        data = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write(table: dict[str, Row]) -> None:
    """Replace the cache at once (a reader sees the old or the new), the newest ``KEPT``
    entries of ``table``; best effort."""
    table = dict(list(table.items())[-KEPT:])
    path = cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".listing.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(table, handle)
        os.replace(tmp, path)
    except OSError:
        return
