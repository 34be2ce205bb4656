"""A huge pasted answer is shown, exported and searched a chunk at a time: the pieces must
add up to exactly what one pass over the whole text gives, wherever the chunks fall."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment, Segments
from typer.testing import CliRunner

from builders import add, scorecard, transcript
from interviewer.cli import app
from interviewer.formats.transcript import Role
from interviewer.grading import quotes
from interviewer.review import long_text, markdown
from interviewer.review.html import transcript_html
from interviewer.review.long_text import LongText
from interviewer.review.markdown import quoted, transcript_markdown
from interviewer.store.transcripts import Store
from interviewer.terminal.safe_text import SafeConsole

TEXTS = [
    pytest.param("the loss spiked at step 4,000 " * 40, id="prose on one line"),
    pytest.param("x" * 700, id="one word longer than many rows"),
    pytest.param("ok\n" * 200, id="many short lines"),
    pytest.param("def f(x):\n    return x  # * [b] _c_\n\n- item\n1. step\n" * 30, id="code"),
    pytest.param("日本語のテキスト " * 60 + "\n  indented\n\n", id="wide characters"),
]


def drawn(text: str, width: int, spans: tuple[tuple[int, int], ...] = ()) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    LongText(text, spans).print_to(console)
    return console.file.getvalue()  # type: ignore[attr-defined]


def rows(drawing: str) -> list[str]:
    return [row.rstrip() for row in drawing.splitlines()]


@pytest.mark.parametrize("text", TEXTS)
def test_rows_are_the_same_whatever_the_chunk_size(text, monkeypatch):
    """Chunks end after a newline, or with none near, after a space, so no word shorter
    than a chunk is cut at one; a longer word (over a megabyte in use) is cut there,
    and nothing is lost. Cut at newlines, the drawing is exactly that of one pass."""
    whole = drawn(text, 40, ((5, 60),))
    monkeypatch.setattr(long_text, "CHUNK", 17)
    at_newlines = drawn(text, 40, ((5, 60),))
    if "\n" in text and max(map(len, text.split("\n"))) < 17:
        assert at_newlines == whole
    monkeypatch.setattr(long_text, "LONG_CHUNK", 23)
    chunked = drawn(text, 40, ((5, 60),))
    if max(map(len, text.split())) < 23:
        assert rows(chunked) == rows(whole)
    assert "".join(chunked.split()) == "".join(whole.split()) == "".join(text.split())
    assert max(len(line) for line in chunked.splitlines()) <= 40


def test_a_word_longer_than_a_row_fills_whole_rows():
    rows = drawn("y" * 100, 22).splitlines()
    assert rows == ["  " + "y" * 20] * 5


def test_prose_wraps_between_words_with_no_row_too_wide():
    text = " ".join(f"word{n}" for n in range(3000))
    rows = drawn(text, 50).splitlines()
    assert all(len(row) <= 50 for row in rows)
    assert " ".join(row.strip() for row in rows) == text


@pytest.mark.parametrize("text", TEXTS)
def test_markdown_quote_is_the_same_whatever_the_chunk_size(text, monkeypatch):
    whole = quoted(text)
    monkeypatch.setattr(markdown, "CHUNK", 23)
    assert quoted(text) == whole
    assert all(line == ">" or line.startswith("> ") for line in whole.split("\n"))


@pytest.mark.parametrize("text", TEXTS)
def test_quotes_are_found_the_same_whatever_the_chunk_size(text, monkeypatch):
    found = [text[40:70], text[-30:], "not there at all"]
    whole = quotes.highlight_spans(found, text)
    monkeypatch.setattr(quotes, "CHUNK", 13)
    assert quotes.highlight_spans(found, text) == whole


def test_a_quote_inside_one_huge_word_is_not_a_whole_word():
    blob = "ab" * 200_000
    assert quotes.highlight_spans(["abab"], blob) == []
    assert quotes.highlight_spans(["abab"], "abab " + blob) == [(0, 4)]


def test_export_in_pieces_writes_what_the_page_holds(transcripts_dir: Path, monkeypatch):
    """``export -o`` writes a huge answer as it is made; the file holds the same page."""
    monkeypatch.setattr(markdown, "CHUNK", 100)
    t = transcript(id="b19a0001")
    add(t, Role.interviewer, "Paste the log.")
    answer = "step 1 loss 0.3 # note\n- retry\n" * 400
    add(t, Role.candidate, answer, minutes=3)
    t.scorecards.append(
        scorecard({"objective-metric": 4}, evidence={"objective-metric": [answer[:22]]})
    )
    Store(transcripts_dir).save(t)
    saved = Store(transcripts_dir).load("b19a")
    for fmt, render, start in (
        ("md", transcript_markdown, "## Conversation"),
        ("html", transcript_html, "<h2>Conversation</h2>"),
    ):
        out = transcripts_dir / f"x.{fmt}"
        result = CliRunner().invoke(app, ["export", "b19a", "-f", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        written = out.read_text(encoding="utf-8").split(start)[1].split("<footer>")[0]
        assert written == render(saved).split(start)[1].split("<footer>")[0]
    assert "> \\- retry" in (transcripts_dir / "x.md").read_text(encoding="utf-8")
    assert "<mark>step 1 loss 0.3 # note</mark>" in (transcripts_dir / "x.html").read_text()


def test_a_quote_cut_inside_words_again_and_again_is_found_where_it_is_whole():
    """ "k ok" sits inside "ok ok" at every word of a pasted log; only the last is whole."""
    text = "ok " * 5000 + "k ok"
    assert quotes.highlight_spans(["k ok"], text) == [(len(text) - 4, len(text))]
    assert quotes.highlight_spans(["k o"], text) == []  # never a whole word


def test_a_huge_answer_is_shown_without_its_escapes(transcripts_dir: Path):
    """An answer past ``LONG_TEXT`` is cleaned once, as it is cut into rows, and then
    written as it is; a piece rich makes anew is cleaned again. Either way no escape
    reaches the terminal, and the words around each are there."""
    t = transcript(id="b19a0002")
    add(t, Role.interviewer, "Paste the log.")
    line = "step \x1b]0;pwned\x07loss \x1b[2Jok\x9b31m done\n"
    add(t, Role.candidate, line * (long_text.LONG_TEXT // len(line) + 10), minutes=3)
    Store(transcripts_dir).save(t)
    shown = CliRunner().invoke(app, ["show", "b19a0002"], env={"COLUMNS": "60"})
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.output and "\x9b" not in shown.output
    assert "  step loss ok done\n" in shown.output
    console = SafeConsole(file=io.StringIO(), width=40, color_system=None)
    console.print(Segments([Segment("a\x1b[2Jb")]), crop=False)  # not marked: cleaned
    assert console.file.getvalue() == "ab"  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", [*TEXTS, "a & b < c > d \" e ' f &amp;", "", "&<>\"'" * 50])
def test_a_huge_answer_is_escaped_for_html_as_html_escape_does(text: str, monkeypatch):
    """Each entity is replaced only where its character is there: the page is the same."""
    from html import escape

    from interviewer.review import html

    monkeypatch.setattr(html, "CHUNK", 7)
    assert "".join(html.escaped_parts(text, 0, len(text))) == escape(text)
