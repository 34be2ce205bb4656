"""Settings from flags, the environment and the config file, in that order of precedence.

The config file is TOML at ``$INTERVIEWER_CONFIG``, else ``$XDG_CONFIG_HOME/interviewer/
config.toml`` (``~/.config/interviewer/config.toml``). API keys may live there as
``api_key`` / ``judge_api_key``; otherwise the provider's usual environment variable is
used by the model library. A key is never echoed back: ``Settings.__repr__`` hides it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from interviewer.errors import ConfigError, FileFormatError
from interviewer.folders import DEFAULT_TRANSCRIPTS, ENV_PREFIX, config_path, read_toml
from interviewer.formats import Level

# Hosted defaults by the key the environment offers, first match wins. A local server
# or the local extra are considered by ``resolve_model`` after these.
PROVIDER_DEFAULTS: tuple[tuple[str, str], ...] = (
    ("OPENAI_API_KEY", "gpt-4o-mini"),
    ("ANTHROPIC_API_KEY", "anthropic/claude-3-5-haiku-latest"),
    ("GEMINI_API_KEY", "gemini/gemini-2.0-flash"),
    ("MISTRAL_API_KEY", "mistral/mistral-small-latest"),
    ("GROQ_API_KEY", "groq/llama-3.3-70b-versatile"),
)


class FileConfig(BaseModel):
    """What the config file may hold. Unknown keys are an error, so typos surface."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    judge_model: str | None = None
    api_base: str | None = None
    judge_api_base: str | None = None
    api_key: SecretStr | None = None
    judge_api_key: SecretStr | None = None
    level: Level | None = None
    persona: str | None = None
    transcripts_dir: Path | None = None
    user_dir: Path | None = None
    context_window: int | None = Field(default=None, gt=0)  # read by ``context``


class Settings(BaseModel):
    """Resolved settings for one command."""

    model_config = ConfigDict(frozen=True)

    model: str | None
    judge_model: str | None
    api_base: str | None
    judge_api_base: str | None
    api_key: SecretStr | None = Field(default=None, repr=False)
    judge_api_key: SecretStr | None = Field(default=None, repr=False)
    level: Level
    persona: str | None
    transcripts_dir: Path
    user_dir: Path | None
    config_path: Path


def read_config_file(path: Path) -> FileConfig:
    data = read_toml(path)
    try:
        return FileConfig.model_validate(data)
    except ValidationError as exc:
        from interviewer.catalog import describe_validation_error

        raise FileFormatError(describe_validation_error(path, exc, FileConfig)) from None


def _env(name: str) -> str | None:
    value = os.environ.get(f"{ENV_PREFIX}{name}")
    return value or None


def _secret(name: str) -> SecretStr | None:
    value = _env(name)
    return SecretStr(value) if value else None


def load_settings(**flags: Any) -> Settings:
    """Merge flags (``None`` when not given), environment and the config file."""
    path = config_path()
    file = read_config_file(path)

    def pick(key: str) -> Any:
        if flags.get(key) is not None:
            return flags[key]
        env = _env(key.upper())
        if env is not None:
            return env
        return getattr(file, key)

    level = pick("level") or Level.senior
    try:
        level = Level(level)
    except ValueError:
        raise ConfigError(
            f"level '{level}' is not one of junior, senior, staff",
            hint=f"fix --level, {ENV_PREFIX}LEVEL or 'level' in {path}",
        ) from None
    transcripts = pick("transcripts_dir") or DEFAULT_TRANSCRIPTS
    user_dir = pick("user_dir")
    return Settings(
        model=pick("model"),
        judge_model=pick("judge_model"),
        api_base=pick("api_base"),
        judge_api_base=pick("judge_api_base"),
        api_key=_secret("API_KEY") or file.api_key,
        judge_api_key=_secret("JUDGE_API_KEY") or file.judge_api_key,
        level=level,
        persona=pick("persona"),
        transcripts_dir=Path(transcripts).expanduser(),
        user_dir=Path(user_dir).expanduser() if user_dir else None,
        config_path=path,
    )


def default_hosted_model() -> tuple[str, str] | None:
    """The hosted model the environment's keys allow, with the variable that allowed it."""
    for variable, model in PROVIDER_DEFAULTS:
        if os.environ.get(variable):
            return model, variable
    return None
