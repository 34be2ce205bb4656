"""The session owns the interview's shape: plan, moves, follow-up budgets, the clock."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from builders import T0, add, transcript
from interviewer.catalog.library import read_steps
from interviewer.catalog.plan import coverage_problems, plan_topics
from interviewer.formats.levels import Level
from interviewer.formats.transcript import Phase, Role, Turn, elapsed
from interviewer.interview.session import Session, Speaker
from rounds import design_round

SPEAKER = Speaker("Maya Lindqvist", "Senior research scientist", "Hi, I'm Maya.")


@pytest.fixture
def design():
    return design_round()


def session_for(round_, t, opening="fraud", speaker=SPEAKER):
    t.opening = opening
    if not t.plan:
        t.plan = plan_topics(round_, round_.opening(opening))
    return Session(round_, round_.opening(opening), t, read_steps(), speaker)


def interviewer_says(t, step, text="(the interviewer's words)"):
    """Record the step as the runner would."""
    start = t.turns[-1].ended_at if t.turns else T0
    t.turns.append(
        Turn(
            role=Role.interviewer,
            text=text,
            started_at=start,
            ended_at=start + timedelta(seconds=5),
            phase=step.phase,
            topic=step.topic.id if step.topic else None,
            move=step.move,
            probes=list(step.probes),
        )
    )


def answer(t, session, text):
    add(t, Role.candidate, text)
    return session.next_step(t.turns[-1].ended_at)


def test_opening_greets_and_lets_the_candidate_start(design):
    t = transcript()
    step = session_for(design, t).next_step(T0)
    assert step.phase is Phase.opening and step.move == "opening"
    assert step.topic.id == "framing"
    # The neutral start, not the framing question: framing unprompted is the signal.
    assert "Take it from wherever you would start." in step.directive
    assert "What decision does the system make?" not in step.say
    assert step.say.startswith("Hi, I'm Maya.")  # the persona's greeting is used


def test_framing_fallback_fires_only_when_they_jump_to_a_model(design):
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    step = answer(t, session, "I'd train XGBoost on transaction features, then a neural net.")
    assert step.move == "framing"
    assert step.say == "Before models: what decision does this system make?"

    t2 = transcript()
    session2 = session_for(design, t2)
    interviewer_says(t2, session2.next_step(T0))
    step = answer(t2, session2, "The decision is approve or decline; the metric is dollar loss.")
    assert step.move == "probe"  # they framed it: no fallback, a probe on what they said


def test_clarifying_questions_are_answered_from_the_fact_sheet(design):
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    step = answer(t, session, "What is the latency budget per decision?")
    assert step.move == "clarify"
    assert "within 100 milliseconds" in step.directive
    assert step.say.startswith("Each decision must be made within 100 milliseconds.")
    interviewer_says(t, step)
    # Answering a clarifying question spends no follow-up: the next answer is probed.
    step = answer(t, session, "Then the objective is expected loss at that latency.")
    assert step.move == "probe"


def test_an_unknown_clarifying_question_gets_an_assumption_not_a_probe(design):
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    step = answer(t, session, "Which cloud provider are we on?")
    assert step.move == "clarify" and "assumption" in step.say


def test_probes_are_chosen_for_the_answer_and_recorded(design):
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    step = answer(t, session, "The objective is expected loss; each error has a cost.")
    assert step.probes[0] == "What does each kind of error cost?"
    assert "What does each kind of error cost?" in step.directive
    assert step.say == step.probes[0]


def test_followups_are_bounded_then_the_twist_then_the_next_area(design):
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    interviewer_says(t, answer(t, session, "The objective is expected dollar loss."))  # probe
    step = answer(t, session, "Errors cost fraud loss and false declines.")
    assert step.phase is Phase.question and step.topic.id == "data"
    interviewer_says(t, step)
    interviewer_says(t, answer(t, session, "Chargebacks give labels after 90 days."))  # probe
    step = answer(t, session, "We'd use a 30-day maturity window.")
    assert step.move == "twist" and step.say.startswith("The window just dropped")
    interviewer_says(t, step)
    step = answer(t, session, "I'd drop the graph features and precompute aggregates.")
    # One follow-up on how the twist changes their approach, then the next area.
    assert step.move == "twist-followup" and step.topic.id == "data"
    assert "The window just dropped" in step.directive
    interviewer_says(t, step)
    step = answer(t, session, "Recall drops a little; I'd check the loss on the new window.")
    assert step.topic.id == "evaluation" and step.phase is Phase.question


def test_a_covered_area_is_built_on_not_asked_again(design):
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    said = "I would use a time-based split offline, then an A/B test online."
    interviewer_says(t, answer(t, session, f"The objective is dollar loss. {said}"))
    interviewer_says(t, answer(t, session, "Costs are fraud loss versus declines."))  # data
    interviewer_says(t, answer(t, session, "Labels come from chargebacks."))
    interviewer_says(t, answer(t, session, "Thirty days."))  # the twist
    interviewer_says(t, answer(t, session, "Precompute the aggregates."))  # its follow-up
    step = answer(t, session, "Drop the graph features.")
    assert step.topic.id == "evaluation" and step.move == "build-on"
    assert said in step.directive and said in step.say
    assert "How would you evaluate it offline and online?" not in step.say


@pytest.mark.parametrize(
    ("text", "move"),
    [
        pytest.param("I don't know.", "dont-know", id="dont-know"),
        pytest.param("", "empty", id="empty"),
        pytest.param("asdkjh qwrtzx zxcvbn", "garbled", id="garbled"),
        pytest.param("I'm not sure, but I'd check the label delay.", "probe-hedged", id="hedged"),
    ],
)
def test_each_kind_of_answer_gets_its_own_move(design, text, move):
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    step = answer(t, session, text)
    assert step.move == move
    if move == "dont-know":
        assert "Do not give the answer" in step.directive


def test_a_code_submission_is_answered_as_code_and_extended_once_it_passes(design):
    t = transcript()
    opening = design.opening("fraud").model_copy(update={"extension": "Now vectorise it."})
    round_ = design.model_copy(update={"openings": [opening, design.openings[1]]})
    session = session_for(round_, t)
    interviewer_says(t, session.next_step(T0))
    add(t, Role.candidate, "```python\ndef f(x):\n    return x\n```")
    add(t, Role.system, "Code check (failed): 1 of 3 tests failed.")
    t.turns[-1].kind = "failed"
    step = session.next_step(t.turns[-1].ended_at)
    assert step.move == "probe-code" and "empty" not in step.directive
    interviewer_says(t, step)
    add(t, Role.candidate, "```python\ndef f(x):\n    return x + 1\n```")
    add(t, Role.system, "Code check (passed): all 3 tests passed.")
    t.turns[-1].kind = "passed"
    step = session.next_step(t.turns[-1].ended_at)
    assert step.move == "extension" and step.say == "Now vectorise it."


def test_the_level_sets_the_follow_up_depth(design):
    senior = session_for(design, transcript(level=Level.senior))
    staff = session_for(design, transcript(level=Level.staff))
    junior = session_for(design, transcript(level=Level.junior))
    for session, depth in ((junior, 0), (senior, 1), (staff, 2)):
        t = session.transcript
        interviewer_says(t, session.next_step(T0))
        moves = []
        for _ in range(3):
            step = answer(t, session, "The objective is dollar loss net of review cost.")
            moves.append(step.move)
            interviewer_says(t, step)
        assert all(m.startswith("probe") for m in moves[:depth]) and moves[depth] == "question"


def test_time_up_wraps_up_then_candidate_questions_then_closing(design):
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    add(t, Role.candidate, "an answer", minutes=40)
    step = session.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.wrap_up
    interviewer_says(t, step)
    step = answer(t, session, "How does the team decide what to work on?")
    assert step.phase is Phase.candidate_questions
    interviewer_says(t, step)
    step = answer(t, session, "No, that's all, thanks.")
    assert step.phase is Phase.closing and step.final


def test_the_clock_does_not_count_the_models_writing_time(design):
    t = transcript()
    add(t, Role.interviewer, "q", minutes=5)  # a slow local model took five minutes
    add(t, Role.candidate, "a", minutes=2)
    assert elapsed(t.turns) == timedelta(minutes=2)


def test_elapsed_skips_long_breaks():
    t = transcript()
    add(t, Role.interviewer, "q", minutes=2)
    add(t, Role.candidate, "a", minutes=3)
    later = t.turns[-1].ended_at + timedelta(hours=20)
    t.turns.append(
        t.turns[-1].model_copy(
            update={"started_at": later, "ended_at": later + timedelta(minutes=1)}
        )
    )
    assert elapsed(t.turns) == timedelta(minutes=4)


def test_state_is_rebuilt_from_the_transcript(design):
    """A resumed transcript continues at the same area with the same budget left."""
    t = transcript()
    session = session_for(design, t)
    interviewer_says(t, session.next_step(T0))
    interviewer_says(t, answer(t, session, "The objective is dollar loss."))
    step = answer(t, session, "Costs: fraud loss against false declines.")
    interviewer_says(t, step)
    add(t, Role.candidate, "Labels come from chargebacks.")
    restored = session_for(design, t.model_validate_json(t.model_dump_json()))
    step = restored.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.followup and step.topic.id == "data" and step.move == "probe"
    assert restored.probed_dimensions() == ["framing", "data"]


def test_the_plan_keeps_the_areas_that_cover_the_dimensions(design):
    recs = design.opening("recs")  # four areas, a budget of three
    assert plan_topics(design, recs) == ["framing", "data", "evaluation"]
    lean = design.model_copy(
        update={"budget": design.budget.model_copy(update={"topics_per_session": 2})}
    )
    assert "dimensions never probed: evaluation" in coverage_problems(lean)[0]
    tight = design.model_copy(
        update={"budget": design.budget.model_copy(update={"max_candidate_turns": 7})}
    )
    # Three areas, the twist and its follow-up, three questions of the candidate's: 8 > 7.
    problems = coverage_problems(tight)
    assert any("staff-level session needs 13 answers" in p for p in problems)
    assert any("alone need 8 answers" in p for p in problems)
    assert coverage_problems(design) == []


def test_terminal_reads_multiline_fenced_code_commands_and_silence():
    from rich.console import Console

    from interviewer.terminal.console import Command, Terminal

    lines = iter(
        [
            "first line",
            "second line",
            "",
            "```",
            "def f():",
            "",
            "    return 1",
            "```",
            "",
            "/time",
            "",
            "",
            "/edit",
            "typed instead",
            "",
        ]
    )
    terminal = Terminal(Console(file=io.StringIO()), read_line=lambda _p: next(lines))
    assert terminal.read_answer().text == "first line\nsecond line"
    assert terminal.read_answer().text == "```\ndef f():\n\n    return 1\n```"
    assert terminal.read_answer().command is Command.time
    silence = terminal.read_answer()
    assert silence.text == "" and silence.command is None and not silence.eof
    # $EDITOR ("false" in tests) saves nothing: an empty edit is not sent; typing goes on.
    edited = terminal.read_answer()
    assert edited.command is Command.edit and edited.text == ""


def led_session(t):
    """The design round turned candidate-led, with Dana as the person the opening casts."""
    from interviewer.catalog.library import Catalog
    from interviewer.formats.rounds import Round
    from interviewer.interview.runner import speaker_for

    base = design_round().model_dump(by_alias=True)
    base["candidate_brings"] = "questions"
    base["openings"][0]["role"] = {"name": "Dana", "title": "Manager, risk"}
    led = Round.model_validate(base)
    persona = Catalog().persona("warm-scientist").item
    return session_for(led, t, speaker=speaker_for(persona, led.opening("fraud")))


def test_candidate_led_round_answers_from_the_facts_a_question_reaches():
    t = transcript()
    session = led_session(t)
    step = session.next_step(T0)
    assert step.move == "opening-led" and "Dana" in step.say
    interviewer_says(t, step)
    step = answer(t, session, "How big is the manual review team, and what is its capacity?")
    assert step.move == "answer-question" and "20,000 cases a day" in step.directive
    assert "100 milliseconds" not in step.directive  # a fact the question does not reach
    interviewer_says(t, step)
    step = answer(t, session, "No, that's all.")
    assert step.move == "invite" and step.topic.id == "data"


@pytest.mark.parametrize(
    ("text", "keyword", "found"),
    [
        pytest.param("The metrics were flat.", "metric", True, id="plural"),
        pytest.param("We keep retraining weekly.", "retrain", True, id="ing"),
        pytest.param("AUC of 0.8", "auc", True, id="case"),
        pytest.param("because it works", "auc", False, id="inside-a-word"),
        pytest.param("a time-based split", "time-based split", True, id="phrase"),
    ],
)
def test_keywords_match_whole_words_with_common_endings(text, keyword, found):
    from interviewer.interview.session import mentions

    assert mentions(text, keyword) is found


def test_a_candidate_led_round_closes_when_time_is_up():
    t = transcript()
    session = led_session(t)
    interviewer_says(t, session.next_step(T0))
    add(t, Role.candidate, "What is the team's biggest bottleneck?", minutes=44)
    step = session.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.closing and step.final  # no "any questions for me?"
