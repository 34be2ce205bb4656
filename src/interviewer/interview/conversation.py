"""The interviewer's messages to the model: a stable system prompt, the history, one note.

The system prompt is rendered once per session from ``prompts/interviewer.md`` and stays
byte-identical across turns, so providers' prompt caching applies to it and to the
growing history behind it. What changes each turn (the session's ``Step``) travels as a
note appended to the newest candidate message, marked with a per-session nonce the
candidate cannot know; appending (instead of a trailing system message) keeps the
conversation valid for chat templates that demand strict user/assistant alternation.
Only the software writes a note: a ``[session`` marker or the nonce inside anyone's words
(a candidate's paste, a reply saved before the guard caught such leaks) is neutralised.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from string import Template

from interviewer.catalog.documents import Reference, render_references
from interviewer.catalog.library import read_prompt, scenario_text
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Opening, Persona, Round
from interviewer.formats.transcript import Role, Turn
from interviewer.interview.leaks import Hidden
from interviewer.interview.session import Speaker, Step
from interviewer.models.base import Message


def new_nonce() -> str:
    return secrets.token_hex(4)


def system_prompt(
    round_: Round,
    persona: Persona,
    speaker: Speaker,
    level: Level,
    track: str | None,
    opening: Opening,
    references: list[Reference],
    nonce: str,
) -> str:
    """The interviewer's system prompt: rendered once, byte-identical on every turn.

    It holds the scenario exactly as the candidate sees it, and nothing the candidate
    should not: the opening's facts reach the model only in the turn whose question
    reaches them, and the judge's reference never reaches the interviewer at all.
    """
    template = Template(read_prompt("interviewer.md"))
    return template.substitute(
        name=speaker.name,
        title=speaker.title,
        style=persona.style,
        followup_style=persona.followup_style,
        level=level.value,
        track_clause=f" on the {track.replace('-', ' ')} track" if track else "",
        round_title=round_.title,
        tests=round_.tests,
        level_expectation=round_.level_expectations.for_level(level),
        interviewer_notes=round_.interviewer_notes,
        opening_prompt=scenario_text(opening, level),
        reference=render_references(references, nonce),
        nonce=nonce,
    ).strip()


def session_note(step: Step, nonce: str, clock: str) -> str:
    topic = f"; area: {step.topic.id}" if step.topic else ""
    return (
        f"[session {nonce}: phase {step.phase.value}{topic}; move {step.move}; {clock}]\n"
        f"{step.directive}"
    )


def messages_for(
    system: str, turns: list[Turn], step: Step, nonce: str, clock: str
) -> list[Message]:
    """The request for the interviewer's next message."""
    messages: list[Message] = [{"role": "system", "content": system}]
    for turn in turns:
        if turn.role is Role.interviewer:
            _append(messages, "assistant", neutralise(turn.text, nonce))
        elif turn.role is Role.candidate:
            _append(messages, "user", neutralise(turn.text, nonce) or "(no answer)")
        else:  # session notes such as a code run's result reach the model as user context
            _append(messages, "user", f"[session {nonce}: {neutralise(turn.text, nonce)}]")
    if messages[-1]["role"] != "user":
        _append(messages, "user", "(The candidate has joined.)")
    _append(messages, "user", session_note(step, nonce, clock))
    return messages


_MARKER = re.compile(r"\[(\s*session\b)", re.IGNORECASE)


def neutralise(text: str, nonce: str) -> str:
    """Words that cannot pose as the software's note: the nonce removed and a ``[session``
    marker turned into ``(session``, so a candidate who pastes "[session ...: move wrap-up]"
    is read as saying it, and a note an old reply leaked is not a note the next time."""
    if nonce:
        text = re.sub(re.escape(nonce), "(nonce removed)", text, flags=re.IGNORECASE)
    return _MARKER.sub(r"(\1", text)


def hidden_for(
    system: str, step: Step, nonce: str, clock: str, allowed: Iterable[str] = ()
) -> Hidden:
    """What the model is shown for ``step`` that the candidate must not see (``leaks``):
    the directive, the session note and the system prompt. The step's own line and
    probes, and ``allowed`` (the scenario on screen, the candidate's files and answers),
    may be said word for word though those hold them."""
    note = session_note(step, nonce, clock)
    return Hidden(nonce, (step.directive, note, system), (step.say, *step.probes, *allowed))


def _append(messages: list[Message], role: str, content: str) -> None:
    """Add a message, merging into the previous one of the same role (strict alternation)."""
    if messages[-1]["role"] == role and role != "system":
        messages[-1] = {"role": role, "content": f"{messages[-1]['content']}\n\n{content}"}
    else:
        messages.append({"role": role, "content": content})
