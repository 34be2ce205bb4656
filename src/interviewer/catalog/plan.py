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

import math
from collections.abc import Sequence
from datetime import timedelta

from interviewer.formats.levels import Level
from interviewer.formats.rounds import Budget, Moves, Opening, Round, Topic

CANDIDATE_QUESTIONS = 3
"""Answers kept back for the candidate's own questions at the end."""
ANSWER_MINUTES = 2.0
"""The pace assumed before the candidate has answered: about two minutes per typed answer."""
LEVEL_DEPTH = {Level.junior: -1, Level.senior: 0, Level.staff: 1}
"""Follow-ups per area move with the level: a staff candidate is pushed one layer deeper."""


def followup_budget(round_: Round, topic: Topic, level: Level) -> int:
    """Follow-ups on one area at one level (an area with none stays with none)."""
    base = topic.followups if topic.followups is not None else round_.budget.followups_per_topic
    return max(0, base + LEVEL_DEPTH[level]) if base else 0


def asks_left(budget: Budget, spent: timedelta, answers: int, asked: int | None = None) -> int:
    """How many more questions (this one included) fit before the wrap-up, by the clock at
    the candidate's pace and by the turn cap less the answers kept for their questions.

    The pace is the mean time per question answered so far (``asked``; by default every
    answer counts as one: a clarifying question back makes a question cost more), counting
    one imagined question at ``ANSWER_MINUTES`` so that a quick first "hi" does not set it."""
    asked = answers if asked is None else asked
    pace = (spent + timedelta(minutes=ANSWER_MINUTES)) / (asked + 1)
    before_wrap = timedelta(minutes=budget.minutes) * budget.wrap_up_at - spent
    by_clock = math.ceil(before_wrap / pace) if before_wrap > timedelta(0) else 0
    return max(0, min(by_clock, budget.max_candidate_turns - CANDIDATE_QUESTIONS - answers))


def share_now(spare: int, used: int, needs: Sequence[int]) -> bool:
    """Whether the current area gets a follow-up now, when ``spare`` follow-ups are left
    for it (``needs[0]``, of which ``used`` are spent) and the areas after it.

    They are dealt one at a time to the area that has had fewest so far (the current area
    first among equals), so a short clock cuts follow-ups evenly across areas instead of
    spending them all on the first ones."""
    given = [used] + [0] * (len(needs) - 1)
    for _ in range(max(0, spare)):
        open_ = [i for i, need in enumerate(needs) if given[i] < need]
        if not open_:
            break
        given[min(open_, key=lambda i: (given[i], i))] += 1
    return given[0] > used


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
    # The twist's own follow-up is not counted here: where turns run short, the session
    # keeps it and cuts an area's follow-up instead (``fixed_asks`` counts it).
    return (
        total
        + fixed_asks(round_, opening)
        - len(plan_topics(round_, opening))
        - bool(opening.twist)
    )


def fixed_asks(round_: Round, opening: Opening) -> int:
    """The questions a session asks whatever the clock: each area's own, the twist and its
    one follow-up, the extension, the overview's "go on"s. Only follow-ups are cut."""
    total = len(plan_topics(round_, opening))
    total += (2 if opening.twist else 0) + (1 if opening.extension else 0)
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
        problems += _room(round_, opening, where)
    return problems


def _room(round_: Round, opening: Opening, where: str) -> list[str]:
    """Whether every area can be asked: the questions no clock cuts must fit the turn cap
    (with the candidate's questions) and, at two minutes an answer, the time before the
    wrap-up. Follow-ups beyond that are cut by the session, evenly, so they are no problem."""
    fixed, budget = fixed_asks(round_, opening), round_.budget
    problems = []
    if fixed + CANDIDATE_QUESTIONS > budget.max_candidate_turns:
        problems.append(
            f"{where}openings.{opening.id}: its areas, twist and extension alone need "
            f"{fixed + CANDIDATE_QUESTIONS} answers but budget.max_candidate_turns is "
            f"{budget.max_candidate_turns} (raise it, or run fewer topics)"
        )
    minutes = fixed * ANSWER_MINUTES
    if minutes > budget.minutes * budget.wrap_up_at:
        problems.append(
            f"{where}openings.{opening.id}: at {ANSWER_MINUTES:g} minutes an answer its areas "
            f"alone take {minutes:g} minutes, past the wrap-up at "
            f"{budget.minutes * budget.wrap_up_at:g} (raise budget.minutes, or run fewer topics)"
        )
    return problems
