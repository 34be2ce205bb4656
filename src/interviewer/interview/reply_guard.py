"""One interviewer message stays one message, and only the interviewer's, whatever the
model writes.

Weak models (and strong ones, now and then) run on past their own turn: they write the
candidate's reply, a second "Interviewer:" turn, or the same line over and over until the
token cap; small local ones also print the software's hidden note, echo its directive,
narrate the candidate, answer their own question or refuse (``leaks``). The guard reads
the stream sentence by sentence, lets through only what is clean, and asks the client to
stop generating at the first sentence that:

- starts with a speaker label (``Candidate:``, ``You:``, ``The interviewer:``, the
  persona's own name on any line but the first, where it is simply dropped),
- repeats a sentence already said,
- would take the message past the length cap (which holds for local servers too, since
  closing the stream is what stops them, not a ``max_tokens`` they may override), or
- leaks, as ``ACTIONS`` decides per kind: an echo of hidden text is dropped and the reply
  goes on; speech as the candidate and an answer to its own question end the reply
  there, the clean part kept; the note or nonce, narration and a refusal reject the
  whole reply (the runner asks again when none of it was shown).

What was cut, and why, is kept for the transcript, the nonce redacted. A sentence is
shown as it streams once its first words rule out a label, a repeat and a leak's start
(so the first word is not held back a whole sentence); one that might still be any of
them is held until it ends, and a stream's tail that could still become the nonce, a
``[session`` note, "the candidate" or an echo is held until it cannot.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from enum import StrEnum

from interviewer.interview.leaks import BOUNDARY, Detector, Hidden, Leak, split_sentences

MAX_CHARS = 1400
"""About 230 words: the rules ask for under 120, so only a runaway reaches this."""
SPEAKERS = (
    r"(?:the\s+)?(?:candidate|interview\w*|you|me|user|human|applicant|assistant|ai|"
    r"model|system|q|a)"
)
LABEL_TAIL = r"\s*[*_]*\s*(?:\([^)]{0,30}\))?\s*[:：]"
MIN_REPEAT = 12
"""Sentences shorter than this ('Okay.', 'Right.') may recur without being a loop."""
MIN_REPEAT_ACROSS = 40
"""An earlier message's sentence this long, said again, is a copy, not a short "Go on." """
EARLY = 40
"""Characters of a sentence after which it can no longer turn out to be a speaker label."""
NONCE_SHOWN = "[nonce]"


class Action(StrEnum):
    drop = "drop"  # leave the sentence out, go on reading
    stop = "stop"  # end the message before it, keep what was clean
    reject = "reject"  # the reply is unusable: keep only what was already shown


ACTIONS = {
    Leak.directive: Action.drop,
    Leak.candidate_speech: Action.stop,
    Leak.own_answer: Action.stop,
    Leak.note: Action.reject,
    Leak.narration: Action.reject,
    Leak.refusal: Action.reject,
}
"""Per kind, what becomes of the reply. An echoed directive sentence is often followed by
the question itself; what follows speech as the candidate or an answer is the candidate's
turn; a reply built on a note, a claim never made or a refusal cannot be trusted at all."""
SEVERITY = (Action.drop, Action.stop, Action.reject)
WHY = {
    Leak.note: "printed the session's hidden note",
    Leak.directive: "echoed the software's hidden text",
    Leak.candidate_speech: "spoke as the candidate",
    Leak.own_answer: "answered its own question",
    Leak.narration: "narrated the candidate in the third person",
    Leak.refusal: "refused",
}


