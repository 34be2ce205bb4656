"""An answer is on disk before the next question is requested, though its write runs
beside the making of that request (``interview/answer_write.py``)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from builders import behavioral_interview
from fakes import FakeModel
from interviewer.errors import DiskError, NotFoundError
from interviewer.formats.transcript import Transcript
from interviewer.interview.answer_write import AnswerWrite
from interviewer.interview.runner import Outcome, Runner
from interviewer.models.base import Message, Reply
from interviewer.store.transcripts import Store
from interviewer.terminal.console import Terminal

ANSWERS = [f"Answer {n}: I would check calibration on the slice that matters." for n in range(5)]


class ReadsTheDisk(FakeModel):
    """At every request, notes which answers the transcript on disk holds."""

    def __init__(self, replies: list[str], store: Store) -> None:
        super().__init__(replies)
        self.store = store
        self.transcript_id = ""  # set once the runner has made the session
        self.on_disk: list[list[str]] = []

    def stream(
        self,
        messages: list[Message],
        *,
        temperature: float,
        on_text: Callable[[str], bool | None],
        max_tokens: int | None = None,
    ) -> Reply:
        try:
            saved = self.store.load(self.transcript_id).candidate_turns()
        except NotFoundError:  # the first request: nothing was said, nothing saved yet
            saved = []
        self.on_disk.append([t.text for t in saved])
        return super().stream(messages, temperature=temperature, on_text=on_text)


def test_every_request_finds_the_answers_before_it_on_disk(isolated: Path) -> None:
    lines = [x for answer in ANSWERS for x in (answer, "")] + ["/end"]
    terminal = Terminal(Console(file=io.StringIO()), read_line=lambda _p: lines.pop(0))
    store = Store(isolated / "t")
    model = ReadsTheDisk([f"Question {n}?" for n in range(len(ANSWERS) + 2)], store)
    runner = Runner(behavioral_interview(), model, terminal, store)
    model.transcript_id = runner.transcript.id
    assert runner.run() is Outcome.complete
    # The first request follows no answer; each later one, every answer sent before it.
    assert model.on_disk == [ANSWERS[:n] for n in range(len(ANSWERS) + 1)]


class Disk:
    """A checkpointer's fsynced write, full once ``full`` is set."""

    def __init__(self) -> None:
        self.full = False
        self.written = 0

    def write_now(self, transcript: Transcript) -> None:
        if self.full:
            raise DiskError("could not save the transcript: no space left on device")
        self.written += 1


def test_the_writes_outcome_comes_back_to_the_caller() -> None:
    """What the write's thread raised is raised where the runner waits (which warns and
    rescues), once; with no write in flight, waiting is nothing."""
    disk = Disk()
    write = AnswerWrite(disk)  # type: ignore[arg-type]
    assert write.wait() is None
    transcript = behavioral_interview().transcript
    write.start(transcript)
    assert write.wait() == len(transcript.turns) and disk.written == 1
    disk.full = True
    write.start(transcript)
    with pytest.raises(DiskError, match="no space left"):
        write.wait()
    assert write.wait() is None and disk.written == 1
