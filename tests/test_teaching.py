"""What ``next``, ``plan`` and ``drill`` choose, over generated histories of known scores.

Every history here is made by hand or from a seeded generator: the dates, rounds,
scenarios and scores are known, so each rule (weakest first, never a recent scenario,
spacing over days, every round of the loop covered) is checked against what it must give.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from interviewer.catalog.library import Catalog
from interviewer.formats.rounds import Round
from interviewer.teaching.choose import RECENT_DAYS, choose_drill, choose_next, reaches
from interviewer.teaching.feedback import points_made
from interviewer.teaching.history import Held
from interviewer.teaching.planner import REDRILL_GAP, against, make_plan
from interviewer.teaching.standing import standings

TODAY = date(2026, 12, 6)
NOON = time(12)  # noon UTC is the same calendar day from UTC-11 to UTC+11
LOOP = [
    "ml-fundamentals",
    "coding",
    "ml-system-design",
    "applied-modeling",
    "behavioral",
    "reverse",
]


@pytest.fixture(scope="module")
def rounds() -> list[Round]:
    catalog = Catalog()
    return [catalog.round(name).item for name in LOOP]


def by_id(rounds: list[Round]) -> dict[str, Round]:
    return {r.id: r for r in rounds}


def held(days_ago: int, round_id: str, opening: str, n: int = 0, **scores: int | None) -> Held:
    """A session held ``days_ago`` days before today, its scores by dimension (ids with
    underscores for hyphens)."""
    when = datetime.combine(TODAY - timedelta(days=days_ago), NOON, UTC)
    dims = {k.replace("_", "-"): v for k, v in scores.items()}
    return Held(f"s{days_ago}-{n}-{round_id}", when + timedelta(minutes=n), round_id, opening, dims)


DESIGN_GOOD = dict(
    problem_framing=4, data_labels=4, modeling_judgment=4, production_constraints=4,
    evaluation_monitoring=4, risk_guardrails=4,
)  # fmt: skip


# ------------------------------------------------------------------------------ next


def test_with_no_history_next_is_the_loops_first_round(rounds):
    pick = choose_next([], rounds, TODAY)
    assert pick.round == "ml-fundamentals" and pick.focus == ()
    assert "first round" in pick.reasons[0]
    assert pick.opening == rounds[0].openings[0].id  # nothing seen: the first in the file


def test_next_targets_the_weakest_dimension_on_a_scenario_not_seen_recently(rounds):
    history = [
        held(3, "coding", "kmeans", correctness=3, clarity=4),
        held(1, "ml-system-design", "payments-fraud", **{**DESIGN_GOOD, "data_labels": 2}),
    ]
    pick = choose_next(history, rounds, TODAY)
    assert pick.round == "ml-system-design"
    assert pick.focus == ("data-labels",)
    assert pick.opening != "payments-fraud"  # seen yesterday
    opening = next(o for o in by_id(rounds)["ml-system-design"].openings if o.id == pick.opening)
    assert reaches(by_id(rounds)["ml-system-design"], opening, "data-labels")
    assert pick.reasons[0].startswith(
        "Data and label understanding in ML system design is your weakest"
    )
    assert "last scored 2" in pick.reasons[0] and "never held" in pick.reasons[1]


def test_the_lowest_last_score_wins_across_rounds_and_its_round_peers_join_the_focus(rounds):
    history = [
        held(
            2,
            "ml-system-design",
            "ads-ctr",
            **{**DESIGN_GOOD, "data_labels": 2, "risk_guardrails": 2},
        ),
        held(1, "coding", "kmeans", correctness=1, clarity=4),
    ]
    pick = choose_next(history, rounds, TODAY)
    assert (pick.round, pick.focus) == ("coding", ("correctness",))
    pick = choose_next([history[0]], rounds, TODAY)
    assert set(pick.focus) == {"data-labels", "risk-guardrails"}


def test_a_weak_dimension_is_not_drilled_twice_in_one_day(rounds):
    history = [
        held(2, "coding", "kmeans", correctness=2, clarity=4),
        held(1, "ml-system-design", "ads-ctr", **{**DESIGN_GOOD, "data_labels": 1}),
        held(0, "ml-system-design", "search-ranking", **{**DESIGN_GOOD, "data_labels": 2}),
    ]
    pick = choose_next(history, rounds, TODAY)
    assert (pick.round, pick.focus) == ("coding", ("correctness",))


def test_a_recovered_dimension_comes_back_after_a_growing_gap(rounds):
    """2, then 4 on one day: due a day later. 2, then 4 on two days: due three days after
    the second. Until then the loop's rounds never practised come first."""
    once = [
        held(4, "ml-system-design", "ads-ctr", **{**DESIGN_GOOD, "evaluation_monitoring": 2}),
        held(1, "ml-system-design", "feed-ranking", **DESIGN_GOOD),
    ]
    pick = choose_next(once, rounds, TODAY)
    assert pick.round == "ml-system-design" and pick.focus == ("evaluation-monitoring",)
    assert "recovered" in pick.reasons[0] and "1 days after 1 good day" in pick.reasons[0]
    twice = [*once, held(0, "ml-system-design", "search-ranking", **DESIGN_GOOD)]
    (standing,) = [s for s in standings(twice) if s.dimension == "evaluation-monitoring"]
    assert standing.streak == 2 and standing.due == TODAY + timedelta(days=3)
    pick = choose_next(twice, rounds, TODAY)
    assert pick.round == "ml-fundamentals" and "not practised" in pick.reasons[0]
    later = choose_next(twice, rounds, TODAY + timedelta(days=3))
    assert (later.round, later.focus) == ("ml-system-design", ("evaluation-monitoring",))


