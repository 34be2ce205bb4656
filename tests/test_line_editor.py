"""The answer editor as prompt_toolkit draws it: words whole at the edge, the toolbar whole.

The editor's own layout is rendered onto a prompt_toolkit screen of a given width, as the
terminal would show it, without a terminal: what a candidate reads at 80 columns.
"""

from __future__ import annotations

import asyncio

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.application.current import set_app
from prompt_toolkit.document import Document
from prompt_toolkit.input import DummyInput
from prompt_toolkit.layout.mouse_handlers import MouseHandlers
from prompt_toolkit.layout.screen import Screen, WritePosition
from prompt_toolkit.output import DummyOutput

from interviewer.terminal.line_editor import TOOLBAR, LineEditor, WordWrap, wrap_points

PROMPT = "You › "
ANSWER = (
    "At the level senior candidates are held to, I would start from the dollar loss a "
    "missed fraud case costs, pick an operating point on the precision-recall curve from "
    "it, and only then compare models: gradient-boosted trees first, then a sequence "
    "model over the account's recent events if the trees plateau."
)


def rows_shown(text: str, width: int, height: int = 16) -> list[str]:
    """The editor's screen rows with ``text`` typed, at ``width`` columns."""

    async def draw() -> list[str]:
        editor = LineEditor({"/end"})
        session = editor._build()
        editor._wrap.indent = len(PROMPT)  # as ``read`` sets it for its prompt
        session.message = "\n" + PROMPT
        session.default_buffer.reset(Document(text, len(text)))
        screen = Screen()
        with set_app(session.app):
            session.layout.container.write_to_screen(
                screen, MouseHandlers(), WritePosition(0, 0, width, height), "", False, None
            )
        return [
            "".join(screen.data_buffer[y][x].char for x in range(width)).rstrip()
            for y in range(height)
        ]

    with create_app_session(input=DummyInput(), output=DummyOutput()):
        return asyncio.run(draw())


@pytest.mark.parametrize("width", [80, 100])
def test_a_long_answer_wraps_between_words(width: int) -> None:
    """prompt_toolkit wraps at the last column: "level s / enior", "doll / ar loss"."""
    rows = [row for row in rows_shown(ANSWER, width) if row.startswith(("You ›", "  ..."))]
    assert len(rows) > 1 and all(len(row) <= width for row in rows)
    said = " ".join(row[len(PROMPT) :] for row in rows)
    assert said.split() == ANSWER.split()  # every word whole, none cut across two rows


def test_the_toolbar_fits_80_columns() -> None:
    rows = rows_shown("", 80)
    assert TOOLBAR.strip() in rows[-1]  # whole, not cut at the 80th column


@pytest.mark.parametrize(
    "line, width, pads",
    [
        pytest.param("short line", 20, [], id="fits"),
        pytest.param("aaa bbb", 5, [(4, 1)], id="word-moves-down"),
        pytest.param("aaaa bbb", 4, [], id="space-at-edge-after-a-full-row"),
        pytest.param("aa bb c", 5, [(3, 2)], id="space-at-edge-moves-its-word"),
        pytest.param("abcdefghij", 4, [], id="word-wider-than-a-row-is-broken"),
        pytest.param("ab abcdefghij", 4, [(3, 1)], id="long-word-starts-a-row"),
    ],
)
def test_wrap_points(line: str, width: int, pads: list[tuple[int, int]]) -> None:
    assert wrap_points(line, width) == pads


def test_the_cursor_steps_over_the_padding() -> None:
    """The padding is shown, never typed: every position in the answer maps to one on the
    screen and back, and a position inside the padding maps to the word after it."""
    from prompt_toolkit.layout.processors import TransformationInput

    line = "aa bb ccc ddd"
    fragments = [("", line)]
    ti = TransformationInput(None, Document(line), 0, lambda i: i, fragments, 5 + 6, 1)  # type: ignore[arg-type]
    shown = WordWrap(indent=6).apply_transformation(ti)
    text = "".join(fragment[1] for fragment in shown.fragments)
    assert text.replace(" ", "") == line.replace(" ", "") and len(text) > len(line)
    for i in range(len(line) + 1):
        assert shown.display_to_source(shown.source_to_display(i)) == i
    for j, char in enumerate(text):
        source = shown.display_to_source(j)
        if char != " ":
            assert line[source] == char
