"""Settings from flags, the environment and the config file, in that order of precedence.

The config file is TOML at ``$INTERVIEWER_CONFIG``, else ``$XDG_CONFIG_HOME/interviewer/
config.toml`` (``~/.config/interviewer/config.toml``). API keys may live there as
``api_key`` / ``judge_api_key``; otherwise the provider's usual environment variable is
used by the model library. A key is never echoed back: it is held as a ``Secret``.

``Settings`` and ``Flags`` are plain frozen dataclasses: our code builds them, from values
already checked where they came in (the file by pydantic in ``schema``, or as pydantic
took it before, ``accepted``; the environment's text by the helpers here; flags by Typer),
so a command with no config file to check never imports pydantic (``doctor`` with no model
stays at the CLI's floor).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from interviewer.config.accepted import accepted, note
from interviewer.config.file import (
    DEFAULT_PERSONA,
    DEFAULT_SILENCE_SECONDS,
    DEFAULT_TRANSCRIPTS,
    Sources,
    env_name,
    read_config_table,
)
from interviewer.errors import ConfigError
from interviewer.formats.levels import DEFAULT_LEVEL, Level

DEFAULT_TIMEOUT_S = 120.0
"""Seconds a model may take to start answering before the attempt is retried."""

# Hosted defaults by the key the environment offers, first match wins. A local server
# or the local extra are considered by ``models.choose`` after these.
PROVIDER_DEFAULTS: tuple[tuple[str, str], ...] = (
    ("OPENAI_API_KEY", "gpt-4o-mini"),
    ("ANTHROPIC_API_KEY", "anthropic/claude-3-5-haiku-latest"),
    ("GEMINI_API_KEY", "gemini/gemini-2.0-flash"),
    ("MISTRAL_API_KEY", "mistral/mistral-small-latest"),
    ("GROQ_API_KEY", "groq/llama-3.3-70b-versatile"),
)


class Secret:
    """A key, shown as stars wherever the settings are printed or logged; its text only
    through ``get_secret_value``, which the code that sends it to its provider calls."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Resolved settings for one command."""

    model: str | None
    judge_model: str | None
    api_base: str | None
    judge_api_base: str | None
    api_key: Secret | None = field(default=None, repr=False)
    judge_api_key: Secret | None = field(default=None, repr=False)
    level: Level
    persona: str | None
    transcripts_dir: Path
    user_dir: Path | None
    config_path: Path
    flagged: frozenset[str] = frozenset()
    """The settings given as flags: they win over what a saved session recorded, which
    wins over the environment and the config file (``models.choose``)."""
    from_env: frozenset[str] = frozenset()
    """The settings the environment gave (and no flag overrode)."""
    timeout_s: float = DEFAULT_TIMEOUT_S
    context_window: int | None = None
    """Tokens, for a model whose server and litellm's map do not say (``models.window``)."""
    local_threads: int = 0
    """Threads for a local GGUF model (``--model local``); 0: chosen from the load when it
    starts (``models.local.threads_for``)."""
    voice: bool = False
    stt_model: str = "local"
    stt_api_base: str | None = None
    tts_model: str = "system"
    tts_api_base: str | None = None
    tts_voice: str | None = None
    mic: str | None = None
    """The input device, an index or part of its name; None: the system's default."""
    silence_seconds: float = DEFAULT_SILENCE_SECONDS
    """Quiet after speech that ends a recording: room for a 3-4 s thinking pause, and
    longer than ``pause_seconds``, the pause counted as long (``voice.setup.check_pauses``)."""
    pause_seconds: float = 2.0
    keep_audio: bool = False
    filler_words: tuple[str, ...] = ()

    def source(self, key: str) -> str:
        """Where a setting that is set came from, as the user would name it: "from
        --judge-model", "from INTERVIEWER_MODEL", "from model in ~/.config/...". Shown
        beside the model in use, so a flag is never called "configured"."""
        if key in self.flagged:
            return f"from --{key.replace('_', '-')}"
        if key in self.from_env:
            return f"from {env_name(key)}"
        return f"from {key} in {self.config_path}"


