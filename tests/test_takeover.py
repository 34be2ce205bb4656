"""A session taken over with ``resume --force`` loses no answer: the terminal taken over
notices at its next write, keeps that answer in a side file it names, and stops.

And the lock's own odd cases: a lock file with a pid no process has is stale.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builders import add, transcript
from interviewer.errors import SessionLockedError, SessionTakenOverError
from interviewer.formats.transcript import Role
from interviewer.store.checkpoints import Checkpointer
from interviewer.store.transcripts import Store
from loopback import Loopback
from pty_cli import SEND, Child


@pytest.fixture
def store(transcripts_dir: Path) -> Store:
    return Store(transcripts_dir)


def test_a_terminal_taken_over_writes_nothing_more(transcripts_dir: Path) -> None:
    """Two stores stand for two terminals: once the second has the session, every kind of
    write from the first is refused, and the second's transcript stays as it wrote it."""
    first, second = Store(transcripts_dir), Store(transcripts_dir)
    t = transcript()
    add(t, Role.interviewer, "First question?")
    with first.lock(t.id):
        first.save(t)
        with second.lock(t.id, force=True):
            theirs = second.read(t.id)
            add(theirs, Role.candidate, "Said in the second terminal.")
            second.save(theirs)
            add(t, Role.candidate, "Said in the first, after the takeover.")
            checkpoints = Checkpointer(first)
            with pytest.raises(SessionTakenOverError, match="taken over in another terminal"):
                checkpoints.write_now(t)
            checkpoints.close()
            with pytest.raises(SessionTakenOverError):
                first.save(t)
            with pytest.raises(SessionTakenOverError):
                first.save_rescue(t)
            assert (transcripts_dir / f"{t.id}.lock").exists()  # the first's exit keeps it
        kept = [x.text for x in second.read(t.id).turns if x.role is Role.candidate]
    assert kept == ["Said in the second terminal."]
    assert not list(transcripts_dir.glob(f".{t.id}.json.*.tmp"))


@pytest.mark.parametrize("pid", ["0", "-1", "", "garbage"])
def test_a_lock_holding_no_real_process_is_stale(store: Store, pid: str) -> None:
    """``kill(0)`` and ``kill(-1)`` signal groups, so they "succeed": such a lock named no
    process and still refused the session."""
    store.folder.mkdir(parents=True)
    (store.folder / "abcd1234.lock").write_text(pid)
    with store.lock("abcd1234") as lock:
        assert lock.held


def test_a_live_holder_is_still_refused(store: Store) -> None:
    store.folder.mkdir(parents=True)
    (store.folder / "abcd1234.lock").write_text(f"{os.getppid()} someone-else")
    with pytest.raises(SessionLockedError, match="open in another terminal"):
        store.lock("abcd1234").acquire()


# --------------------------------------------------------------- in two terminals


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback(pause_s=0.02)
    loopback.start()
    yield loopback
    loopback.stop()


@pytest.fixture
def spawn(isolated: Path) -> Iterator[Any]:
    children: list[Child] = []

    def start(*args: str) -> Child:
        child = Child(list(args), dict(os.environ))
        children.append(child)
        return child

    yield start
    for child in children:
        child.close()


@pytest.mark.skipif(not hasattr(os, "forkpty"), reason="needs a pseudo-terminal")
def test_resume_force_loses_no_answer_and_stops_the_terminal_taken_over(
    spawn: Any, server: Loopback, isolated: Path
) -> None:
    model = ["--model", "stub", "--api-base", server.base, "--no-score"]
    first = spawn("practice", "behavioral", *model)
    first.wait_for("You ›")
    first.send(b"First answer, before the takeover." + SEND)
    # "You ›" shows a second time at once, with the sent line, before the answer is saved:
    # once the server is asked with it, it is on disk; the third is the next question's.
    first.pump_until(lambda: any("before the takeover" in json.dumps(b) for b in server.streamed()))
    first.wait_for("You ›", count=3)
    folder = isolated / "transcripts"
    (path,) = [p for p in folder.glob("*.json") if p.name != "index.json"]
    second = spawn("resume", path.stem, "--force", *model)
    second.wait_for("You ›")

    first.send(b"Second answer, typed in the first terminal." + SEND)
    assert first.wait() == 2, first.text
    said = " ".join(first.text.split())
    assert f"session {path.stem} was taken over in another terminal" in said
    assert "Saved as" not in first.text and "Traceback" not in first.text
    side = Path(re.findall(r"it is in (\S+\.unsaved\.txt)", said)[0])
    assert "Second answer, typed in the first terminal." in side.read_text()

    second.send(b"Third answer, in the second terminal." + SEND)
    second.wait_for("You ›", count=2)
    second.send(b"/pause\r")
    assert second.wait() == 0, second.text
    turns = json.loads(path.read_text())["turns"]
    assert [t["text"] for t in turns if t["role"] == "candidate"] == [
        "First answer, before the takeover.",
        "Third answer, in the second terminal.",
    ]
