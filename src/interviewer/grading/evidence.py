"""When a quote of the judge's counts as evidence: the candidate's words, enough of them,
from one answer, backing one thing, and for a reference point, carrying its detail.

``quotes`` says where a quote sits in a text; this module says whether it may back a
score. Finding the words is not enough: "the" is in every answer, "a ... e ... i" in most,
and a judge that cites one sentence for every dimension and every reference point has
shown one thing, not nine. So a quote counts only when

- every piece of it (the quote, or each part between ``...``) is at least
  ``MIN_WORDS`` words, and it has at most ``MAX_PIECES`` pieces;
- it is found, whole words in order, inside one of the candidate's answers (the pieces of
  one quote never come from two answers);
- its words are not, for more than ``MAX_SHARED`` of the shorter quote, words that an
  earlier claim already uses: a passage backs one dimension, and one reference point;
- for a reference point, it carries that point's own detail: at least ``MIN_POINT_TERMS``
  of the point's key words or numbers, one of them a term no other point of the scenario
  has (``detail_problem``). This is a lexical check: it turns away a quote about something
  else, not one that uses the point's words to mean something else; the judge decides that.

Dimensions and reference points keep separate ledgers: a point records what the candidate
said, a dimension how well they reasoned, and one sentence may well be both. Claims are
checked in the reply's order (points p1, p2, ...; dimensions in rubric order), so when two
claim the same passage the earlier one keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interviewer.grading.quotes import Haystack, Span, fragments

MIN_WORDS = 3
"""The fewest words a quote, and each piece of it between ``...``, may have. One or two
words ("the", "recall", "a model") say nothing about how the candidate reasoned and are
in almost any answer; three already hold a claim ("log the propensities", "split by
time"), so a terse candidate can still be quoted."""
MAX_PIECES = 3
"""The most pieces ``...`` may join: enough to skip an aside or two, too few to assemble a
sentence the candidate never said from scattered phrases."""
MAX_SHARED = 0.5
"""Two quotes sharing more than this share of the shorter one's characters are the same
passage: a judge may cite neighbouring clauses, or ones that share a word or two, for two
dimensions, but not the same words twice."""
MIN_POINT_TERMS = 2
"""How many of a reference point's key terms its quote must carry (all of them when the
point has fewer). One shared word ("model", "data") is chance; two tie the quote to the
point's own detail."""

WORD = re.compile(r"\w+(?:'\w+)*")
"""A word, an identifier (``d_k``, ``one_hot``) or a number; "don't" is one word."""
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_STOP_WORDS = """a about above after again against all also an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    either few for from further had has have having here how i if in into is it its itself
    just least less like may me might more most much must my no nor not now of off on once
    one only or other our out over own per rather same she should so some such than that
    the their them then there these they this those through to too under until up upon us
    very via was we were what when where whether which while who whom why will with within
    without would yet you your
    answer answers asks candidate describes explains gives identifies mentions names notes
    points proposes recognises recognizes says shows states suggests treats uses"""
STOP = frozenset(_STOP_WORDS.split())
"""Words no point is about: function words, and the verbs a reference point uses to say
what the candidate does ("names", "proposes"), which are never its detail."""
_NUMBERS = """zero one two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen twenty"""
NUMBER_WORDS = {word: str(value) for value, word in enumerate(_NUMBERS.split())} | {
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "ninety": "90",
    "hundred": "100", "thousand": "1000",
}  # fmt: skip
"""So "thirty days" in a point and "30 days" in an answer are the same detail."""
SUFFIXES = ("ations", "ation", "ising", "izing", "ised", "ized", "ises", "izes", "ise", "ize",
            "ing", "ers", "er", "ed", "es", "s", "ly")  # fmt: skip
STEM = 5
"""Terms are compared by their first five letters once a suffix is gone: "ranker" and
"ranking", "randomised" and "randomization", "purchase" and "purchases" meet."""


def words(text: str) -> list[str]:
    return WORD.findall(text.replace("’", "'"))


def shape_problem(quote: str) -> str | None:
    """Why a quote is too thin to carry meaning, or None; before it is even looked for."""
    pieces = fragments(quote)
    if not pieces:
        return "empty quote"
    if len(pieces) > MAX_PIECES:
        return f'quote joins {len(pieces)} pieces with "..." (at most {MAX_PIECES})'
    if any(len(words(piece)) < MIN_WORDS for piece in pieces):
        if len(pieces) == 1:
            return f"quote too short to carry meaning (under {MIN_WORDS} words)"
        return f'a piece of the quote between "..." is under {MIN_WORDS} words'
    return None


def _stem(word: str) -> str:
    if NUMBER.fullmatch(word):
        return word.replace(",", "")
    word = NUMBER_WORDS.get(word, word)
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2]:  # "logged" -> "logg" -> "log"
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):  # "slice" and "sliced" -> "slic"
        word = word[:-1]
    return word[:STEM]