def shown_defaults() -> dict[str, str]:
    """What each setting is when nothing sets it, as the README's table says it."""
    defaults = {each.name: each.default for each in fields(Settings)}
    return {
        "model": "what the machine offers (see Models)",
        "judge_model": "the interviewer's model",
        "api_base": "the provider's own",
        "judge_api_base": "the interviewer's server; `none`: the provider's own",
        "level": f"`{DEFAULT_LEVEL.value}`",
        "persona": f"`{DEFAULT_PERSONA}`",
        "transcripts_dir": f"`./{DEFAULT_TRANSCRIPTS}`",
        "timeout_s": f"`{DEFAULT_TIMEOUT_S:g}`",
        "local_threads": "`0`: the free cores when the model starts",
        "filler_words": "the built-in fillers",
        "mic": "the system's default input",
        **{
            key: f"`{str(defaults[key]).lower()}`"
            if isinstance(defaults[key], bool)
            else f"`{defaults[key]:g}`"
            if isinstance(defaults[key], float)
            else f"`{defaults[key]}`"
            for key in ("voice", "stt_model", "tts_model", "silence_seconds", "pause_seconds",
                        "keep_audio")
        },
    }  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Flags:
    """The settings a command was given on its command line; ``None``: not given. Each
    field is named as the setting it sets; its value is checked by ``load_settings``, as a
    value from the environment or the config file is, so a wrong one gets the same line."""

    model: str | None = None
    judge_model: str | None = None
    api_base: str | None = None
    judge_api_base: str | None = None
    level: Level | None = None
    persona: str | None = None
    transcripts_dir: Path | None = None
    user_dir: Path | None = None
    context_window: int | None = None
    timeout_s: float | None = None
    local_threads: int | None = None
    voice: bool | None = None
    stt_model: str | None = None
    stt_api_base: str | None = None
    tts_model: str | None = None
    tts_api_base: str | None = None
    tts_voice: str | None = None
    mic: str | None = None
    silence_seconds: float | None = None
    pause_seconds: float | None = None
    keep_audio: bool | None = None
    filler_words: tuple[str, ...] | None = None

    @classmethod
    def of(cls, params: dict[str, Any], renamed: dict[str, str] | None = None) -> Flags:
        """The flags among a command's parameters (its ``ctx.params``): those named as a
        setting, or renamed to one by ``renamed``; the command's other parameters are not
        settings and are left out."""
        renamed = renamed or {}
        given = {renamed.get(key, key): value for key, value in params.items()}
        names = {each.name for each in fields(cls)}
        return cls(**{key: value for key, value in given.items() if key in names})

    def given(self) -> frozenset[str]:
        """The settings these flags set."""
        return frozenset(key for key, value in self.values().items() if value is not None)

    def values(self) -> dict[str, Any]:
        """Each setting's flag, ``None`` where not given."""
        return {each.name: getattr(self, each.name) for each in fields(self)}


def load_settings(flags: Flags | None = None) -> Settings:
    """Every setting for one command: where each comes from is ``file.Sources``' to say
    (``flags``, then the environment, then the config file), as for the commands that read
    without pydantic; here each value is checked and converted, and the defaults filled."""
    flags = flags or Flags()
    path, table = read_config_table()
    if table and not accepted(table):  # a file's values: pydantic checks them
        from interviewer.config.schema import check_config_file

        checked = check_config_file(path, table)
        note(table, checked)
        table = checked
    sources = Sources(path, flags.values(), table)
    pick = sources.pick
    level = _level(pick("level"), path)
    voice = _voice_settings(pick, path)
    timeout = _timeout(pick("timeout_s"), path)
    user_dir = pick("user_dir")
    return Settings(
        model=pick("model"),
        judge_model=pick("judge_model"),
        api_base=pick("api_base"),
        judge_api_base=pick("judge_api_base"),
        api_key=_secret(pick("api_key")),  # never a flag: from the environment or the file
        judge_api_key=_secret(pick("judge_api_key")),
        level=level,
        persona=pick("persona"),
        transcripts_dir=Path(pick("transcripts_dir") or DEFAULT_TRANSCRIPTS).expanduser(),
        user_dir=Path(user_dir).expanduser() if user_dir else None,
        config_path=path,
        flagged=flags.given(),
        from_env=sources.from_env(),
        timeout_s=timeout,
        context_window=_positive(pick("context_window")),
        local_threads=_threads(pick("local_threads"), path),
        **voice,
    )


