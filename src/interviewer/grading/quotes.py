"""Where the judge's evidence quotes sit inside the candidate's own words.

One set of matching rules serves both the judge, which decides whether a quote is really
there, and ``show``/``export``, which highlight where: curly quotes and dashes folded,
whitespace runs collapsed, case ignored, ``...`` splitting a quote into fragments that
must appear in order, each as whole words. Matching runs on a normalised copy of the text
that remembers, for each of its characters, where it came from in the original. Whether
a quote found here may back a score is ``evidence``'s question.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
STRIP = " \"'.,;:!?"
# Every character str.isspace() accepts (a test checks the list), folded to a space:
# one ``translate`` then does what a per-character loop or a regex substitution did,
# at C speed.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
TABLE = str.maketrans({**{c: " " for c in WHITESPACE}, **{chr(k): v for k, v in FOLD.items()}})
RUNS = re.compile("  +")  # only runs of two or more shift offsets when collapsed

Span = tuple[int, int]


class Haystack:
    """A text folded and lower-cased with whitespace runs collapsed, and the way back.

    Built at C speed (``translate``, ``lower``, one regular expression) in time linear
    in the text, so a 50 MB pasted answer is searched as fast as it is read. The offset
    map keeps only the runs of two or more whitespace characters: every other character
    of the normalised text sits at a fixed shift from where it came from.
    """

    def __init__(self, text: str) -> None:
        self._origin: list[int] | None = None
        lowered = text.translate(TABLE).lower()
        if len(lowered) != len(text):  # rare: a letter whose lower case is two characters
            self.text, self._origin = _normalised_slowly(text)
            return
        self._starts: list[int] = []  # where each long run's space is, normalised
        self._shifts: list[int] = []  # characters dropped before it, itself excluded
        self._lengths: list[int] = []
        pieces: list[str] = []
        dropped = kept_to = 0
        for run in RUNS.finditer(lowered):
            pieces.append(lowered[kept_to : run.start() + 1])
            kept_to = run.end()
            self._starts.append(run.start() - dropped)
            self._shifts.append(dropped)
            self._lengths.append(run.end() - run.start())
            dropped += run.end() - run.start() - 1
        self.text = "".join(pieces) + lowered[kept_to:] if pieces else lowered

    def origin(self, index: int) -> int:
        """Where the normalised character at ``index`` came from in the original text."""
        if self._origin is not None:
            return self._origin[index]
        k = bisect_right(self._starts, index) - 1
        if k < 0:
            return index
        shift = self._shifts[k]
        if index == self._starts[k]:
            return index + shift  # the run's one space: its first character
        return index + shift + self._lengths[k] - 1

    def spans(self, quote: str) -> list[Span]:
        """Spans of the original text (start, end) that make up ``quote``; empty when it
        is not there."""
        pieces = fragments(quote)
        if not pieces:
            return []
        spans: list[Span] = []
        position = 0
        for fragment in pieces:
            found = self._find(fragment, position)
            if found == -1:
                return []
            end = found + len(fragment)
            spans.append((self.origin(found), self.origin(end - 1) + 1))
            position = end
        return spans

    def _find(self, fragment: str, start: int) -> int:
        """Where ``fragment`` first sits at or after ``start`` as whole words (a fragment
        that begins or ends with a letter or digit does not begin or end inside a word:
        "he data" is not in "the data"); -1 when it does not."""
        text = self.text
        found = text.find(fragment, start)
        while found != -1:
            end = found + len(fragment)
            cut_before = found > 0 and fragment[0].isalnum() and text[found - 1].isalnum()
            cut_after = end < len(text) and fragment[-1].isalnum() and text[end].isalnum()
            if not (cut_before or cut_after):
                return found
            found = text.find(fragment, found + 1)
        return -1


def _normalised_slowly(text: str) -> tuple[str, list[int]]:
    """Character by character, for texts where lower-casing changes the length."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            folded = " "
        else:
            folded = char.translate(FOLD).lower()
        for piece in folded:  # lower() may turn one character into two
            chars.append(piece)
            origin.append(index)
    return "".join(chars), origin


def fragments(quote: str) -> list[str]:
    """The pieces of a quote between ellipses, normalised as the text is, empty ones left out."""
    parts = (Haystack(p).text.strip().strip(STRIP) for p in re.split(r"\.\.\.|…", quote))
    return [p for p in parts if p]


def quote_spans(quote: str, text: str) -> list[Span]:
    """Spans of ``text`` (start, end) that make up ``quote``; empty when it is not there."""
    return Haystack(text).spans(quote)


def highlight_spans(quotes: Iterable[str], text: str) -> list[Span]:
    """Every quote's spans in ``text``, sorted and merged where they overlap or touch.
    The text is normalised once for all the quotes."""
    haystack = Haystack(text)
    spans = sorted(span for quote in quotes for span in haystack.spans(quote))
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
