"""What an interviewer's reply must never contain, found sentence by sentence. Pure.

Small local models (Qwen2.5-Coder-1.5B, SmolLM2) print the software's hidden note with its
nonce, echo the directive word for word, narrate claims the candidate never made ("The
candidate mentioned..."), speak as the candidate ("I would use..."), answer their own
question, or refuse. ``find_leaks`` names which of those a finished reply holds (the
measure ``rehearse`` reports); ``Detector`` is the same judgement in the pieces the
streaming ``reply_guard`` needs: a sentence's start, anywhere in it, and how much of a
stream's tail to hold back because it could still become the nonce, a ``[session`` note,
"the candidate" or an echo.

The patterns trade recall for precision: a clean interviewer line that is cut costs the
candidate a question, so every scripted line and probe the project ships is held to none
being flagged (tests/test_reply_guard.py), and the first person an interviewer uses ("I'd
like you to walk me through...", "I'll hold my questions") is not candidate speech.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from interviewer.interview.word_runs import (
    NGRAM,
    WORD,
    Live,
    Scan,
    Word,
    grams,
    index,
    vocabulary,
)

NOVEL = 2
"""Words of an echoed run that the allowed texts (the step's own line, its probes...) do
not use: fewer, and the run is the content the directive asked to be said."""
BOUNDARY = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n+")
"""Where one sentence ends and the next begins (the guard streams in these pieces)."""


class Leak(StrEnum):
    """A kind of text no candidate should see as the interviewer's words."""

    note = "note"  # the session's nonce or its [session ...] note
    directive = "directive"  # an echo of hidden text: directive, note, system prompt
    candidate_speech = "candidate-speech"  # the model answering as the candidate
    own_answer = "own-answer"  # after its question, the model answers it
    narration = "narration"  # "The candidate mentioned ..." about the person it talks to
    refusal = "refusal"  # "I'm sorry, but I can't ...", "As an AI ..."


@dataclass(frozen=True)
class Hidden:
    """What the model was shown that the candidate must not see.

    ``texts``: the step's directive, the session note, the system prompt (its rules, the
    round's interviewer notes); an echo is ``NGRAM`` consecutive words of one of them.
    ``allowed``: texts the interviewer may say word for word though a hidden text holds
    them (the step's scripted line and probes, the scenario on screen, the candidate's own
    files and answers): their word runs never count as an echo.
    """

    nonce: str
    texts: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()


# An interjection may open a sentence before what gives it away ("Sure, I would use ...").
_LEAD = (
    r"^\W*(?:(?:ok(?:ay)?|so|well|sure|right|alright|great|yes|yeah|hmm+|um+|fine)\b[\s,.!:;-]*)*"
)
_DOING = (
    r"use|utili[sz]e|start\s+by|begin\s+by|train|build|implement|deploy|collect|gather|"
    r"choose|pick|go\s+with|opt\s+for|try|compute|calculate|split|tune|apply|fit|"
    r"design|set\s+up|monitor|retrain|label|sample|normali[sz]e|engineer|encode|"
    r"tackle|address|solve|optimi[sz]e|validate|evaluate|measure|add|frame\s+it|treat\s+it"
)
_CANDIDATE = [
    # "I would use ...", "I'd start by ...": doing the work the question asks of them.
    rf"I(?:'d|’d|\s+would|'ll|’ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to)\s+"
    rf"(?:probably\s+|first\s+|then\s+|also\s+|just\s+|likely\s+|definitely\s+)?(?:{_DOING})\b",
    r"I\s+(?:think|believe)\s+I\s+(?:would|'d|’d|will|'ll)\b",
    r"(?:my|our)\s+(?:approach|answer|solution|plan|strategy|first\s+step|proposed|"
    r"baseline\s+would|idea\s+would|choice\s+would)\b",
    r"I\s+(?:didn't|didn’t|did\s+not|hadn't|had\s+not)\s+(?:know|realise|realize|think\s+of)\b",
    r"(?:to\s+answer\s+(?:your|the)\s+question|as\s+(?:a|the)\s+candidate)\b",
    r"in\s+my\s+(?:last|previous|current)\s+(?:role|job|project|team)\b",
]
_CANDIDATE_ANYWHERE = r"\bbut\s+I\s+(?:understand|see|get\s+it|know)\s+now\b"
_REFUSAL = [
    r"(?:I'm|I’m|I\s+am)\s+(?:sorry|afraid)\W+(?:but\s+)?I\s+(?:can't|can’t|cannot|am\s+unable|"
    r"won't|am\s+not\s+able)\s+(?:to\s+)?(?:help|assist|comply|fulfil+|provide|continue|"
    r"do\s+that|engage|answer\s+that|participate|role-?play)",
    r"I\s+(?:can't|can’t|cannot|won't|am\s+unable\s+to|am\s+not\s+able\s+to)\s+"
    r"(?:help|assist|comply|fulfil+)\s+with\b",
    r"I\s+(?:apologi[sz]e|apologies),?\s+but\b",
]
_REFUSAL_ANYWHERE = r"\bas\s+an?\s+(?:AI|language\s+model|large\s+language\s+model|assistant)\b"
# After a question: sentences that supply its answer rather than leave room for one.
_ANSWERING = [
    r"(?:yes|no|probably|typically|usually|generally|ideally|because|for\s+(?:example|instance)|"
    r"e\.g\.|firstly|first,|the\s+answer|answer:)\b",
    r"(?:the|a|an)\s+(?:best|key|main|right|correct|common|good|simple|typical|standard|"
    r"obvious|usual|natural|reasonable|sensible)\s+(?:answer|approach|choice|option|way|metric|"
    r"method|solution|fix|idea|baseline|model|first\s+step|start)\b",
    r"one\s+(?:option|approach|way|answer|idea|choice)\b",
    r"(?:you|we)\s+(?:would|could|should|might|can|may|'d|’d)\s+(?:probably\s+|also\s+|first\s+)?"
    r"(?!like\b|want\b|tell\b|say\b|assume\b|take\b|think\b|reason\b|talk\b|walk\b|describe\b|"
    r"explain\b|ask\b|skip\b|ignore\b|come\s+back\b|go\s+on\b|start\s+wherever\b|"
    r"(?:use|pick|choose)\s+(?:any|whichever|whatever)\b)",
    r"(?:it|that|this)(?:'s|’s|\s+is|\s+would\s+be|\s+depends)\b(?!\s+(?:fine|okay|ok|alright|"
    r"all\s+right|up\s+to\s+you|your\s+call|open|not\s+a\s+trick|a\s+(?:fair|real|broad)\b))",
]
_NARRATION = (
    r"\b(?:the|this)\s+(?:candidate|interviewee)\b(?!-|\s+(?:set|list|pool|items?|stage|"
    r"generation|retrieval|models?|documents?|rankers?|policy|policies|version|pairs?|"
    r"answers?\s+(?:is|are)|solutions?|features?|labels?|tokens?|queries|query)\b)"
)
_NARRATION_PREFIX = ("the candidate", "this candidate", "the interviewee")
_NOTE = r"\[\s*session\b|\bphase\s+[a-z-]+\s*;|;\s*(?:area|move)\b\s*:?\s*[a-z-]+\s*[;\]]"
_NOTE_PREFIX = "[session"


def _any(patterns: list[str], lead: bool = True) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile((_LEAD if lead else "") + f"(?:{body})", re.IGNORECASE)


CANDIDATE_START = _any(_CANDIDATE)
REFUSAL_START = _any(_REFUSAL)
ANSWER_START = _any(_ANSWERING)
SELF_ADDRESS = re.compile(
    r"^\W*(?:you(?:'re|’re|\s+are)|You(?:'re|’re|\s+are))\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*\s*,"
)
"""The system prompt's first words back at it: "You're Maya Lindqvist, Senior research
scientist, ..." (SmolLM2-135M, every turn of a run). Names are capitalised: "You're right,"
is not one."""
ANYWHERE = {
    Leak.note: re.compile(_NOTE, re.IGNORECASE),
    Leak.narration: re.compile(_NARRATION, re.IGNORECASE),
    Leak.candidate_speech: re.compile(_CANDIDATE_ANYWHERE, re.IGNORECASE),
    Leak.refusal: re.compile(_REFUSAL_ANYWHERE, re.IGNORECASE),
}
NEEDS = {
    Leak.note: ("session", ";"),
    Leak.narration: ("candidate", "interviewee"),
    Leak.candidate_speech: ("now",),
}
"""A word each ``ANYWHERE`` pattern cannot match without (one of them), looked for first in
an ASCII text's lower case: a stream's every piece is searched, and most hold none."""


@functools.lru_cache(maxsize=64)
def _tail_pattern(nonce: str) -> tuple[re.Pattern[str], int]:
    """A text's end that could still become the nonce, a ``[session`` note or "the
    candidate" (every start of each), and the longest of them. Searched from that many
    characters before the end, its leftmost match is the longest such end, in one call."""
    targets = [t for t in (nonce, _NOTE_PREFIX, *_NARRATION_PREFIX) if t]
    starts = sorted({t[:k] for t in targets for k in range(1, len(t) + 1)}, key=len, reverse=True)
    pattern = re.compile("(?:" + "|".join(re.escape(p) for p in starts) + r")\Z")
    return pattern, len(starts[0])


class Detector:
    """One reply's judge, built once per request from what the model was shown."""

    def __init__(self, hidden: Hidden) -> None:
        """Built per request, so it only gathers each text's word runs, cached per text
        (the system prompt, the scenario and earlier answers recur on every turn); which
        runs count as an echo is decided when a reply holds one, and remembered."""
        self.nonce = hidden.nonce.lower()
        self._hidden = tuple(i for i in (index(t) for t in hidden.texts) if i[1])
        self._allowed = tuple(grams(t) for t in hidden.allowed)
        self._vocabulary = tuple(vocabulary(t) for t in hidden.allowed)
        self._judged: dict[tuple[str, ...], bool] = {}
        self._tail, self._tail_size = _tail_pattern(self.nonce)
        self._scan = Scan()

    def echoes(self, run: tuple[str, ...]) -> bool:
        """A run of ``NGRAM`` words a hidden text holds is an echo when no allowed text
        does, and at least ``NOVEL`` of its words are the instruction's own: "this is the
        Behavioral round and takes about 45 minutes" follows the opening's directive in the
        scripted line's own words, which is the job, not a leak."""
        known = self._judged.get(run)
        if known is None:
            allowed, vocabulary = self._allowed_union
            known = run not in allowed and sum(w not in vocabulary for w in run) >= NOVEL
            self._judged[run] = known
        return known

    @functools.cached_property
    def _allowed_union(self) -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
        """The allowed texts' runs and words as one set each, made when a reply first
        holds a hidden run: one look-up a word, not one a text (a session's answers)."""
        return frozenset().union(*self._allowed), frozenset().union(*self._vocabulary)

    def _read(self, text: str) -> tuple[Scan, list[Word]]:
        """The carried scan brought up to ``text`` (begun afresh unless ``text`` continues
        the last one read), and its last word if more text could still change it (a word
        touching the end, or ending just before it: ``don'`` may become ``don't``)."""
        scan = self._scan
        if not text.startswith(scan.text):
            scan = self._scan = Scan()
        elif len(text) == len(scan.text) and scan.text:
            return scan, scan.open
        if len(text) > len(scan.text):
            scan.low += text[len(scan.text) :].lower()  # case maps a character at a time
            scan.text = text
        low = scan.low
        fresh = [
            (m.start(), m.end(), m.group().replace("’", "'"))
            for m in WORD.finditer(low, scan.words[-1][1] if scan.words else 0)
        ]
        open_ = fresh[-1:] if fresh and fresh[-1][1] >= len(low) - 1 else []
        for word in fresh[: len(fresh) - len(open_)]:
            scan.words.append(word)
            first = len(scan.words) - NGRAM  # where a run the word completes starts
            live = self._advance(scan.live, len(scan.words), word[2])
            done = 0  # the runs it completes come first: the live are in the order they start
            while done < len(live) and live[done][0] == first:
                done += 1
            if done and scan.echo is None and any(self._any_echo(e) for e in live[:done]):
                scan.echo = scan.words[first][0]
            scan.live = live[done:] if done else live
        scan.open = open_
        return scan, open_

    def _advance(self, live: list[Live], count: int, word: str) -> list[Live]:
        """The runs still matched once ``word`` is the text's ``count``-th word: those it
        continues, and those it starts (in the order they start)."""
        at = count - 1
        kept: list[Live] = []
        for j, text, found in live:
            still = [i for i in found if text[i + at - j] == word]
            if still:
                kept.append((j, text, still))
        for text, starts in self._hidden:
            begun = starts.get(word)
            if begun:
                kept.append((at, text, begun))
        return kept

    def _any_echo(self, state: Live) -> bool:
        """Whether any run a matcher's state follows is an echo."""
        _, text, found = state
        return any(self.echoes(text[i : i + NGRAM]) for i in found)

    def anywhere(self, text: str) -> tuple[Leak, int] | None:
        """The first leak anywhere in ``text`` and where it starts (a character index)."""
        found: list[tuple[int, Leak]] = []
        scan, open_ = self._read(text)
        low = scan.low
        if self.nonce and self.nonce in low:
            found.append((low.index(self.nonce), Leak.note))
        plain = text.isascii()  # else re's case-folding may differ from str.lower's
        for kind, pattern in ANYWHERE.items():
            needs = NEEDS.get(kind)
            if plain and needs and not any(map(low.__contains__, needs)):
                continue
            match = pattern.search(text)
            if match:
                found.append((match.start(), kind))
        echo = self._echo(scan, open_)
        if echo is not None:
            found.append((echo, Leak.directive))
        return (min(found)[1], min(found)[0]) if found else None

    def echo(self, text: str) -> int | None:
        """Where the first run of ``NGRAM`` hidden words starts, if any."""
        return self._echo(*self._read(text)) if self._hidden else None

    def _echo(self, scan: Scan, open_: list[Word]) -> int | None:
        if scan.echo is not None or not open_:
            return scan.echo
        count = len(scan.words) + 1
        if not scan.live or scan.live[0][0] != count - NGRAM:  # none the word could complete
            return None
        for state in self._advance(scan.live, count, open_[0][2]):
            if count - state[0] == NGRAM and self._any_echo(state):
                return scan.words[state[0]][0]
        return None

    @staticmethod
    def opening(sentence: str, after_question: bool) -> Leak | None:
        """A leak given away by how a sentence starts (it may still be unfinished)."""
        if SELF_ADDRESS.match(sentence):
            return Leak.directive
        if REFUSAL_START.match(sentence):
            return Leak.refusal
        if CANDIDATE_START.match(sentence):
            return Leak.candidate_speech
        answering = after_question and not sentence.rstrip().endswith("?")
        if answering and ANSWER_START.match(sentence):
            return Leak.own_answer
        return None

    def judge(self, sentence: str, after_question: bool) -> Leak | None:
        """A finished sentence's first leak, if it has one."""
        found = self.kinds(sentence, after_question)
        return found[0] if found else None

    def kinds(self, sentence: str, after_question: bool) -> list[Leak]:
        """Every kind of leak in a sentence, each once: what its start gives away first."""
        found = [self.opening(sentence, after_question)]
        low = sentence.lower()
        if self.nonce and self.nonce in low:
            found.append(Leak.note)
        found += [kind for kind, pattern in ANYWHERE.items() if pattern.search(sentence)]
        if self.echo(sentence) is not None:
            found.append(Leak.directive)
        return list(dict.fromkeys(k for k in found if k is not None))

    def hold(self, text: str) -> int:
        """How many trailing characters of a stream to keep back: they could still be the
        start of the nonce, of a ``[session`` note, of "the candidate", or of an echo."""
        scan, open_ = self._read(text)
        low = scan.low
        end = self._tail.search(low, max(0, len(low) - self._tail_size))
        held = len(low) - end.start() if end else 0
        words, live = scan.words, scan.live
        if open_ and open_[0][1] < len(scan.low):  # ended, though it may still grow
            words = [*words, open_[0]]
            live = self._advance(live, len(words), open_[0][2])
            live = [e for e in live if len(words) - e[0] < NGRAM]
        elif open_:  # a word still arriving
            held = max(held, len(text) - open_[0][0])
        for state in live:  # in the order they start: the earliest that could still echo
            if self._any_echo(state):
                return max(held, len(text) - words[state[0]][0])
        return held


def split_sentences(text: str) -> list[str]:
    """The reply's sentences (and line breaks), as the guard reads them."""
    parts, start = [], 0
    for match in BOUNDARY.finditer(text):
        parts.append(text[start : match.end()])
        start = match.end()
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def find_leaks(text: str, hidden: Hidden | Detector) -> list[Leak]:
    """Every kind of leak in a finished reply, each once, in the order first found.

    The measure of the guard's judgement on final text (``interviewer rehearse`` counts
    replies with each kind): the guard applies the same ``Detector`` while streaming. A
    caller judging many replies against the same hidden texts passes one ``Detector``,
    built once (its word runs take milliseconds to build).
    """
    detector = hidden if isinstance(hidden, Detector) else Detector(hidden)
    kinds: list[Leak] = []
    asked = False
    for sentence in split_sentences(text):
        kinds += [k for k in detector.kinds(sentence, asked) if k not in kinds]
        asked = asked or sentence.rstrip().rstrip("\"')]").endswith("?")
    return kinds
