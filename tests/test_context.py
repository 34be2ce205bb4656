"""The context budget at the wire: a server that reports a small window gets requests that
fit it, the system prompt whole, the candidate told once (nothing here is timed)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import add, transcript
from context_server import Loopback
from interviewer.cli import app
from interviewer.errors import ModelError
from interviewer.formats.transcript import Role
from interviewer.grading import compact
from interviewer.models import ModelSpec, make_model
from interviewer.models.window import OLLAMA_DEFAULT_CONTEXT, Window, discover, request_tokens

LONG_ANSWER = (
    "We started from the business metric and an offline proxy that moves with it, split the "
    "data by time rather than at random, and watched calibration on the cold-start slice. "
) * 12  # about 2,000 characters: a long, real answer
TOLD = "longer than the model's context window"


def practice(base: str, answers: int) -> str:
    script = [LONG_ANSWER, ""] * answers + ["/end", ""]
    result = CliRunner().invoke(
        app,
        ["practice", "ml-system-design", "--model", "loop", "--api-base", base, "--no-score"],
        input="\n".join(script) + "\n",
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_long_interview_is_trimmed_to_a_small_context_and_the_user_told_once():
    server = Loopback(lambda _r: "Thanks. What would you measure next, and why?", n_ctx=8192)
    with server as base:
        output = practice(base, answers=16)
    window = Window(8192, "test")
    systems = {r["messages"][0]["content"] for r in server.requests}
    assert len(systems) == 1  # the system prompt is never cut, byte for byte the same
    assert all(r["messages"][0]["role"] == "system" for r in server.requests)
    assert all(request_tokens(r["messages"]) <= window.budget for r in server.requests)
    trimmed = [r for r in server.requests if "left out here to fit" in json.dumps(r)]
    assert trimmed, "a long interview was never trimmed"
    last = server.requests[-1]["messages"]
    assert LONG_ANSWER.strip() in last[-1]["content"]  # the newest answer is there, whole
    roles = [m["role"] for m in last[1:]]
    assert all(a != b for a, b in itertools.pairwise(roles))  # still alternating
    assert output.count(TOLD) == 1
    # The software's notice, on a line of its own: not after "Maya Lindqvist:", as if the
    # interviewer had said it.
    (told,) = [line for line in output.splitlines() if "The conversation is now" in line]
    assert told.startswith("The conversation is now"), told


def test_a_short_interview_is_sent_whole():
    server = Loopback(lambda _r: "Go on.", n_ctx=32768)
    with server as base:
        output = practice(base, answers=3)
    assert not any("left out here to fit" in json.dumps(r) for r in server.requests)
    assert TOLD not in output


def judged(n_ctx: int, turns: int) -> tuple[str, list[str]]:
    """What the judge is sent for a transcript of ``turns`` long exchanges."""
    t = transcript()
    answers = []
    for n in range(turns):
        add(t, Role.interviewer, f"Question {n}: " + "tell me more about that design. " * 30)
        answer = f"Answer {n}: " + LONG_ANSWER
        answers.append(answer)
        add(t, Role.candidate, answer)
    with Loopback(lambda _r: "{}", n_ctx=n_ctx) as base:
        model = make_model(ModelSpec("loop", api_base=base))
        compacted = compact.for_judge(t, model, "grading prompt " * 200)
    return "\n".join(turn.text for turn in compacted.turns), answers


def test_the_judge_gets_every_answer_whole_and_the_interviewer_shortened():
    text, answers = judged(n_ctx=11000, turns=14)
    assert all(answer in text for answer in answers)
    assert compact.SHORTENED in text


def test_a_transcript_the_judge_cannot_hold_says_how_to_score_it():
    with pytest.raises(ModelError) as caught:
        judged(n_ctx=2048, turns=14)
    assert "--judge-model" in (caught.value.hint or "")


def test_ollama_default_context_is_named_with_its_fix(respx_mock):
    respx_mock.get("http://127.0.0.1:11434/props").respond(404)
    respx_mock.get("http://127.0.0.1:11434/v1/models").respond(json={"data": [{"id": "llama3.1"}]})
    respx_mock.get("http://127.0.0.1:11434/api/version").respond(json={"version": "0.9.0"})
    respx_mock.post("http://127.0.0.1:11434/api/show").respond(
        json={"model_info": {"llama.context_length": 131072}, "parameters": "stop <|eot|>"}
    )
    window = discover(ModelSpec("llama3.1", api_base="http://127.0.0.1:11434/v1"))
    assert window is not None and window.tokens == OLLAMA_DEFAULT_CONTEXT
    assert "OLLAMA_CONTEXT_LENGTH" in (window.warning or "")
    assert "num_ctx" in (window.warning or "")


def test_the_setting_names_the_window_when_nothing_else_does(respx_mock, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_CONTEXT_WINDOW", "6000")
    respx_mock.route().respond(404)
    window = discover(ModelSpec("mystery", api_base="http://127.0.0.1:8000/v1"))
    assert window == Window(6000, "the context_window setting")


def test_hosted_models_take_the_window_from_litellm_map():
    window = discover(ModelSpec("gpt-4o-mini"))
    assert window is not None and window.tokens >= 100_000
    assert window.source == "litellm's model map"


def test_a_judge_reply_cut_at_the_token_cap_is_not_asked_again(tmp_path: Path):
    from interviewer.catalog.library import Catalog
    from interviewer.grading.judge import grade

    t = transcript()
    add(t, Role.interviewer, "Tell me about a launch.")
    add(t, Role.candidate, "I led the rollback.")
    round_ = Catalog(None).round(t.round).item
    server = Loopback(lambda _r: '{"dimensions": [', n_ctx=8192, finish="length")
    with server as base:
        card = grade(make_model(ModelSpec("loop", api_base=base)), round_, t, [])
    assert card.status == "failed" and card.attempts == 1
    assert len(server.requests) == 1
    assert "cut off at its length limit" in (card.failure_reason or "")


def test_doctor_reports_the_window_and_a_paper_that_will_not_fit(tmp_path: Path):
    paper = tmp_path / "paper.md"
    paper.write_text("Our method trains a two-tower retriever. " * 900)  # ~36,000 characters
    with Loopback(lambda _r: '{"ready": true}', n_ctx=8192) as base:
        result = CliRunner().invoke(
            app,
            ["doctor", "--model", "loop", "--api-base", base, "--paper", str(paper)],
            env={"COLUMNS": "200"},
        )
    assert "8,192 tokens (from the server (llama.cpp /props))" in result.output
    assert "paper.md" in result.output and "does not fit" in result.output
    assert "use a model with a larger context" in result.output
