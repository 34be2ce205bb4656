"""What the config file may hold, as pydantic checks it: the one boundary where settings
come from a file someone wrote.

Here, apart from ``settings``, so that a command run with no config file (or with one
whose bytes passed before, ``settings.load_settings``) never imports pydantic: flags are
typed by Typer, and the environment's text is checked by ``settings``' own helpers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from interviewer.errors import FileFormatError
from interviewer.formats.levels import Level


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
    context_window: int | None = Field(default=None, gt=0)
    timeout_s: float | None = Field(default=None, gt=0, le=3600)
    local_threads: int | None = Field(default=None, ge=0, le=512)
    # Practising out loud (docs/voice.md).
    voice: bool | None = None
    stt_model: str | None = None
    stt_api_base: str | None = None
    tts_model: str | None = None
    tts_api_base: str | None = None
    tts_voice: str | None = None
    mic: str | int | None = None  # a device index or part of its name
    silence_seconds: float | None = Field(default=None, ge=0, le=60)
    pause_seconds: float | None = Field(default=None, gt=0, le=30)
    keep_audio: bool | None = None
    filler_words: list[str] = Field(default_factory=list)


def check_config_file(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    """The config file's table (``file.read_config_table``: typos already refused) checked
    against each setting's type, as its values: a key as ``SecretStr``, a level as
    ``Level``, a folder as ``Path``. A wrong value is one line naming the file and the key."""
    try:
        return dict(FileConfig.model_validate(table))
    except ValidationError as exc:
        from interviewer.formats.problems import describe_validation_error

        raise FileFormatError(describe_validation_error(path, exc, FileConfig)) from None
