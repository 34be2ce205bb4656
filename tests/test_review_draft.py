"""An answer a stop left unsent (the transcript's ``draft``) in ``show``, the Markdown file
and the HTML page (issue 25, item 3): after the last turn, marked "not sent (draft)", and
as data like any answer, so it can neither be taken for a sent answer nor be lost from
the review."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import add, transcript
from interviewer.cli import app
from interviewer.cli.flow import make_store
from interviewer.config.settings import load_settings
from interviewer.formats.transcript import Role, Status, Transcript
from interviewer.review.markdown import quoted
from interviewer.store.transcripts import Store

LAST_ANSWER = "Repeat purchases within 30 days."
LAST_QUESTION = "Fine. How would you check that offline?"
DRAFT = (
    "[bold]Replay[/] \x1b]0;owned\x07the \x1b[31mlogs <script>alert(1)</script>\n"
    "# not a heading\nthen compare NDCG@10 against"
)
DRAFT_SHOWN = "[bold]Replay[/] the logs <script>alert(1)</script>"  # escapes gone whole
NOTE = "Typed when the session stopped, never sent: neither the interviewer nor the judge read it."


@pytest.fixture
def stopped(transcripts_dir: Path) -> Transcript:
    """A session stopped by Ctrl-C while the candidate was typing its third answer."""
    t = transcript(id="d4af0001", status=Status.interrupted, draft=DRAFT)
    add(t, Role.interviewer, "What would you optimise for?")
    add(t, Role.candidate, LAST_ANSWER)
    add(t, Role.interviewer, LAST_QUESTION)
    Store(transcripts_dir).save(t)
    return t


def test_show_marks_the_draft_after_the_last_turn(stopped: Transcript) -> None:
    result = CliRunner().invoke(app, ["show", "d4af"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    shown = [line.strip() for line in result.stdout.splitlines()]
    label = shown.index("You, not sent (draft)")
    assert shown.index(LAST_QUESTION) < label < shown.index(DRAFT_SHOWN)
    assert shown[label + 1 : label + 4] == [
        DRAFT_SHOWN,
        "# not a heading",
        "then compare NDCG@10 against",
    ]
    note = " ".join(shown[label + 4 : label + 6])
    assert note == f"{NOTE} 'interviewer resume d4af0001' puts it back to finish."
    assert label < shown.index(f"Not scored yet. Score it with: interviewer score {stopped.id}")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_a_session_without_a_draft_shows_none(stopped: Transcript, transcripts_dir: Path) -> None:
    stopped.draft = None
    Store(transcripts_dir).save(stopped)
    result = CliRunner().invoke(app, ["show", "d4af"])
    assert "not sent" not in result.stdout


def test_the_markdown_quotes_the_draft_after_the_last_turn(
    stopped: Transcript, transcripts_dir: Path
) -> None:
    exported = CliRunner().invoke(app, ["export", "d4af", "--format", "md"]).stdout
    make_store(load_settings()).save(stopped)  # as practice writes it, beside the JSON
    beside = (transcripts_dir / "d4af0001.md").read_text()
    for md in (exported, beside):
        conversation = md[md.index("## Conversation") : md.index("## Scorecard")]
        after = conversation[conversation.index(quoted(LAST_QUESTION)) :]
        assert after.split("\n\n")[1:4] == [
            "**You, not sent (draft):**",
            quoted(DRAFT),  # escaped as any answer: no heading, no HTML, no escapes
            f"_{NOTE} 'interviewer resume d4af0001' puts it back to finish._",
        ]
        assert "> \\# not a heading" in after and "&lt;script&gt;" in after
        assert "\x1b" not in md and "<script>" not in md


def test_the_html_page_marks_and_escapes_the_draft(stopped: Transcript) -> None:
    page = CliRunner().invoke(app, ["export", "d4af", "--format", "html"]).stdout
    draft = page.index('<div class="turn draft"><div class="who">You, not sent (draft)</div>')
    assert page.index(LAST_QUESTION) < draft
    assert "[bold]Replay[/] the logs &lt;script&gt;alert(1)&lt;/script&gt;" in page[draft:]
    assert "<script" not in page and "\x1b" not in page and "\x07" not in page
    assert f"{NOTE} &#x27;interviewer resume d4af0001&#x27; puts it back to finish." in page


def test_a_complete_sessions_draft_is_shown_without_the_resume_hint(
    stopped: Transcript, transcripts_dir: Path
) -> None:
    """/end typed in the plain reader before finishing the draft leaves it unsent; the
    session cannot be resumed, so no command is offered."""
    stopped.status = Status.complete
    Store(transcripts_dir).save(stopped)
    md = CliRunner().invoke(app, ["export", "d4af", "--format", "md"]).stdout
    assert f"_{NOTE}_" in md and "resume" not in md
