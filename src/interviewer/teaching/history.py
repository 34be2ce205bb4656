"""Each held session as the teaching loop reads it: when, which round and scenario, and
the dimension scores of its latest successful scorecard.

Read from the index (``store.index``), so ``next`` and ``plan`` start as fast as ``list``
does with thousands of sessions; a session never scored (a scripted round) still counts as
held: its scenario was seen, and its round was practised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from interviewer.store import index


class Held(NamedTuple):
    """One session: the facts ``next`` and ``plan`` decide from, nothing more."""

    session: str
    when: datetime
    round: str
    opening: str
    scores: Mapping[str, int | None]  # dimension id: score (None: not enough evidence)
    drill: str | None = None  # the dimension a re-drill drilled

    @property
    def day(self) -> date:
        return self.when.astimezone().date()  # the candidate's own calendar day


def read_history(folder: Path, warn: Callable[[str], None]) -> list[Held]:
    """Every session in the transcripts folder, oldest first; an empty list for a folder
    that does not exist yet. One pass over the index, as ``list`` makes; scores are read
    again from the transcripts only where the index's are stale (``index.scored``)."""
    rows = index.summaries(folder, warn)  # brings the index up to date, scores included
    scores = index.read_scores(folder)
    if any(_stale(row, scores) for row in rows):  # a crash between the two index files
        scores = {row.id: got for row, got in index.scored(folder, warn)}
    held = []
    for row in rows:
        got = scores.get(row.id)
        usable = got is not None and got.usable and row.score_status != "unscored"
        dims = {dim: score for dim, _name, score in got.dimensions} if got and usable else {}
        held.append(Held(row.id, row.created_at, row.round, row.opening, dims, row.drill))
    return sorted(held, key=lambda h: (h.when, h.session))


def _stale(row: index.Summary, scores: dict[str, index.Scores]) -> bool:
    """Scores missing or older than the transcript they belong to."""
    if row.score_status == "unscored":
        return False
    got = scores.get(row.id)
    return got is None or got.mtime_ns != row.mtime_ns
