"""Where the rounds, personas and loops are: the package's folders and the user's own.

Built-in files ship inside the wheel under ``interviewer/_data``; in a source checkout
they are read from the repository's top-level ``rubrics/``, ``prompts/`` and ``loops/``.
Apart from ``library`` (which validates them) so that ``listing`` can find them without
importing pydantic.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

FOLDERS = {  # kind: (built-in folder, user folder)
    "round": ("rubrics", "rubrics"),
    "persona": ("prompts/personas", "personas"),
    "loop": ("loops", "loops"),
}


@cache
def data_root() -> Path:
    """Where the built-in rubrics, prompts and loops live."""
    packaged = Path(str(resources.files("interviewer"))) / "_data"
    if packaged.is_dir():
        return packaged
    # Source checkout or editable install: src/interviewer/catalog/files.py -> the root.
    return Path(__file__).resolve().parents[3]


def paths(kind: str, user_dir: Path | None) -> dict[str, tuple[Path, bool]]:
    """Every file of a kind by id (its file name); user files shadow built-ins."""
    builtin_sub, user_sub = FOLDERS[kind]
    folders = [(data_root() / builtin_sub, True)]
    if user_dir is not None:
        folders.append((user_dir / user_sub, False))
    found: dict[str, tuple[Path, bool]] = {}
    for folder, builtin in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found[path.stem] = (path, builtin)
    return found


def sha256_file(path: Path) -> str:
    """A file's hash, as a transcript records the round it ran."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
