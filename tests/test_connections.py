"""One HTTP connection for a whole interview against a custom server (not timed)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from context_server import Loopback
from interviewer.cli import app
from interviewer.errors import ModelError
from interviewer.models import ModelSpec, make_model

PING = [{"role": "user", "content": "Are you ready? Reply in JSON."}]
SCHEMA = {"type": "object", "properties": {"ready": {"type": "boolean"}}, "required": ["ready"]}
ANSWER = "I would split by time, not at random, and watch calibration on the cold-start slice."


def test_a_twenty_turn_interview_opens_one_connection():
    server = Loopback(lambda _request: "Good. What would you measure next?")
    with server as base:
        answers = [ANSWER, ""] * 19 + ["/end", ""]
        result = CliRunner().invoke(
            app,
            ["practice", "ml-system-design", "--model", "loop", "--api-base", base, "--no-score"],
            input="\n".join(answers) + "\n",
        )
    assert result.exit_code == 0, result.output
    assert len(server.requests) >= 20  # the opening, 19 replies, the close
    assert server.connections == 1


def test_a_request_the_server_drops_unanswered_is_sent_once_more_at_once():
    """A kept-alive connection the server closes just as it is reused (llama.cpp's server
    does so at times right after a stream: the doctor's JSON check failed so in CI): the
    request goes again on a new connection, with no wait and no retry notice, even with
    retries off, as the doctor's checks run. A second drop is a real failure, reported
    once."""
    server = Loopback(lambda _request: '{"ready": true}', drops=1)
    waits: list[float] = []
    notices: list[str] = []
    with server as base:
        model = make_model(ModelSpec("loop", api_base=base, max_retries=0), sleep=waits.append)
        model.notify = notices.append
        reply = model.structured(PING, SCHEMA, name="check", temperature=0.0)

        assert json.loads(reply.text) == {"ready": True}
        assert server.dropped == 1 and len(server.requests) == 1
        assert waits == [] and notices == []

        server.drops = -1  # the server now drops everything: no loop of retries
        with pytest.raises(ModelError, match="could not reach"):
            model.stream(PING, temperature=0.0, on_text=lambda _t: None)
    assert server.dropped == 3
