"""Each turn is kept in ``<id>.journal`` before anything else can fail, synced on a thread
of its own, and every command reads a session with its journal's turns: a process killed
mid-session loses nothing, and no command shows less than the candidate said."""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

import pytest
from rich.console import Console

from builders import add, behavioral_interview, transcript
from fakes import FakeModel
from interviewer.errors import DiskError, SessionTakenOverError
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


def scripted(lines: list[str]) -> Terminal:
    answers = iter(lines)
    return Terminal(Console(file=io.StringIO()), read_line=lambda _prompt: next(answers))


def texts(t: Transcript) -> list[str]:
    return [turn.text for turn in t.turns]


def started(store: Store, t: Transcript) -> Checkpointer:
    """A session's checkpointer once its first turn is kept (written whole, at once)."""
    checkpoints = Checkpointer(store)
    add(t, Role.interviewer, "What would you optimise?")
    checkpoints.keep(t)
    return checkpoints


def on_disk(store: Store, t: Transcript) -> list[str]:
    """The turns in the transcript file alone, as a tool reading only it would see."""
    return [turn["text"] for turn in json.loads(store.path(t.id).read_text())["turns"]]


def test_an_answer_is_in_the_session_before_the_next_question_is_asked(store: Store) -> None:
    """Whatever kills the process once the server has been asked: the model reads the
    session from disk as any command would, at the moment it is asked, and the answer
    it is asked about is there (the file alone holds only the first question)."""
    seen: list[list[str]] = []

    class Reading(FakeModel):
        def stream(self, messages, **kwargs):  # type: ignore[no-untyped-def]
            if store.path(runner.transcript.id).exists():
                seen.append(texts(Store(store.folder).read(runner.transcript.id)))
            return super().stream(messages, **kwargs)

    answer = "I would start from the business metric."
    runner = Runner(
        behavioral_interview(), Reading(["Q1?", "Q2?"]), scripted([answer, "", "/pause"]), store
    )
    assert runner.run() is Outcome.paused
    assert seen == [["Q1?", answer]]
    assert not store.journal_path(runner.transcript.id).exists()  # saved whole at the pause
    assert texts(store.read(runner.transcript.id)) == ["Q1?", answer, "Q2?"]


def test_a_killed_session_reads_whole_everywhere(store: Store) -> None:
    """``show``, ``resume``, ``score`` and ``list`` all see the turns only the journal
    holds, with the fields recorded beside them."""
    t = transcript()
    with store.lock(t.id):
        checkpoints = started(store, t)
        add(t, Role.candidate, "Repeat purchases.")
        t.usage, t.probed, t.draft = Usage(prompt_tokens=7), ["metrics"], None
        checkpoints.keep(t)
        add(t, Role.interviewer, "And how would you measure it offline?")
        checkpoints.keep(t)
        checkpoints.flush()
    checkpoints.close()  # and never saved whole: killed
    assert on_disk(store, t) == ["What would you optimise?"]
    again = Store(store.folder)
    assert texts(again.read(t.id)) == texts(t)
    assert texts(again.load_to_show(t.id, store.folder / "verified")) == texts(t)
    assert again.read(t.id).usage.prompt_tokens == 7 and again.read(t.id).probed == ["metrics"]
    (row,) = again.summaries(warn=pytest.fail)
    assert row.duration_s == pytest.approx(3 * 60)  # three turns of a minute each


