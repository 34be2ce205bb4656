"""Each turn is kept in ``<id>.journal`` before anything else can fail, and every command
reads a session with its journal's turns: a process killed before its checkpoint landed
loses nothing, and no command shows less than the candidate said."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from builders import add, behavioral_interview, transcript
from fakes import FakeModel
from interviewer.errors import SessionTakenOverError
from interviewer.formats.transcript import Role, Transcript, Usage
from interviewer.interview.runner import Outcome, Runner
from interviewer.store import index
from interviewer.store.checkpoints import Checkpointer
from interviewer.store.journal import append, line_for
from interviewer.store.transcripts import Store
from interviewer.terminal.console import Terminal


@pytest.fixture
def store(transcripts_dir: Path) -> Store:
    return Store(transcripts_dir)


@pytest.fixture
def killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The background checkpoint never lands, as when the process is killed just after
    the journal line: what a reader finds is only what ``keep`` wrote before returning."""
    monkeypatch.setattr(Checkpointer, "submit", lambda self, transcript: None)


def scripted(lines: list[str]) -> Terminal:
    answers = iter(lines)
    return Terminal(Console(file=io.StringIO()), read_line=lambda _prompt: next(answers))


def texts(t: Transcript) -> list[str]:
    return [turn.text for turn in t.turns]


def test_an_answer_is_in_the_session_before_the_next_question_is_asked(
    store: Store, killed: None
) -> None:
    """Whatever kills the process once the server has been asked: the model reads the
    session from disk as any command would, at the moment it is asked, and the answer
    it is asked about is there, though no checkpoint ever landed."""
    seen: list[list[str]] = []

    class Reading(FakeModel):
        def stream(self, messages, **kwargs):  # type: ignore[no-untyped-def]
            if store.folder.is_dir() and any(store.folder.glob("*.journal")):
                seen.append(texts(Store(store.folder).read(runner.transcript.id)))
            return super().stream(messages, **kwargs)

    terminal = scripted(["I would start from the business metric.", "", "/pause"])
    runner = Runner(behavioral_interview(), Reading(["Q1?", "Q2?"]), terminal, store)
    assert runner.run() is Outcome.paused
    assert seen and seen[-1][-1] == "I would start from the business metric."
    assert not store.journal_path(runner.transcript.id).exists()  # saved whole at the pause


def test_a_killed_session_reads_whole_everywhere(store: Store, killed: None) -> None:
    """``show``, ``resume``, ``score`` and ``list`` all see the turns only the journal
    holds, with the fields recorded beside them."""
    checkpoints = Checkpointer(store)
    t = transcript()
    add(t, Role.interviewer, "What would you optimise?")
    with store.lock(t.id):
        store.save(t)  # the session as its last checkpoint left it
        add(t, Role.candidate, "Repeat purchases.")
        t.usage, t.probed, t.draft = Usage(prompt_tokens=7), ["metrics"], None
        checkpoints.keep(t)
        add(t, Role.interviewer, "And how would you measure it offline?")
        checkpoints.keep(t)
    checkpoints.close()
    on_disk = json.loads(store.path(t.id).read_text())
    assert len(on_disk["turns"]) == 1  # no checkpoint landed after the first
    again = Store(store.folder)
    assert texts(again.read(t.id)) == texts(t)
    assert texts(again.load_to_show(t.id, store.folder / "verified")) == texts(t)
    assert again.read(t.id).usage.prompt_tokens == 7 and again.read(t.id).probed == ["metrics"]
    (row,) = again.summaries(warn=pytest.fail)
    assert row.duration_s == pytest.approx(3 * 60)  # three turns of a minute each