def terms(text: str) -> set[str]:
    """The key terms of a text: numbers, and words of three letters or more that are not
    in ``STOP``, each cut to its stem."""
    lowered = text.lower().replace("’", "'")
    found = {_stem(n) for n in NUMBER.findall(lowered)}
    for word in WORD.findall(lowered):
        word = word.split("'")[0]  # "page's" is "page"
        if word in NUMBER_WORDS:
            found.add(NUMBER_WORDS[word])
        elif not word.isdigit() and len(word) >= 3 and word not in STOP:
            found.add(_stem(word))
    return found


def detail_problem(quote: str, point: str, others: list[str]) -> str | None:
    """Why a quote does not carry a reference point's detail, or None. It must share
    ``MIN_POINT_TERMS`` of the point's key terms, one of them the point's own: a term no
    other point of the scenario has, since what sets a point apart is its detail ("buyer"
    and "listings" are in half a marketplace scenario's points; "counter-metric" in one)."""
    wanted = terms(point)
    own = wanted - set().union(*(terms(other) for other in others))
    shared = wanted & terms(quote)
    need = min(MIN_POINT_TERMS, len(wanted))
    if len(shared) < need:
        return f"quote carries {len(shared)} of the point's key terms (needs {need})"
    if own and not shared & own:
        return "quote carries none of the terms that set this point apart"
    return None


@dataclass
class Place:
    """Where a quote was found: which answer, and the spans of that answer it covers."""

    answer: int
    spans: list[Span]

    @property
    def length(self) -> int:
        return sum(end - start for start, end in self.spans)

    def shared(self, other: Place) -> float:
        """The share of the shorter quote's characters the two have in common."""
        if self.answer != other.answer:
            return 0.0
        common = sum(
            max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in self.spans for s2, e2 in other.spans
        )
        return common / max(1, min(self.length, other.length))


@dataclass
class Ledger:
    """The candidate's answers, and which passages of them already back a claim."""

    answers: list[str]
    used: list[tuple[str, Place]] = field(default_factory=list)
    _haystacks: list[Haystack] = field(default_factory=list)

    def place(self, quote: str) -> Place | None:
        """The first answer that holds the whole quote, and where; None when none does."""
        if not self._haystacks:
            self._haystacks = [Haystack(a) for a in self.answers]
        for number, haystack in enumerate(self._haystacks):
            spans = haystack.spans(quote)
            if spans:
                return Place(number, spans)
        return None

    def claim(
        self, quote: str, claim: str, point: str | None = None, others: list[str] | None = None
    ) -> str | None:
        """Check ``quote`` for ``claim`` (a dimension id or a point key) and, when it
        counts, record it; else say why not. For a reference point, ``point`` is its text
        and ``others`` the scenario's other points."""
        place = self.place(quote)
        if place is None:
            return "quote not found in your answers"
        if problem := shape_problem(quote):
            return problem
        if point is not None and (problem := detail_problem(quote, point, others or [])):
            return problem
        for other, used in self.used:
            if other != claim and place.shared(used) > MAX_SHARED:
                return f"quote already backs {other}"
        self.used.append((claim, place))
        return None
