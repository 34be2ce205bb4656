"""The model's words for one step: streamed through the guard, asked for once more when
nothing clean came, and otherwise the step's own scripted line, said as the software's.

Apart from ``runner`` so that one run's loop reads as the interview it is, and so that
the retry policy for a leaking model sits in one small place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from string import Template

from interviewer.catalog.library import read_prompt
from interviewer.formats.transcript import Usage
from interviewer.interview.leaks import Detector, Hidden
from interviewer.interview.reply_guard import WHY, ReplyGuard
from interviewer.models.base import ChatModel, Message

SCRIPTED = "scripted line said"
"""How a turn's ``cut`` begins when the model's reply was not usable twice and the step's
own line was said instead (``rehearse`` and reviews can count them)."""
SCRIPTED_NOTICE = "(scripted line: the model's reply was not usable)"
REMINDER = "reminder.md"


@dataclass(frozen=True)
class Written:
    """One interviewer message as the candidate saw it, and what became of the rest."""

    text: str
    cut: str | None
    latency_ms: float | None
    usage: Usage
    scripted: bool = False


def write(
    model: ChatModel,
    messages: list[Message],
    hidden: Hidden,
    *,
    names: Sequence[str],
    say: str,
    emit: Callable[[str], None],
    temperature: float,
    said: Sequence[str] = (),
) -> Written:
    """The step's message. A reply of which nothing clean was shown (a note, a refusal,
    the candidate's side, or nothing at all) is asked for once more, the same request with
    a reminder in the nonce-tagged note (``prompts/reminder.md``); if that one is no
    better, ``say`` is emitted instead, so the candidate always gets a question and never
    the model's leak. What was cut is described in ``cut``, the nonce redacted."""
    detector = Detector(hidden)  # built once: the system prompt's word runs take a while
    guard = partial(ReplyGuard, names, emit, hidden=detector, said=said)
    first = _attempt(model, messages, guard, temperature)
    if first.text:
        return _completed(first, first.cut, first.usage, say, emit)
    why = first.why or "was empty or not one message"
    reminder = Template(read_prompt(REMINDER)).substitute(why=why).strip()
    last = messages[-1]
    again = [*messages[:-1], {"role": last["role"], "content": f"{last['content']}\n{reminder}"}]
    second = _attempt(model, again, guard, temperature)
    usage = first.usage + second.usage
    told = f"the first reply was not usable ({first.cut or 'it wrote nothing'})"
    if second.text:
        cut = f"asked again: {told}" + (f"; {second.cut}" if second.cut else "")
        return _completed(second, cut, usage, say, emit)
    emit(say)
    cut = f"{SCRIPTED}: {told}; asked again, {second.cut or 'it wrote nothing'}"
    return Written(say, cut, second.latency_ms, usage, scripted=True)


def _completed(
    attempt: _Attempt, cut: str | None, usage: Usage, say: str, emit: Callable[[str], None]
) -> Written:
    """The kept reply, and if a leak cut it before any question ("Sure." and then the
    candidate's side), the step's own line after it, labelled: the clean start is already
    on screen, and the candidate is never left without the question."""
    if not attempt.why or "?" in attempt.text or "?" not in say:
        return Written(attempt.text, cut, attempt.latency_ms, usage)
    emit(f" {say}")
    cut = f"{SCRIPTED} after the model's first words: {cut}"
    return Written(f"{attempt.text} {say}", cut, attempt.latency_ms, usage, scripted=True)


@dataclass(frozen=True)
class _Attempt:
    text: str
    cut: str | None
    latency_ms: float | None
    usage: Usage
    why: str


def _attempt(
    model: ChatModel,
    messages: list[Message],
    new_guard: Callable[[], ReplyGuard],
    temperature: float,
) -> _Attempt:
    """One streamed reply through a fresh guard."""
    guard = new_guard()
    reply = model.stream(messages, temperature=temperature, on_text=guard.feed)
    text = guard.finish()
    why = " and ".join(WHY[k] for k in guard.leaks)
    if not why and guard.cut:
        why = guard.cut.split(";")[0]
    return _Attempt(text, guard.cut, reply.latency_ms, reply.usage, why)
