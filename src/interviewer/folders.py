"""Where the config file and the transcripts folder are, without building the settings.

``config.load_settings`` validates the whole config file with pydantic; the commands that
only read saved sessions (``list``, ``show``, ``progress``, ...) need one setting, the
transcripts folder, and get it here at the cost of a TOML read. Both apply the same
precedence: flag, then ``INTERVIEWER_TRANSCRIPTS_DIR``, then the config file, then
``./transcripts``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from interviewer.errors import ConfigError, FileFormatError

ENV_PREFIX = "INTERVIEWER_"
DEFAULT_TRANSCRIPTS = Path("transcripts")


def config_path() -> Path:
    explicit = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "interviewer" / "config.toml"


def read_toml(path: Path) -> dict[str, Any]:
    """The config file's table; empty when there is no file."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(f"{path}: not valid TOML ({exc})", hint="fix the syntax") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None


def transcripts_dir(flag: Path | None) -> Path:
    """The transcripts folder the settings would name, read from the config file alone."""
    if flag is not None:
        return flag.expanduser()
    from_env = os.environ.get(f"{ENV_PREFIX}TRANSCRIPTS_DIR")
    if from_env:
        return Path(from_env).expanduser()
    path = config_path()
    value = read_toml(path).get("transcripts_dir")
    if value is None:
        return DEFAULT_TRANSCRIPTS
    if not isinstance(value, str) or not value:
        raise FileFormatError(
            f"{path}: transcripts_dir: must be a folder path in quotes",
            hint='write it as transcripts_dir = "~/interviews"',
        )
    return Path(value).expanduser()


def rescue_folder_for(transcripts: Path) -> Path:
    """Where a transcript goes when ``transcripts`` cannot be written (``transcripts.Store``
    writes there; the reading commands look there): one folder per transcripts folder in
    the temporary folder. Here, not in ``transcripts``, so ``list`` can look without
    importing pydantic."""
    import hashlib
    import tempfile

    digest = hashlib.sha256(str(transcripts.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"interviewer-rescue-{digest}"
