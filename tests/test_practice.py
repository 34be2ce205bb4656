"""The interview runner with a queue-of-replies fake: nothing the candidate says is lost."""

from __future__ import annotations

import io
import json
import tempfile

from rich.console import Console

from builders import behavioral_interview
from fakes import FakeModel
from interviewer.formats import Status
from interviewer.practice import Outcome, Runner
from interviewer.terminal import Terminal
from interviewer.transcripts import Store


def scripted(lines: list[str]) -> Terminal:
    queue = list(lines)

    def read(_prompt: str) -> str:
        if not queue:
            raise EOFError
        return queue.pop(0)

    return Terminal(Console(file=io.StringIO()), read_line=read)


def interview():
    return behavioral_interview()


def test_an_unwritable_folder_never_loses_an_answer(isolated, monkeypatch):
    """A real fault at the disk boundary: the transcripts folder cannot be created because
    a file stands where it should be. The answers go to the rescue copy, with one warning."""
    (isolated / "blocker").write_text("not a folder")
    monkeypatch.setattr(tempfile, "tempdir", str(isolated / "rescue"))
    (isolated / "rescue").mkdir()
    terminal = scripted(["My first answer.", "", "My second answer.", "", "/pause"])
    store = Store(isolated / "blocker" / "t")
    runner = Runner(interview(), FakeModel(["Q1?", "Q2?", "Q3?"]), terminal, store)
    assert runner.run() is Outcome.paused
    shown = " ".join(terminal.console.file.getvalue().split())  # however rich wrapped it
    assert shown.count("could not save the transcript") == 1  # warned once, not every turn
    assert "[yellow]" not in shown  # a warning is styled, never shown as markup
    (rescued,) = (isolated / "rescue").glob("interviewer-rescue-*/*.json")
    assert f"savedat{rescued}" in shown.replace(" ", "")  # where the transcript really is
    assert store.load(runner.transcript.id).candidate_turns()[-1].text == "My second answer."
    saved = json.loads(rescued.read_text())
    assert [t["text"] for t in saved["turns"] if t["role"] == "candidate"] == [
        "My first answer.",
        "My second answer.",
    ]
    assert saved["status"] == Status.interrupted.value


def test_end_of_input_saves_as_interrupted(isolated):
    store = Store(isolated / "t")
    runner = Runner(interview(), FakeModel(["Q1?"]), scripted(["half an answer"]), store)
    # Input ends mid-answer: what was typed is kept, and the session stops there.
    assert runner.run() is Outcome.interrupted
    saved = store.load(runner.transcript.id)
    assert saved.status is Status.interrupted
    assert saved.candidate_turns()[-1].text == "half an answer"


def test_the_interviewer_is_never_asked_twice_for_one_turn(isolated):
    model = FakeModel(["Q1?", "Q2?"])
    runner = Runner(
        interview(),
        model,
        scripted(["/time", "/help", "An answer.", "", "/pause"]),
        Store(isolated / "t"),
    )
    runner.run()
    assert len(model.calls) == 2  # local commands never reach the model
