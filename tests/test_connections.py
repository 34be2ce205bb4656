"""One HTTP connection for a whole interview against a custom server (not timed)."""

from __future__ import annotations

from typer.testing import CliRunner

from context_server import Loopback
from interviewer.cli import app

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
