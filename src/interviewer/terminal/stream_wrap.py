"""Word wrapping for text that arrives a few characters at a time (a streamed reply).

A reply is written straight to the terminal as it streams, and a terminal left to wrap
it cuts a line wherever the last column falls: "doll / ar loss" at 80 columns. rich
wraps between words only for text it has whole; this does it for text in pieces. It
keeps the column the cursor is at, holds back the word being written until a space, a
newline or the end of the stream says it is whole, and breaks the line before a word
that would not fit. So text still appears as it arrives, a word at a time at worst.

A single word wider than the whole window (a URL, a long identifier) cannot fit on any
line: it starts a line of its own and is cut at the window's edge as soon as it is known
to be that long, so nothing is held back for more than a line's worth of characters.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells

_PIECES = re.compile(r"\n|[ \t]+|[^ \t\n]+")
"""A newline, a run of spaces and tabs (where a line may break), or the text of a word.
A no-break space is part of a word, as it means to be."""
TAB = 8


class StreamWrap:
    """Feed it cleaned text in pieces; each call returns what can be written now.

    ``column`` is where the cursor stands when the stream starts (after the speaker's
    name). Spaces between words are written just before the next word, so a line that
    breaks there ends without them and the next starts without them; spaces after a
    newline (an indented line of the reply) are kept.
    """

    def __init__(self, width: int, column: int = 0) -> None:
        self.width = max(1, width)
        self.column = column % self.width
        self._space = ""  # the spaces since the last word written: shown before the next
        self._word = ""  # the word being written, not yet known to be whole

    def feed(self, text: str) -> str:
        out: list[str] = []
        for piece in _PIECES.findall(text):
            if piece == "\n":
                out += [self._place(), "\n"]
                self.column, self._space = 0, ""
            elif piece[0] in " \t":
                out.append(self._place())
                self._space += piece
            else:
                self._word += piece
                out.append(self._cut_overlong())
        return "".join(out)

    def flush(self) -> str:
        """The end of the stream: the word held back is whole now."""
        text = self._place()
        self._space = ""
        return text

    def _place(self) -> str:
        """The held word, now whole: on this line if it fits, else at the start of the next."""
        word, self._word = self._word, ""
        if not word:
            return ""
        space, self._space = self._space, ""
        after_space = _advance(self.column, space)
        end = after_space + cell_len(word)
        if end > self.width and after_space > 0:
            self.column = cell_len(word)
            return "\n" + word
        self.column = end
        return space + word

    def _cut_overlong(self) -> str:
        """A word wider than a whole line: on a line of its own, cut at the edge, each full
        line written at once; the rest (under a line) is held as usual."""
        if cell_len(self._word) <= self.width:
            return ""
        out = []
        if _advance(self.column, self._space) > 0:
            out.append("\n")
        self._space = ""
        *full, rest = chop_cells(self._word, self.width)
        out += [line + "\n" for line in full]
        self._word, self.column = rest, 0
        return "".join(out)


def _advance(column: int, space: str) -> int:
    """The column after ``space`` is written from ``column`` (a tab goes to the next stop)."""
    for char in space:
        column = (column // TAB + 1) * TAB if char == "\t" else column + 1
    return column