def _norm(sentence: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", sentence.lower()).strip()


@functools.lru_cache(maxsize=512)
def _long_sentences(message: str) -> frozenset[str]:
    """An earlier message's sentences long enough that saying one again is a copy.
    Cached: every request of a session passes all the interviewer's earlier messages."""
    keys = (_norm(sentence) for sentence in split_sentences(message))
    return frozenset(key for key in keys if len(key) >= MIN_REPEAT_ACROSS)


def _asks(sentence: str) -> bool:
    return sentence.rstrip().rstrip("\"')]").endswith("?")


class ReplyGuard:
    """Feed it the stream; it calls ``emit`` with the clean part and says when to stop."""

    def __init__(
        self,
        own_names: Iterable[str],
        emit: Callable[[str], None],
        max_chars: int = MAX_CHARS,
        hidden: Hidden | Detector | None = None,
        said: Iterable[str] = (),
    ) -> None:
        """``hidden``: what the model was shown that the candidate must not see (a
        ``Detector`` built from it once may serve several replies). ``said``: the
        interviewer's earlier messages, whose long sentences count as repeats too (a small
        model copies its last reply from the history, turn after turn)."""
        names = sorted({n.strip() for n in own_names if n.strip()}, key=len, reverse=True)
        own = "|".join(re.escape(n) for n in names)
        self._own_label = (
            re.compile(rf"^\s*[*_]*\s*(?:{own}){LABEL_TAIL}\s*", re.I) if own else None
        )
        alternatives = f"{SPEAKERS}|{own}" if own else SPEAKERS
        self._label = re.compile(rf"^\s*[*_]*\s*(?:{alternatives}){LABEL_TAIL}", re.IGNORECASE)
        self._emit = emit
        self._max = max_chars
        self._detector = hidden if isinstance(hidden, Detector) else Detector(hidden or Hidden(""))
        self._nonce = self._detector.nonce.strip()
        self._pending = ""
        self._seen: set[str] = set().union(*(_long_sentences(text) for text in said))
        self._kept: list[str] = []
        self._size = 0
        self._early = ""  # the part of the current sentence already shown
        self._asked = False  # a question was kept: what answers it is the model's own answer
        self._cuts: list[str] = []
        self.stopped = False
        self.rejected = False
        self.leaks: list[Leak] = []

    @property
    def text(self) -> str:
        """The message as kept: what the candidate saw."""
        return "".join(self._kept).strip()

    @property
    def cut(self) -> str | None:
        """What was cut, and why (for the transcript): never the nonce itself."""
        return "; ".join(self._cuts) if self._cuts else None

    def feed(self, chunk: str) -> bool:
        """Take a streamed piece; True means stop generating, the message is complete."""
        if self.stopped:
            return True
        self._pending += chunk
        while not self.stopped:
            match = BOUNDARY.search(self._pending)
            if match is None:
                break
            piece, self._pending = self._pending[: match.end()], self._pending[match.end() :]
            self._take(piece)
        unshown = len(self._pending) - len(self._early)
        if not self.stopped and unshown + self._size > self._max:
            self._stop("longer than the cap", self._pending)
        if not self.stopped:
            self._show_early()
        return self.stopped

    def _show_early(self) -> None:
        """Show the unfinished sentence's words now, once they can no longer be a speaker
        label, the start of a sentence already said or of a leak. The start checks run
        until its start passes them, not again on every later token (a model streams a
        token at a time, and each check rescans the sentence so far); a leak anywhere in
        it (the nonce, "the candidate", an echo) is looked for on every token, and the
        tail that could still become one is held back."""
        pending = self._pending
        found = self._detector.anywhere(pending)
        if found is not None:
            if self._early or ACTIONS[found[0]] is not Action.drop:
                self._leak([found[0]], pending[len(self._early) :], "")
            return  # a sentence to drop is dropped whole when it ends, unless worse comes
        if not self._early and not self._start_is_clean(pending):
            return
        upto = len(pending) - self._detector.hold(pending)
        fresh = pending[len(self._early) : upto]
        if fresh.strip():
            self._early = pending[:upto]
            self._keep(fresh)

    def _start_is_clean(self, pending: str) -> bool:
        """Whether a sentence's start rules out a label, a repeat and a leak's start."""
        if len(pending.strip()) < EARLY:
            return False
        if not self._kept and self._own_label is not None and self._own_label.match(pending):
            return False  # the model's own name at the start: dropped when the sentence ends
        if self._label.match(pending.lstrip()):
            return False
        if self._detector.opening(pending.lstrip(), self._asked) is not None:
            return False
        start = _norm(pending)[:EARLY]
        return not any(seen.startswith(start) for seen in self._seen)  # a repeat is held

    def finish(self) -> str:
        """The stream ended: let the last sentence through (if clean); return the message."""
        if not self.stopped and self._pending:
            piece, self._pending = self._pending, ""
            self._take(piece)
        return self.text

    def _take(self, piece: str) -> None:
        if self._early:  # partly shown already: it passed the label and repeat checks
            self._take_rest(piece)
            return
        sentence = piece.strip()
        if not sentence:
            self._keep(piece)
            return
        if not self._kept and self._own_label is not None:
            stripped = self._own_label.sub("", piece, count=1)
            if stripped != piece:  # the model named itself at the start: drop the label
                piece, sentence = stripped, stripped.strip()
                if not sentence:
                    return
        if self._label.match(sentence):
            self._stop("wrote another speaker's turn", piece + self._pending)
            return
        key = _norm(sentence)
        if len(key) >= MIN_REPEAT and key in self._seen:
            self._stop("repeated itself", piece + self._pending)
            return
        kinds = self._detector.kinds(sentence, self._asked)
        if kinds:
            self._leak(kinds, piece, self._pending)
            return
        if self._size + len(piece) > self._max:
            self._stop("longer than the cap", piece + self._pending)
            return
        self._seen.add(key)
        self._asked = self._asked or _asks(sentence)
        self._keep(piece)

    def _take_rest(self, piece: str) -> None:
        """The end of a sentence whose start was shown: its rest, if that is clean."""
        shown, self._early = self._early, ""
        rest = piece[len(shown) :]
        kinds = self._detector.kinds(piece.lstrip(), self._asked)
        if kinds:  # what is shown stays; nothing more of this reply is
            self._leak(kinds, rest, self._pending, shown=True)
            return
        self._seen.add(_norm(piece))
        if self._size + len(rest) > self._max:
            self._stop("longer than the cap", rest + self._pending)
        else:
            self._asked = self._asked or _asks(piece)
            self._keep(rest)

    def _leak(self, kinds: list[Leak], piece: str, tail: str, *, shown: bool = False) -> None:
        """Do the most severe of what ``ACTIONS`` says for the leaks in ``piece`` (not
        shown; ``tail`` is what came after it). A sentence part of which is on screen
        cannot be dropped: the message ends there instead."""
        self.leaks += [k for k in kinds if k not in self.leaks]
        kind = max(kinds, key=lambda k: SEVERITY.index(ACTIONS[k]))
        action = ACTIONS[kind]
        if action is Action.drop and not (shown or self._early):
            self._cuts.append(f"{WHY[kind]}; dropped: {self._excerpt(piece)}")
            return
        if action is Action.reject and not self.text:
            self.rejected = True
        self._stop(WHY[kind], piece + tail)

    def _keep(self, piece: str) -> None:
        if not self._kept:
            piece = piece.lstrip()
        self._kept.append(piece)
        self._size += len(piece)
        if piece:
            self._emit(piece)

    def _stop(self, why: str, rest: str) -> None:
        self.stopped = True
        self._cuts.append(f"{why}; cut from: {self._excerpt(rest)}")

    def _excerpt(self, text: str) -> str:
        """Up to 200 characters of what was cut, on one line, the nonce redacted: the
        transcript is read by people and shown on screens, and the nonce is the key."""
        text = " ".join(text.split())
        if self._nonce:
            text = re.sub(re.escape(self._nonce), NONCE_SHOWN, text, flags=re.IGNORECASE)
        return text[:200] + ("…" if len(text) > 200 else "")
