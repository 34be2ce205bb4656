"""The session owns the interview's shape: phases, follow-up budgets, the clock."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from builders import T0, add, transcript
from interviewer.catalog import Catalog
from interviewer.formats import Phase, Role
from interviewer.session import AnswerKind, Session, classify_answer, elapsed


@pytest.fixture
def design():
    return Catalog().round("ml-system-design").item


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("", AnswerKind.empty, id="empty"),
        pytest.param("   \n ", AnswerKind.empty, id="whitespace"),
        pytest.param("I don't know", AnswerKind.dont_know, id="dont-know"),
        pytest.param("idk, sorry", AnswerKind.dont_know, id="idk"),
        pytest.param("no idea honestly", AnswerKind.dont_know, id="no-idea"),
        pytest.param("asdkjh qwrtpl zxcvbnm", AnswerKind.gibberish, id="keyboard-mash"),
        pytest.param("!!!???", AnswerKind.gibberish, id="punctuation"),
        pytest.param("No, that's all. Thanks!", AnswerKind.no_more_questions, id="no-more"),
        pytest.param(
            "I would start from the objective: conversion.", AnswerKind.substantive, id="answer"
        ),
        pytest.param("```python\ndef f(x):\n    return x\n```", AnswerKind.substantive, id="code"),
        pytest.param("L = -sum(y log p)", AnswerKind.substantive, id="maths"),
        pytest.param(
            "I don't know the exact number, but I'd estimate the label delay from chargebacks "
            "at 30-60 days and design around it.",
            AnswerKind.substantive,
            id="hedged-answer",
        ),
    ],
)
def test_classify_answer(text, kind):
    assert classify_answer(text) is kind


def test_opening_asks_first_topic(design):
    t = transcript()
    step = Session(design, t).next_step(T0)
    assert step.phase is Phase.opening
    assert step.topic is not None and step.topic.id == design.topics[0].id
    assert design.topics[0].question in step.directive


def test_followups_are_bounded_then_next_topic(design):
    t = transcript()
    session = Session(design, t)
    first = design.topics[0].id
    add(t, Role.interviewer, "opening", phase=Phase.opening, topic=first)
    budget = design.budget.followups_per_topic
    for _ in range(budget):
        add(t, Role.candidate, "We optimise conversion, with seller health as a guardrail.")
        step = session.next_step(t.turns[-1].ended_at)
        assert step.phase is Phase.followup and step.topic.id == first
        add(t, Role.interviewer, "probe", phase=step.phase, topic=step.topic.id)
    add(t, Role.candidate, "Because sellers churn when exposure collapses.")
    step = session.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.question
    assert step.topic.id == design.topics[1].id


def test_dont_know_gets_a_foothold_not_the_answer(design):
    t = transcript()
    add(t, Role.interviewer, "opening", phase=Phase.opening, topic=design.topics[0].id)
    add(t, Role.candidate, "I don't know")
    step = Session(design, t).next_step(t.turns[-1].ended_at)
    assert "Do not give the answer" in step.directive


def test_time_up_wraps_up_then_candidate_questions_then_closing(design):
    t = transcript()
    add(t, Role.interviewer, "opening", phase=Phase.opening, topic=design.topics[0].id)
    add(t, Role.candidate, "a long answer", minutes=design.budget.minutes)
    session = Session(design, t)
    step = session.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.wrap_up
    add(t, Role.interviewer, "questions for me?", phase=step.phase)
    add(t, Role.candidate, "How do you connect offline metrics to launches?")
    step = session.next_step(t.turns[-1].ended_at)
    # Past the hard budget: answer the question and close.
    assert step.phase is Phase.closing and step.final


def test_candidate_questions_until_they_have_none(design):
    t = transcript()
    add(t, Role.interviewer, "wrap", phase=Phase.wrap_up)
    add(t, Role.candidate, "What is the biggest bottleneck today: data, labels or infra?")
    session = Session(design, t)
    step = session.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.candidate_questions
    add(t, Role.interviewer, "answer; anything else?", phase=step.phase)
    add(t, Role.candidate, "No, that's all, thanks")
    assert session.next_step(t.turns[-1].ended_at).phase is Phase.closing


def test_turn_cap_forces_wrap_up(design):
    t = transcript()
    add(t, Role.interviewer, "opening", phase=Phase.opening, topic=design.topics[0].id)
    for _ in range(design.budget.max_candidate_turns - 3):
        add(t, Role.candidate, "an answer with words", minutes=0.1)
        add(
            t,
            Role.interviewer,
            "next",
            phase=Phase.question,
            topic=design.topics[0].id,
            minutes=0.1,
        )
    add(t, Role.candidate, "an answer with words", minutes=0.1)
    assert Session(design, t).next_step(t.turns[-1].ended_at).phase is Phase.wrap_up


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
    assert elapsed(t.turns) == timedelta(minutes=6)


def test_state_is_rebuilt_from_the_transcript(design):
    """A resumed transcript continues at the same topic with the same budget left."""
    t = transcript()
    add(t, Role.interviewer, "opening", phase=Phase.opening, topic=design.topics[0].id)
    add(t, Role.candidate, "answer")
    add(t, Role.interviewer, "q2", phase=Phase.question, topic=design.topics[1].id)
    add(t, Role.candidate, "answer two")
    restored = Session(design, t.model_validate_json(t.model_dump_json()))
    step = restored.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.followup and step.topic.id == design.topics[1].id


def test_terminal_reads_multiline_fenced_code_commands_and_silence():
    from rich.console import Console

    from interviewer.terminal import Command, Terminal

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


def test_candidate_led_round_answers_questions_and_invites_new_areas():
    reverse = Catalog().round("reverse").item
    t = transcript("reverse")
    session = Session(reverse, t)
    add(
        t, Role.interviewer, "Hi, ask me anything.", phase=Phase.opening, topic=reverse.topics[0].id
    )
    add(t, Role.candidate, "How do offline metrics connect to launch decisions?")
    step = session.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.followup and "Answer the candidate's question" in step.directive
    add(t, Role.interviewer, "We gate on...", phase=step.phase, topic=step.topic.id)
    add(t, Role.candidate, "No, that's all")
    step = session.next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.question and step.topic.id == reverse.topics[1].id


def test_candidate_led_round_closes_when_every_area_was_offered():
    reverse = Catalog().round("reverse").item
    t = transcript("reverse")
    last = reverse.topics[reverse.budget.topics_per_session - 1]
    add(t, Role.interviewer, "Anything on this?", phase=Phase.question, topic=last.id)
    add(t, Role.candidate, "No, that's all, thanks")
    step = Session(reverse, t).next_step(t.turns[-1].ended_at)
    assert step.phase is Phase.closing and step.final
