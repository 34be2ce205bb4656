"""The command-line flags reach the settings as one typed object, ``Flags`` (issue 26)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from pathlib import Path

import pytest

from interviewer.cli.options import FLAG_SETTINGS, flag_settings
from interviewer.config.settings import Flags, load_settings


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("CONFIG", "MODEL", "TIMEOUT_S", "SILENCE_SECONDS", "TRANSCRIPTS_DIR"):
        monkeypatch.delenv(f"INTERVIEWER_{name}", raising=False)


def test_flags_are_frozen_and_a_misspelt_one_is_an_error() -> None:
    flags = Flags(model="m")
    with pytest.raises(FrozenInstanceError):
        flags.model = "other"  # type: ignore[misc]
    with pytest.raises(TypeError, match="modle"):
        Flags(modle="m")  # type: ignore[call-arg]


def test_a_commands_parameters_give_only_its_settings_renamed() -> None:
    params = {"model": "m", "silence": 1.5, "jobs": 4, "gold": None, "voice": None}
    flags = Flags.of(params, FLAG_SETTINGS)
    assert (flags.model, flags.silence_seconds, flags.voice) == ("m", 1.5, None)
    assert flags.given() == {"model", "silence_seconds"}


def test_the_flags_given_are_the_ones_flagged_and_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTERVIEWER_MODEL", "from-env")
    monkeypatch.setenv("INTERVIEWER_TIMEOUT_S", "30")
    settings = flag_settings({"model": "m", "silence": 1.5, "jobs": 4}, timeout_s=None)
    assert (settings.model, settings.silence_seconds, settings.timeout_s) == ("m", 1.5, 30.0)
    assert settings.flagged == {"model", "silence_seconds"}
    assert settings.source("model") == "from --model"
    assert settings.source("timeout_s") == "from INTERVIEWER_TIMEOUT_S"
    assert load_settings().model == "from-env"


def test_a_wrong_value_from_the_environment_still_gets_its_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from interviewer.errors import ConfigError

    monkeypatch.setenv("INTERVIEWER_TIMEOUT_S", "abc")
    with pytest.raises(ConfigError, match="timeout_s 'abc' is not a number of seconds"):
        load_settings(Flags(model="m"))


def test_every_setting_but_a_key_can_be_given_as_a_flag():
    """``Flags`` lists the settings a second time (typed for the command line): a setting
    added to the config file but not here would be silently unreachable from a flag, since
    ``load_settings`` reads flags by name. Keys never come from a flag (shell history)."""
    from interviewer.config.schema import FileConfig

    keys = {"api_key", "judge_api_key"}
    assert {each.name for each in fields(Flags)} == set(FileConfig.model_fields) - keys


FOLDER_CASES = [
    pytest.param("flag", id="from-the-flag"),
    pytest.param("env", id="from-the-environment"),
    pytest.param("file", id="from-the-config-file"),
    pytest.param(None, id="unset"),
]


@pytest.mark.parametrize("given_by", FOLDER_CASES)
@pytest.mark.parametrize("key", ["transcripts_dir", "user_dir"])
def test_the_commands_without_pydantic_find_the_same_folder_as_the_others(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, key: str, given_by: str | None
) -> None:
    """``list`` and ``show`` read their folders without pydantic (``config.file``), the
    other commands through ``load_settings``: from each place a folder can be given, and
    with a lower place giving another, both name the same one."""
    from interviewer.config import file

    config = tmp_path / "config.toml"
    config.write_text(f'{key} = "{tmp_path / "from-file"}"\n' if given_by == "file" else "")
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(config))
    monkeypatch.delenv(f"INTERVIEWER_{key.upper()}", raising=False)
    if given_by in ("flag", "env"):  # a lower place names another folder, and loses
        config.write_text(f'{key} = "{tmp_path / "loses"}"\n')
    if given_by == "env":
        monkeypatch.setenv(f"INTERVIEWER_{key.upper()}", str(tmp_path / "from-env"))
    flag = tmp_path / "from-flag" if given_by == "flag" else None
    light = file.transcripts_dir(flag) if key == "transcripts_dir" else file.user_dir(flag)
    full = getattr(load_settings(Flags(**{key: flag})), key)
    unset = Path("transcripts") if key == "transcripts_dir" else None
    expected = {"flag": "from-flag", "env": "from-env", "file": "from-file"}.get(given_by or "")
    assert light == full == (tmp_path / expected if expected else unset)
