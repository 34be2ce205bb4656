"""A huge text (a pasted log, file or essay) drawn in rows, in time and memory linear in its size.

rich wraps a ``Text`` word by word in Python, about 5 s per megabyte here, so past
``LONG_TEXT`` characters ``show`` draws an answer with ``LongText`` instead. It cuts each
row at the last space before the width (a word is cut only where it is longer than a whole
row), indents it, styles the given spans and cleans it (``safe_text.clean``), a megabyte at a
time: a 50 MB answer of any shape (prose on one line, one line with no spaces, millions of
short lines, code) is shown in well under a second, and never held twice.

The work is done by C string methods, not a loop over characters or lines: whole runs of
lines known to fit are indented with one ``replace``; the lines that may not fit are found
with one regular expression (a newline and more characters than fit) and wrapped row by
row with ``rfind``. Every slice is of a row or of one chunk, never of the rest of the text:
slicing the rest once a row made one long line quadratic (9.7 s for 5 MB).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions
from rich.segment import Segment, Segments

from interviewer.terminal.safe_text import KEPT, Cleaned, clean

LONG_TEXT = 50_000  # characters; longer texts skip rich's word wrapping
CHUNK = 1 << 16
"""Characters cleaned, cut and written at a time, a chunk ending at a newline: few enough
that a chunk, its rows and the copies between stay in the processor's cache through
every pass (a megabyte at a time, 50 MB of short lines took 0.37 s to draw, 64 KB at a
time 0.25 s; 16 KB, 0.34 s). Cut at a newline, the rows are what one pass gives."""
LONG_CHUNK = 1 << 20
"""Characters at a time where no newline is within ``CHUNK``: a chunk then ends after a
space, else inside a word, where its row ends early, as rows always have (at a
megabyte, not every 64 KB)."""
EVIDENCE_STYLE = "bold underline"
_SPACES = re.compile(" *")


@cache
def _longer_than(chars: int) -> re.Pattern[str]:
    """A newline and then more than ``chars`` characters on the line it starts."""
    return re.compile(rf"\n[^\n]{{{chars + 1}}}")


@dataclass(frozen=True)
class LongText:
    """``text`` with ``spans`` in ``style``, cut into rows ``indent`` cells in."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    style: str = EVIDENCE_STYLE
    indent: int = 2

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        """Rows already cut to the width, a segment per chunk: print it with ``crop=False``
        so rich does not split and measure every row again."""
        marked = console.get_style(self.style)
        for piece, styled in self.chunks(options.max_width):
            yield Segment(Cleaned(piece), marked if styled else None)
        yield Segment.line()

    def print_to(self, console: Console) -> None:
        """Print a chunk at a time, so neither rich's buffer nor its output is ever the
        whole text at once (a 50 MB answer would be held three times over)."""
        marked = console.get_style(self.style)
        for piece, styled in self.chunks(console.width):
            segment = Segment(Cleaned(piece), marked if styled else None)  # cleaned: ``chunks``
            console.print(Segments([segment]), crop=False)
        console.print(Segments([Segment.line()]), crop=False)

    def chunks(self, width: int) -> Iterator[tuple[str, bool]]:
        """The rows, as pieces of at most about ``CHUNK`` characters, each with whether it
        is in the style."""
        rows = _Rows(max(1, width - self.indent), " " * self.indent)
        for start, end, styled in self._ranges():
            at = start
            while at < end:
                stop = _chunk_end(self.text, at, end)
                rows.add_piece(*_cleaned(self.text[at:stop]))
                at = stop
                if rows.size >= CHUNK:
                    yield rows.take(), styled
            if rows.size:
                yield rows.take(), styled

    def _ranges(self) -> Iterator[tuple[int, int, bool]]:
        position = 0
        for start, end in self.spans:
            yield position, start, False
            yield start, end, True
            position = end
        yield position, len(self.text), False


def _chunk_end(text: str, start: int, end: int) -> int:
    """Where the chunk from ``start`` ends: after its last newline within ``CHUNK``, else
    after its last newline or space within ``LONG_CHUNK``, so no word is cut in two
    between chunks (inside the limit when it has neither)."""
    limit = start + CHUNK
    if limit >= end:
        return end
    found = text.rfind("\n", start, limit)
    if found > start:
        return found + 1
    limit = start + LONG_CHUNK
    if limit >= end:
        return end
    for mark in ("\n", " "):
        found = text.rfind(mark, start, limit)
        if found > start:
            return found + 1
    return limit


def _cleaned(text: str) -> tuple[str, bytes | None]:
    """``clean(text)``, and for ASCII text that needs no cleaning (the usual paste) its
    marks for ``_long_lines``, from the same pass that tells it needs none: one
    ``translate`` of its bytes, each character "x" but the newline, and a control
    character (to be cleaned) NUL. Apart, the test and the marks were two passes."""
    if text.isascii():
        marks = text.encode("ascii").translate(_MARKS)
        if b"\0" not in marks:
            return text, marks
    return clean(text), None


def _long_lines(piece: str, first: int, chars: int, marks: bytes | None) -> Iterator[int]:
    """The newline (at or after ``first``) before each line of ``piece`` longer than
    ``chars``. With ``marks`` (``_cleaned``), or where lines are short on average
    (millions of "ok"), a search for ``chars`` + 1 "x" in the marks, which skips over
    short lines whole; else the expression (``_longer_than``, a try at every newline:
    0.15 s for 16 million)."""
    sample = min(len(piece), first + _SAMPLE)  # which way is only a matter of speed
    if (
        marks is None
        and piece.isascii()
        and piece.count("\n", first, sample) * _SHORT > sample - first
    ):
        marks = piece.encode("ascii").translate(_MARKS)
    if marks is None:
        for match in _longer_than(chars).finditer(piece, first):
            yield match.start()
        return
    run = b"x" * (chars + 1)
    found = marks.find(run, first)
    while found >= 0:
        yield marks.rfind(b"\n", first, found)
        end = marks.find(b"\n", found)
        found = marks.find(run, end) if end >= 0 else -1


