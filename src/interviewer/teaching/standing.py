"""Where each dimension stands, and when it is next due: spacing over days.

A dimension is **weak** while its latest score is under ``BAR`` (3, the anchors' "meets
the bar"): it is due every day, but not twice in one day. Once it scores ``BAR`` or more it
has **recovered** (it was weak before) or is **steady** (it never was), and it comes back
after a growing gap: ``SPACING_DAYS[n - 1]`` days after the last of ``n`` days in a row
on which it held up (1, 3, 7, then every 14 days). A weak score resets the count: a
dimension slipping back is due the next day again. This is the Leitner schedule of
spaced practice, counted in days rather than sessions, so three good sessions in one
afternoon earn one step, not three.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from interviewer.teaching.history import Held

BAR = 3
"""A score under this is weak: on every rubric a 3 is the level's bar, met."""
SPACING_DAYS = (1, 3, 7, 14)
"""Days until a dimension that held up on 1, 2, 3, 4+ days running is due again."""

State = Literal["weak", "recovered", "steady"]


@dataclass(frozen=True)
class Standing:
    """One dimension of one round, across the sessions that scored it (oldest first)."""

    round: str
    dimension: str
    scores: tuple[tuple[date, int], ...]

    @property
    def last(self) -> int:
        return self.scores[-1][1]

    @property
    def last_day(self) -> date:
        return self.scores[-1][0]

    @property
    def recent(self) -> float:
        """The mean of the last three scores, to rank dimensions that last scored alike."""
        tail = [score for _, score in self.scores[-3:]]
        return sum(tail) / len(tail)

    @property
    def state(self) -> State:
        if self.last < BAR:
            return "weak"
        return "recovered" if any(score < BAR for _, score in self.scores) else "steady"

    @property
    def streak(self) -> int:
        """Days, counted at the end, on which every score held up (at least ``BAR``)."""
        days: set[date] = set()
        for day, score in reversed(self.scores):
            if score < BAR:
                break
            days.add(day)
        return len(days)

    @property
    def gap(self) -> int:
        """Days from the last score until the dimension is due again (0: weak, due now)."""
        if self.streak == 0:
            return 0
        return SPACING_DAYS[min(self.streak, len(SPACING_DAYS)) - 1]

    @property
    def due(self) -> date:
        """The first day it is due. A weak one is due on the day it was scored, but never
        twice in a day: ``ready`` says whether it may be practised on a given day."""
        return self.last_day + timedelta(days=self.gap)

    def ready(self, today: date) -> bool:
        if self.state == "weak":
            return self.last_day < today
        return self.due <= today


def standings(history: Iterable[Held]) -> list[Standing]:
    """Each (round, dimension) that has a score, in the order first scored."""
    series: dict[tuple[str, str], list[tuple[date, int]]] = {}
    for held in sorted(history, key=lambda h: (h.when, h.session)):
        for dimension, score in held.scores.items():
            if score is not None:
                series.setdefault((held.round, dimension), []).append((held.day, score))
    return [Standing(r, d, tuple(points)) for (r, d), points in series.items()]


def weakest_first(found: Iterable[Standing]) -> list[Standing]:
    """Weak ones by last score, then by the mean of the last three, then longest waiting."""
    return sorted(found, key=lambda s: (s.last, s.recent, s.last_day, s.round, s.dimension))
