"""Export: Markdown, JSON and one self-contained, escaped HTML page."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import add, scorecard, transcript
from interviewer.catalog.library import Catalog
from interviewer.cli import app
from interviewer.formats.transcript import Role, Status, Transcript
from interviewer.review.charts import bar_chart, line_plot
from interviewer.review.html import marked, transcript_html
from interviewer.review.markdown import transcript_markdown
from interviewer.review.scenario import scenario_of
from interviewer.store.transcripts import Store

HOSTILE = (
    'I\'d log <script src="https://evil.example/x.js">alert(1)</script> and '
    "<img src=http://evil.example/p.png> & still optimise repeat purchases."
)


@pytest.fixture
def session(transcripts_dir: Path) -> Transcript:
    t = transcript(id="e4e40001", status=Status.complete)
    add(t, Role.interviewer, "What would you <b>optimise</b>?")
    add(t, Role.candidate, HOSTILE)
    card = scorecard(
        {"objective-metric": 4, "data-labels": None, "features": 2},
        evidence={"objective-metric": ["still optimise repeat purchases"]},
    )
    card.dimensions[2].flags.append('quote not found in the candidate\'s answers, dropped: "<x>"')
    t.scorecards.append(card)
    Store(transcripts_dir, render_markdown=transcript_markdown).save(t)
    return t


class Resources(HTMLParser):
    """Every URL-bearing attribute and every tag, to prove the page fetches nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "srcset")]


def test_html_is_self_contained_and_escaped(session):
    page = transcript_html(session)
    parser = Resources()
    parser.feed(page)
    assert parser.urls == []  # no src or href at all, so none can point at the network
    assert not {"script", "link", "img", "iframe", "object"} & parser.tags
    assert not re.search(r"url\(|@import", page)
    assert "&lt;script src=&quot;https://evil.example/x.js&quot;&gt;" in page
    assert "&lt;b&gt;optimise&lt;/b&gt;" in page
    assert "dropped: &quot;&lt;x&gt;&quot;" in page


def test_html_marks_evidence_and_charts_the_scores(session):
    page = transcript_html(session)
    assert "<mark>still optimise repeat purchases</mark>" in page
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert chart.count("<rect") == 2  # two scored dimensions; the third has no bar
    assert "not enough evidence" in chart
    assert "<title>Objective metric: 4/5</title>" in chart


def test_marked_escapes_around_and_inside_the_highlight():
    assert marked("a <b> c", ["<b>"]) == "a <mark>&lt;b&gt;</mark> c"


def test_failed_and_missing_scorecards_say_so():
    t = transcript(id="f0f00001")
    assert "Not scored yet. Score it with <code>interviewer score f0f00001</code>" in (
        transcript_html(t)
    )
    t.scorecards.append(scorecard({}, status="failed", failure_reason="judge <down>"))
    assert "Scoring failed (fake-judge, 2026-11-01 10:00 UTC): judge &lt;down&gt;" in (
        transcript_html(t)
    )


def test_charts_escape_labels_and_leave_gaps_for_missing_scores():
    from datetime import UTC, datetime

    day = datetime(2026, 1, 1, tzinfo=UTC)
    svg = bar_chart([("<Framing>", 3)])
    assert "&lt;Framing&gt;" in svg and "<Framing>" not in svg
    plot = line_plot(
        [(day, 2, "a"), (day.replace(day=2), None, "b"), (day.replace(day=3), 4, "c")],
        title="Serving",
    )
    assert "<polyline" not in plot  # two lone points around a gap: nothing to join
    assert plot.count("<circle") == 2


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_export_to_stdout_and_to_a_file(session, fmt, tmp_path):
    runner = CliRunner()
    to_stdout = runner.invoke(app, ["export", "e4e4", "--format", fmt])
    assert to_stdout.exit_code == 0, to_stdout.output
    target = tmp_path / f"out.{fmt}"
    to_file = runner.invoke(app, ["export", "e4e4", "-f", fmt, "-o", str(target)])
    assert to_file.exit_code == 0, to_file.output
    assert to_file.stdout == f"Wrote {target}\n"
    written = target.read_text()
    if fmt == "html":  # the footer carries the time of writing
        written, shown = (
            re.sub(r"on \d{4}-\d\d-\d\d \d\d:\d\d UTC", "", s) for s in (written, to_stdout.stdout)
        )
    else:
        shown = to_stdout.stdout
    assert written == shown
    if fmt == "md":
        assert written == transcript_markdown(session, scenario_of(session, Catalog()))
    if fmt == "json":
        assert Transcript.model_validate(json.loads(written)) == session


def drawn(svg: str) -> list[str]:
    """The lines of text a reader sees in a chart: every ``<tspan>``, tooltips left out."""
    shown = re.sub(r"<title>.*?</title>", "", svg)
    return [html.unescape(line) for line in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", shown)]


def test_chart_labels_and_titles_wrap_whole_whatever_the_font() -> None:
    """Labels and titles were cut with "…" to fit: a long dimension lost its name and a
    progress title its score. They wrap between words now, each line within its room."""
    from datetime import UTC, datetime

    from interviewer.review.charts import CHAR_EM

    long = "Problem framing and the decision the metric serves, in production"
    bars = bar_chart([(long, 3), ("Data", None), (long.upper(), 5)])
    assert "…" not in bars
    lines = drawn(bars)
    assert " ".join(lines) == f"{long} Data {long.upper()}"
    assert max(len(line) for line in lines) * 13 * CHAR_EM <= 220 - 14
    title = f"{long} · recent\u00a03.67"
    plot = line_plot([(datetime(2026, 1, 1, tzinfo=UTC), None, "abc")], title=title)
    assert "…" not in plot and " ".join(drawn(plot)) == title
    assert drawn(plot)[-1].endswith("recent\u00a03.67")  # the figure whole, beside its word


def test_a_long_label_grows_its_row_and_the_bars_stay_apart() -> None:
    long = "Problem framing and the decision the metric serves, in production"
    short, tall = bar_chart([("Data", 4), ("Serving", 2)]), bar_chart([(long, 4), ("Serving", 2)])
    height = [int(re.search(r'viewBox="0 0 640 (\d+)"', svg)[1]) for svg in (short, tall)]
    assert height[1] > height[0]
    labels = re.findall(r'<text x="212" y="([\d.]+)" class="label".*?</text>', tall)
    first, second = map(float, labels)
    lines = len(drawn(tall)) - 1
    assert lines >= 3 and second - (first + 16 * (lines - 1)) >= 16  # no line over another


def test_html_strips_terminal_escapes_and_control_bytes(session):
    """A pasted log's colour codes and bell reached the page raw (issue 18)."""
    add(
        session, Role.candidate, "Logs said \x1b[31mERROR\x1b[0m\x07 at \x1b]0;title\x07noon\x9b2J."
    )
    page = transcript_html(session)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", page)
    assert "Logs said ERROR at noon." in page
