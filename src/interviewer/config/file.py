"""Where each setting comes from, read in one place and without pydantic.

Every setting's name (``CONFIG_KEYS``), its environment variable (``env_name``), the config
file (found, read, typos refused) and the order of precedence (``Sources.pick``: flag,
then environment, then file) are here, once. Two readers use them:

- ``settings.load_settings``, for the commands that call a model: it checks and converts
  every value (a config file's with pydantic, ``schema.FileConfig``) into ``Settings``;
- ``transcripts_dir`` and ``user_dir`` below, for the commands that only read saved
  sessions (``list``, ``show``, ``progress``, ...): they need one folder, and importing
  pydantic for it would double their start-up (``tests/test_startup.py``).

So the two cannot drift on where a value comes from; ``tests/test_flags.py`` holds them to
the same folder from each source.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewer.errors import ConfigError, FileFormatError

ENV_PREFIX = "INTERVIEWER_"
DEFAULT_TRANSCRIPTS = Path("transcripts")
DEFAULT_PERSONA = "warm-scientist"
"""Who interviews when no flag, variable or file names a persona."""
DEFAULT_SILENCE_SECONDS = 6.0
"""Quiet after speech that ends a recording (``settings.Settings.silence_seconds``); here,
where ``--help`` can say it without importing the settings."""


def env_name(key: str) -> str:
    """The environment variable of a setting: ``INTERVIEWER_`` and its name in capitals."""
    return f"{ENV_PREFIX}{key.upper()}"


def from_environment(key: str) -> str | None:
    """A setting's value from its environment variable; empty is unset."""
    return os.environ.get(env_name(key)) or None


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
    "local_threads", "voice", "stt_model", "stt_api_base", "tts_model", "tts_api_base", "tts_voice", "mic",
    "silence_seconds", "pause_seconds", "keep_audio", "filler_words",
)  # fmt: skip
"""The keys the config file may hold: ``schema.FileConfig``'s fields, in its order (a test
keeps the two equal). Here, so that the commands that read only a folder from the file
(``list``, ``show``, ...) refuse a typo as ``practice`` does, without importing pydantic."""


def reject_unknown_keys(path: Path, table: dict[str, Any]) -> None:
    """A key the config file may not hold (a typo: ``modle``) is one error line, the same
    from every command (each reads the file with ``read_config_table``), with the nearest
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


def read_config_table() -> tuple[Path, dict[str, Any]]:
    """The config file's path and table, typos refused; a path named by INTERVIEWER_CONFIG
    must exist. Every command reads the file this way, even when flags decide every
    setting, so a broken file is reported by every command alike."""
    path = config_path()
    table = read_toml(path, required=bool(os.environ.get(f"{ENV_PREFIX}CONFIG")))
    reject_unknown_keys(path, table)
    return path, table


@dataclass(frozen=True)
class Sources:
    """What one command was given, from each place a setting can come from. ``flags``: the
    settings given on the command line (``None``: not given); ``table``: the config file's
    values, as read or as checked by ``schema.FileConfig``."""

    path: Path
    flags: Mapping[str, Any]
    table: Mapping[str, Any]

    def pick(self, key: str) -> Any:
        """The setting's value by precedence: the flag, then the environment, then the
        file; None when none gives it (the caller's default applies)."""
        flag = self.flags.get(key)
        if flag is not None:
            return flag
        env = from_environment(key)
        if env is not None:
            return env
        return self.table.get(key)

    def from_env(self) -> frozenset[str]:
        """The settings the environment gave and no flag overrode."""
        return frozenset(
            key
            for key in CONFIG_KEYS
            if self.flags.get(key) is None and from_environment(key) is not None
        )


def transcripts_dir(flag: Path | None) -> Path:
    """The transcripts folder ``load_settings`` would name, read without pydantic."""
    return _folder("transcripts_dir", flag, "~/interviews") or DEFAULT_TRANSCRIPTS


def user_dir(flag: Path | None = None) -> Path | None:
    """The folder of the user's own rounds, if one is set: ``show`` and ``export`` read a
    session's scenario from its round file, which may be one of the user's own."""
    return _folder("user_dir", flag, "~/interviewer")


def _folder(key: str, flag: Path | None, example: str) -> Path | None:
    """A folder setting from ``Sources``, or None; only a file's value can be other than a
    path or a word (the environment's is text), so the error names the file."""
    path, table = read_config_table()
    value = Sources(path, {key: flag}, table).pick(key)
    if value is None:
        return None
    if isinstance(value, Path):  # the flag
        return value.expanduser()
    if not isinstance(value, str) or not value:
        raise FileFormatError(
            f"{path}: {key}: must be a folder path in quotes",
            hint=f'write it as {key} = "{example}"',
        )
    return Path(value).expanduser()