_SHORT = 16  # characters a line below which lines are found by their marks
_SAMPLE = 1 << 14  # characters whose lines tell
_MARKS = bytes(
    10 if c == 10 else ord("x") if c in KEPT else 0 for c in range(256)
)  # fmt: skip
"""Byte to mark: the newline itself, "x" for every other character ``clean`` keeps
(``safe_text.KEPT``), NUL for one it would not."""


@cache
def _row(width: int) -> re.Pattern[str]:
    """One row of an ASCII line and the spaces it broke at: as much as fits before a
    space or the end, else up to a space (a row of spaces before a long word), else (a
    word longer than the row) the first ``width`` characters."""
    return re.compile(rf"([^\n]{{1,{width}}}(?= |\Z)|[^\n]{{0,{width - 1}}} |[^\n]{{{width}}}) *")


class _Rows:
    """Cuts text into indented rows of at most ``width`` cells."""

    def __init__(self, width: int, pad: str) -> None:
        self.width, self.pad = width, pad
        self.out: list[str] = []
        self.size = 0  # characters in ``out``
        self.column = 0  # cells used on the current row
        self.started = False  # whether the current row's indent is out

    def take(self) -> str:
        """What is cut so far, handed over and forgotten."""
        done, self.out, self.size = "".join(self.out), [], 0
        return done

    def _put(self, text: str) -> None:
        self.out.append(text)
        self.size += len(text)

    def new_row(self) -> None:
        self._put("\n")
        self.column, self.started = 0, False

    def add_piece(self, piece: str, marks: bytes | None = None) -> None:
        """Text that may hold newlines, from the current column on (``marks``: see
        ``_cleaned``)."""
        first = piece.find("\n")
        if first < 0:
            self.add(piece, 0, len(piece))
            return
        self.add(piece, 0, first)
        # A character takes at most two cells, so a line of width // 2 of them fits.
        fits = self.width if piece.isascii() else self.width // 2
        position = first
        for start in _long_lines(piece, first, fits, marks):
            self._fitting(piece, position, start)
            end = piece.find("\n", start + 1)
            end = len(piece) if end < 0 else end
            self.new_row()
            self.add(piece, start + 1, end)
            position = end
        self._fitting(piece, position, len(piece))

    def _fitting(self, piece: str, start: int, stop: int) -> None:
        """``piece[start:stop]``: lines that each fit a row, each after its newline."""
        if stop <= start:
            return
        region = piece[start:stop]
        self._put(region.replace("\n", "\n" + self.pad))
        tail = region[region.rfind("\n") + 1 :]
        self.column, self.started = (len(tail) if tail.isascii() else cell_len(tail)), True

    def _wrapped(self, line: str) -> None:
        """An ASCII line from the start of a row, wrapped by one regular expression
        (``findall``): a row at a time in Python took 1 s for a 50 MB paragraph, and a
        substitution's template, expanded per row, 0.4 s."""
        joint = "\n" + self.pad
        if " " in line:
            rows = joint.join(_row(self.width).findall(line))  # C speed: no template per row
        else:  # one long word (a base64 blob, a minified file): rows of the full width
            cuts = range(0, len(line), self.width)
            rows = joint.join([line[at : at + self.width] for at in cuts])
        if not self.started:
            self._put(self.pad)
        self._put(rows)
        self.column, self.started = len(rows) - rows.rfind("\n") - 1 - len(self.pad), True
        if "\n" not in rows:
            self.column += len(self.pad)

    def add(self, text: str, start: int, end: int) -> None:
        """``text[start:end]``, which holds no newline, from the current column on,
        wrapped where the row is full: after the row's last space, or, for a word longer
        than a whole row, inside it. A word that does not fit the rest of a row starts
        the next one."""
        while start < end:
            if self.column == 0 and end - start > self.width:
                window = text[start:end]
                if window.isascii():
                    self._wrapped(window)
                    return
            room = self.width - self.column
            window = text[start : min(end, start + room)]
            cut = len(window) if window.isascii() else _cells_cut(window, room, self.column == 0)
            stop = start + cut
            if stop < end and text[stop] != " ":  # the row ends inside a word
                space = text.rfind(" ", start, stop)
                stop = space + 1 if space >= 0 else start if self.column > 0 else stop
            if stop == start:
                self.new_row()
                continue
            if not self.started:
                self._put(self.pad)
                self.started = True
            head = text[start:stop]
            self._put(head)
            self.column += len(head) if head.isascii() else cell_len(head)
            start = stop
            if start < end:
                self.new_row()
                spaces = _SPACES.match(
                    text, start, end
                )  # the space the row broke at, and any after
                start = spaces.end() if spaces else start


def _cells_cut(window: str, room: int, row_is_empty: bool) -> int:
    """How many characters of ``window`` fit in ``room`` cells (wide characters take two)."""
    used = cut = 0
    for char in window:
        size = get_character_cell_size(char)
        if used + size > room:
            break
        used, cut = used + size, cut + 1
    return cut or (1 if row_is_empty else 0)  # a wide character in a one-cell window
