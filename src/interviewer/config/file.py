"""Where the config file and the transcripts folder are, without building the settings.

``settings.load_settings`` validates the whole config file with pydantic; the commands that
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
DEFAULT_PERSONA = "warm-scientist"
"""Who interviews when no flag, variable or file names a persona."""


def config_path() -> Path:
    explicit = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "interviewer" / "config.toml"


def read_toml(path: Path, *, required: bool = False) -> dict[str, Any]:
    """The config file's table; empty when there is no file, unless ``required`` (a path
    the user named with INTERVIEWER_CONFIG: a typo there must not be silently ignored).
    Every way the file can be unreadable is one line naming it."""
    if not path.exists():
        if required:
            raise ConfigError(
                f"{ENV_PREFIX}CONFIG names {path}, which does not exist",
                hint=f"fix the path, or unset {ENV_PREFIX}CONFIG to use the default",
            )
        return {}
    try:
        return tomllib.loads(_read_capped(path, required))
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(f"{path}: not valid TOML ({exc})", hint="fix the syntax") from None
    except RecursionError:
        raise FileFormatError(f"{path}: not valid TOML (nested too deeply)") from None
    except UnicodeDecodeError:
        raise FileFormatError(f"{path}: not UTF-8 text", hint="save it as UTF-8") from None
    except OSError as exc:
        if path.is_dir():
            raise ConfigError(f"{path}: is a folder, not a config file") from None
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None


MAX_CONFIG_BYTES = 1024 * 1024
"""A config file is a few lines; past this it is not one (``/dev/zero`` never ends)."""


def _read_capped(path: Path, named: bool) -> str:
    """The file's text, read no further than ``MAX_CONFIG_BYTES``: a path that names a
    device or a huge file is an error, not an endless read. ``named``: the path came
    from INTERVIEWER_CONFIG, so the error names that setting."""
    with path.open("rb") as handle:
        data = handle.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        said = f"{ENV_PREFIX}CONFIG names {path}" if named else f"{path}"
        raise ConfigError(
            f"{said}, which is over {MAX_CONFIG_BYTES // 1024 // 1024} MiB: not a config file",
            hint=f"point {ENV_PREFIX}CONFIG at your config.toml" if named else "trim it",
        )
    return data.decode("utf-8")


CONFIG_KEYS = (
    "model", "judge_model", "api_base", "judge_api_base", "api_key", "judge_api_key",
    "level", "persona", "transcripts_dir", "user_dir", "context_window", "timeout_s",
    "voice", "stt_model", "stt_api_base", "tts_model", "tts_api_base", "tts_voice", "mic",
    "silence_seconds", "pause_seconds", "keep_audio", "filler_words",
)  # fmt: skip
"""The keys the config file may hold: ``settings.FileConfig``'s fields, in its order (a test
keeps the two equal). Here, so that the commands that read only a folder from the file
(``list``, ``show``, ...) refuse a typo as ``practice`` does, without importing pydantic."""


def reject_unknown_keys(path: Path, table: dict[str, Any]) -> None:
    """A key the config file may not hold (a typo: ``modle``) is one error line, the same
    from every command (``settings.read_config_file`` asks here first), with the nearest
    key; never a setting silently ignored."""
    stray = [key for key in table if key not in CONFIG_KEYS]
    if not stray:
        return
    import difflib

    near = difflib.get_close_matches(stray[0], CONFIG_KEYS, n=1)
    guess = f"did you mean '{near[0]}'? " if near else ""
    raise FileFormatError(
        f"{path}: {', '.join(stray)}: not a setting the config file can hold",
        hint=f"{guess}remove it or correct the spelling; allowed: {', '.join(CONFIG_KEYS)}",
    )


def transcripts_dir(flag: Path | None) -> Path:
    """The transcripts folder the settings would name, read from the config file alone."""
    return _folder("transcripts_dir", flag, "~/interviews") or DEFAULT_TRANSCRIPTS


def user_dir(flag: Path | None = None) -> Path | None:
    """The folder of the user's own rounds, if one is set: ``show`` and ``export`` read a
    session's scenario from its round file, which may be one of the user's own."""
    return _folder("user_dir", flag, "~/interviewer")


def _folder(key: str, flag: Path | None, example: str) -> Path | None:
    """A folder setting: the flag, then ``INTERVIEWER_<KEY>``, then the config file, or
    None. The file is read even when the flag decides, so a broken one is reported by
    every command, as ``load_settings`` reports it."""
    path = config_path()
    table = read_toml(path, required=bool(os.environ.get(f"{ENV_PREFIX}CONFIG")))
    reject_unknown_keys(path, table)
    if flag is not None:
        return flag.expanduser()
    from_env = os.environ.get(f"{ENV_PREFIX}{key.upper()}")
    if from_env:
        return Path(from_env).expanduser()
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise FileFormatError(
            f"{path}: {key}: must be a folder path in quotes",
            hint=f'write it as {key} = "{example}"',
        )
    return Path(value).expanduser()
