"""Test isolation: every test gets its own config, transcripts folder and a clean environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before anything imports litellm: no cost-map download, no aiohttp transport.
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
os.environ["DISABLE_AIOHTTP_TRANSPORT"] = "True"

PROVIDER_KEYS = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "MISTRAL_API_KEY",
    "GROQ_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_API_BASE",
)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config and transcripts at tmp_path and hide the developer's own keys."""
    for name in list(os.environ):
        if name.startswith("INTERVIEWER_"):
            monkeypatch.delenv(name)
    for name in PROVIDER_KEYS:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config.toml").write_text("")  # named, so it must exist
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("INTERVIEWER_TRANSCRIPTS_DIR", str(tmp_path / "transcripts"))
    monkeypatch.setenv("EDITOR", "false")
    # What this machine happens to offer (a local server on a usual port) must not decide
    # a test's model; the tests of that discovery re-enable it.
    monkeypatch.setattr("interviewer.selection.LOCAL_SERVERS", ())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def transcripts_dir(isolated: Path) -> Path:
    return isolated / "transcripts"
