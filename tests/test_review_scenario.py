"""The scenario a session opened with, in ``show``, the Markdown file and the HTML page.

The interviewer's first line says "The scenario is above"; a review without it read as a
reply to nothing. The scenario is data like any answer: no markup, no terminal escapes,
no Markdown structure and no HTML of its own reach the reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import add, round_data, scorecard, toml_text, transcript
from interviewer.catalog.library import Catalog, scenario_text, sha256_file
from interviewer.cli import app
from interviewer.cli.flow import make_store
from interviewer.config.settings import load_settings
from interviewer.formats.levels import Level
from interviewer.formats.transcript import Role, SourceFile, Status, Transcript
from interviewer.review.markdown import quoted
from interviewer.review.scenario import CHANGED, scenario_of
from interviewer.store.transcripts import Store

OPENING = "The scenario is above. What would you optimise for?"
HOSTILE = (
    "[bold red]Boss[/] says \x1b]0;owned\x07hi \x1b[31mred\x07 <script>alert(1)</script>\n"
    "# Not a heading\n| not | a table |"
)


def session(tid: str, **fields: object) -> Transcript:
    t = transcript(id=tid, status=Status.complete, **fields)
    add(t, Role.interviewer, OPENING)
    add(t, Role.candidate, "Repeat purchases within 30 days.")
    t.scorecards.append(scorecard({"objective-metric": 4}))
    return t


@pytest.fixture
def staff(transcripts_dir: Path) -> Transcript:
    """A shipped round's session at staff level, whose scenario has a level line."""
    t = session("5ce00001", level=Level.staff)
    Store(transcripts_dir).save(t)
    return t


def shipped_scenario(t: Transcript) -> tuple[str, str]:
    opening = Catalog().round(t.round).item.opening(t.opening)
    assert opening is not None
    return opening.title, scenario_text(opening, t.level)


def test_show_frames_the_scenario_above_the_conversation(staff, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(app, ["show", "5ce0"])
    assert result.exit_code == 0, result.output
    shown = [line.rstrip() for line in result.stdout.splitlines()]
    title, text = shipped_scenario(staff)
    top = next(n for n, line in enumerate(shown) if line.startswith("╭"))
    bottom = next(n for n, line in enumerate(shown) if line.startswith("╰"))
    assert shown[top].startswith(f"╭─ {title} ─")
    assert top < bottom < shown.index("Conversation")
    framed = [line.strip("│ ") for line in shown[top + 1 : bottom]]
    assert " ".join(" ".join(framed).split()) == " ".join(text.split())  # level line too
    assert all(len(line) <= 80 for line in shown[top : bottom + 1])


def test_the_markdown_export_and_the_file_beside_the_transcript_have_the_scenario(
    staff, transcripts_dir
):
    title, text = shipped_scenario(staff)
    exported = CliRunner().invoke(app, ["export", "5ce0", "--format", "md"]).stdout
    make_store(load_settings()).save(staff)  # as practice and score write it
    beside = (transcripts_dir / "5ce00001.md").read_text()
    for md in (exported, beside):
        section = md[md.index("## Scenario") : md.index("## Conversation")]
        assert section == f"## Scenario\n\n**{title}**\n\n{quoted(text)}\n\n"


def test_the_html_page_has_the_scenario_before_the_conversation(staff):
    title, text = shipped_scenario(staff)
    page = CliRunner().invoke(app, ["export", "5ce0", "--format", "html"]).stdout
    assert page.index("<h2>Scenario</h2>") < page.index("<h2>Conversation</h2>")
    assert f'<div class="who">{title}</div><div class="text">{text}</div>' in page


@pytest.fixture
def hostile(transcripts_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Transcript:
    """A session on a round of the user's own whose scenario is hostile text."""
    data = round_data("my-round")
    data["openings"][0]["prompt"] = HOSTILE  # type: ignore[index]
    data["openings"][0]["title"] = "[link=http://evil.example]Mine[/link]"  # type: ignore[index]
    (tmp_path / "mine" / "rubrics").mkdir(parents=True)
    (tmp_path / "mine" / "rubrics" / "my-round.toml").write_text(toml_text(data))
    monkeypatch.setenv("INTERVIEWER_USER_DIR", str(tmp_path / "mine"))
    t = session("bad00001", round_id="my-round")
    Store(transcripts_dir).save(t)
    return t


def test_show_prints_a_hostile_scenario_as_data(hostile):
    result = CliRunner().invoke(app, ["show", "bad0"])
    assert result.exit_code == 0, result.output
    assert "[bold red]Boss[/] says" in result.stdout  # markup shown, not obeyed
    assert "[link=http://evil.example]Mine[/link]" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "hi red" in result.stdout  # the escapes gone whole, their parameters too


def test_markdown_quotes_a_hostile_scenario_and_adds_no_structure(hostile):
    md = CliRunner().invoke(app, ["export", "bad0", "--format", "md"]).stdout
    section = md[md.index("## Scenario") : md.index("## Conversation")]
    assert "\x1b" not in section and "\x07" not in section
    assert "<script>" not in section and "&lt;script&gt;" in section
    body = section.splitlines()[4:]
    assert all(line.startswith(">") for line in body if line)  # one blockquote, no heading
    assert "> \\# Not a heading" in body and "> \\| not \\| a table \\|" in body
    assert "\\[link=http://evil.example\\]Mine\\[/link\\]" in section  # no link either


def test_html_escapes_a_hostile_scenario(hostile):
    page = CliRunner().invoke(app, ["export", "bad0", "--format", "html"]).stdout
    assert "\x1b" not in page and "\x07" not in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "hi red" in page


def test_a_changed_or_missing_round_is_said_not_hidden(transcripts_dir):
    t = session("c0de0001")
    path = Catalog().round(t.round).path
    t.sources = [SourceFile(kind="round", name=path.name, sha256=sha256_file(path))]
    assert scenario_of(t, Catalog()).note is None  # the file the session used
    t.sources[0].sha256 = "0" * 64
    assert scenario_of(t, Catalog()).note == CHANGED
    gone = scenario_of(session("c0de0002", opening="retired-scenario"), Catalog())
    assert gone.text is None
    assert gone.note == "Not shown: round 'ml-system-design' no longer has it."
    Store(transcripts_dir).save(session("c0de0003", round_id="retired-round"))
    result = CliRunner().invoke(app, ["show", "c0de0003"])
    assert result.exit_code == 0, result.output
    assert "Scenario marketplace-recs" in result.stdout
    assert "Not shown: no round named 'retired-round'." in result.stdout
