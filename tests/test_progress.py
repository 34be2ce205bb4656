"""Progress across sessions: the pure computation, then the command that draws it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import T0, add, scorecard, transcript
from interviewer.cli import app
from interviewer.formats.transcript import Role, Status, Transcript, usable_card
from interviewer.review.markdown import transcript_markdown
from interviewer.review.progress import Report
from interviewer.review.progress import build as build_report
from interviewer.store.index import summarise
from interviewer.store.transcripts import Store


def build(transcripts: list[Transcript], round_id: str | None = None) -> Report:
    """The report over the transcripts as the index summarises them."""
    entries = [summarise(t) for t in transcripts]
    return build_report([(e.summary, e.scores) for e in entries if e.scores], round_id)


def held(
    tid: str,
    day: int,
    scores: dict[str, int | None],
    *,
    round_id: str = "ml-system-design",
    practice: list[str] | None = None,
) -> Transcript:
    t = transcript(round_id, id=tid, created_at=T0 + timedelta(days=day), status=Status.complete)
    add(t, Role.candidate, "An answer.")
    t.scorecards.append(scorecard(scores, practice=practice, at=T0 + timedelta(days=30 - day)))
    return t


@pytest.fixture
def history() -> list[Transcript]:
    """Four design sessions (one scored twice, the re-score failing) and one behavioral."""
    design = [
        held("d1", 1, {"framing": 2, "serving": 1}),
        held("d2", 2, {"framing": 3, "serving": None}),
        held("d3", 3, {"framing": 3, "serving": 2}),
        held(
            "d4",
            4,
            {"framing": 5, "serving": 2},
            practice=["Budget latency.", "Plan monitoring.", "Name a baseline."],
        ),
    ]
    design[3].scorecards.append(scorecard({}, status="failed"))
    behavioral = held(
        "b1",
        2,
        {"impact": 4},
        round_id="behavioral",
        practice=["Quantify impact.", "plan   monitoring.", "Close with a lesson."],
    )
    unscored = transcript(id="u1", created_at=T0)
    return [design[2], behavioral, unscored, design[0], design[3], design[1]]


def test_trends_are_per_round_and_dimension_oldest_first(history):
    report = build(history)
    assert report.sessions == 5
    summary = [(t.round, t.dimension, [p.score for p in t.points]) for t in report.trends]
    assert summary == [
        ("behavioral", "impact", [4]),
        ("ml-system-design", "framing", [2, 3, 3, 5]),
        ("ml-system-design", "serving", [1, None, 2, 2]),
    ]
    assert [p.session for p in report.trends[1].points] == ["d1", "d2", "d3", "d4"]


def test_recent_average_and_change():
    report = build([held(f"s{n}", n, {"framing": s}) for n, s in enumerate([1, 2, 4, 4, 4])])
    (trend,) = report.trends
    assert trend.recent == 4.0  # the last three
    assert trend.change == 2.5  # against the mean of the two before them
    assert build([held("one", 1, {"framing": 3})]).trends[0].change is None


def test_weakest_three_by_recent_average(history):
    weakest = build(history).weakest
    assert [(t.dimension, t.recent) for t in weakest] == [
        ("serving", 1.67),
        ("framing", 3.67),
        ("impact", 4.0),
    ]


def test_practice_comes_from_the_latest_scorecard_of_each_round_deduplicated(history):
    advice = build(history).practice
    assert [(a.text, a.session) for a in advice] == [
        ("Budget latency.", "d4"),
        ("Plan monitoring.", "d4"),
        ("Name a baseline.", "d4"),
        ("Quantify impact.", "b1"),
        ("Close with a lesson.", "b1"),
    ]


def test_a_failed_rescore_does_not_hide_the_earlier_score(history):
    d4 = next(t for t in history if t.id == "d4")
    assert d4.scorecard is not None and d4.scorecard.status == "failed"
    assert usable_card(d4) is d4.scorecards[0]


def test_round_filter_and_empty_history(history):
    report = build(history, round_id="behavioral")
    assert report.sessions == 1 and [t.dimension for t in report.trends] == ["impact"]
    empty = build([])
    assert (empty.sessions, empty.trends, empty.weakest, empty.practice) == (0, (), (), ())


# ------------------------------------------------------------------------------ CLI


@pytest.fixture
def saved(history, transcripts_dir) -> Path:
    store = Store(transcripts_dir, render_markdown=transcript_markdown)
    for t in history:
        store.save(t)
    return transcripts_dir


def test_progress_command_draws_trends_weakest_and_advice(saved, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "120")
    page = tmp_path / "progress.html"
    result = CliRunner().invoke(app, ["progress", "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert [line.rstrip() for line in result.stdout.splitlines()] == [
        "Progress over 5 scored sessions",
        "round and dimension ┃ scores, old → new ┃ last ┃ recent ┃ change",
        "━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━╇━━━━━━━",
        "behavioral          │                   │      │        │",
        "  Impact            │ ▆                 │    4 │   4.00 │      —",
        "ml-system-design    │                   │      │        │",
        "  Framing           │ ▂▄▄█              │    5 │   3.67 │  +1.67",
        "  Serving           │ ▁·▂▂              │    2 │   1.67 │      —",
        "",
        "Weakest dimensions (recent average)",
        "  1. Serving (ml-system-design): 1.67",
        "  2. Framing (ml-system-design): 3.67",
        "  3. Impact (behavioral): 4.00",
        "",
        "What to practise next",
        "  • Budget latency. (ml-system-design, d4)",
        "  • Plan monitoring. (ml-system-design, d4)",
        "  • Name a baseline. (ml-system-design, d4)",
        "  • Quantify impact. (behavioral, b1)",
        "  • Close with a lesson. (behavioral, b1)",
        f"Wrote {page}",
    ]
    html = page.read_text()
    assert html.count("<polyline") == 2  # framing and serving; one point draws no line
    assert html.count('class="dot"') == 1 + 4 + 3


def test_progress_with_nothing_scored(transcripts_dir):
    result = CliRunner().invoke(app, ["progress", "--round", "coding"])
    assert result.exit_code == 0
    assert (
        result.stdout
        == "No scored sessions for round coding yet. Score one with: interviewer score ID\n"
    )


def test_progress_fits_80_columns_with_each_round_named_once(tmp_path, monkeypatch):
    """A round column repeated on every row left ``research-pre…`` at 80 columns and
    squeezed each dimension's name onto three or four lines; the round now heads its rows."""
    store = Store(tmp_path, render_markdown=transcript_markdown)
    long_names = {"negative-results-limits-and-credit": 4, "outcome-and-impact-judgement": 3}
    for n in range(3):
        store.save(held(f"r{n}", n, long_names, round_id="research-presentation"))
    monkeypatch.setenv("INTERVIEWER_TRANSCRIPTS_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(app, ["progress"])
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    rows = [line.split("│")[0].strip() for line in result.stdout.splitlines() if "│" in line]
    assert rows[0] == "research-presentation" and "research-presentation" not in rows[1:]
    assert " ".join(rows[1:]) == "Negative results limits and credit Outcome and impact judgement"


def test_one_scored_session_is_one_session_not_sessions(tmp_path, monkeypatch):
    store = Store(tmp_path, render_markdown=transcript_markdown)
    store.save(held("one", 1, {"framing": 4}))
    monkeypatch.setenv("INTERVIEWER_TRANSCRIPTS_DIR", str(tmp_path))
    page = tmp_path / "progress.html"
    result = CliRunner().invoke(app, ["progress", "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Progress over 1 scored session"
    assert "<p class='meta'>1 scored session.</p>" in page.read_text()


def test_html_plot_titles_keep_the_score_whatever_the_name(tmp_path, monkeypatch):
    """A long dimension's title was cut to fit its plot, score and all ("recent 5…")."""
    import html
    import re

    store = Store(tmp_path, render_markdown=transcript_markdown)
    long = {"negative-results-limits-and-credit-for-the-work-of-others": 5, "framing": 3}
    for n in range(3):
        store.save(held(f"r{n}", n, long, round_id="research-presentation"))
    monkeypatch.setenv("INTERVIEWER_TRANSCRIPTS_DIR", str(tmp_path))
    page = tmp_path / "progress.html"
    assert CliRunner().invoke(app, ["progress", "--html", str(page)]).exit_code == 0
    shown = re.sub(r"<title>.*?</title>", "", page.read_text())  # tooltips are not read
    titles = [
        " ".join(html.unescape(line) for line in re.findall(r">([^<]*)</tspan>", text))
        for text in re.findall(r'<text [^>]*class="title"[^>]*>(.*?)</text>', shown)
    ]
    assert sorted(titles) == [
        "Framing · recent\u00a03.00",
        "Negative results limits and credit for the work of others · recent\u00a05.00",
    ]