def test_list_reads_a_journal_again_only_when_it_changed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session killed and never resumed keeps its journal: ``list`` must not parse it
    on every run, nor miss a line added since it did."""
    t = transcript()
    checkpoints = started(store, t)
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


def test_only_the_first_turn_and_the_end_write_the_transcript_whole(store: Store) -> None:
    """What the session's start changed reaches the file at its first turn; later turns
    go to the journal alone, and the save at the end holds them all and removes it."""
    t = transcript()
    checkpoints = started(store, t)
    assert on_disk(store, t) == ["What would you optimise?"]
    add(t, Role.candidate, "A1.")
    checkpoints.keep(t)
    checkpoints.flush()
    checkpoints.close()
    assert on_disk(store, t) == ["What would you optimise?"]
    assert store.journal_path(t.id).exists()
    store.save(t)
    assert on_disk(store, t) == texts(t) and not store.journal_path(t.id).exists()
    append(store.journal_path(t.id), line_for(t))
    store.delete(t.id)
    assert not store.journal_path(t.id).exists()


def test_a_terminal_taken_over_adds_nothing_to_the_journal(store: Store) -> None:
    """The journal is written under the lock's proof of ownership, like every transcript
    write: after ``resume --force`` elsewhere, an answer here is refused, not journaled
    where the new owner would read it as its own."""
    first, second = store, Store(store.folder)
    t = transcript()
    with first.lock(t.id):
        checkpoints = started(first, t)
        with second.lock(t.id, force=True):
            add(t, Role.candidate, "Said in the first, after the takeover.")
            with pytest.raises(SessionTakenOverError):
                checkpoints.keep(t)
            checkpoints.close()
            assert texts(second.read(t.id)) == ["What would you optimise?"]
            assert not first.journal_path(t.id).exists()


def test_a_journal_that_cannot_be_written_saves_the_transcript_at_once(store: Store) -> None:
    """Something stands where the journal goes: the answer is written whole, fsynced,
    before ``keep`` returns, as it was before there was a journal."""
    t = transcript()
    checkpoints = started(store, t)
    store.journal_path(t.id).mkdir()
    add(t, Role.candidate, "Kept all the same.")
    checkpoints.keep(t)
    assert on_disk(store, t) == ["What would you optimise?", "Kept all the same."]
    checkpoints.close()


def test_an_answer_never_waits_for_a_sync_in_progress(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One fsync on these machines' disks took from 0.2 to 8 ms: the question's line is
    being synced on the checkpoint thread, held there, and the answer is kept all the
    same, then synced in its turn."""
    in_sync, gate = threading.Event(), threading.Event()
    synced: list[str] = []
    real = os.fdatasync

    def slow(fd: int) -> None:
        synced.append(threading.current_thread().name)
        if not gate.is_set():
            in_sync.set()
            gate.wait(5)
        real(fd)

    monkeypatch.setattr(os, "fdatasync", slow)
    t = transcript()
    checkpoints = started(store, t)
    add(t, Role.candidate, "A1.")
    checkpoints.keep(t)
    assert in_sync.wait(5)  # the sync is under way, and held there
    add(t, Role.interviewer, "Q2?")
    checkpoints.keep(t)  # returns while the sync is still held
    assert texts(Store(store.folder).read(t.id))[-2:] == ["A1.", "Q2?"]
    gate.set()
    checkpoints.flush()
    checkpoints.close()
    assert synced == ["checkpoints", "checkpoints"]  # never on the interview's thread


def test_a_failed_sync_is_raised_at_the_next_turn_and_the_thread_lives_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk refuses the sync (an NFS server out of room reports it there): the next
    ``keep`` raises it as a DiskError, after its own line is kept, and the thread takes
    the next sync. A whole transcript written since makes a failed sync moot."""

    def refused(fd: int) -> None:
        raise OSError(28, "No space left on device")

    t = transcript()
    checkpoints = started(store, t)
    monkeypatch.setattr(os, "fdatasync", refused)
    add(t, Role.candidate, "A1.")
    checkpoints.keep(t)
    checkpoints._queue.join()  # its sync has failed on the thread
    add(t, Role.interviewer, "Q2?")
    with pytest.raises(DiskError, match="No space left"):
        checkpoints.keep(t)
    assert texts(Store(store.folder).read(t.id))[-1] == "Q2?"  # kept before it was raised
    add(t, Role.candidate, "A2.")
    checkpoints.keep(t)
    checkpoints._queue.join()  # it failed on the thread, and waits to be raised
    checkpoints.write_now(t)
    checkpoints.flush()  # the file holds every turn: nothing left to report
    checkpoints.close()


@pytest.mark.parametrize(
    "odd", ["half a pair \ud83d here", "nul \x00 and escape \x1b[2J", "line\r\nbreaks\u2028"]
)
def test_odd_text_is_journaled_and_read_back(store: Store, odd: str) -> None:
    """A lone surrogate cannot be written as UTF-8: the line keeps U+FFFD in its place, as
    the transcript does, rather than losing the answer."""
    t = transcript()
    checkpoints = started(store, t)
    add(t, Role.candidate, odd)
    checkpoints.keep(t)
    checkpoints.close()
    assert on_disk(store, t) == ["What would you optimise?"]
    got = Store(store.folder).read(t.id).turns[-1].text
    assert got == odd.replace("\ud83d", "\ufffd")


def test_a_new_journal_s_name_is_synced_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A power cut must not take the journal's folder entry with it: the folder is
    fsynced after the journal's first sync, and only then."""
    import stat

    folders: list[int] = []
    real = os.fsync

    def noting(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            folders.append(os.fstat(fd).st_ino)
        real(fd)

    t = transcript()
    checkpoints = started(store, t)  # written whole: its own fsync, not the journal's
    monkeypatch.setattr(os, "fsync", noting)
    for text in ("A1.", "Q2?", "A2."):
        add(t, Role.candidate, text)
        checkpoints.keep(t)
    checkpoints.flush()
    checkpoints.close()
    assert folders == [store.folder.stat().st_ino]
