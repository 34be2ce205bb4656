"""Delivery figures from a transcribed answer: pace, fillers, pauses, time to structure.

Pure: timed words in, a ``Delivery`` out. Only what the audio shows is reported; when the
transcriber gave no word timings, the figures that need them (pace, pauses, time to
structure) are left empty rather than estimated.

Fillers are matched on whole words, multi-word ones as sequences ("you know", "sort of"),
each word counted once, so "you know" is never also counted as "you". Whisper tends to
drop "um" and "uh" unless it is prompted with them; the transcriber's prompt does that
(see ``voice.transcriber.prompt_for``). Here, beside the transcript format it fills, and
not in ``voice``, because the store and review read these figures too.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # made by measure; described without pydantic (show reads light records)
    from interviewer.formats.transcript import Delivery, Moment


FILLERS: tuple[str, ...] = (
    "um",
    "umm",
    "uh",
    "uhm",
    "erm",
    "er",
    "ah",
    "hmm",
    "you know",
    "sort of",
    "i mean",
    "basically",
    "literally",
)
"""The default fillers; ``filler_words`` in the config file adds to them. "like" and
"kind of" are left out: in ML talk they are mostly meant ("models like BERT")."""

STRUCTURE: tuple[str, ...] = (
    "let me start with",
    "i'll start with",
    "i will start with",
    "i'd start with",
    "to start with",
    "to begin with",
    "at a high level",
    "step one",
    "there are two",
    "there are three",
    "there are four",
    "there are a few",
    "two things",
    "three things",
    "four things",
    "two parts",
    "three parts",
    "two steps",
    "three steps",
    "let me structure",
    "i'll structure",
    "i would structure",
    "break it into",
    "break this into",
    "break it down",
    "my plan is",
    "the plan is",
)
"""Phrases that announce an answer's shape. A bare "first" does not ("the data first"):
"first" (or "firstly") announces one only when a "second" follows it in the answer."""
ENUMERATION = (("first",), ("firstly",)), (("second",), ("secondly",))
"""("first", "firstly") counted as an announcement only when ("second", "secondly") follows."""

TARGETS: dict[str, tuple[float, float]] = {
    "talk_seconds": (30, 180),
    "words_per_minute": (120, 160),
    "fillers_per_minute": (0, 3),
    "long_pauses": (0, 2),
    "first_structure_seconds": (0, 20),
}
"""What to aim for in one answer, each as (low, high). Rules of thumb from speech coaching
(a conversational pace; a filler or two a minute goes unnoticed; a thinking pause or two
is fine; say how the answer is organised within its first sentences) and from interview
practice (an answer of half a minute to three minutes): guides, not grades."""

PAUSE_LIMIT_S = 2.0
MIN_SPAN_S = 3.0  # pace over less than this is noise, not a figure

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@dataclass(frozen=True)
class Word:
    """One transcribed word and when it was said, in seconds from the recording's start."""

    text: str
    start: float
    end: float
    probability: float | None = None
    """How sure the transcriber was of it, 0 to 1; None where it does not say."""


