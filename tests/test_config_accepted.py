"""A config file pydantic took as it is written is not checked again (``config.accepted``):
the settings read from the note are the ones pydantic gave, a file pydantic has to convert
or refuse is checked on every run, and no key's text reaches the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interviewer.config import accepted
from interviewer.config.settings import load_settings
from interviewer.errors import FileFormatError

EVERY_KIND = """model = "llama3.1"
api_base = "http://127.0.0.1:11434/v1"
api_key = "sk-config-file-key-0123456789"
level = "staff"
persona = "bar-raiser"
transcripts_dir = "~/interviews"
user_dir = "/srv/mine"
context_window = 8192
timeout_s = 30
local_threads = 2
voice = true
mic = 3
silence_seconds = 4.5
pause_seconds = 2
keep_audio = false
filler_words = ["right", "okay so"]
"""


@pytest.fixture
def config(isolated: Path) -> Path:
    return isolated / "config.toml"


def notes(isolated: Path) -> list[str]:
    path = isolated / "cache" / "interviewer" / accepted.NOTES
    return path.read_text().split() if path.exists() else []


def test_settings_from_a_noted_file_are_the_ones_pydantic_gave(
    config: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("INTERVIEWER_TRANSCRIPTS_DIR")  # the file's folder, then
    config.write_text(EVERY_KIND)
    checked = load_settings()
    assert len(notes(isolated)) == 1  # every value came out as it went in
    again = load_settings()
    assert again == checked
    assert (again.level.value, again.timeout_s, again.mic, again.filler_words) == (
        "staff", 30.0, "3", ("right", "okay so"))  # fmt: skip
    assert again.api_key is not None
    assert again.api_key.get_secret_value() == "sk-config-file-key-0123456789"
    assert again.transcripts_dir == Path("~/interviews").expanduser()
    assert again.user_dir == Path("/srv/mine")


def test_no_keys_text_reaches_the_cache(config: Path, isolated: Path):
    config.write_text(EVERY_KIND)
    load_settings()
    for path in (isolated / "cache").rglob("*"):
        if path.is_file():
            assert b"sk-config-file-key" not in path.read_bytes()


@pytest.mark.parametrize(
    ("line", "setting", "value"),
    [
        ('voice = "t"', "voice", True),
        ('timeout_s = "30"', "timeout_s", 30.0),
        ("local_threads = 2.0", "local_threads", 2),
    ],
)
def test_a_value_pydantic_converts_is_checked_on_every_run(
    config: Path, isolated: Path, line: str, setting: str, value: object
):
    """Read as written, ``"t"`` would not be the ``True`` pydantic makes of it: never noted."""
    config.write_text(line + "\n")
    assert getattr(load_settings(), setting) == value
    assert notes(isolated) == []
    assert getattr(load_settings(), setting) == value


def test_a_broken_file_is_refused_on_every_run_even_after_it_passed(config: Path, isolated: Path):
    config.write_text('level = "staff"\n')
    load_settings()
    assert len(notes(isolated)) == 1
    config.write_text("context_window = -5\n")
    for _ in range(2):
        with pytest.raises(FileFormatError, match="context_window"):
            load_settings()
    assert len(notes(isolated)) == 1


def test_the_notes_keep_the_newest_few(config: Path, isolated: Path):
    for n in range(accepted.KEPT + 3):
        config.write_text(f"context_window = {1000 + n}\n")
        assert load_settings().context_window == 1000 + n
    assert len(notes(isolated)) == accepted.KEPT


def test_an_unwritable_cache_changes_nothing(config: Path, isolated: Path):
    (isolated / "cache").write_text("a file where the folder would be")
    config.write_text(EVERY_KIND)
    first = load_settings()
    assert load_settings() == first
    assert os.path.isfile(isolated / "cache")


def test_a_key_is_never_shown_by_the_settings(config: Path):
    """Printed, logged or formatted into an error, the settings show stars for a key."""
    config.write_text('api_key = "sk-config-file-key-0123456789"\n')
    settings = load_settings()
    assert settings.api_key is not None
    for shown in (repr(settings), str(settings), f"{settings.api_key}", repr(settings.api_key)):
        assert "sk-config-file-key" not in shown


def test_a_folder_written_with_a_trailing_slash_is_noted_and_read_alike(
    config: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("INTERVIEWER_TRANSCRIPTS_DIR")
    config.write_text('transcripts_dir = "/srv/interviews/"\nuser_dir = "~/mine/"\n')
    checked = load_settings()
    assert len(notes(isolated)) == 1
    assert load_settings() == checked
    assert checked.transcripts_dir == Path("/srv/interviews")