def test_three_good_sessions_in_one_afternoon_earn_one_step_of_spacing():
    history = [
        held(5, "coding", "kmeans", correctness=2),
        *(held(1, "coding", "roc-auc", n=n, correctness=5) for n in range(3)),
    ]
    (standing,) = standings(history)
    assert (standing.state, standing.streak, standing.gap) == ("recovered", 1, 1)


def test_unscored_sessions_walk_the_loop_and_never_repeat_a_recent_scenario(rounds):
    """With no model there are no scores: next goes round by round through the loop."""
    history: list[Held] = []
    for day in range(8):
        today = TODAY + timedelta(days=day)
        pick = choose_next(history, rounds, today)
        recent = [
            h.opening
            for h in history
            if h.round == pick.round and (today - h.day).days < RECENT_DAYS
        ]
        assert pick.opening not in recent
        history.append(
            Held(
                f"u{day}",
                datetime.combine(today, NOON, UTC),
                pick.round,
                pick.opening,
                {},
            )
        )
    assert [h.round for h in history[:6]] == LOOP
    assert history[6].round == LOOP[0]  # then the round held longest ago


def generated(seed: int, rounds: list[Round]) -> list[Held]:
    """Thirty sessions over sixty days, each with random scores on its round's dimensions."""
    rng = random.Random(seed)
    history = []
    for n in range(30):
        round_ = rng.choice(rounds)
        opening = rng.choice(round_.openings).id
        scores = {d.id: rng.choice([None, 1, 2, 3, 4, 5]) for d in round_.dimensions}
        when = datetime.combine(TODAY - timedelta(days=rng.randrange(60)), NOON, UTC)
        history.append(Held(f"g{n}", when + timedelta(minutes=n), round_.id, opening, scores))
    return history


@pytest.mark.parametrize("seed", range(12))
def test_over_generated_histories_next_obeys_every_rule(rounds, seed):
    history = generated(seed, rounds)
    pick = choose_next(history, rounds, TODAY)
    round_ = by_id(rounds)[pick.round]
    last_seen = {h.opening: h.day for h in history if h.round == pick.round}
    has_fresh = any(
        o.id not in last_seen or (TODAY - last_seen[o.id]).days >= RECENT_DAYS
        for o in round_.openings
    )
    if has_fresh:
        assert (
            pick.opening not in last_seen or (TODAY - last_seen[pick.opening]).days >= RECENT_DAYS
        )
    ready_weak = [s for s in standings(history) if s.state == "weak" and s.ready(TODAY)]
    if ready_weak:
        lowest = min(s.last for s in ready_weak)
        (target,) = [
            s for s in ready_weak if s.round == pick.round and s.dimension == pick.focus[0]
        ]
        assert target.last == lowest
    assert len(pick.reasons) == 2 and all(pick.reasons)


# ----------------------------------------------------------------------------- drill


def test_a_drill_takes_the_lowest_score_on_another_scenario_and_one_area(rounds):
    design = by_id(rounds)["ml-system-design"]
    session = held(
        0, "ml-system-design", "payments-fraud", **{**DESIGN_GOOD, "evaluation_monitoring": 2}
    )
    pick = choose_drill(design, session, [session], TODAY)
    assert pick.dimension == "evaluation-monitoring" and pick.opening != "payments-fraud"
    assert pick.area in ("evaluation", "monitoring-drift", "llm-evaluation", "agent-evaluation")
    assert "lowest score" in pick.reasons[0]
    named = choose_drill(design, session, [session], TODAY, named="risk-guardrails")
    assert named.dimension == "risk-guardrails" and design.topic(named.area).dimensions == [
        "risk-guardrails"
    ]


