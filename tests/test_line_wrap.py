"""Every line reads whole at 80 and 100 columns: a streamed reply wraps between words as
it arrives, and warnings and errors wrap between words at a terminal (issue 25)."""

from __future__ import annotations

import io
import random
import re
import sys

import pytest
import typer
from rich.cells import cell_len
from rich.console import Console

from interviewer.cli.app import fail, warn
from interviewer.terminal.console import Terminal
from interviewer.terminal.safe_text import SafeConsole
from interviewer.terminal.stream_wrap import StreamWrap

REPLY = (
    "Thanks, that gives me a clear picture of the baseline. Let's dig into the ranking "
    "model itself: you said the click-through labels are noisy because of position bias, "
    "so walk me through how you would correct for it before training, and how you would "
    "know the correction worked rather than just moved the error somewhere else.\n\n"
    "A few things I'd like you to cover:\n"
    "  - which logging changes you need, if any, to estimate propensities;\n"
    "  - whether inverse-propensity weighting blows up the variance for tail positions;\n"
    "  - how the offline metric (NDCG@10, say) relates to the online dollar loss.\n\n"
    "Take your time. We have about twenty minutes left, and the 東京 team's データ "
    "pipeline question can wait \x1b[2Juntil after this one."
)
SHOWN = REPLY.replace("\x1b[2J", "")  # the escape sequence never reaches the terminal
NAME = "Maya Chen"


def streamed(reply: str, width: int, seed: int) -> str:
    """What the candidate sees of ``reply`` streamed in random pieces of one to seven
    characters (cut mid-word, mid-escape), after the speaker's name."""
    out = io.StringIO()
    screen = Terminal(Console(file=out, width=width), read_line=lambda _p: "")
    screen.stream_start(NAME)
    pieces = random.Random(seed)
    position = 0
    while position < len(reply):
        step = pieces.randint(1, 7)
        screen.stream_text(reply[position : position + step])
        position += step
    screen.stream_end()
    screen.settle()
    return out.getvalue()


def paragraphs(text: str) -> list[list[str]]:
    return [block.split() for block in text.split("\n\n")]


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("seed", range(5))
def test_a_streamed_reply_wraps_between_words(width: int, seed: int) -> None:
    shown = streamed(REPLY, width, seed)
    lines = shown.splitlines()
    assert max(cell_len(line) for line in lines) <= width, shown
    body = shown.strip().removeprefix(f"{NAME}:")
    # The same words, in the same paragraphs: a word cut in two would be two words here.
    assert paragraphs(body) == paragraphs(SHOWN)
    assert any(line.startswith("  - which logging") for line in lines)  # indent kept
    assert any(len(line) > width - 12 for line in lines)  # lines are filled, not chopped


def test_a_word_longer_than_the_line_is_cut_only_then() -> None:
    url = "https://example.com/" + "a" * 150
    shown = streamed(f"See {url} for the data.", 80, seed=1)
    lines = shown.strip().splitlines()
    assert lines == [f"{NAME}: See", url[:80], url[80:160], url[160:] + " for the data."]


def test_text_appears_as_it_arrives_a_word_at_a_time_at_worst() -> None:
    out = io.StringIO()
    screen = Terminal(Console(file=out, width=80), read_line=lambda _p: "")
    screen.stream_start(NAME)
    screen.stream_text("Tell me about the da")
    assert out.getvalue().endswith(f"{NAME}: Tell me about the")
    screen.stream_text("ta.")
    screen.stream_end()
    screen.settle()
    assert out.getvalue().endswith(f"{NAME}: Tell me about the data.\n")


def test_the_first_line_counts_the_speakers_name_and_wide_characters() -> None:
    wrap = StreamWrap(20, column=len("Maya Chen: "))
    text = wrap.feed("東京 データ and more words") + wrap.flush()
    first, *rest = text.split("\n")
    assert cell_len("Maya Chen: " + first) <= 20
    assert all(cell_len(line) <= 20 for line in rest)
    assert text.split() == ["東京", "データ", "and", "more", "words"]


ESCAPES = re.compile(r"\x1b\[[0-9;]*m")  # the colours of a terminal
LONG_WARNING = (
    "the judge's reply for the dimension 'communication' quoted words that are not in any "
    "of your answers, so its score is shown as unverified and left out of the overall"
)


def wrapped_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


def assert_wrapped_between_words(text: str, message: str, width: int) -> None:
    lines = wrapped_lines(text)
    assert len(lines) > 1
    assert max(cell_len(line) for line in lines) <= width
    assert " ".join(lines) == message  # no word cut, no word changed


