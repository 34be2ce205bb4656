"""A day-by-day plan up to the interview: every round of the loop, the rest on weak spots.

``make_plan`` fills each day from today until the day before the interview with
``per_day`` sessions (raised when the loop has more rounds than the days hold):

- every round of the loop once, in the loop's order, on every other session while weak
  dimensions compete for the rest (and on every session once only as many are left as
  rounds to cover), so a round never practised is met early;
- the other sessions on weak dimensions known today, the weakest and least planned first,
  never the same dimension on two days running (``REDRILL_GAP``): spaced practice;
- where nothing known is weak, "your weakest dimension then": which one that is depends on
  scores not yet given, and ``interviewer next`` chooses it on the day.

The plan is stored in ``<transcripts>/plan/plan.json``, written atomically; ``against``
lays what was held beside it for ``progress``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from interviewer.errors import FileFormatError
from interviewer.formats.base import Record
from interviewer.formats.rounds import Round
from interviewer.store.transcript_file import write_atomic
from interviewer.teaching.choose import MAX_FOCUS, Pick, dimension_name, pick_scenario
from interviewer.teaching.history import Held
from interviewer.teaching.paths import PLAN_FILE
from interviewer.teaching.standing import Standing, standings, weakest_first

REDRILL_GAP = 2
"""Days between two planned sessions on one weak dimension: never two days running."""


class PlanItem(Record):
    """One session of the plan. No round: the weakest dimension on the day decides it."""

    round: str | None = None
    focus: list[str] = Field(default_factory=list, description="dimension ids targeted")
    why: str


class PlanDay(Record):
    day: date
    items: list[PlanItem]


class Plan(Record):
    version: Literal[1] = 1
    loop: str
    until: date = Field(description="the interview's date: the plan ends the day before")
    made: date
    per_day: int = Field(ge=1)
    days: list[PlanDay]


def make_plan(
    loop: str,
    rounds: Sequence[Round],
    history: Sequence[Held],
    today: date,
    until: date,
    per_day: int = 1,
) -> Plan:
    """The plan from ``today`` to the day before ``until`` (which must be later)."""
    days = (until - today).days
    per_day = max(per_day, math.ceil(len(rounds) / days))
    slots = [today + timedelta(days=n) for n in range(days) for _ in range(per_day)]
    by_id = {r.id: r for r in rounds}
    weak = weakest_first(
        s for s in standings(h for h in history if h.round in by_id) if s.state == "weak"
    )
    filler = _Filler(list(rounds), weak, by_id, len(slots))
    planned: dict[date, list[PlanItem]] = {}
    for number, day in enumerate(slots):
        planned.setdefault(day, []).append(filler.item(number, day))
    plan_days = [PlanDay(day=day, items=items) for day, items in planned.items()]
    return Plan(loop=loop, until=until, made=today, per_day=per_day, days=plan_days)


@dataclass
class _Filler:
    """The choice of each session in turn, with what is already planned."""

    cover: list[Round]
    weak: list[Standing]
    by_id: dict[str, Round]
    slots: int

    def __post_init__(self) -> None:
        self.last: dict[tuple[str, str], date] = {}
        self.times: Counter[tuple[str, str]] = Counter()

    def item(self, number: int, day: date) -> PlanItem:
        ready = [s for s in self.weak if self._rested(s, day)]
        must_cover = self.slots - number <= len(self.cover)
        if self.cover and (must_cover or not ready or number % 2 == 0):
            return self._cover(self.cover.pop(0))
        if ready:
            return self._drill(min(ready, key=lambda s: (self.times[_key(s)], s.last)), day)
        return PlanItem(
            why="your weakest dimension by then: 'interviewer next' picks it from your scores"
        )

    def _rested(self, standing: Standing, day: date) -> bool:
        last = self.last.get(_key(standing))
        return last is None or (day - last).days >= REDRILL_GAP

    def _cover(self, round_: Round) -> PlanItem:
        weak = [s.dimension for s in self.weak if s.round == round_.id][:MAX_FOCUS]
        why = "covers this round of the loop"
        if weak:
            names = ", ".join(dimension_name(round_, d) for d in weak)
            why += f", weighing your weak {names}"
        return PlanItem(round=round_.id, focus=weak, why=why)

    def _drill(self, standing: Standing, day: date) -> PlanItem:
        self.last[_key(standing)] = day
        self.times[_key(standing)] += 1
        round_ = self.by_id[standing.round]
        name = dimension_name(round_, standing.dimension)
        why = (
            f"{name} in {round_.title}: last scored {standing.last} on {standing.last_day}; "
            f"planned no more often than every {REDRILL_GAP} days"
        )
        return PlanItem(round=round_.id, focus=[standing.dimension], why=why)


def _key(standing: Standing) -> tuple[str, str]:
    return standing.round, standing.dimension


# ------------------------------------------------------------------ against what was done

Progress = Literal["done", "missed", "today", "ahead"]


@dataclass(frozen=True)
class Planned:
    """One planned session beside what was held: the session that did it, if any."""

    day: date
    item: PlanItem
    session: str | None
    state: Progress


def against(plan: Plan, history: Sequence[Held], today: date) -> list[Planned]:
    """Each planned session with the session held that day for its round (an open item
    takes any session of that day left over), and whether it is done, missed, today's or
    ahead. A session counts once."""
    by_day: dict[date, list[Held]] = {}
    for held in history:
        by_day.setdefault(held.day, []).append(held)
    found = []
    for plan_day in plan.days:
        left = list(by_day.get(plan_day.day, []))
        named = [i for i in plan_day.items if i.round is not None]
        open_ = [i for i in plan_day.items if i.round is None]
        matched: dict[int, str] = {}
        for item in named + open_:
            match = next((h for h in left if item.round in (None, h.round)), None)
            if match is not None:
                left.remove(match)
                matched[id(item)] = match.session
        for item in plan_day.items:
            session = matched.get(id(item))
            found.append(Planned(plan_day.day, item, session, _state(plan_day.day, session, today)))
    return found


def _state(day: date, session: str | None, today: date) -> Progress:
    if session is not None:
        return "done"
    return "missed" if day < today else "today" if day == today else "ahead"


# --------------------------------------------------------------------------- on disk


def save_plan(folder: Path, plan: Plan) -> Path:
    """Write the plan atomically (a crash leaves the old plan or the new, never half)."""
    path = folder / PLAN_FILE
    write_atomic(path, plan.model_dump_json(indent=2) + "\n")
    return path


def load_plan(folder: Path) -> Plan | None:
    """The stored plan, or None when there is none; a damaged file is one clear error."""
    path = folder / PLAN_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(f"{path}: cannot be read ({exc})") from None
    try:
        return Plan.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise FileFormatError(
            f"{path}: not a plan ({first})",
            hint="make a new one with 'interviewer plan LOOP --until DATE'",
        ) from None


def planned_pick(
    plan: Plan, rounds: Sequence[Round], history: Sequence[Held], today: date
) -> Pick | None:
    """Today's first planned session not yet done, as a pick; None when today has none
    left (or leaves the choice to ``choose_next``: an item with no round)."""
    by_id = {r.id: r for r in rounds}
    for row in against(plan, history, today):
        if row.day == today and row.state == "today" and row.item.round in by_id:
            round_ = by_id[row.item.round]
            focus = tuple(d for d in row.item.focus if d in {x.id for x in round_.dimensions})
            opening, scenario = pick_scenario(round_, focus, history, today)
            why = f"today's plan (until {plan.until}): {row.item.why}"
            return Pick(round_.id, opening.id, focus, (why, scenario))
    return None
