"""Text from outside, made safe to print: no terminal escapes, no markup, no surprises.

Model replies, answers, judge rationales, provider errors, persona and round names and
file names are data. Printed raw, an escape sequence in any of them can set the window
title, clear the screen or write the clipboard (OSC 52); printed through rich with markup
on, ``[/]`` crashes and ``[link=...]`` becomes a live hyperlink. Everything from outside
goes through ``clean`` (or ``plain``, which also turns markup off) before it reaches a
terminal. Ordinary newlines and tabs are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from interviewer.formats.text import scalar

_SEQUENCE = re.compile(
    r"\x1b(?:"
    r"\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, clears
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks, clipboard
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|[ -/]*[0-~]"  # two-byte escapes (charset switches, resets)
    r")?"
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the same CSI and OSC as single C1 bytes
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"
)
"""Whole escape sequences, so their parameters do not litter the text; a lone ESC (a
sequence cut between two streamed chunks) is removed by ``_CONTROL`` all the same."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (but tab and newline), DEL, and the bidirectional overrides that
make text display in another order than it is stored."""


KEPT = bytes(range(0x20, 0x7F)) + b"\n\t"
"""The ASCII characters ``clean`` keeps: printable ones, newline and tab."""
_WINDOW = 1 << 20


def _kept_whole(text: str) -> bool:
    """Whether ``clean`` would keep ASCII ``text`` as it is. A megabyte at a time, at C
    speed (about 20 ms for 50 MB; the regular expressions took 0.3 s, and a text with a
    newline is never ``isprintable``)."""
    return text.isascii() and not any(
        text[at : at + _WINDOW].encode("ascii").translate(None, KEPT)
        for at in range(0, len(text), _WINDOW)
    )


def clean(text: str) -> str:
    """``text`` without escape sequences or control characters; newlines and tabs kept;
    a lone surrogate (which no terminal can be sent) shown as U+FFFD."""
    if _kept_whole(text) if text.isascii() else text.isprintable():
        return text  # the common cases, at C speed (``isprintable`` takes twice as long)
    text = _CONTROL.sub("", _SEQUENCE.sub("", text.replace("\r\n", "\n")))
    return scalar(text)


def plain(text: str, style: str = "") -> Text:
    """A rich ``Text`` of outside text: cleaned, and never read as markup."""
    return Text(clean(text), style=style)


def from_bytes(text: str) -> str:
    """Text whose undecodable bytes arrived as lone surrogates (``surrogateescape``),
    with each such byte replaced by U+FFFD so it can be saved as JSON."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


class SafeConsole(Console):
    """A rich console that cleans every piece of text it writes, whatever its source.

    Rich's own styling (colours, the spinner's cursor moves) is added after this point,
    so it is kept; only the characters of the text itself are cleaned. This is the one
    choke point that makes a forgotten ``clean`` harmless in tables, panels and views.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        cleaned = (
            segment
            if segment.control or type(segment.text) is Cleaned
            else Segment(clean(segment.text), segment.style)
            for segment in buffer
        )
        return super()._render_buffer(cleaned)


class Cleaned(str):
    """Text made only of ``clean``'s output (and our own spaces and newlines), which
    ``SafeConsole`` writes as it is: a 50 MB answer drawn a chunk at a time
    (``LongText``) was cleaned twice, 0.05 s. Any change rich makes to it (a split, a
    crop) is a plain ``str`` again, and is cleaned."""


_MD_INLINE_CHARS = "\\`*_[]|~#"
"""Characters escaped wherever they are: each would otherwise start Markdown syntax."""
_MD_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    *((char, "\\" + char) for char in _MD_INLINE_CHARS),  # the backslash first
)
_MD_FIRST_LINE = re.compile(r"(\s*)([=+\-]|\d+[.)])")
_MD_MARKED = re.compile(r"\n(?=[=+\-\d])(?:(?=[=+\-])|(?=\d+[.)]))")
_MD_INDENTED = re.compile(r"\n[^\S\n]++(?=[=+\-]|\d+[.)])")
"""A list or heading marker at a line's start (a sign, or a number and its dot or
bracket), after its indent if any (``_MD_FIRST_LINE`` for the first line). The newline
comes first so the search skips from line to line at C speed: ``(?m)^`` was tried at every
character (0.25 s for a 50 MB paragraph). Signs and numbers are one expression, tried only
after a newline that one of their characters follows: as two, 50 MB of code took 0.11 s,
as one 0.08 s. Text here has no other line break (``clean``)."""
_SHORT_LINE = 16  # characters a line on average, below which ``_FIRST`` is worth its pass
_SAMPLE = 1 << 14  # characters whose lines tell how long they are on average
_FIRST = str.maketrans(
    {chr(c): "m" if chr(c) in "=+-" else "d" if chr(c).isdigit() else "w" if chr(c) in " \t"
     else "\n" if c == 10 else "x" for c in range(128)}
)  # fmt: skip
"""ASCII to the classes of a line's first character: marker, digit, indent, other."""
_STARTERS = (("m", "=+-"), ("d", "0123456789"), ("w", " \t"))


