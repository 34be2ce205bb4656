"""Typing at the voice prompt in a real pseudo-terminal: the typed answer and ``/end`` count.

The voice prompt is read as a plain line, while on a terminal an answer is written in the
line editor: a typed line once went to a reader the line editor never asks, so an empty
editor opened and an empty answer was saved. Here the CLI runs on a pty (the real line
editor) with ``--voice`` against the loopback server; nothing is recorded, so no sound
device is needed, only PortAudio to open the voice.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopback import Loopback
from pty_cli import SEND, Child
from voicekit import needs_audio

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "forkpty"), reason="needs a pseudo-terminal"),
    needs_audio,
]
VOICE_PROMPT = "You (Enter to speak, or type) ›"


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback(pause_s=0.0)
    loopback.start()
    yield loopback
    loopback.stop()


@pytest.fixture
def child(server: Loopback, isolated: Path) -> Iterator[Child]:
    args = ["practice", "behavioral", "--model", "stub", "--api-base", server.base, "--no-score"]
    args += ["--voice", "--tts-model", "none", "--stt-model", "whisper"]
    args += ["--stt-api-base", server.base]
    process = Child(args, dict(os.environ))
    yield process
    process.close()


def saved_turns(isolated: Path) -> list[dict[str, object]]:
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    return list(json.loads(path.read_text())["turns"])


def test_a_typed_answer_and_end_at_the_voice_prompt_are_kept(child: Child, isolated: Path) -> None:
    child.wait_for(VOICE_PROMPT)
    child.send(b"I typed my answer at the voice prompt.\r")
    child.wait_for("You › I typed my answer")  # in the line editor, to go on with or send
    child.send(b" Then one more sentence." + SEND)
    child.wait_for(VOICE_PROMPT, count=2)
    child.send(b"/end\r")
    assert child.wait() == 0, child.text
    answers = [t["text"] for t in saved_turns(isolated) if t["role"] == "candidate"]
    assert answers == ["I typed my answer at the voice prompt. Then one more sentence."]


def test_end_typed_before_any_answer_ends_the_interview(child: Child, isolated: Path) -> None:
    child.wait_for(VOICE_PROMPT)
    child.send(b"/end\r")
    assert child.wait() == 0, child.text
    assert [t for t in saved_turns(isolated) if t["role"] == "candidate"] == []
