"""Bad inputs from outside (a full disk, a stray folder, a model's or a file's broken text,
a hand-made file) end a command on one line naming what is wrong and the fix, with a
non-zero exit and no traceback, and the session is still there to resume."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from test_cli import judge_reply
from wire import BASE, Provider

MODEL_ARGS = ["--model", "test-model", "--api-base", BASE]
SRC = str(Path(__file__).resolve().parents[1] / "src")
LONE = "\ud800"  # half a UTF-16 pair: no UTF-8 file or terminal can take it


def one_line_error(result: Any) -> str:
    """The command's error, asserted to be one line and no traceback."""
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return " ".join(lines[0].split())


def saved_session(respx_mock: Any, isolated: Path, answer: str = "My kept answer.") -> Path:
    """An interrupted session with one answer, as ``practice`` leaves it."""
    provider = Provider(respx_mock)
    provider.interviewer = ["First question?", "Second question?"]
    result = CliRunner().invoke(
        app, ["practice", "behavioral", *MODEL_ARGS, "--no-score"], input=f"{answer}\n\n/pause\n"
    )
    assert result.exit_code == 0, result.output
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    return path


def test_practice_on_a_full_disk_is_one_line_and_leaves_no_empty_lock(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is the first thing written: on a full disk (the lock file's writes go to
    /dev/full) the command stops there, before any interview, and removes the lock."""
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    real_open = os.open

    def full_for_locks(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        fd = real_open(path, flags, mode, **kw)
        if str(path).endswith(".lock") and flags & os.O_CREAT:
            os.close(fd)  # the lock file is made, and every write to it fails
            return real_open("/dev/full", os.O_WRONLY)
        return fd

    monkeypatch.setattr(os, "open", full_for_locks)
    result = CliRunner().invoke(app, ["practice", "behavioral", *MODEL_ARGS], input="")
    monkeypatch.undo()
    assert result.exit_code == 4
    said = one_line_error(result)
    assert os.strerror(errno.ENOSPC) in said and str(isolated / "transcripts") in said
    assert "free some disk space" in said
    assert not list((isolated / "transcripts").glob("*.lock"))


def test_a_folder_where_the_lock_goes_is_named_with_the_fix(
    respx_mock: Any, isolated: Path
) -> None:
    path = saved_session(respx_mock, isolated)
    lock = path.with_suffix(".lock")
    lock.mkdir()
    result = CliRunner().invoke(app, ["resume", path.stem, *MODEL_ARGS], input="")
    assert result.exit_code == 2
    said = one_line_error(result)
    assert str(lock) in said and "is a folder" in said and "rmdir" in said
    assert json.loads(path.read_text())["status"] == "interrupted"  # still resumable


def test_a_lone_surrogate_in_the_models_stream_is_shown_and_saved_as_a_replacement(
    respx_mock: Any, isolated: Path
) -> None:
    provider = Provider(respx_mock)
    provider.interviewer = [f"Tell me {LONE} more.", "Next?"]
    result = CliRunner().invoke(
        app, ["practice", "behavioral", *MODEL_ARGS, "--no-score"], input="An answer.\n\n/pause\n"
    )
    assert result.exit_code == 0, result.output
    assert "Tell me \ufffd more." in result.stdout and "Continue with:" in result.stdout
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["status"] == "interrupted"
    assert saved["turns"][0]["text"] == "Tell me \ufffd more."
    asked = json.dumps(provider.streamed[-1])  # the next request carried it too
    assert "\\ud800" not in asked and "Tell me \\ufffd more." in asked


def test_a_lone_surrogate_in_a_saved_transcript_breaks_no_command(
    respx_mock: Any, isolated: Path
) -> None:
    """A transcript edited by hand (or written by another tool) with a ``\\ud800`` escape:
    show, the three exports, score and resume all work, showing U+FFFD in its place."""
    path = saved_session(respx_mock, isolated)
    text = path.read_text(encoding="utf-8").replace("My kept answer.", "My \\ud800 answer.")
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(app, ["show", path.stem], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "My \ufffd answer." in shown.stdout
    for fmt in ("md", "html", "json"):
        exported = runner.invoke(app, ["export", path.stem, "--format", fmt])
        assert exported.exit_code == 0, (fmt, exported.output)
        assert "\ufffd" in exported.stdout or "\\ufffd" in exported.stdout, fmt
    provider = Provider(respx_mock)
    provider.judge = [judge_reply("behavioral", "My \ufffd answer.")]
    scored = runner.invoke(app, ["score", path.stem])
    assert scored.exit_code == 0, scored.output
    resumed = runner.invoke(app, ["resume", path.stem, "--no-score"], input="/pause\n")
    assert resumed.exit_code == 0, resumed.output
    saved = json.loads(path.read_text(encoding="utf-8"))
    answers = [t["text"] for t in saved["turns"] if t["role"] == "candidate"]
    assert answers == ["My \ufffd answer."] and len(saved["scorecards"]) == 1


def test_a_deeply_nested_gold_line_names_its_file_and_line(isolated: Path) -> None:
    gold = isolated / "gold.jsonl"
    gold.write_text("\n" + "[" * 100_000 + "]" * 100_000 + "\n")
    result = CliRunner().invoke(
        app, ["calibrate", "--gold", str(gold), "--judge-model", "test-model",
              "--judge-api-base", BASE],
    )  # fmt: skip
    assert result.exit_code == 2
    said = one_line_error(result)
    assert f"{gold}:2:" in said and "nested too deeply" in said


def test_a_config_setting_that_names_an_endless_file_is_one_line_at_once(
    isolated: Path,
) -> None:
    """Run apart, with its memory capped: an unbounded read of /dev/zero fills it in seconds."""
    if not os.path.exists("/dev/zero"):
        pytest.skip("needs /dev/zero")
    import resource

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {**os.environ, "INTERVIEWER_CONFIG": "/dev/zero", "PYTHONPATH": SRC}
    done = subprocess.run(
        [sys.executable, "-m", "interviewer", "list"],
        capture_output=True, text=True, env=env, timeout=60, preexec_fn=capped,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "INTERVIEWER_CONFIG" in lines[0] and "/dev/zero" in lines[0] and "1 MiB" in lines[0]


def test_scoring_a_renamed_transcript_writes_back_to_that_file(
    respx_mock: Any, isolated: Path
) -> None:
    """A transcript kept under another name (a copy, a rename) is the session its name
    says: scoring it writes there, and no second file appears under its inner id."""
    path = saved_session(respx_mock, isolated)
    renamed = path.with_name("practice-monday.json")
    path.rename(renamed)
    provider = Provider(respx_mock)
    provider.judge = [judge_reply("behavioral", "My kept answer.")]
    result = CliRunner().invoke(app, ["score", "practice-monday"])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in renamed.parent.glob("*.json") if p.name != "index.json")
    assert files == ["practice-monday.json"]
    assert len(json.loads(renamed.read_text())["scorecards"]) == 1
    listed = CliRunner().invoke(app, ["list", "--json"])
    assert [row["id"] for row in json.loads(listed.stdout)] == ["practice-monday"]