def _level(value: Any, path: Path) -> Level:
    try:
        return Level(value or DEFAULT_LEVEL)
    except ValueError:
        raise ConfigError(
            f"level '{value}' is not one of junior, senior, staff",
            hint=f"fix --level, {env_name('level')} or 'level' in {path}",
        ) from None


def _timeout(value: Any, path: Path) -> float:
    timeout = value or DEFAULT_TIMEOUT_S
    try:
        timeout = float(timeout)
        if not 0 < timeout <= 3600:
            raise ValueError(timeout)
    except ValueError:
        raise ConfigError(
            f"timeout_s '{timeout}' is not a number of seconds between 0 and 3600",
            hint=f"fix {env_name('timeout_s')} or 'timeout_s' in {path}",
        ) from None
    return timeout


def _threads(value: Any, path: Path) -> int:
    """A count of threads, 0 (or nothing) for "chosen from the load"."""
    try:
        threads = int(value or 0)
        if not 0 <= threads <= 512:
            raise ValueError(threads)
    except ValueError:
        raise ConfigError(
            f"local_threads '{value}' is not a number of threads (0: chosen from the load)",
            hint=f"fix {env_name('local_threads')} or 'local_threads' in {path}",
        ) from None
    return threads


def _secret(value: Any) -> Secret | None:
    """A key as text (the environment, a file read as noted) or as pydantic gives it
    (``SecretStr``, a file it checked)."""
    if value is None:
        return None
    return Secret(value if isinstance(value, str) else value.get_secret_value())


def _positive(value: Any) -> int | None:
    """A count of tokens, or None: from the environment, a value that is not a positive
    whole number is ignored (the window is then left to the server to say), as ever."""
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number and number > 0 else None


def _voice_settings(pick: Callable[[str], Any], path: Path) -> dict[str, Any]:
    """The voice settings that were given (flags, environment, file); the rest default."""
    found: dict[str, Any] = {}
    for key in ("stt_model", "stt_api_base", "tts_model", "tts_api_base", "tts_voice", "mic"):
        if pick(key) is not None:
            found[key] = str(pick(key))
    for key in ("voice", "keep_audio"):
        value = pick(key)
        if isinstance(value, str):  # from the environment
            value = value.strip().lower() in ("1", "true", "yes", "on")
        if value is not None:
            found[key] = bool(value)
    for key in ("silence_seconds", "pause_seconds"):
        value = pick(key)
        if value is None:
            continue
        try:
            found[key] = float(value)
        except ValueError:
            raise ConfigError(
                f"{key} '{value}' is not a number of seconds",
                hint=f"fix {env_name(key)} or '{key}' in {path}",
            ) from None
        if found[key] < 0:
            raise ConfigError(f"{key} must not be negative", hint=f"fix {key} ({path})")
    fillers = pick("filler_words") or ()
    if isinstance(fillers, str):  # from the environment: comma-separated
        fillers = [f for f in fillers.split(",") if f.strip()]
    found["filler_words"] = tuple(f.strip() for f in fillers)
    return found


def default_hosted_model() -> tuple[str, str] | None:
    """The hosted model the environment's keys allow, with the variable that allowed it."""
    for variable, model in PROVIDER_DEFAULTS:
        if os.environ.get(variable):
            return model, variable
    return None
