"""One interviewer message stays one message, whatever the model writes.

Weak models (and strong ones, now and then) run on past their own turn: they write the
candidate's reply, a second "Interviewer:" turn, or the same line over and over until the
token cap. The guard reads the stream sentence by sentence, lets through only what is
clean, and asks the client to stop generating at the first sentence that:

- starts with a speaker label (``Candidate:``, ``You:``, ``The interviewer:``, the
  persona's own name on any line but the first, where it is simply dropped),
- repeats a sentence already said, or
- would take the message past the length cap (which holds for local servers too, since
  closing the stream is what stops them, not a ``max_tokens`` they may override).

What was cut, and why, is kept for the transcript. A sentence is shown as it streams
once its first words rule out a label and a repeat (so the first word is not held back a
whole sentence); one that might still be either is held until it ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

MAX_CHARS = 1400
"""About 230 words: the rules ask for under 120, so only a runaway reaches this."""
SPEAKERS = (
    r"(?:the\s+)?(?:candidate|interview\w*|you|me|user|human|applicant|assistant|ai|"
    r"model|system|q|a)"
)
LABEL_TAIL = r"\s*[*_]*\s*(?:\([^)]{0,30}\))?\s*[:：]"
BOUNDARY = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n+")
MIN_REPEAT = 12
"""Sentences shorter than this ('Okay.', 'Right.') may recur without being a loop."""
EARLY = 40
"""Characters of a sentence after which it can no longer turn out to be a speaker label."""


def _norm(sentence: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", sentence.lower()).strip()


class ReplyGuard:
    """Feed it the stream; it calls ``emit`` with the clean part and says when to stop."""

    def __init__(
        self, own_names: Iterable[str], emit: Callable[[str], None], max_chars: int = MAX_CHARS
    ) -> None:
        names = sorted({n.strip() for n in own_names if n.strip()}, key=len, reverse=True)
        own = "|".join(re.escape(n) for n in names)
        self._own_label = (
            re.compile(rf"^\s*[*_]*\s*(?:{own}){LABEL_TAIL}\s*", re.I) if own else None
        )
        alternatives = f"{SPEAKERS}|{own}" if own else SPEAKERS
        self._label = re.compile(rf"^\s*[*_]*\s*(?:{alternatives}){LABEL_TAIL}", re.IGNORECASE)
        self._emit = emit
        self._max = max_chars
        self._pending = ""
        self._seen: set[str] = set()
        self._kept: list[str] = []
        self._size = 0
        self._early = ""  # the part of the current sentence already shown
        self.cut: str | None = None

    @property
    def text(self) -> str:
        """The message as kept: what the candidate saw."""
        return "".join(self._kept).strip()

    def feed(self, chunk: str) -> bool:
        """Take a streamed piece; True means stop generating, the message is complete."""
        if self.cut is not None:
            return True
        self._pending += chunk
        while self.cut is None:
            match = BOUNDARY.search(self._pending)
            if match is None:
                break
            piece, self._pending = self._pending[: match.end()], self._pending[match.end() :]
            self._take(piece)
        unshown = len(self._pending) - len(self._early)
        if self.cut is None and unshown + self._size > self._max:
            self._stop("longer than the cap", self._pending)
        if self.cut is None:
            self._show_early()
        return self.cut is not None

    def _show_early(self) -> None:
        """Show the unfinished sentence's words now, once they can no longer be a speaker
        label or the start of a sentence already said. Those checks run until its start
        passes them, not again on every later token: a model streams a token at a time,
        and each check rescans the whole sentence so far."""
        pending = self._pending
        if not self._early:  # once its start has passed the checks, the rest just flows
            if len(pending.strip()) < EARLY:
                return
            if not self._kept and self._own_label is not None and self._own_label.match(pending):
                return  # the model's own name at the start: dropped when the sentence ends
            if self._label.match(pending.lstrip()):
                return
            start = _norm(pending)[:EARLY]
            if any(seen.startswith(start) for seen in self._seen):
                return  # it may be a repeat: held until it ends
        fresh = pending[len(self._early) :]
        if fresh:
            self._early = pending
            self._keep(fresh)

    def finish(self) -> str:
        """The stream ended: let the last sentence through (if clean); return the message."""
        if self.cut is None and self._pending:
            piece, self._pending = self._pending, ""
            self._take(piece)
        return self.text

    def _take(self, piece: str) -> None:
        if self._early:  # partly shown already: it passed the label and repeat checks
            shown, self._early = self._early, ""
            rest = piece[len(shown) :]
            self._seen.add(_norm(piece))
            if self._size + len(rest) > self._max:
                self._stop("longer than the cap", rest + self._pending)
            else:
                self._keep(rest)
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
        if self._size + len(piece) > self._max:
            self._stop("longer than the cap", piece + self._pending)
            return
        self._seen.add(key)
        self._keep(piece)

    def _keep(self, piece: str) -> None:
        if not self._kept:
            piece = piece.lstrip()
        self._kept.append(piece)
        self._size += len(piece)
        if piece:
            self._emit(piece)

    def _stop(self, why: str, rest: str) -> None:
        rest = " ".join(rest.split())
        self.cut = f"{why}; cut from: {rest[:200]}" + ("…" if len(rest) > 200 else "")
