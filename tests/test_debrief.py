"""The loop debrief: what it could not measure is said, and a strong no is not averaged away."""

from __future__ import annotations

from builders import T0, scorecard, transcript
from interviewer.catalog.library import Catalog
from interviewer.formats.levels import Level
from interviewer.formats.loops import Loop
from interviewer.formats.transcript import HireSignal, ModelInfo
from interviewer.interview.loops import LoopRoundState, debrief, new_session
from interviewer.interview.start import begin

LOOP = Loop.model_validate(
    {
        "id": "trio",
        "title": "Trio",
        "track": "my-own-track",  # any track a user names
        "summary": "Three rounds.",
        "top_failure_mode": "Cannot run it in production.",
        "failure_mode_check": "Reads the serving dimensions.",
        "failure_mode_dimensions": ["a/serving", "b/monitoring", "c/latency"],
        "rounds": [
            {"round": "a", "weight": 2.0, "signature": True},
            {"round": "b"},
            {"round": "c", "persona": "bar-raiser"},
        ],
    }
)


def scored(round_id, tid, scores, signal, probed, plan=("t1",)):
    t = transcript(round_id, id=tid, plan=list(plan), probed=probed)
    card = scorecard(scores)
    card.hire_signal = signal
    t.scorecards.append(card)
    return t


def test_unmeasured_failure_dimensions_are_named_and_a_strong_no_caps_the_loop():
    session = new_session(LOOP, Level.senior, "warm-scientist", T0)
    session.rounds = [LoopRoundState(round=r, transcript=f"{r}0000000") for r in "abc"]
    transcripts = {
        "a0000000": scored("a", "a0000000", {"serving": 4}, HireSignal.yes, ["serving"]),
        # b's interview never reached monitoring: not measured, not "fine".
        "b0000000": scored("b", "b0000000", {"monitoring": 3}, HireSignal.yes, ["other"]),
        # c reached latency but the judge found no evidence; and c is a strong no.
        "c0000000": scored("c", "c0000000", {"latency": None}, HireSignal.strong_no, ["latency"]),
    }
    result = debrief(LOOP, session, transcripts)
    assert result.failure_not_measured == [
        "b/monitoring (the interview never reached it)",
        "c/latency (not enough evidence)",
    ]
    assert not result.failure_mode_flagged
    # Weighted, the signals average to yes-ish; the strong no in c is not averaged away.
    assert result.hire_signal is HireSignal.no
    assert "a strong no in c is not averaged away" in result.rationale
    assert "2 failure-mode dimension(s) not measured" in result.rationale


def test_an_unscored_round_is_not_measured_either():
    session = new_session(LOOP, Level.senior, "warm-scientist", T0)
    result = debrief(LOOP, session, {})
    assert result.hire_signal is None
    assert all(line.endswith("(round not scored)") for line in result.failure_not_measured)


def test_a_loops_rounds_never_repeat_a_product_domain():
    """Two rounds of one loop (system design, then applied modeling) share no domain."""
    catalog = Catalog()
    design = catalog.round("ml-system-design").item
    applied = catalog.round("applied-modeling").item
    for opening in design.openings:
        for _ in range(20):
            second = begin(
                catalog,
                round_name="applied-modeling",
                persona_name="warm-scientist",
                level=Level.senior,
                interviewer=ModelInfo(model="scripted"),
                judge=ModelInfo(model="scripted"),
                files={},
                avoid_domains={opening.domain} if opening.domain else set(),
            )
            chosen = applied.opening(second.transcript.opening)
            assert chosen.domain != opening.domain
