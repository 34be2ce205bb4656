"""A whole interview loop, beside ``runner`` (one round): the rounds in order, then the
debrief. The CLI supplies what talks to the person (the break between rounds, playing a
round on the terminal, showing a score) through ``LoopHooks``; everything else is here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from interviewer.catalog.library import Catalog
from interviewer.errors import FileFormatError, NotFoundError
from interviewer.formats.transcript import ModelInfo, Status, Transcript
from interviewer.interview.loops import Debrief, LoopSession, LoopStore, debrief
from interviewer.interview.runner import Outcome
from interviewer.interview.start import Interview, begin, reopen, utcnow
from interviewer.store.transcripts import Store


class LoopHooks(Protocol):
    """What the loop asks of whoever runs it on a terminal."""

    def take_break(self, session: LoopSession, index: int) -> bool:
        """Between rounds: True to go on to round ``index``, False to stop here."""
        ...

    def play(self, interview: Interview, index: int, resumed: bool) -> Outcome:
        """Run one round with the candidate."""
        ...

    def score(self, interview: Interview) -> None:
        """Score a finished round (and show it)."""
        ...


@dataclass(frozen=True)
class LoopEnd:
    """How a run of the loop ended: with a debrief, at a round that stopped, or (neither)
    at a break."""

    debrief: Debrief | None = None
    stopped: Outcome | None = None  # a round that did not complete (paused, interrupted...)


def find_loop(loops: LoopStore, prefix: str, store: Store) -> LoopSession | None:
    """The loop session an id names directly, or the loop a round's transcript belongs to."""
    found = loops.find(prefix)
    if found is not None:
        return found
    try:
        transcript = store.load(prefix)
    except (NotFoundError, FileFormatError):
        return None
    return loops.find(transcript.loop) if transcript.loop else None


def run_loop(
    session: LoopSession,
    catalog: Catalog,
    stores: tuple[Store, LoopStore],
    models: tuple[ModelInfo, ModelInfo],
    hooks: LoopHooks,
    warn: Callable[[str], None],
) -> LoopEnd:
    """The loop's unfinished rounds in order (the models already chosen and started),
    then its debrief, saved with the session."""
    store, loops = stores
    spec = catalog.loop(session.loop).item
    transcripts = _transcripts(session, store)
    first = True
    while (index := session.next_index(transcripts)) is not None:
        if not first and not hooks.take_break(session, index):
            return LoopEnd()
        first = False
        state = session.rounds[index]
        existing = transcripts.get(state.transcript or "")
        if existing is not None and existing.status is not Status.complete:
            interview = reopen(catalog, existing, warn)
        else:
            interview = begin(
                catalog,
                round_name=state.round,
                persona_name=spec.rounds[index].persona or session.persona,
                level=session.level,
                interviewer=models[0],
                judge=models[1],
                files={k: Path(v) for k, v in session.files.items()},
                loop=session.id,
                track=spec.track,
                avoid_domains=used_domains(catalog, transcripts.values()),
                warn=warn,
            )
            state.transcript = interview.transcript.id
            session.updated_at = utcnow()
            loops.save(session)
        outcome = hooks.play(interview, index, existing is not None)
        if outcome is not Outcome.complete:
            return LoopEnd(stopped=outcome)
        hooks.score(interview)
        transcripts[interview.transcript.id] = interview.transcript
    session.debrief = debrief(spec, session, transcripts)
    session.updated_at = utcnow()
    loops.save(session)
    return LoopEnd(debrief=session.debrief)


def _transcripts(session: LoopSession, store: Store) -> dict[str, Transcript]:
    found = {}
    for state in session.rounds:
        if state.transcript and store.path(state.transcript).exists():
            found[state.transcript] = store.load(state.transcript)
    return found


def used_domains(catalog: Catalog, transcripts: Iterable[Transcript]) -> set[str]:
    """The product domains earlier rounds of this loop already used, so none repeats."""
    used = set()
    for t in transcripts:
        try:
            opening = catalog.round(t.round).item.opening(t.opening)
        except (NotFoundError, FileFormatError):
            continue
        if opening is not None and opening.domain:
            used.add(opening.domain)
    return used