def test_a_drill_of_an_unscored_session_takes_the_heaviest_dimension(rounds):
    design = by_id(rounds)["ml-system-design"]
    session = held(0, "ml-system-design", "ads-ctr")
    pick = choose_drill(design, session, [session], TODAY)
    assert pick.dimension == "problem-framing" and pick.area == "objective-metric"
    assert "--dimension" in pick.reasons[0]


# ------------------------------------------------------------------------------ plan


def test_a_plan_covers_every_round_and_spends_the_rest_on_weak_dimensions(rounds):
    history = [
        held(2, "ml-system-design", "ads-ctr", **{**DESIGN_GOOD, "data_labels": 2}),
        held(1, "coding", "kmeans", correctness=1, clarity=4),
    ]
    until = TODAY + timedelta(days=14)
    plan = make_plan("ml-engineer", rounds, history, TODAY, until)
    assert [d.day for d in plan.days] == [TODAY + timedelta(days=n) for n in range(14)]
    items = [(d.day, i) for d in plan.days for i in d.items]
    assert {i.round for _, i in items} >= set(LOOP)
    drills = [(day, i.round, tuple(i.focus)) for day, i in items if "last scored" in i.why]
    assert {(r, f) for _, r, f in drills} == {
        ("coding", ("correctness",)),
        ("ml-system-design", ("data-labels",)),
    }
    first_drill = min(drills)
    assert first_drill[1:] == ("coding", ("correctness",))  # the weakest first
    for key in {(r, f) for _, r, f in drills}:
        days = [d for d, r, f in drills if (r, f) == key]
        assert all((b - a).days >= REDRILL_GAP for a, b in itertools.pairwise(days))


def test_a_short_plan_fits_every_round_by_raising_sessions_a_day(rounds):
    plan = make_plan("ml-engineer", rounds, [], TODAY, TODAY + timedelta(days=2))
    assert plan.per_day == 3 and len(plan.days) == 2
    assert [i.round for d in plan.days for i in d.items] == LOOP


def test_with_no_history_a_long_plan_leaves_the_rest_to_next_on_the_day(rounds):
    plan = make_plan("ml-engineer", rounds, [], TODAY, TODAY + timedelta(days=8))
    items = [i for d in plan.days for i in d.items]
    assert [i.round for i in items[:6]] == LOOP and all(i.round is None for i in items[6:])
    assert "interviewer next" in items[-1].why


def test_the_plan_beside_what_was_done(rounds):
    plan = make_plan(
        "ml-engineer", rounds, [], TODAY - timedelta(days=2), TODAY + timedelta(days=2)
    )
    history = [
        held(2, "ml-fundamentals", "x"),  # day 1: done
        held(1, "behavioral", "x"),  # day 2: another round than planned
    ]
    states = [(p.day, p.item.round, p.state, p.session) for p in against(plan, history, TODAY)]
    assert states[0] == (
        TODAY - timedelta(days=2),
        "ml-fundamentals",
        "done",
        "s2-0-ml-fundamentals",
    )
    assert states[1][2] == "missed"
    assert plan.per_day == 2  # six rounds in four days
    assert {s[2] for s in states if s[0] == TODAY} == {"today"}
    assert states[-1][2] == "ahead"


# --------------------------------------------------------------------------- feedback


def test_points_are_matched_to_the_candidates_own_sentences():
    covers = [
        "Names expected dollar loss net of review cost as the objective, not AUC.",
        "Labels arrive 30 to 90 days later as chargebacks, so training uses a delayed window.",
        "Proposes a shadow deployment before any blocking decision.",
    ]
    answers = [
        "I'd optimise expected dollar loss after review cost. AUC alone hides the cost.",
        "Chargebacks are the labels and they arrive 30 to 90 days later.\nSo I train on a delayed window.",
    ]
    hits = points_made(covers, answers)
    assert hits[0].quote == "I'd optimise expected dollar loss after review cost."
    assert hits[1].quote is not None and hits[1].quote in answers[1]
    assert hits[2].quote is None  # never said
    assert len({h.quote for h in hits if h.quote}) == 2  # a sentence makes one point
