"""Transcripts: atomic saves, migration of old versions, ids by prefix, a self-healing index."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from builders import add, scorecard, transcript
from interviewer.errors import DiskError, FileFormatError, NotFoundError
from interviewer.formats.transcript import CURRENT_TRANSCRIPT_VERSION, Role, Status, Transcript
from interviewer.review.markdown import transcript_markdown
from interviewer.store.transcripts import Store


@pytest.fixture
def store(transcripts_dir):
    return Store(transcripts_dir, render_markdown=transcript_markdown)


def test_save_and_load_roundtrip_with_markdown(store):
    t = transcript()
    add(t, Role.interviewer, "What would you optimise?")
    add(t, Role.candidate, "Repeat purchases.\n\nAnd seller health.")
    path = store.save(t)
    assert store.load("abcd") == t
    md = path.with_suffix(".md").read_text()
    assert "> Repeat purchases." in md and "**Interviewer:**\n\n> What would you optimise?" in md
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_write_keeps_the_previous_file(store, monkeypatch):
    t = transcript()
    add(t, Role.candidate, "first answer")
    path = store.save(t)
    before = path.read_text()
    add(t, Role.candidate, "second answer")

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DiskError) as info:
        store.save(t)
    assert "No space left on device" in str(info.value)
    assert path.read_text() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_prefixes_and_ambiguity(store):
    for tid in ("abc11111", "abc22222", "def33333"):
        store.save(transcript(id=tid))
    assert store.resolve("def") == "def33333"
    with pytest.raises(NotFoundError, match=r"'abc' matches 2 sessions: abc11111, abc22222"):
        store.resolve("abc")
    with pytest.raises(NotFoundError, match="no transcript matches 'zzz'"):
        store.resolve("zzz")


def test_version_1_transcript_is_migrated(store, transcripts_dir):
    current = json.loads(transcript(id="01d00001").model_dump_json())
    old = {k: v for k, v in current.items() if k != "scorecards"}
    old["version"] = 1
    old["scorecard"] = None
    transcripts_dir.mkdir(parents=True, exist_ok=True)
    (transcripts_dir / "01d00001.json").write_text(json.dumps(old))
    loaded = store.load("01d")
    assert loaded.version == CURRENT_TRANSCRIPT_VERSION
    assert loaded.scorecards == [] and loaded.plan == []


def version_3(t: Transcript) -> dict[str, Any]:
    """``t`` as version 3 saved it: no draft; what Ctrl-C cut short was the last answer."""
    data = json.loads(t.model_dump_json())
    del data["draft"]
    data["version"] = 3
    return data


def test_a_version_3_half_typed_answer_loads_as_a_draft_not_an_answer(store, transcripts_dir):
    """Version 3 saved the text Ctrl-C cut short as an answer (without ``kind``: it never
    went through the sent-answer path), and resume sent it half-written. It loads as the
    draft, so resume hands it back to finish instead."""
    t = transcript(id="03d00001", status=Status.interrupted)
    add(t, Role.interviewer, "What would you optimise?")
    add(t, Role.candidate, "Repeat purchases.").kind = "substantive"
    add(t, Role.interviewer, "How would you measure it?")
    add(t, Role.candidate, "Half of my ans")  # cut short by Ctrl-C: no kind
    transcripts_dir.mkdir(parents=True, exist_ok=True)
    (transcripts_dir / "03d00001.json").write_text(json.dumps(version_3(t)))
    loaded = store.load("03d")
    assert loaded.draft == "Half of my ans"
    assert [x.text for x in loaded.candidate_turns()] == ["Repeat purchases."]
    assert loaded.turns[-1].role is Role.interviewer


@pytest.mark.parametrize(
    "status, scored",
    [
        pytest.param(Status.complete, False, id="complete"),
        pytest.param(Status.interrupted, True, id="scored-quotes-it"),
    ],
)
def test_a_version_3_last_answer_stays_an_answer_where_it_was_one(
    store, transcripts_dir, status, scored
):
    t = transcript(id="03d00002", status=status)
    add(t, Role.interviewer, "What would you optimise?")
    add(t, Role.candidate, "Repeat purchases.")
    data = version_3(t)
    if scored:
        data["scorecards"] = [json.loads(scorecard({"x": 3}).model_dump_json())]
    transcripts_dir.mkdir(parents=True, exist_ok=True)
    (transcripts_dir / "03d00002.json").write_text(json.dumps(data))
    loaded = store.load("03d")
    assert loaded.draft is None
    assert [x.text for x in loaded.candidate_turns()] == ["Repeat purchases."]


def test_corrupt_transcript_is_a_clear_error(store, transcripts_dir):
    transcripts_dir.mkdir(parents=True, exist_ok=True)
    (transcripts_dir / "bad00000.json").write_text("{not json")
    with pytest.raises(FileFormatError, match=r"bad00000.json: not a valid transcript"):
        store.load("bad")


def test_summaries_skip_corrupt_files_and_follow_changes(store, transcripts_dir):
    store.save(transcript(id="aaaa0001"))
    (transcripts_dir / "junk0000.json").write_text("[1, 2")
    warnings: list[str] = []
    rows = store.summaries(warnings.append)
    assert [r.id for r in rows] == ["aaaa0001"]
    assert len(warnings) == 1 and "junk0000.json" in warnings[0]
    # A transcript written behind the index's back is picked up, not missed.
    other = transcript(id="bbbb0002")
    (transcripts_dir / "bbbb0002.json").write_text(other.model_dump_json())
    assert {r.id for r in store.summaries(warnings.append)} == {"aaaa0001", "bbbb0002"}


@pytest.fixture
def held(monkeypatch):
    """A gate the checkpoints' background thread waits at before each write (5 s at most),
    so a test can act while checkpoints are queued; set it to let them through."""
    import threading

    from interviewer.store.checkpoints import Checkpointer

    gate = threading.Event()
    write = Checkpointer._write

    def held_in_background(self, *job):
        if threading.current_thread().name == "checkpoints":
            gate.wait(5)
        write(self, *job)

    monkeypatch.setattr(Checkpointer, "_write", held_in_background)
    return gate


def test_an_answer_written_now_is_never_overwritten_by_an_older_queued_checkpoint(store, held):
    """The answer's checkpoint is written at once instead of waiting behind the queue, so
    the queue must drop anything older than what is already on disk."""
    from interviewer.store.checkpoints import Checkpointer

    gate = held
    checkpoints = Checkpointer(store)
    t = transcript()
    add(t, Role.interviewer, "What would you optimise?")
    checkpoints.submit(t)  # the question, queued while the candidate types
    add(t, Role.candidate, "Repeat purchases.")
    checkpoints.write_now(t)  # the answer: on disk before the next request
    assert store.load("abcd").turns[-1].text == "Repeat purchases."
    gate.set()
    checkpoints.flush()
    checkpoints.close()
    assert [turn.text for turn in store.load("abcd").turns][-1] == "Repeat purchases."


def test_an_answer_does_not_wait_for_the_fsync_of_a_checkpoint_in_progress(store, monkeypatch):
    """One fsync on these machines' disks took anywhere from 0.2 to 8 ms: the answer is
    written and fsynced by the caller while the question's fsync is still under way on
    the background thread, and the question, older, is then dropped, not put back."""
    import os
    import threading

    from interviewer.store.checkpoints import Checkpointer

    in_fsync, gate, left = threading.Event(), threading.Event(), threading.Event()
    synced: list[str] = []
    fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        here = threading.current_thread().name
        synced.append(here)
        if here == "checkpoints" and not gate.is_set():
            in_fsync.set()
            gate.wait(5)
            left.set()
        fsync(fd)

    monkeypatch.setattr(os, "fsync", slow_fsync)
    checkpoints = Checkpointer(store)
    t = transcript()
    add(t, Role.interviewer, "What would you optimise?")
    checkpoints.submit(t)
    assert in_fsync.wait(5)  # the question's fsync is under way, and held there
    add(t, Role.candidate, "Repeat purchases.")
    checkpoints.write_now(t)

    assert not left.is_set()  # the question's fsync is still held: the answer did not wait
    assert synced == ["checkpoints", threading.current_thread().name]  # fsynced, not queued
    assert store.load("abcd").turns[-1].text == "Repeat purchases."
    gate.set()
    checkpoints.flush()
    assert store.load("abcd").turns[-1].text == "Repeat purchases."  # not put back
    checkpoints.close()


def test_a_queued_checkpoint_holds_the_turns_of_its_moment(store, held):
    """The background thread turns a checkpoint into JSON later, off the turn's wait; a turn
    recorded meanwhile must not slip into it (it is the next checkpoint's to write)."""
    from interviewer.store.checkpoints import Checkpointer

    gate = held
    checkpoints = Checkpointer(store)
    t = transcript()
    add(t, Role.interviewer, "What would you optimise?")
    checkpoints.submit(t)
    add(t, Role.candidate, "Repeat purchases.")  # recorded, not yet checkpointed
    gate.set()
    checkpoints.flush()
    checkpoints.close()
    assert [turn.text for turn in store.load("abcd").turns][-1] == "What would you optimise?"


def test_a_failure_on_the_checkpoint_thread_is_raised_to_the_caller_not_lost(store, monkeypatch):
    """The background thread turns checkpoints into JSON and writes them; whatever fails
    there must reach the interview at its next save, and never end the thread (a dead
    thread would leave every later flush() waiting for ever)."""
    import threading

    from interviewer.store.checkpoints import Checkpointer

    def broken(self, *job):
        raise RuntimeError("the snapshot could not be written")

    monkeypatch.setattr(Checkpointer, "_write", broken)
    checkpoints = Checkpointer(store)
    t = transcript()
    add(t, Role.interviewer, "What would you optimise?")
    checkpoints.submit(t)
    raised: list[BaseException] = []

    def flush() -> None:
        try:
            checkpoints.flush()
        except RuntimeError as exc:
            raised.append(exc)

    waiter = threading.Thread(target=flush, daemon=True)
    waiter.start()
    waiter.join(5)
    assert not waiter.is_alive() and "could not be written" in str(raised[0])
    checkpoints.submit(t)  # the thread lives on: a later checkpoint is taken as well
    waiter = threading.Thread(target=flush, daemon=True)
    waiter.start()
    waiter.join(5)
    assert not waiter.is_alive() and len(raised) == 2

    checkpoints.submit(t)
    checkpoints._queue.join()  # it failed on the thread, and is waiting to be raised
    monkeypatch.undo()
    checkpoints.write_now(t)  # an answer written meanwhile does not hide a bug
    with pytest.raises(RuntimeError, match="could not be written"):
        checkpoints.flush()
    checkpoints.close()


def test_a_big_transcript_reads_as_a_small_one_does(tmp_path, monkeypatch):
    """A big file dense with escapes is read by pydantic-core's JSON reader; what it
    refuses (a lone surrogate escaped by another tool, a file cut short) is read by
    ``json``, so it gives the same session, or the same error, as any other file."""
    from interviewer.store import transcript_file

    t = transcript(id="b1900001")
    add(t, Role.interviewer, "Paste the log.")
    add(t, Role.candidate, "ok\n" * 1000 + '\\ud800 then é and \\\\ and "quoted"')
    text = t.model_dump_json()
    path = tmp_path / "b1900001.json"
    assert text.count("\\n") == 1000
    for big in (2048, len(text) + 1):  # pydantic-core's reader, then json's
        monkeypatch.setattr(transcript_file, "BIG", big)
        assert transcript_file.parse(path, text) == t
        lone = transcript_file.parse(path, text.replace("\\\\ud800", "\\ud800", 1))
        assert lone.turns[1].text.startswith("ok\n" * 1000 + "\ufffd then é")
        with pytest.raises(
            FileFormatError, match=r"not a valid transcript \(JSON error at line 1\)"
        ):
            transcript_file.parse(path, text[:-40])
