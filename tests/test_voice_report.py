"""Delivery on the scorecard, in the Markdown and in ``progress``: totals hand-computed."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from builders import T0, add, scorecard, transcript
from interviewer.cli import app
from interviewer.formats.delivery import summarize
from interviewer.formats.transcript import Delivery, Role, Status
from interviewer.review.markdown import delivery_summary, transcript_markdown
from interviewer.store.transcripts import Store


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


def session(tid: str, day: int, *deliveries: Delivery, scored: bool = True):
    t = transcript(id=tid, created_at=T0 + timedelta(days=day), status=Status.complete)
    for d in deliveries:
        add(t, Role.interviewer, "A question?")
        add(t, Role.candidate, "An answer.").delivery = d
    if scored:
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
    store.save(session("dddd4444", 4, FIRST, SECOND, scored=False))  # spoken, never scored
    result = CliRunner().invoke(app, ["progress"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Delivery (spoken sessions, scored or not, oldest → newest)" in out
    table = out.split("Delivery (spoken sessions")[1].split("What to practise next")[0]
    rows = [
        " ".join(line.replace("│", " ").split()) for line in table.splitlines() if "-11-0" in line
    ]
    first, middle, last = rows
    # talk time, pace, fillers a minute (4 in 70 s), long pauses, structure, time to it
    assert "aaaa1111 ml-system-design 1 1.2 min 120 3.4 2 1/1 1.5 s" in first
    assert "cccc3333 ml-system-design 1 0.3 min 180 3.0 0 0/1 —" in middle
    assert "dddd4444 ml-system-design 2 1.5 min 135 3.3 2 1/2 1.5 s" in last
    assert "bbbb2222" not in table


def test_show_gives_each_spoken_answer_its_delivery(isolated):
    Store(isolated / "transcripts").save(session("dddd4444", 1, FIRST))
    result = CliRunner().invoke(app, ["show", "dddd4444"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert (
        "70 s spoken (aim 30–180 s) · 120 words · 120 words/min (aim 120–160) · " in result.output
    )
    assert "fillers: um ×3, you know ×1 (3.4/min; aim 0–3/min)" in result.output


# ------------------------------------------------------------------ the exported pages

FIRST_LINE = (
    "70 s spoken (aim 30–180 s) · 120 words · 120 words/min (aim 120–160) · "
    "fillers: um ×3, you know ×1 (3.4/min; aim 0–3/min) · "
    "2 pause(s) over 2 s (aim 0–2) · structure announced at 1.5 s (aim: by 20 s)"
)


def export(tid: str, fmt: str, tmp_path: Path) -> str:
    target = tmp_path / f"{tid}.{fmt}"
    result = CliRunner().invoke(app, ["export", tid, "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def test_the_html_export_gives_each_spoken_answer_its_figures_and_the_session_totals(
    isolated, tmp_path
):
    Store(isolated / "transcripts").save(session("eeee5555", 1, FIRST, SECOND))
    page = export("eeee5555", "html", tmp_path)
    answer = '<div class="turn candidate"><div class="who">You</div><div class="text">An answer.'
    assert f'{answer}</div><div class="delivery">{FIRST_LINE}</div></div>' in page
    second = "20 s spoken (aim 30–180 s) · 60 words · 180 words/min (aim 120–160) · fillers: um ×1"
    assert f'<div class="delivery">{second}' in page
    totals = page.split("<h2>Delivery</h2>")[1].split("<h2>")[0]
    # 180 words over 80 s of speech: 135, not the average of 120 and 180
    assert (
        "2 spoken answer(s), 1.5 min · 135 words/min (aim 120–160) · 3.3 fillers/min "
        "(aim 0–3; um ×4, you know ×1)"
    ) in (totals)
    assert "structure announced in 1 of 2 · median time to structure 1.5 s (measured" in totals
    assert (
        page.index("<h2>Scorecard</h2>")
        < page.index("<h2>Delivery</h2>")
        < page.index("<h2>Conversation</h2>")
    )


def test_a_typed_session_exports_no_delivery_at_all(isolated, tmp_path):
    t = session("ffff6666", 1)
    add(t, Role.interviewer, "A question?")
    add(t, Role.candidate, "A typed answer.")
    Store(isolated / "transcripts").save(t)
    page = export("ffff6666", "html", tmp_path)
    assert "A typed answer." in page
    assert "<h2>Delivery" not in page
    assert 'class="delivery"' not in page
    assert "words/min" not in page
    assert "spoken" not in export("ffff6666", "md", tmp_path)


def test_fillers_and_answers_from_outside_are_escaped_in_every_export(isolated, tmp_path):
    hostile = spoken(9, None, 5.0, {"<script>alert(1)</script>": 2, "um": 1}, 0, None)
    t = session("abcd7777", 1, hostile)
    t.turns[-1].text = "I'd <script>alert(2)</script> batch it."
    Store(isolated / "transcripts").save(t)
    page = export("abcd7777", "html", tmp_path)
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "fillers: &lt;script&gt;alert(1)&lt;/script&gt; ×2, um ×1" in page  # per answer
    assert "(aim 0–3; &lt;script&gt;alert(1)&lt;/script&gt; ×2, um ×1)" in page  # the totals
    assert "I&#x27;d &lt;script&gt;alert(2)&lt;/script&gt; batch it." in page
    md = export("abcd7777", "md", tmp_path)
    assert "<script>" not in md
    assert "fillers: &lt;script&gt;alert(1)&lt;/script&gt; ×2, um ×1" in md


def test_the_markdown_gives_each_spoken_answer_its_figures_under_it(isolated, tmp_path):
    Store(isolated / "transcripts").save(session("abcd8888", 1, FIRST))
    md = export("abcd8888", "md", tmp_path)
    assert f"**You:**\n\n> An answer.\n\n_{FIRST_LINE}_\n" in md


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


def progress_page(tmp_path: Path) -> str:
    target = tmp_path / "progress.html"
    result = CliRunner().invoke(app, ["progress", "--html", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def test_progress_html_tracks_delivery_as_the_terminal_does(isolated, tmp_path):
    store = Store(isolated / "transcripts")
    store.save(session("aaaa1111", 1, FIRST))
    store.save(session("bbbb2222", 2))  # typed: no delivery row
    store.save(session("cccc3333", 3, SECOND))
    page = progress_page(tmp_path)
    table = page.split("<h2>Delivery (spoken sessions, scored or not, oldest → newest)</h2>")[1]
    table = table.split("</table>")[0]
    rows = [re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", row) for row in table.split("<tr>")[1:]]
    assert rows == [
        ["session", "round", "answers", "talk", "words/min", "fillers/min", "long pauses",
         "structure", "to structure"],
        ["2026-11-02 aaaa1111", "ml-system-design", "1", "1.2 min", "120", "3.4", "2", "1/1",
         "1.5 s"],
        ["2026-11-04 cccc3333", "ml-system-design", "1", "0.3 min", "180", "3.0", "0", "0/1",
         "—"],
    ]  # fmt: skip


def test_progress_html_of_typed_sessions_has_no_delivery_table(isolated, tmp_path):
    Store(isolated / "transcripts").save(session("bbbb2222", 2))
    page = progress_page(tmp_path)
    assert "<h2>Progress</h2>" not in page and "<h1>Progress</h1>" in page
    assert "Delivery" not in page


def test_the_judge_is_told_which_spoken_words_were_uncertain():
    """In the answer's own block, as an inert attribute; judge.md says how to read it."""
    from interviewer.catalog.library import read_prompt
    from interviewer.grading.prompt import transcript_blocks

    unsure = FIRST.model_copy(update={"unsure": ["LoRA", "p99"]})
    t = session("u1", 1, unsure, SECOND)
    blocks = transcript_blocks(t, "n0nce")
    assert '<answer-n0nce turn="2" unsure="LoRA, p99">\nAn answer.\n</answer-n0nce>' in blocks
    assert '<answer-n0nce turn="4">' in blocks  # no uncertain word: no attribute
    assert "`unsure` attribute lists the words it may have misheard" in read_prompt("judge.md")
