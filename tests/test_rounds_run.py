"""Every shipped round, run: every scenario reaches every scored dimension, and the round's
own moves (clarify, framing fallback, twist, code follow-ups, building on what was said)
reach the model at the wire."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from interviewer.catalog.library import Catalog
from interviewer.formats.levels import Level
from interviewer.formats.transcript import ModelInfo, Role, Status
from interviewer.interview.runner import Outcome, Runner
from interviewer.interview.start import begin
from interviewer.store.transcripts import Store
from interviewer.terminal.console import Terminal
from wire import BASE, Provider

CATALOG = Catalog()
CASES = [
    pytest.param(r.item.id, o.id, id=f"{r.item.id}/{o.id}")
    for r in CATALOG.rounds()
    for o in r.item.openings
]
GENERIC = (
    "I would start from what the decision needs, measure it against a simple baseline, "
    "and check the result on the slices that matter."
)


def answers_for(round_id: str):
    """An endless candidate: substantive answers; in candidate-led rounds, one question
    and then 'nothing more', so every area is offered in turn."""
    led = CATALOG.round(round_id).item.candidate_brings == "questions"
    count = 0

    def read(_prompt: str) -> str:
        nonlocal count
        count += 1
        if count % 2 == 0:
            return ""  # the blank line that sends the answer
        if led:
            return "How do you measure success?" if count % 4 == 1 else "No, that's all."
        return GENERIC

    return read


@pytest.mark.parametrize(("round_id", "opening_id"), CASES)
def test_every_scenario_probes_every_scored_dimension(round_id, opening_id, isolated):
    interview = begin(
        CATALOG,
        round_name=round_id,
        persona_name="warm-scientist",
        level=Level.senior,
        interviewer=ModelInfo(model="scripted"),
        judge=ModelInfo(model="scripted"),
        files={},
        opening_id=opening_id,
        track="ml-engineer",
    )
    terminal = Terminal(Console(file=io.StringIO(), width=100), read_line=answers_for(round_id))
    runner = Runner(interview, None, terminal, Store(isolated / "t"))
    assert runner.run() is Outcome.complete
    t = runner.transcript
    dims = [d.id for d in interview.round.item.dimensions]
    assert t.probed == dims, f"never probed: {sorted(set(dims) - set(t.probed))}"
    said = [turn for turn in t.turns if turn.role is Role.interviewer]
    assert all(turn.text.strip() and turn.move for turn in said)
    assert len({turn.text for turn in said if turn.move in ("question", "build-on")}) == len(
        [turn for turn in said if turn.move in ("question", "build-on")]
    )  # no area asked twice
    assert t.status is Status.complete and t.track == "ml-engineer"


# ----------------------------------------------------------------- at the wire


def run_cli(runner, round_id, opening, answers, *extra):
    from interviewer.cli import app

    return runner.invoke(
        app,
        ["practice", round_id, "--opening", opening, "--model", "m", "--api-base", BASE,
         "--no-score", *extra],
        input="\n\n".join(answers) + "\n\n/end\n",
    )  # fmt: skip


def notes(provider: Provider) -> list[str]:
    """The session note the model received with each request (the last user message)."""
    return [r["messages"][-1]["content"] for r in provider.streamed]


@pytest.fixture
def provider(respx_mock) -> Provider:
    return Provider(respx_mock)


@pytest.fixture
def cli():
    from typer.testing import CliRunner

    return CliRunner()


def test_system_design_clarifies_falls_back_to_framing_and_plays_the_twist(cli, provider):
    design = CATALOG.round("ml-system-design").item
    opening = design.opening("payments-fraud")
    topics = opening.topics
    provider.interviewer = [f"Question {i}?" for i in range(40)]
    answers = [
        "How many cases can the review team handle?",  # a clarifying question
        "I'd train XGBoost with a neural net on top.",  # straight to a model
    ]
    answers += ["The decision is approve or decline, at the cost of review."] * 30
    result = run_cli(cli, "ml-system-design", "payments-fraud", answers)
    assert result.exit_code == 0, result.output
    sent = notes(provider)
    assert "move clarify" in sent[1] and "20,000 cases a day" in sent[1]
    assert "move framing" in sent[2] and design.moves.framing.ask in sent[2]
    assert "move framing" not in " ".join(sent[:2])  # only after the model-first answer
    twist = next(i for i, n in enumerate(sent) if "move twist" in n)
    assert opening.twist.say in sent[twist]
    assert f"area: {opening.twist.after}" in sent[twist]
    assert topics.index(opening.twist.after) < len(topics)
    # The system prompt: the scenario verbatim, no fact sheet, no judge reference.
    system = provider.streamed[0]["messages"][0]["content"]
    assert opening.prompt in system
    assert opening.facts[0].answer not in system
    assert opening.reference.covers[0] not in system


def test_applied_modeling_does_not_ask_framing_of_a_candidate_who_framed_it(cli, provider):
    provider.interviewer = [f"Question {i}?" for i in range(10)]
    applied = CATALOG.round("applied-modeling").item
    opening = applied.openings[0]
    answers = ["The decision is who to contact; success is retained revenue net of cost."] * 3
    result = run_cli(cli, "applied-modeling", opening.id, answers)
    assert result.exit_code == 0, result.output
    assert not any("move framing" in n for n in notes(provider))
    assert "move probe" in notes(provider)[1]


def test_coding_answers_code_as_code(cli, provider):
    coding = CATALOG.round("coding").item
    opening = next(o for o in coding.openings if o.check is not None)
    provider.interviewer = [f"Question {i}?" for i in range(10)]
    code = f"```python\ndef {opening.check.entry_point}(*args, **kwargs):\n    return None\n```"
    result = run_cli(cli, "coding", opening.id, [code])
    assert result.exit_code == 0, result.output
    note = notes(provider)[1]
    assert "move probe-code" in note and "submitted code" in note
    assert "empty" not in note
    # The code check's result reached the model as a session record, not as the answer.
    assert any("Code check (" in m["content"] for m in provider.streamed[1]["messages"])


def test_a_covered_area_is_built_on_at_the_wire(cli, provider, isolated):
    experimentation = CATALOG.round("experimentation").item
    opening = next(
        o
        for o in experimentation.openings
        if len(o.topics) > 1 and experimentation.topic(o.topics[1]).keywords
    )
    later = experimentation.topic(opening.topics[1])
    covered = f"On {later.keywords[0]} and {later.keywords[1]}: I would plan both up front."
    provider.interviewer = [f"Question {i}?" for i in range(40)]
    answers = [covered] + ["Fine."] * 12
    result = run_cli(cli, "experimentation", opening.id, answers)
    assert result.exit_code == 0, result.output
    moved = [n for n in notes(provider) if f"area: {later.id}" in n]
    assert moved and "move build-on" in moved[0] and covered in moved[0]
    assert later.question not in moved[0]  # not asked again
    saved = next(p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json")
    turns = json.loads(Path(saved).read_text())["turns"]
    assert any(t.get("move") == "build-on" for t in turns)


def test_a_model_that_writes_both_sides_reaches_the_transcript_as_one_message(
    cli, provider, isolated
):
    provider.interviewer = [
        "What is the label?\nCandidate: Chargebacks.\nThe interviewist: What is the label?\n" * 20,
        "Fine.",
    ]
    result = run_cli(cli, "ml-system-design", "payments-fraud", ["The decision is approve."])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("What is the label?") == 1
    assert "Chargebacks" not in result.stdout
    saved = next(p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json")
    first = json.loads(Path(saved).read_text())["turns"][0]
    assert first["text"] == "What is the label?"
    assert first["cut"].startswith("wrote another speaker's turn")


# ------------------------------------------------------------------ the content


@pytest.mark.parametrize("round_id", [r.item.id for r in CATALOG.rounds()])
def test_probes_are_questions_that_presuppose_nothing_and_carry_no_answer(round_id):
    for topic in CATALOG.round(round_id).item.topics:
        for probe in topic.probes:
            ask = probe.ask.strip()
            assert ask.endswith("?"), (topic.id, ask)
            assert "(" not in ask, f"{topic.id}: an answer in parentheses: {ask}"
            assert not ask.lower().startswith(("you said", "since you", "as you said")), ask
            assert len(probe.keywords) >= 2, (topic.id, ask)


def test_every_coding_task_shows_the_signature_its_check_calls():
    for opening in CATALOG.round("coding").item.openings:
        assert opening.check is not None and opening.extension, opening.id
        assert f"def {opening.check.entry_point}(" in opening.prompt, opening.id


def test_a_candidate_led_round_has_one_interviewer_the_opening_casts(isolated):
    from interviewer.interview.conversation import system_prompt
    from interviewer.interview.runner import speaker_for

    reverse = CATALOG.round("reverse").item
    persona = CATALOG.persona("warm-scientist").item
    for opening in reverse.openings:
        speaker = speaker_for(persona, opening)
        assert opening.role is not None and speaker.name == opening.role.name
        prompt = system_prompt(reverse, persona, speaker, Level.senior, None, opening, [], "n")
        assert persona.name not in prompt and "Maya" not in prompt
        for fact in opening.facts:  # hidden facts reach the model only when asked
            assert fact.answer not in prompt
