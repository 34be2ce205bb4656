"""Progress across sessions: each dimension's scores over time, the weakest, what to practise.

Pure: index rows in (``index.scored``), a ``Report`` out; the terminal view and the HTML page only draw it.
A session counts with its latest *successful* scorecard (a later failed re-score does not
hide an earlier score), dated by when the session was held, not when it was scored, so a
re-score of an old session does not look like recent progress.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from interviewer.store.index import Scores, Summary

if TYPE_CHECKING:
    from interviewer.formats.delivery import Summary as DeliverySummary

RECENT = 3  # the "recent average" is over a dimension's last three scores
WEAKEST = 3
MAX_PRACTICE = 6


class Point(NamedTuple):
    """A tuple, not a dataclass: progress makes one per session and dimension (60,000 at
    10,000 sessions), and a tuple is several times cheaper to make."""

    when: datetime
    session: str
    score: int | None  # None: the judge saw too little of this dimension to score it


@dataclass(frozen=True)
class Trend:
    """One dimension of one round, across the sessions that scored it."""

    round: str
    round_title: str
    dimension: str
    name: str
    points: tuple[Point, ...]

    @cached_property
    def scores(self) -> list[int]:
        return [p.score for p in self.points if p.score is not None]

    @property
    def recent(self) -> float | None:
        """Mean of the last ``RECENT`` scores: today's level, less noisy than the last one."""
        scores = self.scores[-RECENT:]
        return round(sum(scores) / len(scores), 2) if scores else None

    @property
    def change(self) -> float | None:
        """Recent mean minus the mean of the scores before it; None with no history."""
        scores = self.scores
        earlier = scores[:-RECENT]
        if not earlier or self.recent is None:
            return None
        return round(self.recent - sum(earlier) / len(earlier), 2)


@dataclass(frozen=True)
class Advice:
    text: str
    session: str
    round: str
    when: datetime


@dataclass(frozen=True)
class Spoken:
    """One session's delivery, for sessions answered out loud."""

    when: datetime
    session: str
    round: str
    summary: DeliverySummary


DELIVERY_TREND = "Delivery (spoken sessions, scored or not, oldest → newest)"
DELIVERY_COLUMNS = ("session", "round", "answers", "talk", "words/min", "fillers/min",
                    "long pauses", "structure", "to structure")  # fmt: skip
"""The delivery trend's columns, in the terminal and on the HTML page."""
DELIVERY_NAMES = 2
"""The delivery trend's first columns that name a session; the rest are figures
(right-aligned)."""


def delivery_cells(spoken: Spoken) -> tuple[str, ...]:
    """One spoken session's row of the delivery trend, as both views show it: observed
    figures only, "—" where the audio could not show one (no word timings)."""
    s = spoken.summary
    return (
        f"{spoken.when:%Y-%m-%d} {spoken.session}",
        spoken.round,
        str(s.answers),
        f"{s.talk_seconds / 60:.1f} min",
        "—" if s.words_per_minute is None else f"{s.words_per_minute:.0f}",
        "—" if s.fillers_per_minute is None else f"{s.fillers_per_minute:.1f}",
        "—" if s.long_pauses is None else str(s.long_pauses),
        f"{s.structured}/{s.timed}" if s.timed else "—",
        "—" if s.structure_seconds is None else f"{s.structure_seconds:.1f} s",
    )


@dataclass(frozen=True)
class Report:
    sessions: int
    trends: tuple[Trend, ...]
    weakest: tuple[Trend, ...]
    practice: tuple[Advice, ...]
    delivery: tuple[Spoken, ...] = ()


Scored = tuple[Summary, Scores]


def build(
    sessions: Iterable[Scored],
    round_id: str | None = None,
    spoken: Iterable[tuple[Summary, dict[str, Any]]] | None = None,
) -> Report:
    """The report over sessions as the index holds them (``index.scored``, and
    ``index.spoken`` for the delivery trend, which takes sessions scored or not): no
    transcript is parsed, so 10,000 sessions take well under a second."""
    scored = sorted(
        (
            (row, scores)
            for row, scores in sessions
            if scores.usable and (round_id is None or row.round == round_id)
        ),
        key=lambda pair: (pair[0].created, pair[0].id),  # UTC text: sorts as time
    )
    trends = _trends(scored)
    ranked = sorted(
        (tr for tr in trends if tr.recent is not None),
        key=lambda tr: (tr.recent, -len(tr.scores), tr.round, tr.dimension),
    )
    return Report(
        sessions=len(scored),
        trends=tuple(trends),
        weakest=tuple(ranked[:WEAKEST]),
        practice=tuple(_practice(scored)),
        delivery=tuple(_delivery(spoken, scored)),
    )


def _delivery(
    spoken: Iterable[tuple[Summary, dict[str, Any]]] | None, scored: list[Scored]
) -> list[Spoken]:
    """Each spoken session's delivery, oldest first, as the index summarised it: every
    spoken session where ``spoken`` is given, else the scored ones."""
    said = list(spoken) if spoken is not None else [(r, s.delivery) for r, s in scored]
    said = [(row, figures) for row, figures in said if figures]
    if not said:
        return []  # nothing spoken: no need to import the voice package's models
    from interviewer.formats.delivery import Summary as DeliverySummary

    return [
        Spoken(row.created_at, row.id, row.round, DeliverySummary(**figures))
        for row, figures in sorted(said, key=lambda pair: (pair[0].created, pair[0].id))
    ]


def _trends(scored: list[Scored]) -> list[Trend]:
    """Trends grouped by round, dimensions in the order the judge reported them."""
    points: dict[tuple[str, str], list[Point]] = {}
    names: dict[tuple[str, str], str] = {}
    titles: dict[str, str] = {}
    for row, scores in scored:
        titles[row.round] = row.round_title
        when = row.created_at  # parsed once per session, not per dimension
        for dimension, name, score in scores.dimensions:
            key = (row.round, dimension)
            points.setdefault(key, []).append(Point(when, row.id, score))
            names[key] = name  # the newest name wins if a rubric renamed it
    return [
        Trend(round_, titles[round_], dim, names[(round_, dim)], tuple(series))
        for (round_, dim), series in sorted(points.items(), key=lambda kv: kv[0][0])
    ]


def _practice(scored: list[Scored]) -> list[Advice]:
    """Next steps from the newest scorecard of each round, newest round first, deduplicated."""
    latest: dict[str, Scored] = {}
    for row, scores in scored:
        latest[row.round] = (row, scores)
    advice: list[Advice] = []
    seen: set[str] = set()
    for row, scores in sorted(latest.values(), key=lambda pair: pair[0].created, reverse=True):
        for item in scores.practice:
            key = " ".join(item.lower().split())
            if key and key not in seen:
                seen.add(key)
                advice.append(Advice(item, row.id, row.round, row.created_at))
    return advice[:MAX_PRACTICE]
