"""Where the judge's evidence quotes sit inside the candidate's own words.

One set of matching rules serves both the judge, which decides whether a quote is really
there, and ``show``/``export``, which highlight where: curly quotes and dashes folded,
whitespace runs collapsed, case ignored, ``...`` splitting a quote into fragments that
must appear in order. Matching runs on a normalised copy of the text that remembers,
for each of its characters, where it came from in the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
STRIP = " \"'.,;:!?"

Span = tuple[int, int]


def _normalised(text: str) -> tuple[str, list[int]]:
    """The text folded and lower-cased with whitespace runs collapsed, and an offset map."""
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


def _fragments(quote: str) -> list[str]:
    parts = (_normalised(p)[0].strip().strip(STRIP) for p in re.split(r"\.\.\.|…", quote))
    return [p for p in parts if p]


def quote_spans(quote: str, text: str) -> list[Span]:
    """Spans of ``text`` (start, end) that make up ``quote``; empty when it is not there."""
    fragments = _fragments(quote)
    if not fragments:
        return []
    haystack, origin = _normalised(text)
    spans: list[Span] = []
    position = 0
    for fragment in fragments:
        found = haystack.find(fragment, position)
        if found == -1:
            return []
        end = found + len(fragment)
        spans.append((origin[found], origin[end - 1] + 1))
        position = end
    return spans


def highlight_spans(quotes: Iterable[str], text: str) -> list[Span]:
    """Every quote's spans in ``text``, sorted and merged where they overlap or touch."""
    spans = sorted(span for quote in quotes for span in quote_spans(quote, text))
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