def replace_each(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """Each character of ``pairs`` replaced by its text, in order, at C speed, and only
    where the character is there: a ``replace`` counts the text through even when
    nothing is to be replaced (15 ms for 50 MB), where the test (memchr) takes a
    millisecond."""
    for char, replacement in pairs:
        if char in text:
            text = text.replace(char, replacement)
    return text


def markdown_text(text: str) -> str:
    """Outside text as Markdown that shows the text and nothing else: no raw HTML, no
    headings, tables, links, code fences or emphasis of its own (each such character is
    escaped, so it renders as itself). Escapes are cleaned first."""
    text = replace_each(clean(text), _MD_ESCAPES)  # where a substitution took 0.35-1.6 s
    text = _MD_FIRST_LINE.sub(r"\1\\\2", text, count=1) if _MD_FIRST_LINE.match(text) else text
    return _line_starts(text)


def _line_starts(text: str) -> str:
    """Each list or heading marker at a line's start after the first escaped, by
    expressions that skip from newline to newline at C speed, with a literal
    replacement (no Python call a match) but for indented markers, the rarest. Where
    lines are short on average (16 million of "ok": 0.6 s), each line's first character
    is first told apart by one ``translate`` to its class (``_FIRST``), and only the
    expressions for the classes that begin a line run."""
    if "\n" not in text:
        return text
    found = "mdw"
    sample = text[:_SAMPLE]  # which way is a matter of speed only
    if sample.count("\n") * _SHORT_LINE > len(sample) and text.isascii():
        found = "".join(c for c, chars in _STARTERS if any(char in text for char in chars))
        classes = text.translate(_FIRST) if found else ""  # memchr found none: no pass
        found = "".join(c for c in found if "\n" + c in classes)
    if "m" in found or "d" in found:
        text = _MD_MARKED.sub("\n\\\\", text)
    if "w" in found:
        text = _MD_INDENTED.sub(_backslash_after, text)
    return text


def _backslash_after(match: re.Match[str]) -> str:
    return match[0] + "\\"


def markdown_cell(text: str) -> str:
    """``markdown_text`` on one line, for a table cell."""
    return " ".join(markdown_text(text).splitlines())


_COMPLETE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\"
    r"|(?![\[\]PX^_])[ -/]*[0-~])"
)
"""A whole sequence. An opener alone (``ESC [``, ``ESC ]``) is not a two-byte escape but
the start of a longer one, held back until it ends: taken as whole, it was removed and
the rest of a sequence cut there ("2J" of a clear-screen) was shown as text."""
_MAX_PENDING = 4096


class StreamCleaner:
    """``clean`` for text that arrives in pieces: a sequence cut between two pieces is held
    back until it is whole, so none of its parameters are shown as text either."""

    def __init__(self) -> None:
        self.pending = ""

    def feed(self, piece: str) -> str:
        text, self.pending = self.pending + piece, ""
        start = text.rfind("\x1b")
        if start >= 0 and not _COMPLETE.match(text, start) and len(text) - start < _MAX_PENDING:
            text, self.pending = text[:start], text[start:]
        return clean(text)

    def flush(self) -> str:
        text, self.pending = self.pending, ""
        return clean(text)
