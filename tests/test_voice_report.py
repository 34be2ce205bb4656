"""Delivery on the scorecard, in the Markdown and in ``progress``: totals hand-computed."""

from __future__ import annotations

from datetime import timedelta

from typer.testing import CliRunner

from builders import T0, add, scorecard, transcript
from interviewer.cli import app
from interviewer.formats import Delivery, Role, Status
from interviewer.render import delivery_summary, transcript_markdown
from interviewer.transcripts import Store
from interviewer.voice.delivery import summarize


def spoken(words: int, wpm: float | None, talk: float, fillers: dict[str, int], pauses: int,
           structure: float | None) -> Delivery:  # fmt: skip
    return Delivery(
        talk_seconds=talk,
        words=words,
        words_per_minute=wpm,
        fillers=fillers,
        long_pauses=pauses,
        first_structure_seconds=structure,
        transcriber="test",
    )


# 120 words at 120 wpm (60 s of speech) and 60 words at 180 wpm (20 s): 180 words in 80 s.
FIRST = spoken(120, 120.0, 70.0, {"um": 3, "you know": 1}, 2, 1.5)
SECOND = spoken(60, 180.0, 20.0, {"um": 1}, 0, None)


def test_session_totals_are_words_over_speaking_time_not_an_average_of_averages():
    s = summarize([FIRST, SECOND])
    assert s is not None
    assert s.words_per_minute == 135.0  # 180 words / (80 s / 60); not (120 + 180) / 2
    assert s.fillers == {"um": 4, "you know": 1}
    assert s.fillers_per_minute == round(5 / 1.5, 2)  # 90 s of talk
    assert (s.long_pauses, s.structured, s.timed, s.answers) == (2, 1, 2, 2)
    assert summarize([]) is None


def session(tid: str, day: int, *deliveries: Delivery):
    t = transcript(id=tid, created_at=T0 + timedelta(days=day), status=Status.complete)
    for d in deliveries:
        add(t, Role.interviewer, "A question?")
        add(t, Role.candidate, "An answer.").delivery = d
    t.scorecards.append(scorecard({"framing": 3}))
    return t


def test_the_markdown_carries_the_delivery_and_text_sessions_do_not():
    t = session("v1", 1, FIRST, SECOND)
    assert "## Delivery" in transcript_markdown(t)
    assert "135 words/min" in transcript_markdown(t)
    assert delivery_summary(session("t1", 1)) is None
    assert "## Delivery" not in transcript_markdown(session("t1", 1))


def test_progress_tracks_delivery_across_spoken_sessions(isolated):
    store = Store(isolated / "transcripts")
    store.save(session("aaaa1111", 1, FIRST))
    store.save(session("bbbb2222", 2))  # typed: no delivery row
    store.save(session("cccc3333", 3, SECOND))
    result = CliRunner().invoke(app, ["progress"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Delivery (spoken sessions, oldest → newest)" in out
    table = out.split("Delivery (spoken sessions")[1].split("What to practise next")[0]
    rows = [
        " ".join(line.replace("│", " ").split()) for line in table.splitlines() if "-11-0" in line
    ]
    first, last = rows
    assert "aaaa1111 ml-system-design 1 120 3.4 2 1/1" in first  # 4 fillers in 70 s
    assert "cccc3333 ml-system-design 1 180 3.0 0 0/1" in last
    assert "bbbb2222" not in table


def test_show_gives_each_spoken_answer_its_delivery(isolated):
    Store(isolated / "transcripts").save(session("dddd4444", 1, FIRST))
    result = CliRunner().invoke(app, ["show", "dddd4444"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "70 s spoken · 120 words · 120 words/min · fillers: um ×3, you know ×1" in result.output
