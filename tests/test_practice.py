"""The interview runner with a queue-of-replies fake: nothing the candidate says is lost."""

from __future__ import annotations

import io
import json
import tempfile

from rich.console import Console

from builders import behavioral_interview
from fakes import FakeModel
from interviewer.catalog.library import Catalog
from interviewer.formats.transcript import Status
from interviewer.grading.prompt import transcript_blocks
from interviewer.interview.runner import Outcome, Runner
from interviewer.interview.start import reopen
from interviewer.store.transcripts import Store
from interviewer.terminal.console import Terminal


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


def typed_then_ctrl_c(lines: list[str]) -> Terminal:
    """The plain reader given some lines, then Ctrl-C, as a candidate mid-answer."""
    queue = list(lines)

    def read(_prompt: str) -> str:
        if not queue:
            raise KeyboardInterrupt
        return queue.pop(0)

    return Terminal(Console(file=io.StringIO()), read_line=read)


def shown(terminal: Terminal) -> str:
    return " ".join(terminal.console.file.getvalue().split())  # however rich wrapped it


def test_an_answer_cut_short_by_ctrl_c_is_finished_and_sent_on_resume(isolated):
    """Ctrl-C mid-answer kept the half answer as a sent one: resume asked the next question
    about it, and the judge read it as a whole answer. It is a draft now: off the turns,
    shown back under the last question, and sent only once the candidate finishes it."""
    store = Store(isolated / "t")
    first = Runner(
        interview(),
        FakeModel(["Q1?", "Q2?"]),
        typed_then_ctrl_c(["A sent answer.", "", "Half of my", "second answer"]),
        store,
    )
    assert first.run() is Outcome.interrupted
    saved = store.load(first.transcript.id)
    assert saved.draft == "Half of my\nsecond answer"
    assert [t.text for t in saved.candidate_turns()] == ["A sent answer."]
    assert "Half of my" not in transcript_blocks(saved, "n0nce")  # never the judge's to read

    model = FakeModel(["Q3?"])
    terminal = scripted(["that I finish now.", "", "/pause"])
    resumed = Runner(reopen(Catalog(), saved, lambda _: None), model, terminal, store)
    assert resumed.run() is Outcome.paused
    screen = shown(terminal)
    assert "You (not sent yet): Half of my second answer" in screen
    after = store.load(saved.id)
    assert after.draft is None
    assert [t.text for t in after.candidate_turns()] == [
        "A sent answer.",
        "Half of my\nsecond answer\nthat I finish now.",
    ]
    (request,) = model.calls  # asked once, about the finished answer
    assert "Half of my\nsecond answer\nthat I finish now." in request[-1]["content"]


def test_a_draft_left_alone_stays_a_draft(isolated):
    """Resumed and paused again, or with input ending, without a word added: the draft is
    neither sent nor lost."""
    store = Store(isolated / "t")
    first = Runner(interview(), FakeModel(["Q1?"]), typed_then_ctrl_c(["Half"]), store)
    first.run()
    for lines in (["/pause"], []):
        saved = store.load(first.transcript.id)
        again = Runner(
            reopen(Catalog(), saved, lambda _: None), FakeModel([]), scripted(lines), store
        )
        again.run()
        kept = store.load(first.transcript.id)
        assert kept.draft == "Half" and kept.candidate_turns() == []


def test_resume_recaps_the_last_question_by_name_under_the_scenario(isolated):
    """The recap was printed above the six-line scenario frame, far from the prompt, and
    called the persona "Interviewer"."""
    store = Store(isolated / "t")
    first = Runner(
        interview(), FakeModel(["Q1?", "What was at stake?"]), scripted(["Mine.", ""]), store
    )
    first.run()
    terminal = scripted(["/pause"])
    saved = store.load(first.transcript.id)
    resumed = Runner(reopen(Catalog(), saved, lambda _: None), FakeModel([]), terminal, store)
    resumed.run()
    screen = shown(terminal)
    name = resumed.speaker.name
    assert screen.index(resumed.opening.title) < screen.index("Where you stopped:")
    assert f"Where you stopped: {name}: What was at stake?" in screen
    assert screen.endswith("What was at stake?")  # the last line before the prompt
    assert "Interviewer:" not in screen
