"""Progress across sessions: each dimension's scores over time, the weakest, what to practise.

Pure: transcripts in, a ``Report`` out; the terminal view and the HTML page only draw it.
A session counts with its latest *successful* scorecard (a later failed re-score does not
hide an earlier score), dated by when the session was held, not when it was scored, so a
re-score of an old session does not look like recent progress.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from interviewer.formats import Scorecard, Transcript
from interviewer.voice.delivery import Summary, summarize

RECENT = 3  # the "recent average" is over a dimension's last three scores
WEAKEST = 3
MAX_PRACTICE = 6


@dataclass(frozen=True)
class Point:
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

    @property
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
    summary: Summary


@dataclass(frozen=True)
class Report:
    sessions: int
    trends: tuple[Trend, ...]
    weakest: tuple[Trend, ...]
    practice: tuple[Advice, ...]
    delivery: tuple[Spoken, ...] = ()


def usable_card(t: Transcript) -> Scorecard | None:
    """The latest scorecard that scored; a failed re-score does not erase a good one."""
    return next((c for c in reversed(t.scorecards) if c.status == "scored"), None)


def build(transcripts: Iterable[Transcript], round_id: str | None = None) -> Report:
    scored = sorted(
        (
            (t, card)
            for t in transcripts
            if (round_id is None or t.round == round_id) and (card := usable_card(t)) is not None
        ),
        key=lambda pair: (pair[0].created_at, pair[0].id),
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
        delivery=tuple(_delivery(t for t, _ in scored)),
    )


def _delivery(transcripts: Iterable[Transcript]) -> list[Spoken]:
    """Each spoken session's delivery, oldest first."""
    found = []
    for t in transcripts:
        summary = summarize([turn.delivery for turn in t.candidate_turns() if turn.delivery])
        if summary is not None:
            found.append(Spoken(t.created_at, t.id, t.round, summary))
    return found


def _trends(scored: list[tuple[Transcript, Scorecard]]) -> list[Trend]:
    """Trends grouped by round, dimensions in the order the judge reported them."""
    points: dict[tuple[str, str], list[Point]] = {}
    names: dict[tuple[str, str], str] = {}
    titles: dict[str, str] = {}
    for t, card in scored:
        titles[t.round] = t.round_title
        for dim in card.dimensions:
            key = (t.round, dim.dimension)
            points.setdefault(key, []).append(Point(t.created_at, t.id, dim.score))
            names[key] = dim.name  # the newest name wins if a rubric renamed it
    return [
        Trend(round_, titles[round_], dim, names[(round_, dim)], tuple(series))
        for (round_, dim), series in sorted(points.items(), key=lambda kv: kv[0][0])
    ]


def _practice(scored: list[tuple[Transcript, Scorecard]]) -> list[Advice]:
    """Next steps from the newest scorecard of each round, newest round first, deduplicated."""
    latest: dict[str, tuple[Transcript, Scorecard]] = {}
    for t, card in scored:
        latest[t.round] = (t, card)
    advice: list[Advice] = []
    seen: set[str] = set()
    for t, card in sorted(latest.values(), key=lambda pair: pair[0].created_at, reverse=True):
        for item in card.practice:
            key = " ".join(item.lower().split())
            if key and key not in seen:
                seen.add(key)
                advice.append(Advice(item, t.id, t.round, t.created_at))
    return advice[:MAX_PRACTICE]