def test_list_reads_a_journal_again_only_when_it_changed(
    store: Store, killed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session killed and never resumed keeps its journal: ``list`` must not parse it
    on every run, nor miss a line added since it did."""
    checkpoints = Checkpointer(store)
    t = transcript()
    add(t, Role.interviewer, "What would you optimise?")
    store.save(t)
    add(t, Role.candidate, "Repeat purchases.")
    checkpoints.keep(t)
    reread = index._reread
    calls: list[Path] = []
    monkeypatch.setattr(index, "_reread", lambda path, *a: calls.append(path) or reread(path, *a))
    first = index.summaries(store.folder, pytest.fail)
    assert index.summaries(store.folder, pytest.fail) == first
    assert len(calls) == 1
    add(t, Role.interviewer, "How would you measure it?")
    checkpoints.keep(t)
    (row,) = index.summaries(store.folder, pytest.fail)
    assert len(calls) == 2 and row.duration_s == pytest.approx(3 * 60)
    checkpoints.close()


def test_a_line_cut_short_is_passed_over_and_no_turn_comes_twice(store: Store) -> None:
    """A kill in the middle of a line leaves it cut; a resumed session appends after it.
    Lines whose turns the transcript already holds are not added again."""
    t = transcript()
    add(t, Role.interviewer, "Q1?")
    store.save(t)
    path = store.journal_path(t.id)
    append(path, line_for(t))  # already in the file
    add(t, Role.candidate, "A1, said before the kill.")
    whole = line_for(t)
    append(path, whole[: len(whole) // 2])  # the kill came mid-line: this answer is lost
    t.turns.pop()
    add(t, Role.candidate, "A1, said again after resume.")
    append(path, line_for(t))
    add(t, Role.interviewer, "Q2?")
    append(path, line_for(t))
    read = Store(store.folder).read(t.id)
    assert texts(read) == ["Q1?", "A1, said again after resume.", "Q2?"]


def test_a_journal_is_gone_once_the_session_is_saved_whole_or_deleted(store: Store) -> None:
    t = transcript()
    add(t, Role.interviewer, "Q1?")
    store.save(t)
    add(t, Role.candidate, "A1.")
    checkpoints = Checkpointer(store)
    checkpoints.keep(t)
    checkpoints.flush()
    checkpoints.close()
    assert store.journal_path(t.id).exists()
    store.save(t)
    assert not store.journal_path(t.id).exists()
    append(store.journal_path(t.id), line_for(t))
    store.delete(t.id)
    assert not store.journal_path(t.id).exists()


def test_a_terminal_taken_over_adds_nothing_to_the_journal(store: Store) -> None:
    """The journal is written under the lock's proof of ownership, like every transcript
    write: after ``resume --force`` elsewhere, an answer here is refused, not journaled
    where the new owner would read it as its own."""
    first, second = store, Store(store.folder)
    t = transcript()
    add(t, Role.interviewer, "Q1?")
    with first.lock(t.id):
        first.save(t)
        with second.lock(t.id, force=True):
            checkpoints = Checkpointer(first)
            add(t, Role.candidate, "Said in the first, after the takeover.")
            with pytest.raises(SessionTakenOverError):
                checkpoints.keep(t)
            checkpoints.close()
            assert texts(second.read(t.id)) == ["Q1?"]
            assert not first.journal_path(t.id).exists()


def test_a_journal_that_cannot_be_written_saves_the_transcript_at_once(store: Store) -> None:
    """Something stands where the journal goes: the answer is written whole, fsynced,
    before ``keep`` returns, as it was before there was a journal."""
    t = transcript()
    add(t, Role.interviewer, "Q1?")
    store.journal_path(t.id).mkdir(parents=True)
    checkpoints = Checkpointer(store)
    add(t, Role.candidate, "Kept all the same.")
    checkpoints.keep(t)
    assert texts(Store(store.folder).read(t.id)) == ["Q1?", "Kept all the same."]
    checkpoints.close()


@pytest.mark.parametrize(
    "odd", ["half a pair \ud83d here", "nul \x00 and escape \x1b[2J", "line\r\nbreaks\u2028"]
)
def test_odd_text_is_journaled_and_read_back(store: Store, killed: None, odd: str) -> None:
    """A lone surrogate cannot be written as UTF-8: the line keeps U+FFFD in its place, as
    the transcript does, rather than losing the answer."""
    t = transcript()
    add(t, Role.interviewer, "Q1?")
    store.save(t)
    add(t, Role.candidate, odd)
    checkpoints = Checkpointer(store)
    checkpoints.keep(t)
    checkpoints.close()
    got = Store(store.folder).read(t.id).turns[-1].text
    assert got == odd.replace("\ud83d", "\ufffd")
