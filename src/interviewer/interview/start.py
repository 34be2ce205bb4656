"""Starting an interview: the round, persona, opening and files chosen and checked, and
its transcript created (not yet saved); or an interview rebuilt from a saved transcript.

Apart from ``runner`` (which runs one) because more than the interview loop starts
one: the doctor's full-size scoring rehearsal builds its transcript here too, and it
sits below the loop.
"""

from __future__ import annotations

import functools
import gc
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from interviewer.catalog.documents import Reference, read_document
from interviewer.catalog.library import (
    STEPS_FILE,
    Catalog,
    Entry,
    known_names,
    prompt_path,
    sha256_file,
)
from interviewer.catalog.plan import focused, plan_topics
from interviewer.errors import UserError
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Persona, Round
from interviewer.formats.transcript import Drill, ModelInfo, SourceFile, Status, Transcript
from interviewer.store.transcript_file import new_id

Now = Callable[[], datetime]

PROMPT_FILES = ("interviewer.md", STEPS_FILE, "reminder.md", "judge.md")
"""Prompt files that shape every session, recorded in its transcript by hash."""


def utcnow() -> datetime:
    return datetime.now(UTC)


@functools.cache
def settle_heap() -> None:
    """What is alive when a process's first interview starts (the imports, the catalog,
    the model client: some 50,000 objects) moved out of the cyclic collector's reach, so
    its collections stay small: a full one over them, due once in a session, took 15 ms
    in the middle of a turn. Once a process: later interviews' garbage is collected."""
    gc.freeze()


@dataclass
class Interview:
    """Everything one interview needs, loaded and validated before the first word.

    ``round`` is the round as the session's track runs it (``Round.for_track``): the plan,
    the interviewer's prompt, the judge's rubric and the overall all read it from here.
    """

    round: Entry[Round]
    persona: Entry[Persona]
    transcript: Transcript
    references: list[Reference] = field(default_factory=list)


def load_references(
    files: dict[str, Path | None], warn: Callable[[str], None]
) -> tuple[list[Reference], list[SourceFile]]:
    references, sources = [], []
    for kind, path in files.items():
        if path is None:
            continue
        reference, source, cut = read_document(kind, path)
        if cut:
            warn(
                f"{path.name} is long; the models see its first {len(reference.text):,} characters."
            )
        references.append(reference)
        sources.append(source)
    return references, sources


def begin(
    catalog: Catalog,
    *,
    round_name: str,
    persona_name: str,
    level: Level,
    interviewer: ModelInfo,
    judge: ModelInfo,
    files: dict[str, Path | None],
    opening_id: str | None = None,
    loop: str | None = None,
    track: str | None = None,
    avoid_domains: Collection[str] = (),
    weakest: Sequence[str] = (),
    drill: Drill | None = None,
    warn: Callable[[str], None] = print,
    now: Now = utcnow,
) -> Interview:
    """Load and check everything, then create the transcript (not yet saved).

    The scenario is drawn at random, skipping domains an earlier round of the same loop
    used; the areas it runs are planned now (by coverage of the round's dimensions, the
    weakest first when ``weakest`` names them, as the track weighs them) and recorded, so a
    resume runs the same plan. A ``drill`` runs its one area only, asked at once.
    """
    round_entry = for_track(catalog.round(round_name), track, drill)
    persona_entry = catalog.persona(persona_name)
    round_ = round_entry.item
    openings = {o.id: o for o in round_.openings}
    if opening_id is not None and opening_id not in openings:
        raise UserError(
            f"round '{round_.id}' has no opening '{opening_id}'",
            hint=known_names(opening_id, list(openings)),
        )
    fresh = [o for o in round_.openings if o.domain is None or o.domain not in avoid_domains]
    opening = openings[opening_id] if opening_id else random.choice(fresh or round_.openings)
    references, sources = load_references(files, warn)
    sources = [
        SourceFile(kind="round", name=round_entry.path.name, sha256=round_entry.sha256),
        SourceFile(kind="persona", name=persona_entry.path.name, sha256=persona_entry.sha256),
        *(
            SourceFile(kind="prompt", name=name, sha256=sha256_file(prompt_path(name)))
            for name in PROMPT_FILES
        ),
        *sources,
    ]
    stamp = now()
    transcript = Transcript(
        id=new_id(),
        created_at=stamp,
        updated_at=stamp,
        status=Status.in_progress,
        round=round_.id,
        round_title=round_.title,
        persona=persona_entry.item.id,
        level=level,
        opening=opening.id,
        interviewer=interviewer,
        judge=judge,
        temperature=persona_entry.item.temperature,
        sources=sources,
        loop=loop,
        track=track,
        drill=drill,
        plan=[drill.area] if drill else plan_topics(round_, opening, weakest),
    )
    return Interview(round_entry, persona_entry, transcript, references)


def reopen(catalog: Catalog, transcript: Transcript, warn: Callable[[str], None]) -> Interview:
    """Rebuild an interview from a saved transcript, re-reading the files it used."""
    round_entry = for_track(catalog.round(transcript.round), transcript.track, transcript.drill)
    persona_entry = catalog.persona(transcript.persona)
    files: dict[str, Path | None] = {}
    for source in transcript.sources:
        if source.path and source.kind not in ("round", "persona", "prompt"):
            path = Path(source.path)
            if path.is_file():
                files[source.kind] = path
            else:
                warn(f"{source.kind} {source.name} is no longer at {path}; continuing without it.")
    references, _ = load_references(files, warn)
    return Interview(round_entry, persona_entry, transcript, references)


def for_track(entry: Entry[Round], track: str | None, drill: Drill | None = None) -> Entry[Round]:
    """The loaded round as ``track`` runs it (and as a drill does, when it is one); the
    file and its hash stay the round's own."""
    round_ = entry.item.for_track(track)
    return replace(entry, item=focused(round_) if drill else round_)