def tokens(text: str) -> list[str]:
    """Lower-case words without punctuation: what fillers and phrases are matched against."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def _phrases(items: Iterable[str]) -> list[tuple[str, ...]]:
    """Phrases as token tuples, longest first, so "first of all" wins over "first"."""
    unique = {tuple(tokens(item)) for item in items}
    return sorted((p for p in unique if p), key=len, reverse=True)


def _matches(words: Sequence[str], phrases: list[tuple[str, ...]]) -> list[tuple[int, str]]:
    """(index, phrase) for each non-overlapping occurrence, scanning left to right."""
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        for phrase in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append((i, " ".join(phrase)))
                i += len(phrase)
                break
        else:
            i += 1
    return found


def count_fillers(text: str, extra: Iterable[str] = ()) -> dict[str, int]:
    """How often each filler (default and the user's own) was said."""
    counts: dict[str, int] = {}
    for _, phrase in _matches(tokens(text), _phrases([*FILLERS, *extra])):
        counts[phrase] = counts.get(phrase, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _timed_tokens(words: Sequence[Word]) -> list[tuple[str, float]]:
    """Each token with the start time of the word it came from ("A/B" gives two tokens)."""
    return [(token, w.start) for w in words for token in tokens(w.text)]


def first_structure(words: Sequence[Word]) -> float | None:
    """When the answer first announced its shape: a phrase of ``STRUCTURE``, or a "first"
    that a "second" follows; None if it never did."""
    timed = _timed_tokens(words)
    said = [t for t, _ in timed]
    hits = [i for i, _ in _matches(said, _phrases(STRUCTURE))]
    (firsts, seconds) = ENUMERATION
    for i, token in enumerate(said):
        if (token,) in firsts and any((later,) in seconds for later in said[i + 1 :]):
            hits.append(i)
            break
    return round(timed[min(hits)][1], 2) if hits else None


def pauses(words: Sequence[Word]) -> list[float]:
    """Silences between consecutive words, in seconds."""
    return [max(0.0, b.start - a.end) for a, b in pairwise(words)]


UNSURE_BELOW = 0.2
"""A word the transcriber gave less than this probability is shown as unsure."""


def unsure(words: Sequence[Word], below: float = UNSURE_BELOW) -> list[str]:
    """The words the transcriber was unsure of, once each, in the order said."""
    seen: dict[str, None] = {}
    for w in words:
        text = w.text.strip(" ,.;:!?\"'")
        if w.probability is not None and w.probability < below and text:
            seen.setdefault(text, None)
    return list(seen)


def moments(words: Sequence[Word], extra: Iterable[str], pause_limit: float) -> list[Moment]:
    """When each filler was said and each long pause began, in order."""
    from interviewer.formats.transcript import Moment

    timed = _timed_tokens(words)
    found = [
        Moment(at=round(timed[i][1], 2), what=phrase)
        for i, phrase in _matches([t for t, _ in timed], _phrases([*FILLERS, *extra]))
    ]
    found += [
        Moment(at=round(a.end, 2), what="pause", seconds=round(b.start - a.end, 2))
        for a, b in pairwise(words)
        if b.start - a.end > pause_limit
    ]
    return sorted(found, key=lambda m: m.at)


def measure(
    text: str,
    words: Sequence[Word],
    *,
    talk_seconds: float,
    transcriber: str,
    extra_fillers: Iterable[str] = (),
    pause_limit: float = PAUSE_LIMIT_S,
) -> Delivery:
    """The delivery of one answer. ``words`` may be empty (a transcriber without timings)."""
    from interviewer.formats.transcript import Delivery

    extra_fillers = tuple(extra_fillers)
    fillers = count_fillers(text, extra_fillers)
    if not words:
        return Delivery(
            talk_seconds=round(talk_seconds, 2),
            words=len(tokens(text)),
            fillers=fillers,
            pause_limit_seconds=pause_limit,
            transcriber=transcriber,
        )
    count = len(_timed_tokens(words))
    span = words[-1].end - words[0].start
    gaps = pauses(words)
    long = [g for g in gaps if g > pause_limit]
    return Delivery(
        talk_seconds=round(talk_seconds, 2),
        words=count,
        words_per_minute=round(count / span * 60, 1) if span >= MIN_SPAN_S else None,
        fillers=fillers,
        long_pauses=len(long),
        longest_pause_seconds=round(max(gaps), 2) if gaps else None,
        pause_limit_seconds=pause_limit,
        first_structure_seconds=first_structure(words),
        transcriber=transcriber,
        moments=moments(words, extra_fillers, pause_limit),
        unsure=unsure(words),
    )


def aim(figure: str, unit: str = "") -> str:
    """A figure's target range as the terminal shows it: " (aim 120–160)"."""
    low, high = TARGETS[figure]
    if figure == "first_structure_seconds":
        return f" (aim: by {high:g} s)"
    return f" (aim {low:g}–{high:g}{unit})"


def describe(d: Delivery) -> str:
    """One line for the terminal, e.g. after ``/delivery``: each figure with its aim."""
    parts = [f"{d.talk_seconds:.0f} s spoken{aim('talk_seconds', ' s')}", f"{d.words} words"]
    if d.words_per_minute is not None:
        parts.append(f"{d.words_per_minute:.0f} words/min{aim('words_per_minute')}")
    fillers = ", ".join(f"{k} ×{v}" for k, v in d.fillers.items())
    rate = sum(d.fillers.values()) / (d.talk_seconds / 60) if d.talk_seconds else 0.0
    low, high = TARGETS["fillers_per_minute"]
    per_minute = f" ({rate:.1f}/min; aim {low:g}–{high:g}/min)"
    parts.append(f"fillers: {fillers}{per_minute}" if fillers else "no fillers")
    if d.long_pauses is not None:
        parts.append(
            f"{d.long_pauses} pause(s) over {d.pause_limit_seconds:g} s{aim('long_pauses')}"
        )
    if d.first_structure_seconds is not None:
        at = d.first_structure_seconds
        parts.append(f"structure announced at {at:.1f} s{aim('first_structure_seconds')}")
    elif d.long_pauses is not None:
        parts.append("no structure announced")
    return " · ".join(parts)


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def timeline(d: Delivery) -> str:
    """When each filler was said and each long pause began, e.g. "um 0:04 · pause 3.2 s
    0:12"; empty when there were none (or no word timings)."""
    return " · ".join(
        f"{m.what} {clock(m.at)}" if m.seconds is None else f"pause {m.seconds:.1f} s {clock(m.at)}"
        for m in d.moments
    )


@dataclass(frozen=True)
class Summary:
    """A session's spoken answers together: what the scorecard and ``progress`` show."""

    answers: int
    talk_seconds: float
    words_per_minute: float | None
    fillers: dict[str, int]
    fillers_per_minute: float | None
    long_pauses: int | None
    structured: int  # answers that announced their structure
    timed: int  # answers with word timings (the base for ``structured``)
    structure_seconds: float | None = None  # the median time to it, over those answers

    def line(self) -> str:
        """The session in one line, the rates with their aims."""
        parts = [f"{self.answers} spoken answer(s), {self.talk_seconds / 60:.1f} min"]
        if self.words_per_minute is not None:
            parts.append(f"{self.words_per_minute:.0f} words/min{aim('words_per_minute')}")
        if self.fillers_per_minute is not None:
            top = ", ".join(f"{k} ×{v}" for k, v in list(self.fillers.items())[:3])
            low, high = TARGETS["fillers_per_minute"]
            detail = f"aim {low:g}–{high:g}" + (f"; {top}" if top else "")
            parts.append(f"{self.fillers_per_minute:.1f} fillers/min ({detail})")
        if self.long_pauses is not None:
            parts.append(f"{self.long_pauses} long pause(s)")
        if self.timed:
            parts.append(f"structure announced in {self.structured} of {self.timed}")
        if self.structure_seconds is not None:
            parts.append(f"median time to structure {self.structure_seconds:.1f} s")
        return " · ".join(parts)


def summarize(deliveries: Sequence[Delivery]) -> Summary | None:
    """Totals over a session's answers. Pace is total words over total speaking time
    (each answer's own span), not an average of averages."""
    if not deliveries:
        return None
    talk = sum(d.talk_seconds for d in deliveries)
    paced = [d for d in deliveries if d.words_per_minute]
    minutes = sum(d.words / d.words_per_minute for d in paced if d.words_per_minute)
    fillers: dict[str, int] = {}
    for d in deliveries:
        for key, count in d.fillers.items():
            fillers[key] = fillers.get(key, 0) + count
    timed = [d for d in deliveries if d.long_pauses is not None]
    structured = [d.first_structure_seconds for d in timed if d.first_structure_seconds is not None]
    return Summary(
        answers=len(deliveries),
        talk_seconds=round(talk, 1),
        words_per_minute=round(sum(d.words for d in paced) / minutes, 1) if minutes else None,
        fillers=dict(sorted(fillers.items(), key=lambda kv: (-kv[1], kv[0]))),
        fillers_per_minute=round(sum(fillers.values()) / (talk / 60), 2) if talk else None,
        long_pauses=sum(d.long_pauses or 0 for d in timed) if timed else None,
        structured=len(structured),
        timed=len(timed),
        structure_seconds=round(statistics.median(structured), 1) if structured else None,
    )
