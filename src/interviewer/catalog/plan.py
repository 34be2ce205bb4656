"""Which areas a session runs, and whether a round's every dimension can be reached.

An opening names the areas it runs, in order. When it names more than the round's budget
allows, the session keeps the ones that cover the most dimensions not yet covered
(counting the candidate's weakest dimensions double, when their history is known; among
equals, the ones whose dimensions weigh most, so a track's weights choose), in the
opening's order; never the first few by file order, which is how dimensions went
unprobed. A track changes the plan through the round it runs (``Round.for_track``): its
weights, and the follow-ups it adds to or takes from an area. ``coverage_problems`` is what
``interviewer check`` reports for a round file, for the round and for each of its tracks.
"""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.formats.levels import Level
from interviewer.formats.rounds import Moves, Opening, Round, Topic

CANDIDATE_QUESTIONS = 3
"""Answers kept back for the candidate's own questions at the end."""
LEVEL_DEPTH = {Level.junior: -1, Level.senior: 0, Level.staff: 1}
"""Follow-ups per area move with the level: a staff candidate is pushed one layer deeper."""


def followup_budget(round_: Round, topic: Topic, level: Level) -> int:
    """Follow-ups on one area at one level (an area with none stays with none)."""
    base = topic.followups if topic.followups is not None else round_.budget.followups_per_topic
    return max(0, base + LEVEL_DEPTH[level]) if base else 0


def plan_topics(round_: Round, opening: Opening, weakest: Sequence[str] = ()) -> list[str]:
    """The topic ids this session runs, in the opening's order."""
    ids = list(opening.topics)
    limit = round_.budget.topics_per_session
    if len(ids) <= limit:
        return ids
    dims = {t.id: set(t.dimensions) for t in round_.topics if t.id in ids}
    weights = {d.id: d.weight for d in round_.dimensions}
    weak = set(weakest)
    chosen: list[str] = []
    covered: set[str] = set()
    while len(chosen) < limit:
        gains = {t: _gain(dims[t] - covered, weak, weights) for t in ids if t not in chosen}
        best = max(gains, key=lambda t: (gains[t], -ids.index(t)))
        chosen.append(best)
        covered |= dims[best]
    return [t for t in ids if t in chosen]


def _gain(fresh: set[str], weak: set[str], weights: dict[str, float]) -> tuple[int, float]:
    """What adding an area is worth: each new dimension once, a weak one twice; between
    areas that reach as many, the weight of what they reach."""
    return len(fresh) + len(fresh & weak), sum(weights[d] for d in fresh)


DRILL_MINUTES = 12
"""A re-drill's clock: one area and its follow-ups, a short exchange, not a round."""


def focused(round_: Round) -> Round:
    """The round as a re-drill runs it: its one area asked at once, with no neutral start,
    held overview or framing question before it, which would spend the short exchange on
    what the drill is not about, and on a short clock."""
    budget = round_.budget.model_copy(update={"minutes": min(round_.budget.minutes, DRILL_MINUTES)})
    return round_.model_copy(update={"moves": Moves(), "budget": budget})


def answers_needed(round_: Round, opening: Opening, level: Level) -> int:
    """Candidate answers a full session of this opening takes at ``level``."""
    total = CANDIDATE_QUESTIONS
    for topic_id in plan_topics(round_, opening):
        topic = round_.topic(topic_id)
        if topic is not None:
            total += 1 + followup_budget(round_, topic, level)
    total += (1 if opening.twist else 0) + (1 if opening.extension else 0)
    overview = round_.moves.overview
    return total + (overview.turns - 1 if overview else 0)


def coverage_problems(round_: Round) -> list[str]:
    """Each way a round's openings would leave a dimension unprobed or overrun the budget,
    as the round runs on its own and on each track it names."""
    problems = _coverage(round_, "")
    for track in round_.tracks:
        problems += _coverage(round_.for_track(track), f"tracks.{track}: ")
    return problems


def _coverage(round_: Round, where: str) -> list[str]:
    problems = []
    all_dims = [d.id for d in round_.dimensions]
    for opening in round_.openings:
        plan = plan_topics(round_, opening)
        reached = {d for t in round_.topics if t.id in plan for d in t.dimensions}
        missing = [d for d in all_dims if d not in reached]
        if missing:
            problems.append(
                f"{where}openings.{opening.id}: dimensions never probed: {', '.join(missing)} "
                "(add a topic that names them to the opening's topics, or raise "
                "budget.topics_per_session)"
            )
        needed = answers_needed(round_, opening, Level.staff)
        if needed > round_.budget.max_candidate_turns:
            problems.append(
                f"{where}openings.{opening.id}: a staff-level session needs {needed} answers "
                f"but budget.max_candidate_turns is {round_.budget.max_candidate_turns} (raise "
                "it, or run fewer topics or follow-ups)"
            )
    return problems
