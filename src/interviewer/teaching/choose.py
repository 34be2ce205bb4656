"""What to practise next, and why: a round, a scenario and the dimensions it targets.

``choose_next`` reads a history of held sessions against a loop's rounds, in this order:

1. a **weak** dimension (latest score under 3), the weakest first, not twice in one day;
2. a **recovered** dimension whose spaced review is due (``standing``);
3. a round of the loop never practised, in the loop's order;
4. a **steady** dimension whose review is due;
5. otherwise what comes due first (or, with no scores at all, the round held longest ago).

With no history it is the loop's first round. The scenario (``pick_scenario``) is never
one seen in the last ``RECENT_DAYS`` days while the round has another; among the rest,
the one whose planned areas reach the targeted dimensions. ``choose_drill`` picks a
re-drill's dimension, scenario and one area the same way. Every choice carries its
reasons, in words, so the command can say why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from interviewer.catalog.plan import plan_topics
from interviewer.formats.rounds import Opening, Round
from interviewer.teaching.history import Held
from interviewer.teaching.standing import Standing, standings, weakest_first

RECENT_DAYS = 14
"""A scenario held within this many days is "seen recently": not picked again while the
round has one that was not."""
MAX_FOCUS = 3
"""The most dimensions one session targets: the session's plan weighs them double."""


@dataclass(frozen=True)
class Pick:
    """The next session: round, scenario, the dimensions it targets, and why."""

    round: str
    opening: str
    focus: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DrillPick:
    """A re-drill: one dimension, asked on one area of a scenario, and why."""

    dimension: str
    opening: str
    area: str
    reasons: tuple[str, ...]


def dimension_name(round_: Round, dimension: str) -> str:
    return next((d.name for d in round_.dimensions if d.id == dimension), dimension)


def reaches(round_: Round, opening: Opening, dimension: str) -> list[str]:
    """The opening's areas that probe ``dimension``, the most focused (fewest dimensions)
    first, then in the opening's order."""
    found = [t for t in (round_.topic(tid) for tid in opening.topics) if t is not None]
    probing = [t for t in found if dimension in t.dimensions]
    return [t.id for t in sorted(probing, key=lambda t: len(t.dimensions))]


def pick_scenario(
    round_: Round,
    focus: Sequence[str],
    history: Iterable[Held],
    today: date,
    among: Sequence[Opening] | None = None,
) -> tuple[Opening, str]:
    """The scenario for a session on ``focus``, and why: never one held in the last
    ``RECENT_DAYS`` days while another will do; of the rest, the one whose planned areas
    reach the most weight of ``focus``, then the one held least often, then file order."""
    openings = list(among or round_.openings)
    seen: dict[str, list[date]] = {}
    for held in history:
        if held.round == round_.id:
            seen.setdefault(held.opening, []).append(held.day)
    recent = today - timedelta(days=RECENT_DAYS)
    fresh = [o for o in openings if not seen.get(o.id) or max(seen[o.id]) <= recent]
    if not fresh:
        oldest = min(openings, key=lambda o: (max(seen[o.id]), openings.index(o)))
        return oldest, (
            f"every scenario of {round_.title} that fits was held in the last {RECENT_DAYS} "
            f"days; '{oldest.title}' longest ago ({max(seen[oldest.id])})"
        )
    weights = {d.id: d.weight for d in round_.dimensions}

    def worth(o: Opening) -> tuple[float, int, int]:
        reached = {d for t in plan_topics(round_, o, focus) for d in _dims(round_, t)}
        gain = sum(weights.get(d, 0.0) for d in focus if d in reached)
        return gain, -len(seen.get(o.id, [])), -openings.index(o)

    best = max(fresh, key=worth)
    when = f"last held {max(seen[best.id])}" if seen.get(best.id) else "never held"
    return best, f"scenario '{best.title}': {when}, not in the last {RECENT_DAYS} days"


def _dims(round_: Round, topic_id: str) -> list[str]:
    topic = round_.topic(topic_id)
    return list(topic.dimensions) if topic else []


def choose_next(history: Sequence[Held], rounds: Sequence[Round], today: date) -> Pick:
    """The next session for a loop whose rounds are ``rounds`` (in the loop's order)."""
    by_id = {r.id: r for r in rounds}
    held = [h for h in history if h.round in by_id]
    if not held:
        first = rounds[0]
        reason = f"no sessions yet in this loop's rounds: its first round, {first.title}"
        return _pick(first, (), held, today, reason)
    known = [s for s in standings(held) if s.dimension in _rubric(by_id[s.round])]
    target = _target(known, today)
    if target is not None:
        round_ = by_id[target.round]
        focus = _focus(target, known, today)
        return _pick(round_, focus, held, today, _why(target, round_, today))
    practised = {h.round for h in held}
    fresh = [r for r in rounds if r.id not in practised]
    if fresh:
        reason = f"you have not practised {fresh[0].title} yet: the loop's next round"
        return _pick(fresh[0], (), held, today, reason)
    return _fallback(known, held, rounds, today)


