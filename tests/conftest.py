"""Test isolation: every test gets its own config, transcripts folder and a clean environment."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterator
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
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # catalog.listing's rows
    monkeypatch.setenv("EDITOR", "false")
    # What this machine happens to offer (a local server on a usual port) must not decide
    # a test's model; the tests of that discovery re-enable it.
    monkeypatch.setattr("interviewer.models.choice.LOCAL_SERVERS", ())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def transcripts_dir(isolated: Path) -> Path:
    return isolated / "transcripts"


@pytest.fixture(autouse=True)
def retry_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between a model's attempts, recorded instead of taken: a test still sees
    each retry happen and be announced, without sitting through real back-off (a server
    that stays down cost 15-19 s of exponential waits per test). Clients given their own
    ``sleep`` keep it."""
    waits: list[float] = []
    monkeypatch.setattr("interviewer.models.retry_policy.sleep", waits.append)
    return waits


PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 36, 37


@pytest.fixture(autouse=True)
def no_inherited_subreaper() -> Iterator[None]:
    """Give each test the process as the test before found it, subreaper flag included.

    Running candidate code without bubblewrap makes the process the subreaper of its
    descendants (``sandbox.adopt_orphans``), and the flag outlives the test that set it.
    Every later orphan, such as the server of an interview killed with ``kill -9``, would
    then be re-parented to pytest and linger as a zombie that no one reaps.
    """
    if not sys.platform.startswith("linux"):
        yield
        return
    libc = ctypes.CDLL(None, use_errno=True)
    before = ctypes.c_int(0)
    libc.prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(before), 0, 0, 0)
    yield
    libc.prctl(PR_SET_CHILD_SUBREAPER, before.value, 0, 0, 0)
