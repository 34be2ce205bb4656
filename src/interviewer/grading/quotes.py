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
from functools import cache

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
LOWER_TABLE = {**TABLE, **{ord(c): c.lower() for c in map(chr, range(65, 91))}}
"""``TABLE`` and ASCII lower-casing in one: an ASCII chunk is folded in one pass."""
RUNS = re.compile("  +")  # only runs of two or more shift offsets when collapsed
NOT_ASCII = re.compile("([^\x00-\x7f]+)")
WORD_END = re.compile(r"[\W_]")
SPACE = re.compile(r"\s*")  # the first character that is not a letter or digit
CHUNK = 1 << 16
"""Characters folded at a time; in a longer text, a fragment is first tested for a
character the text has nowhere (memchr, a millisecond a character), which ends the
search for a quote that is not there: ``find`` read a 50 MB log through (0.05 s)."""


def folded(text: str) -> str:
    """``text.translate(TABLE).lower()``, in time linear in its size whatever it holds.

    ``translate`` runs at C speed only on text that is all ASCII: one "…" in a pasted
    file sent all 50 MB of it through a dictionary look-up per character (0.5 s per
    5 MB). So it is applied per chunk, and within a chunk that is not all ASCII, per run
    of ASCII and of other characters.
    """
    out = []
    for at in range(0, len(text), CHUNK):
        chunk = text[at : at + CHUNK]
        if chunk.isascii():
            out.append(chunk.translate(LOWER_TABLE))
        else:
            out.append("".join(part.translate(TABLE) for part in NOT_ASCII.split(chunk)).lower())
    return "".join(out)


Span = tuple[int, int]