def _rubric(round_: Round) -> set[str]:
    return {d.id for d in round_.dimensions}


def _target(known: list[Standing], today: date) -> Standing | None:
    """A weak dimension ready today, else a recovered one due; steady ones come after the
    rounds never practised, in ``_fallback``."""
    weak = weakest_first(s for s in known if s.state == "weak" and s.ready(today))
    if weak:
        return weak[0]
    recovered = [s for s in known if s.state == "recovered" and s.ready(today)]
    return min(recovered, key=lambda s: (s.due, s.last), default=None)


def _focus(target: Standing, known: list[Standing], today: date) -> tuple[str, ...]:
    """The target first, then the round's other weak dimensions ready today."""
    others = weakest_first(
        s
        for s in known
        if s.round == target.round and s is not target and s.state == "weak" and s.ready(today)
    )
    return tuple([target.dimension, *(s.dimension for s in others)][:MAX_FOCUS])


def _why(target: Standing, round_: Round, today: date) -> str:
    name = f"{dimension_name(round_, target.dimension)} in {round_.title}"
    if target.state == "weak":
        return f"{name} is your weakest: last scored {target.last} on {target.last_day}"
    return (
        f"{name} recovered ({target.last} on {target.last_day}, after a score under 3) and "
        f"is due again: {target.gap} days after {target.streak} good day(s) in a row"
    )


def _fallback(
    known: list[Standing], held: list[Held], rounds: Sequence[Round], today: date
) -> Pick:
    """Every round practised, nothing weak or recovered ready: the steady dimension due
    first (today, or the soonest); with none, the round held longest ago."""
    by_id = {r.id: r for r in rounds}
    spaced = [s for s in known if s.state != "weak"]  # a weak one here was drilled today
    if spaced:
        first = min(spaced, key=lambda s: (max(s.due, today), s.last, s.round, s.dimension))
        round_ = by_id[first.round]
        name = f"{dimension_name(round_, first.dimension)} in {round_.title}"
        if first.due <= today:
            why = f"{name} is due for review ({first.gap} days after its last good score)"
        else:
            why = f"nothing is due until {first.due}; {name} comes due first"
        return _pick(round_, (first.dimension,), held, today, why)
    last = {h.round: h.when for h in held}
    stale = min(rounds, key=lambda r: (last[r.id], rounds.index(r)))
    reason = f"no scores yet to choose from: {stale.title}, the round held longest ago"
    if known:
        reason = (
            f"your weak dimensions were all practised today (each is due again tomorrow): "
            f"{stale.title} meanwhile, the round held longest ago"
        )
    return _pick(stale, (), held, today, reason)


def _pick(
    round_: Round, focus: tuple[str, ...], held: Sequence[Held], today: date, why: str
) -> Pick:
    opening, scenario = pick_scenario(round_, focus, held, today)
    return Pick(round_.id, opening.id, focus, (why, scenario))


def choose_drill(
    round_: Round, session: Held, history: Sequence[Held], today: date, named: str | None = None
) -> DrillPick:
    """A re-drill of ``session``: the dimension named, else its lowest score (the heaviest
    first among equals), else (no scores) the round's heaviest dimension; asked on another
    scenario's area that probes it, never the one just held while another reaches it."""
    dimension, why = _drill_dimension(round_, session, named)
    others = [
        o for o in round_.openings if o.id != session.opening and reaches(round_, o, dimension)
    ]
    if others:
        opening, scenario = pick_scenario(round_, (dimension,), history, today, others)
    else:
        opening = next(o for o in round_.openings if o.id == session.opening)
        scenario = f"no other scenario of {round_.title} reaches it: the same one, asked again"
    areas = reaches(round_, opening, dimension) or list(opening.topics)
    return DrillPick(dimension, opening.id, areas[0], (why, scenario))


def _drill_dimension(round_: Round, session: Held, named: str | None) -> tuple[str, str]:
    if named is not None:
        return named, f"{dimension_name(round_, named)}: the dimension you named"
    order = {d.id: (-d.weight, n) for n, d in enumerate(round_.dimensions)}
    scored = [(s, d) for d, s in session.scores.items() if s is not None and d in order]
    if scored:
        score, dimension = min(scored, key=lambda pair: (pair[0], order[pair[1]]))
        name = dimension_name(round_, dimension)
        return dimension, f"{name}: your lowest score in session {session.session} ({score})"
    heaviest = min(round_.dimensions, key=lambda d: order[d.id])
    return heaviest.id, (
        f"{heaviest.name}: session {session.session} has no scores (a scripted round, or not "
        "yet scored), so the round's heaviest dimension; --dimension names another"
    )