@pytest.mark.parametrize("kind", ["warn", "info"])
def test_a_long_warning_wraps_between_words_at_80_columns(kind: str) -> None:
    out = io.StringIO()
    console = SafeConsole(file=out, width=80, force_terminal=True, soft_wrap=True)
    getattr(Terminal(console, read_line=lambda _p: ""), kind)(LONG_WARNING)
    assert_wrapped_between_words(ESCAPES.sub("", out.getvalue()), LONG_WARNING, 80)


def test_a_long_notice_while_waiting_wraps_between_words() -> None:
    out = io.StringIO()
    console = SafeConsole(file=out, width=80, force_terminal=True, soft_wrap=True)
    screen = Terminal(console, read_line=lambda _p: "")
    screen.stream_start(NAME)
    reason = "the provider is rate limiting this key (429 Too Many Requests); retrying in 8 s"
    screen.notice(f"{reason} (attempt 2 of 5)")
    screen.settle()
    shown = ESCAPES.sub("", out.getvalue()).split(f"{NAME}: ")[1]
    expected = f"({reason} (attempt 2 of 5) · Ctrl-C saves and stops)"
    assert_wrapped_between_words(shown, expected, 80)


@pytest.fixture
def terminal_stderr(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """The CLI's stderr console as a terminal 80 columns wide, as ``make_console`` sets it
    up (soft-wrapping, for the streamed replies)."""
    out = io.StringIO()
    err = SafeConsole(file=out, width=80, force_terminal=True, soft_wrap=True, color_system=None)
    monkeypatch.setattr(sys.modules[warn.__module__], "err", err)
    return out


def test_the_clis_long_warning_wraps_between_words_at_a_terminal(
    terminal_stderr: io.StringIO,
) -> None:
    warn(LONG_WARNING)
    assert_wrapped_between_words(terminal_stderr.getvalue(), f"warning: {LONG_WARNING}", 80)


def test_the_clis_long_error_wraps_between_words_at_a_terminal(
    terminal_stderr: io.StringIO,
) -> None:
    message = "no transcript matches 'ffff' in /home/someone/.local/share/interviewer/" + (
        "transcripts ('interviewer list' shows the saved sessions)"
    )
    with pytest.raises(typer.Exit):
        fail(message, 2)
    assert_wrapped_between_words(terminal_stderr.getvalue(), f"error: {message}", 80)


def test_into_a_pipe_a_warning_stays_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    pipe = SafeConsole(file=out, width=80, soft_wrap=True)
    monkeypatch.setattr(sys.modules[warn.__module__], "err", pipe)
    warn(LONG_WARNING)
    assert re.fullmatch(r"warning: [^\n]+\n", out.getvalue())


@pytest.mark.parametrize(
    "sequence",
    [
        pytest.param("\x1b[2J", id="csi"),
        pytest.param("\x1b]0;pwned\x07", id="osc"),
        pytest.param("\x1bPq#0\x1b\\", id="dcs"),
        pytest.param("\x1b(B", id="two-byte"),
    ],
)
def test_an_escape_cut_anywhere_leaves_no_trace(sequence: str) -> None:
    """However the stream cuts a sequence, none of it shows: ``ESC [`` alone was taken
    for a whole two-byte escape, and the "2J" after it was shown."""
    reply = f"Clear {sequence}enough?"
    for cut in range(len(reply) + 1):
        out = io.StringIO()
        screen = Terminal(Console(file=out, width=80), read_line=lambda _p: "")
        screen.stream_start(NAME)
        screen.stream_text(reply[:cut])
        screen.stream_text(reply[cut:])
        screen.stream_end()
        screen.settle()
        assert out.getvalue() == f"\n{NAME}: Clear enough?\n", cut


def test_how_to_score_a_scripted_round_later_wraps_between_words_at_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last lines a newcomer reads after a scripted round: the judge example, with its
    OPENAI_API_KEY, was cut in two at 80 columns."""
    from types import SimpleNamespace

    from interviewer.cli import flow

    out = io.StringIO()
    screen = SafeConsole(file=out, width=80, force_terminal=True, soft_wrap=True)
    monkeypatch.setattr(flow, "out", screen)
    flow.score_later_hint(SimpleNamespace(id="a98e5962", judge=SimpleNamespace(model="scripted")))  # type: ignore[arg-type]
    lines = wrapped_lines(ESCAPES.sub("", out.getvalue()))
    assert max(cell_len(line) for line in lines) <= 80
    words = " ".join(lines).split()
    assert "OPENAI_API_KEY" in words and "--judge-api-base" in words
