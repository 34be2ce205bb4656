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
