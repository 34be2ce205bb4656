"""``progress`` reads the index once for its scores and its delivery trend: the same
sessions as reading it once for each."""

from __future__ import annotations

from pathlib import Path

from interviewer.store import index
from interviewer.store.transcripts import Store
from test_voice_report import FIRST, SECOND, session


def test_one_reading_gives_the_scored_and_the_spoken_sessions(transcripts_dir: Path):
    store = Store(transcripts_dir)
    store.save(session("s1", 1, FIRST))  # spoken and scored
    store.save(session("s2", 2, SECOND, scored=False))  # spoken, never scored
    store.save(session("s3", 3))  # typed and scored
    store.save(session("s4", 4, scored=False))  # typed, never scored
    warnings: list[str] = []
    scored, spoken = index.scored_and_spoken(transcripts_dir, warnings.append)
    assert [row.id for row, _ in scored] == [
        row.id for row, _ in index.scored(transcripts_dir, warnings.append)
    ]
    assert [row.id for row, _ in scored] == ["s3", "s1"]
    assert spoken == index.spoken(transcripts_dir, warnings.append)
    assert sorted(row.id for row, _ in spoken) == ["s1", "s2"]
    assert warnings == []


def test_the_garbage_collector_is_on_again_after_the_reading(transcripts_dir: Path):
    """The collector is held off while the index is read (its rows hold no cycle), but a
    process that goes on afterwards keeps collecting: a cycle made then is freed."""
    import gc
    import weakref

    Store(transcripts_dir).save(session("s1", 1, FIRST))
    assert gc.isenabled()
    try:
        index.scored_and_spoken(transcripts_dir, lambda _: None)
        assert gc.isenabled()

        class Node:
            pass

        node = Node()
        node.me = node  # type: ignore[attr-defined]  # a cycle only the collector frees
        gone = weakref.ref(node)
        del node
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()  # the rest of the test run collects as before