class Haystack:
    """A text folded and lower-cased with whitespace runs collapsed, and the way back.

    Built a chunk at a time at C speed (``translate``, ``lower``, one regular expression
    substitution), in time and memory linear in the text, so a 50 MB pasted answer is
    searched as fast as it is read. The way back is not kept for every run of spaces
    (an indented file has millions: 600 MB of offsets): only where each chunk starts,
    both sides; ``origin`` finds the runs inside the one chunk it is asked about.
    """

    def __init__(self, text: str) -> None:
        self._origin: list[int] | None = None
        self._source = text
        self._starts: list[int] = []  # where each chunk starts, normalised
        self._sources: list[int] = []  # and in the original text
        self._runs: dict[int, tuple[list[int], list[int], list[int]]] = {}
        self._word = (0, 0)  # the last span found all letters and digits (``_word_end``)
        if self._as_is(text):
            return
        pieces: list[str] = []
        normalised = 0  # characters so far
        at = 0
        while at < len(text):
            end = min(len(text), at + CHUNK)
            space = SPACE.match(text, end)  # a run of whitespace is never split
            end = space.end() if space else end
            chunk = folded(text[at:end])
            if len(chunk) != end - at:  # rare: a letter whose lower case is two characters
                self.text, self._origin = _normalised_slowly(text)
                return
            self._starts.append(normalised)
            self._sources.append(at)
            pieces.append(RUNS.sub(" ", chunk) if "  " in chunk else chunk)  # a third of it
            normalised += len(pieces[-1])
            at = end
        self.text = "".join(pieces)

    def _as_is(self, text: str) -> bool:
        """Whether ``text`` is ASCII with no run of whitespace (the usual paste; looked
        for first in its first chunk, as code is indented from its start): then it is
        folded whole, in one ``translate``, and every position is the text's own. Chunk
        by chunk, the slices, the search for runs in each and the join took as long
        again, and the pieces and their join were held together (100 MB for 50 MB)."""
        if not text.isascii() or "  " in text[:CHUNK].translate(LOWER_TABLE):
            return False
        whole = text.translate(LOWER_TABLE)
        if "  " in whole:
            return False
        self.text, self._starts, self._sources = whole, [0], [0]
        self._runs[0] = ([], [], [])  # none: the way back is the way there
        return True

    def origin(self, index: int) -> int:
        """Where the normalised character at ``index`` came from in the original text."""
        if self._origin is not None:
            return self._origin[index]
        chunk = bisect_right(self._starts, index) - 1
        if chunk < 0:
            return index
        starts, shifts, lengths = self._chunk_runs(chunk)
        index -= self._starts[chunk]
        k = bisect_right(starts, index) - 1
        if k < 0:
            return self._sources[chunk] + index
        if index == starts[k]:
            return self._sources[chunk] + index + shifts[k]  # the run's one space: its first
        return self._sources[chunk] + index + shifts[k] + lengths[k] - 1

    def _chunk_runs(self, chunk: int) -> tuple[list[int], list[int], list[int]]:
        """Each long run of one chunk: where its space is (normalised, from the chunk's
        start), the characters dropped before it, and its length."""
        if chunk not in self._runs:
            end = self._sources[chunk + 1] if chunk + 1 < len(self._sources) else None
            lowered = folded(self._source[self._sources[chunk] : end])
            starts: list[int] = []
            shifts: list[int] = []
            lengths: list[int] = []
            dropped = 0
            for run in RUNS.finditer(lowered):
                starts.append(run.start() - dropped)
                shifts.append(dropped)
                lengths.append(run.end() - run.start())
                dropped += run.end() - run.start() - 1
            self._runs[chunk] = starts, shifts, lengths
        return self._runs[chunk]

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

    def _word_end(self, start: int) -> int:
        """Where the word (letters and digits) at ``start`` ends: up to the next space if it
        is all letters and digits (checked at C speed), else at its first other character.
        The last whole word found is remembered: quotes from one 50 MB word each scanned
        it again (0.1 s a time)."""
        begun, ended = self._word
        if begun <= start < ended:
            return ended
        text = self.text
        space = text.find(" ", start)
        space = len(text) if space < 0 else space
        if text[start:space].isalnum():
            self._word = (start, space)
            return space
        other = WORD_END.search(text, start, space)
        return other.start() if other else space

    def _find(self, fragment: str, start: int) -> int:
        """Where ``fragment`` first sits at or after ``start`` as whole words (a fragment
        that begins or ends with a letter or digit does not begin or end inside a word:
        "he data" is not in "the data"); -1 when it does not."""
        text = self.text
        if len(text) > CHUNK and not all(char in text for char in set(fragment)):
            return -1  # a character it has is nowhere: memchr tells at once (see ``CHUNK``)
        found = text.find(fragment, start)
        for _ in range(TRIES):
            if found == -1:
                return -1
            end = found + len(fragment)
            cut_before = found > 0 and fragment[0].isalnum() and text[found - 1].isalnum()
            cut_after = end < len(text) and fragment[-1].isalnum() and text[end].isalnum()
            if not (cut_before or cut_after):
                return found
            if cut_before:
                # Every later start inside this word is cut too: go on after the word,
                # or one long word ("xxxx...", a base64 blob) took time squared.
                found = text.find(fragment, self._word_end(found))
            else:
                found = text.find(fragment, found + 1)
        # Cut again and again ("k ok" in "ok ok ok ..."): one expression finds the next
        # whole-word place at C speed, where a loop here took 3 s for 10 MB.
        whole = _whole_words(fragment).search(text, max(found, 0))
        return whole.start() if whole and found != -1 else -1


TRIES = 8  # places of a fragment cut inside words tried one by one before the expression


@cache
def _whole_words(fragment: str) -> re.Pattern[str]:
    """``fragment`` not inside a word: no letter or digit before it if it begins with
    one, nor after it if it ends with one (``[^\\W_]`` is exactly ``str.isalnum``). The
    fragment's start comes first, so the search skips to its places as ``find`` does;
    the look behind it checks only that start (``HEAD`` characters), so a place where
    the fragment sits cut inside a word again and again ("k ok ok" in 16 million lines
    of "ok") fails there, before the rest is compared: looking behind the whole
    fragment compared it twice at every place, 0.3 s for 10 MB, now 0.09 s."""
    head, rest = re.escape(fragment[:HEAD]), re.escape(fragment[HEAD:])
    before = rf"(?<![^\W_]{head})" if fragment[0].isalnum() else ""
    after = r"(?![^\W_])" if fragment[-1].isalnum() else ""
    return re.compile(head + before + rest + after)


HEAD = 8  # characters of a fragment sought before the look behind it (fewer: more tries)


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
