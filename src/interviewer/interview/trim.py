"""The interviewer's request fitted to the model's context window.

``fit`` keeps the system prompt and the current area whole and leaves out the oldest
turns, with a marker the model sees; the candidate is told once; the transcript keeps
everything. The window itself is found in ``models.window``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from interviewer.formats.transcript import Turn
from interviewer.models.base import ChatModel, Message
from interviewer.models.window import (
    MESSAGE_OVERHEAD,
    SETTING,
    estimate,
    request_tokens,
    window_for,
)

KEEP_FREE = 0.8  # when trimming, fill to this share, so the cut moves only now and then


MARKER = (
    "[{count} earlier messages of this interview are left out here to fit the model's "
    "context window. Do not repeat questions already asked; carry on from what follows.]"
)


@dataclass
class _Trim:
    left_out: int = 0  # messages left out last time: the cut only moves forward
    told: bool = False


_trims: dict[int, _Trim] = {}


def area_turns(turns: list[Turn]) -> int:
    """How many of the last turns belong to the current area (the newest topic asked)."""
    topic = next((t.topic for t in reversed(turns) if t.topic), None)
    count = 0
    for turn in reversed(turns):
        if turn.topic is not None and turn.topic != topic:
            break
        count += 1
    return count


def fit(
    messages: list[Message], model: ChatModel, turns: list[Turn], tell: Callable[[str], None]
) -> list[Message]:
    """The request, fitted to the model's window: the system prompt is never cut; the
    oldest turns are left out behind a marker the model reads, the current area last.

    The current area is kept whole unless it alone outgrows the window (a very small
    model, very long answers); then its oldest messages go too, never the question being
    answered nor the answer. The cut only moves forward, and to a fifth below the limit,
    so for several turns the prefix stays the same and prompt caching still applies.
    """
    window = window_for(model)
    if window is None or request_tokens(messages) <= window.budget:
        return messages
    trim = _trims.setdefault(id(model), _Trim())
    head, body = messages[:1], messages[1:]
    outside_area = len(body) - min(len(body), area_turns(turns) + 1)  # +1: the note
    last_cut = len(body) - min(len(body), 2)  # the newest question and answer stay
    left_out = min(trim.left_out, last_cut)
    if left_out == 0 or _tokens_with(head, body, left_out) > window.budget:
        left_out = max(left_out, 1)  # the last cut no longer fits: cut anew, further
        target = int(window.budget * KEEP_FREE)
    else:
        target = window.budget  # the last cut still fits: keep it, and the cache
    while left_out < outside_area and _tokens_with(head, body, left_out) > target:
        left_out += 1
    while left_out < last_cut and _tokens_with(head, body, left_out) > window.budget:
        left_out += 1
    if left_out == 0:
        return messages
    trim.left_out = left_out
    if not trim.told:
        trim.told = True
        tell(
            f"The conversation is now longer than the model's context window "
            f"({window.tokens:,} tokens, from {window.source}): the oldest turns are left "
            "out of what the interviewer sees. Your transcript keeps everything."
        )
    return head + _marked(body[left_out:], left_out)


def _tokens_with(head: list[Message], body: list[Message], left_out: int) -> int:
    marker = estimate(MARKER) + MESSAGE_OVERHEAD
    return request_tokens(head) + request_tokens(body[left_out:]) + marker


def _marked(kept: list[Message], left_out: int) -> list[Message]:
    """The kept messages behind the marker, still alternating user and assistant."""
    marker = MARKER.format(count=left_out)
    if kept and kept[0]["role"] == "user":
        return [{"role": "user", "content": f"{marker}\n\n{kept[0]['content']}"}, *kept[1:]]
    return [{"role": "user", "content": marker}, *kept]


RESUME_ADVICE = (
    "The model's context window is not known to interviewer, so the conversation could not "
    f"be fitted to it: set {SETTING} (or context_window in the config file) to its size in "
    "tokens, then continue with: interviewer resume {id}"
)
