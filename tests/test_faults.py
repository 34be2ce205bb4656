"""Faults a careless user or a broken server causes, each a clean message and nothing lost.

Servers are played by respx at the wire (streams cut short, chunks that are not chunks)
or by ``loopback.Loopback`` on 127.0.0.1 when the CLI runs in its own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.errors import ModelError
from interviewer.models.base import ModelSpec
from interviewer.models.openai_compat import OpenAICompatModel
from loopback import Loopback
from test_cli import judge_reply
from wire import BASE, Provider, sse

HI = [{"role": "user", "content": "hello"}]
MODEL_ARGS = ["--model", "test-model", "--api-base", BASE]


def events(*payloads: str) -> httpx.Response:
    body = "".join(f"data: {p}\n\n" for p in payloads).encode()
    return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})


def chunk(text: str, finish: str | None = None) -> str:
    return json.dumps(
        {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}]}
    )


def model() -> OpenAICompatModel:
    return OpenAICompatModel(ModelSpec("m", api_base=BASE), sleep=lambda s: None)


def test_a_stream_cut_before_its_end_is_retried_not_recorded(respx_mock: Any) -> None:
    route = respx_mock.post(f"{BASE}/chat/completions").mock(
        side_effect=[
            events(),  # the connection closed before a word, without [DONE]
            events(chunk("Hello "), chunk("there.", "stop"), "[DONE]"),
        ]
    )
    shown: list[str] = []
    reply = model().stream(HI, temperature=0, on_text=shown.append)
    assert (reply.text, route.call_count) == ("Hello there.", 2)


def test_a_stream_cut_mid_reply_is_an_error_never_a_complete_question(respx_mock: Any) -> None:
    respx_mock.post(f"{BASE}/chat/completions").mock(return_value=events(chunk("What did you ")))
    with pytest.raises(ModelError, match="dropped mid-reply"):
        model().stream(HI, temperature=0, on_text=lambda t: None)


@pytest.mark.parametrize("junk", ["[1, 2]", '{"choices": [7]}', '{"choices": [{"delta": 3}]}', "7"])
def test_a_malformed_chunk_is_a_clean_error(respx_mock: Any, junk: str) -> None:
    respx_mock.post(f"{BASE}/chat/completions").mock(return_value=events(junk))
    with pytest.raises(ModelError, match="could not be read"):
        model().stream(HI, temperature=0, on_text=lambda t: None)


def test_a_malformed_chunk_in_an_interview_saves_and_says_so(
    respx_mock: Any, isolated: Path, retry_waits: list[float]
) -> None:
    route = respx_mock.post(f"{BASE}/chat/completions").mock(return_value=events("[1, 2]"))
    result = CliRunner().invoke(app, ["practice", "behavioral", *MODEL_ARGS], input="")
    assert result.exit_code == 3, result.output
    assert "could not be read" in result.stderr and "Traceback" not in result.output
    assert route.call_count == 5 and len(retry_waits) == 4  # retried, without the waiting


def test_a_full_or_read_only_folder_keeps_transcript_and_scorecard_where_all_commands_find_them(
    respx_mock: Any, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder cannot be written (a file stands where it should be): the transcript and
    the paid scorecard go to the rescue copy, and resume, show, score and list find it."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(isolated / "tmp"))
    (isolated / "tmp").mkdir()
    (isolated / "blocker").write_text("a file, not a folder")
    folder = ["--transcripts-dir", str(isolated / "blocker" / "t")]
    provider = Provider(respx_mock)
    provider.interviewer = ["First question?", "Second question?"]
    runner = CliRunner()
    result = runner.invoke(
        app, ["practice", "behavioral", *MODEL_ARGS, "--no-score", *folder],
        input="My kept answer.\n\n/pause\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    flat = "".join(result.output.split())
    assert "notwritable" in flat and "interviewer-rescue-" in flat
    assert "--transcripts-dir" in result.stdout  # the resume hint works as printed
    (rescued,) = (isolated / "tmp").glob("interviewer-rescue-*/*.json")

    listed = runner.invoke(app, ["list", "--json", *folder])
    assert rescued.stem in listed.stdout, listed.output
    shown = runner.invoke(app, ["show", rescued.stem, *folder])
    assert "My kept answer." in shown.stdout, shown.output
    provider.interviewer = ["Third question?"]
    resumed = runner.invoke(
        app, ["resume", rescued.stem, *MODEL_ARGS, "--no-score", *folder], input="/end\n"
    )
    assert "Where you stopped" in resumed.stdout, resumed.output
    provider.judge = [judge_reply("behavioral", "My kept answer.")]
    scored = runner.invoke(app, ["score", rescued.stem, *folder])
    assert scored.exit_code == 0, scored.output
    saved = json.loads(rescued.read_text())
    assert saved["status"] == "complete"
    assert [t["text"] for t in saved["turns"] if t["role"] == "candidate"] == ["My kept answer."]
    assert [c["status"] for c in saved["scorecards"]] == ["scored"]  # the paid scorecard kept


def test_a_dead_api_base_says_the_server_is_unreachable(isolated: Path) -> None:
    result = CliRunner().invoke(
        app, ["practice", "behavioral", "--api-base", "http://127.0.0.1:9/v1"], input=""
    )
    assert result.exit_code == 2
    assert "unreachable" in result.stderr and "in-process" not in result.stderr
    assert not (isolated / "transcripts").exists() or not list(
        (isolated / "transcripts").glob("*.json")
    )


def test_piped_answers_take_any_bytes(isolated: Path) -> None:
    server = Loopback(pause_s=0)
    base = server.start()
    try:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
        done = subprocess.run(
            [sys.executable, "-m", "interviewer", "practice", "behavioral",
             "--model", "stub", "--api-base", base, "--no-score"],
            input=b"caf\xe9 \xff\xfe answer\n\n/pause\n", capture_output=True, env=env,
            timeout=120,
        )  # fmt: skip
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr.decode()
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    turns = json.loads(path.read_text())["turns"]
    assert [t["text"] for t in turns if t["role"] == "candidate"] == [
        "caf\ufffd \ufffd\ufffd answer"
    ]


def test_the_timeout_the_hint_names_is_accepted(isolated: Path) -> None:
    (isolated / "config.toml").write_text("timeout_s = 5\n")
    from interviewer.config.settings import Flags, load_settings
    from interviewer.models.choice import choose

    choice = choose(load_settings(Flags(model="m", api_base=BASE)))
    assert (choice.interviewer.timeout_s, choice.judge.timeout_s) == (5.0, 5.0)


def test_sse_helper_still_ends_with_done() -> None:
    assert sse("a b").endswith(b"data: [DONE]\n\n")


def looping_pdf() -> bytes:
    """A PDF whose page tree contains itself (pypdf walks it until it gives up)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        pytest.param(
            lambda d: (d / "paper").mkdir(),
            ["practice", "paper-deep-dive", "--paper", "paper", *MODEL_ARGS],
            "is a folder, not a file",
            id="paper-is-a-folder",
        ),
        pytest.param(
            lambda d: (d / "loop.pdf").write_bytes(looping_pdf()),
            ["practice", "paper-deep-dive", "--paper", "loop.pdf", *MODEL_ARGS],
            "cannot read this PDF",
            id="pdf-page-tree-loop",
        ),
        pytest.param(
            lambda d: (d / "config.toml").write_text("a = " + "[" * 5000 + "]" * 5000),
            ["list"],
            "not valid TOML",
            id="deeply-nested-config",
        ),
        pytest.param(
            lambda d: (d / "config.toml").unlink(),
            ["list"],
            "does not exist",
            id="wrong-INTERVIEWER_CONFIG",
        ),
    ],
)
def test_hostile_or_mistaken_files_are_one_line_errors(
    isolated: Path, setup: Any, args: list[str], message: str
) -> None:
    setup(isolated)
    result = CliRunner().invoke(app, args, input="")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_list_skips_undecodable_and_deeply_nested_transcripts(isolated: Path) -> None:
    folder = isolated / "transcripts"
    folder.mkdir()
    (folder / "deadbeef.json").write_bytes(b'{"version": 2, "x": "\xff\xfe"}')
    (folder / "cafecafe.json").write_text(
        '{"version": 2, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    runner = CliRunner()
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert "deadbeef" in result.stderr and "cafecafe" in result.stderr
    for session in ("deadbeef", "cafecafe"):
        shown = runner.invoke(app, ["show", session])
        assert shown.exit_code == 2 and "Traceback" not in shown.output, shown.output


def test_a_retry_is_announced_with_its_reason(respx_mock: Any, isolated: Path) -> None:
    provider = Provider(respx_mock)
    provider.interviewer = ["First question?"]
    good = provider.route.side_effect
    failures = iter([httpx.Response(503, json={"error": {"message": "overloaded"}})])
    provider.route.side_effect = lambda request: next(failures, None) or good(request)
    result = CliRunner().invoke(
        app, ["practice", "behavioral", *MODEL_ARGS, "--no-score"], input="/pause\n"
    )
    assert result.exit_code == 0, result.output
    shown = " ".join(result.stdout.split())
    assert "retrying in" in shown and "attempt 2 of 5" in shown
    assert "First question?" in shown


def test_ctrl_c_while_the_judge_works_says_what_happened(respx_mock: Any, isolated: Path) -> None:
    provider = Provider(respx_mock)
    provider.interviewer = ["First question?", "Thanks, that is all.", "Goodbye.", "Bye."]
    runner = CliRunner()
    done = runner.invoke(
        app, ["practice", "behavioral", *MODEL_ARGS, "--no-score"], input="An answer.\n\n/end\n"
    )
    assert done.exit_code == 0, done.output
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]

    def interrupted(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    provider.route.side_effect = interrupted
    result = runner.invoke(app, ["score", path.stem])
    assert result.exit_code == 130
    said = " ".join(result.stderr.split())
    assert "scoring stopped" in said and f"interviewer score {path.stem}" in said


def test_resume_with_a_new_api_base_moves_a_judge_that_shared_the_server() -> None:
    from interviewer.config.settings import Flags, load_settings
    from interviewer.formats.transcript import ModelInfo
    from interviewer.models import Recorded, choose

    old = ModelInfo(model="m", api_base="http://old:1/v1")
    moved = choose(load_settings(Flags(api_base="http://new:2/v1")), Recorded(old, old))
    assert (moved.interviewer.api_base, moved.judge.api_base) == ("http://new:2/v1",) * 2
    hosted = choose(
        load_settings(Flags(api_base="http://new:2/v1")), Recorded(old, ModelInfo(model="gpt-4o"))
    )
    assert hosted.judge.api_base is None


def test_a_broken_pdf_is_one_line_with_nothing_of_pypdfs_log(isolated: Path) -> None:
    """pypdf logs what it finds wrong ("EOF marker not found"); with no logging set up,
    Python printed that raw above the error line. Run as a user runs it: under pytest a
    log handler is always installed, and the stray line never shows."""
    import interviewer

    (isolated / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Cat")
    checkout = str(Path(interviewer.__file__).parents[1])
    done = subprocess.run(
        [sys.executable, "-m", "interviewer", "practice", "paper-deep-dive",
         "--paper", "cut.pdf", *MODEL_ARGS],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": checkout},
        cwd=isolated, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "cannot read this PDF" in line
