"""The CLI in a real pseudo-terminal against a loopback server: nothing typed is lost.

Each test starts ``python -m interviewer practice`` on a pty (so the line editor, echo
control and terminal signals are the real ones) against ``loopback.Loopback`` on
127.0.0.1, types as a candidate would, then stops it the hard way and reads the
transcript the process left on disk.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loopback import Loopback
from pty_cli import SEND, Child

pytestmark = pytest.mark.skipif(not hasattr(os, "forkpty"), reason="needs a pseudo-terminal")


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback(pause_s=0.02)
    loopback.start()
    yield loopback
    loopback.stop()


@pytest.fixture
def start(server: Loopback, isolated: Path) -> Iterator[Any]:
    children: list[Child] = []

    def spawn(*extra: str, command: str = "practice") -> Child:
        args = [command, *extra]
        if command == "practice":
            args = [command, "behavioral", "--model", "stub", "--api-base", server.base]
            args += ["--no-score", *extra]
        child = Child(args, dict(os.environ))
        children.append(child)
        return child

    yield spawn
    for child in children:
        child.close()


def saved(isolated: Path) -> dict[str, Any]:
    """The one session, as every command reads it: its file with its journal's turns (a
    session killed before it was saved whole keeps its newest turns there)."""
    from interviewer.store.transcripts import Store

    folder = isolated / "transcripts"
    (path,) = [p for p in folder.glob("*.json") if p.name != "index.json"]
    return Store(folder).read(path.stem).model_dump(mode="json")


def asked_with(server: Loopback, text: str) -> bool:
    """Whether the server has been asked for a reply with ``text`` in the conversation."""
    return any(text in json.dumps(body) for body in server.streamed())


def answers(isolated: Path) -> list[str]:
    return [t["text"] for t in saved(isolated)["turns"] if t["role"] == "candidate"]


def test_an_answer_is_on_disk_before_the_next_question_is_asked(
    start: Any, server: Loopback, isolated: Path
) -> None:
    """SIGKILL after Enter: whenever the server has been asked the next question (with the
    answer in it), the answer is already in the session on disk, as every command reads it. The first kill comes
    the moment the server is asked, the last moment the answer could still be only in
    memory; the others at random moments, before or after it."""
    rng = random.Random(10)
    checked = 0
    for trial in range(4):
        for path in (isolated / "transcripts").glob("*"):
            path.unlink()
        server.bodies.clear()
        child = start()
        child.wait_for("You ›")
        answer = f"Answer {trial}: I measured calibration before accuracy."

        def asked(answer: str = answer) -> bool:
            return any(answer in json.dumps(body) for body in server.streamed())

        child.send(answer.encode() + SEND)
        if trial == 0:
            child.pump_until(asked)
        else:
            time.sleep(rng.uniform(0.0, 0.4))  # a random moment, not a wait for an event
        was_asked = asked()
        child.kill(signal.SIGKILL)
        child.wait()
        if was_asked:
            assert answer in answers(isolated)
            checked += 1
    assert checked, "the server was never asked before the kill: nothing was checked"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_save_like_ctrl_c(
    start: Any, isolated: Path, sig: signal.Signals
) -> None:
    child = start()
    child.wait_for("You ›")
    child.send(b"First answer, sent." + SEND)
    child.wait_for("You ›", count=2)
    child.send(b"Half of my second ans")  # typed, not sent
    child.wait_for("my second ans")  # echoed: the line editor holds it
    child.kill(sig)
    code = child.wait()
    assert code == 130, child.text
    t = saved(isolated)
    assert t["status"] == "interrupted"
    assert answers(isolated) == ["First answer, sent."]
    assert t["draft"] == "Half of my second ans"  # kept, unsent


def test_ctrl_c_keeps_a_half_typed_multi_line_answer(start: Any, isolated: Path) -> None:
    child = start()
    child.wait_for("You ›")
    child.send(b"Line one of my answer\rline two, still typing")
    child.wait_for("still typing")  # echoed: the line editor holds both lines
    child.send(b"\x03")
    assert child.wait() == 130
    assert saved(isolated)["draft"] == "Line one of my answer\nline two, still typing"
    assert answers(isolated) == []  # not sent: no model or judge reads it as an answer
    assert saved(isolated)["status"] == "interrupted"


def test_any_bytes_and_any_length_in_the_line_editor(start: Any, isolated: Path) -> None:
    long = "x" * 9000
    child = start()
    child.wait_for("You ›")
    child.send(b"caf\xe9 au lait\r" + b"\x1b[200~" + long.encode() + b"\x1b[201~" + SEND)
    child.wait_for("You ›", count=2)
    child.send(b"/pause\r")
    assert child.wait() == 0, child.text
    (answer,) = answers(isolated)
    assert answer.startswith("caf\ufffd au lait\n")
    assert answer.endswith(long) and len(answer) == len("caf au lait\n") + 1 + 9000


def test_keys_typed_while_the_interviewer_speaks_are_not_echoed_into_it(
    start: Any, server: Loopback, isolated: Path
) -> None:
    server.pause_s = 0.2  # a slow stream, long enough to type into
    child = start()
    child.wait_for("Lindqvist: Tell me")
    child.send(b"zqzq")
    child.wait_for("You ›")
    spoken = child.text.split("You ›")[0]
    assert "zqzq" not in spoken
    child.send(b" my answer" + SEND)
    child.wait_for("You ›", count=2)
    child.send(b"/pause\r")
    child.wait()
    assert answers(isolated) == ["zqzq my answer"]


def test_a_session_open_in_one_terminal_is_refused_in_another(
    start: Any, server: Loopback, isolated: Path
) -> None:
    first = start()
    first.wait_for("You ›")
    first.send(b"An answer." + SEND)
    # Not the prompt's second showing: the sent line is shown again with it at once, before
    # the answer is saved. Once the server is asked with it, it is on disk.
    first.pump_until(lambda: asked_with(server, "An answer."))
    session = saved(isolated)["id"]
    second = start(session, "--model", "stub", "--api-base", server.base, command="resume")
    assert second.wait() == 2
    assert "open in another terminal" in second.text and "--force" in second.text
    first.kill(signal.SIGKILL)  # dies holding the lock: a stale lock is taken over
    first.wait()
    third = start(session, "--model", "stub", "--api-base", server.base, command="resume")
    third.wait_for("Where you stopped")
    third.wait_for("You ›")
    third.send(b"/pause\r")
    assert third.wait() == 0, third.text


def test_a_half_typed_answer_comes_back_in_the_editor_on_resume(
    start: Any, server: Loopback, isolated: Path
) -> None:
    """Resume used to send it as it stood: now it is in the editor again, to finish."""
    child = start()
    child.wait_for("You ›")
    child.send(b"Half of my ans")
    child.wait_for("my ans")
    child.send(b"\x03")
    assert child.wait() == 130
    session = saved(isolated)["id"]
    asked = len(server.streamed())
    again = start(session, "--model", "stub", "--api-base", server.base, command="resume")
    again.wait_for("was not sent")
    again.wait_for("Half of my ans")  # in the editor, the cursor after it
    again.send(b"wer." + SEND)
    again.wait_for("You ›", count=2)
    again.send(b"/pause\r")
    assert again.wait() == 0, again.text
    assert answers(isolated) == ["Half of my answer."]
    assert saved(isolated)["draft"] is None
    (request,) = server.streamed()[asked:]
    assert "Half of my answer." in json.dumps(request)
