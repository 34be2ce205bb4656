"""End to end through the CLI, with the provider mocked at the HTTP wire (respx)."""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.config.file import CONFIG_KEYS
from interviewer.config.schema import FileConfig
from rounds import design_data, write_round
from schema_server import schema_reply
from wire import BASE, Provider

SECRET = "sk-test-SECRET-abcdef1234567890"
SERVER_KEY = "local-server-key-0987654321"
MODEL_ARGS = ["--model", "test-model", "--api-base", BASE]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def provider(respx_mock) -> Provider:
    return Provider(respx_mock)


def write_short_round(folder: Path, followups: int = 1) -> Path:
    """A user round with one area: every phase in five messages at one follow-up."""
    data = design_data(id="short-round")
    fraud = data["openings"][0]
    fraud.pop("twist")
    fraud["topics"] = ["framing"]
    data["openings"] = [fraud]
    data["budget"].update(followups_per_topic=followups, topics_per_session=1)
    return write_round(folder, **data)


@pytest.fixture
def short_round(isolated: Path) -> Path:
    return write_short_round(isolated / "mine")


def judge_reply(round_id: str, quote: str) -> Any:
    return judge_reply_for(round_id, quote)


def judge_reply_for(round_id: str, quote: str, user_dir: Path | None = None) -> Any:
    """A judge reply written from the request's schema: the first dimension scored 3 on
    ``quote`` (the round is whatever the request is for; the arguments name it for readers)."""
    return schema_reply(3, quote)


FIRST = "We shipped a ranking model that won offline but lost online.\nI led the rollback."
SECOND = "```python\ndef f(x):\n\n    return x\n```"
SCRIPT = [
    "/help",
    "",
    FIRST,
    "",
    "/time",
    SECOND,
    "",
    "What does success look like in the first 90 days?",
    "",
    "No, that's all, thanks",
    "",
]


def test_a_whole_interview_streams_saves_and_scores(runner, provider, isolated, monkeypatch):
    # Two follow-ups a topic, one fewer at junior level: the level reaches the session.
    short_round = write_short_round(isolated / "mine", followups=2)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("INTERVIEWER_API_KEY", SERVER_KEY)
    provider.interviewer = [
        "Hi, I'm Maya. Tell me about a model that did well offline but failed online.",
        "You said you led the rollback. What did you measure to decide?",
        "We're nearly at time. What questions do you have for me?",
        "Success is a shipped eval harness. Anything else?",
        "Thanks for your time; your scorecard follows.",
    ]
    provider.judge = [judge_reply("short-round", "I led the rollback")]
    result = runner.invoke(
        app,
        [
            "practice",
            "short-round",
            *MODEL_ARGS,
            "--user-dir",
            str(short_round),
            "--level",
            "junior",
        ],
        input="\n".join(SCRIPT) + "\n",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Interviewer model: test-model at http://127.0.0.1:9/v1" in out
    assert "Transcript: " in out
    assert "/pause" in out and "elapsed of" in out  # /help and /time answered locally
    assert "You said you led the rollback." in out  # streamed
    assert "Interview complete." in out and "Scorecard" in out
    # one verified dimension of several is too little to call: the code says so
    assert "Hire signal — (too little verified evidence)" in out

    files = list((isolated / "transcripts").glob("*.json"))
    (path,) = [f for f in files if f.name != "index.json"]
    saved = json.loads(path.read_text())
    assert saved["status"] == "complete" and saved["level"] == "junior"
    phases = [t["phase"] for t in saved["turns"] if t["role"] == "interviewer"]
    assert phases == ["opening", "followup", "wrap-up", "candidate-questions", "closing"]
    answers = [t["text"] for t in saved["turns"] if t["role"] == "candidate"]
    assert answers[0] == FIRST and answers[1] == SECOND  # multi-line and pasted code, whole
    assert saved["usage"]["prompt_tokens"] == 500  # five streamed replies, usage recorded
    card = saved["scorecards"][0]
    assert card["status"] == "scored" and card["dimensions"][0]["evidence"] == [
        "I led the rollback"
    ]
    assert card["raw_replies"] and card["grading_prompt"]
    assert path.with_suffix(".md").read_text().startswith("# ")

    # The system prompt is byte-identical on every turn (provider prompt caching applies).
    systems = {r["messages"][0]["content"] for r in provider.streamed}
    assert len(systems) == 1
    # The judge got the rubric and the candidate's words inside its data blocks.
    judge_user = provider.judged[0]["messages"][1]["content"]
    assert "I led the rollback." in judge_user and "<answer-" in judge_user

    # The server's own key reached it as a header; the OpenAI key was never sent to a
    # custom server; neither appears in any file we wrote or anything we printed.
    assert {h["authorization"] for h in provider.headers} == {f"Bearer {SERVER_KEY}"}
    for written in (isolated / "transcripts").iterdir():
        assert SECRET not in written.read_text() and SERVER_KEY not in written.read_text()
    assert SECRET not in result.output and SERVER_KEY not in result.output


def interrupt_after(lines: list[str]):
    """A stand-in for input() that gives some lines, then behaves like Ctrl-C."""
    queue = list(lines)

    def read(prompt: str = "") -> str:
        if not queue:
            raise KeyboardInterrupt
        return queue.pop(0)

    return read


def test_ctrl_c_saves_and_resume_continues(runner, provider, short_round, isolated, monkeypatch):
    provider.interviewer = ["Opening question?", "Follow-up on your rollback?"]
    real_input = builtins.input
    monkeypatch.setattr("builtins.input", interrupt_after([*FIRST.splitlines(), ""]))
    result = runner.invoke(
        app, ["practice", "short-round", *MODEL_ARGS, "--user-dir", str(short_round)]
    )
    monkeypatch.setattr("builtins.input", real_input)
    assert result.exit_code == 130, result.output
    assert "Saved as interrupted" in result.stdout and "interviewer resume " in result.stdout
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    saved = json.loads(path.read_text())
    assert saved["status"] == "interrupted"
    assert [t["role"] for t in saved["turns"]] == ["interviewer", "candidate", "interviewer"]

    provider.interviewer = ["Any questions for me?", "Thanks, goodbye."]
    provider.judge = [judge_reply("short-round", "I led the rollback")]
    result = runner.invoke(
        app,
        ["resume", path.stem[:4], "--user-dir", str(short_round)],
        input="I measured retention.\n\nNo, that's all\n\n",
    )
    assert result.exit_code == 0, result.output
    assert "Resuming" in result.stdout
    saved = json.loads(path.read_text())
    assert saved["status"] == "complete"
    assert [t["phase"] for t in saved["turns"] if t["role"] == "interviewer"] == [
        "opening",
        "followup",
        "wrap-up",
        "closing",
    ]
    # The resumed interviewer saw the whole conversation so far.
    resumed_request = provider.streamed[2]["messages"]
    assert any(FIRST in m["content"] for m in resumed_request)


def test_judge_junk_then_valid(runner, provider, short_round, isolated):
    provider.interviewer = ["Q?", "Follow?", "Questions?", "Bye."]
    provider.judge = [
        "I think they did great!",
        judge_reply("short-round", "I led the rollback"),
    ]
    result = runner.invoke(
        app,
        ["practice", "short-round", *MODEL_ARGS, "--user-dir", str(short_round)],
        input=f"{FIRST}\n\nmore detail\n\nno\n\n",
    )
    assert result.exit_code == 0, result.output
    assert len(provider.judged) == 2
    assert "did not validate" in provider.judged[1]["messages"][-1]["content"]


def test_judge_that_never_validates_leaves_a_scoreable_transcript(
    runner, provider, short_round, isolated
):
    provider.interviewer = ["Q?", "Follow?", "Questions?", "Bye."]
    provider.judge = ["junk", "junk", "junk"]
    result = runner.invoke(
        app,
        ["practice", "short-round", *MODEL_ARGS, "--user-dir", str(short_round)],
        input=f"{FIRST}\n\nmore detail\n\nno\n\n",
    )
    assert result.exit_code == 3
    assert "scoring failed" in result.stderr and "interviewer score " in result.stderr
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    assert json.loads(path.read_text())["scorecards"][0]["status"] == "failed"

    provider.judge = [judge_reply("short-round", "I led the rollback")]
    result = runner.invoke(app, ["score", path.stem, "--user-dir", str(short_round)])
    assert result.exit_code == 0, result.output
    cards = json.loads(path.read_text())["scorecards"]
    assert [c["status"] for c in cards] == ["failed", "scored"]


def test_provider_down_saves_and_says_so(runner, respx_mock, isolated, retry_waits):
    route = respx_mock.post(f"{BASE}/chat/completions").respond(
        503, json={"error": {"message": "overloaded"}}
    )
    result = runner.invoke(app, ["practice", "behavioral", *MODEL_ARGS], input="")
    assert result.exit_code == 3, result.output
    assert "error:" in result.stderr and "Traceback" not in result.output
    # Four retries, each announced with its wait, and the back-off grows (not taken here).
    assert route.call_count == 5 and len(retry_waits) == 4, result.output
    assert retry_waits == sorted(retry_waits) and retry_waits[0] >= 1
    assert "(attempt 5 of 5)" in " ".join(result.stdout.split())
    # The retry notices end their line: on a terminal the error used to run on from the
    # last one ("... saves and stops)error: ...").
    assert "retrying in" in result.stdout and result.stdout.endswith("\n")
    # Not one word was exchanged: no empty session is left behind to resume.
    assert "interviewer resume" not in result.stdout
    assert not [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["practice", "no-such-round", *MODEL_ARGS], "no round named 'no-such-round'", id="round"
        ),
        pytest.param(
            ["practice", "behavioral", "--persona", "nobody", *MODEL_ARGS],
            "no persona named 'nobody'",
            id="persona",
        ),
        pytest.param(
            ["practice", "behavioral", "--track", "ML Engineer"],
            "--track 'ML Engineer' is not a track name",
            id="track",
        ),
        pytest.param(
            ["score", "ffff", "--judge-model", "scripted"],
            "no transcript matches 'ffff'",
            id="score-id",
        ),
        pytest.param(
            ["practice", "paper-deep-dive", "--paper", "missing.pdf", *MODEL_ARGS],
            "--paper missing.pdf: no such file",
            id="paper",
        ),
        pytest.param(["resume", "ffff"], "no transcript matches 'ffff'", id="resume-id"),
    ],
)
def test_user_mistakes_are_one_line_errors(runner, args, message):
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_broken_config_file_names_the_field(runner, isolated):
    (isolated / "config.toml").write_text('modle = "gpt-4o"\n')
    result = runner.invoke(app, ["practice", "behavioral"])
    assert result.exit_code == 2
    assert "config.toml: modle: not a setting the config file can hold" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["list"], ["show", "abcd"], ["progress"], ["rounds"], ["practice", "behavioral"]],
    ids=lambda args: args[0],
)
def test_a_config_typo_is_refused_alike_by_every_command(runner, isolated, args):
    """``list`` (and every command that reads only the transcripts folder) ignored the
    typo that ``practice`` and ``doctor`` refuse."""
    (isolated / "config.toml").write_text('modle = "gpt-4o"\n')
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert "config.toml: modle: not a setting the config file can hold" in said
    assert "did you mean 'model'? remove it or correct the spelling; allowed: model," in said


def test_the_config_keys_known_without_pydantic_are_the_config_files_fields():
    assert tuple(FileConfig.model_fields) == CONFIG_KEYS


def test_with_no_model_a_scripted_round_runs_and_is_scored_later(runner, provider, isolated):
    """The README's first command on a machine with no key, server or GGUF: the round's own
    lines, labelled as scripted, a saved transcript, and a judge named later scores it."""
    answers = [
        "What is the review capacity?",
        "",
        "I'd train XGBoost on the transaction history.",
        "",
        "The decision is approve or decline; the metric is expected dollar loss.",
        "",
        "/end",
    ]
    result = runner.invoke(
        app,
        ["practice", "ml-system-design", "--opening", "payments-fraud"],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Scripted round" in out and "interviewer score " in out
    assert "processing about 5,000 card transactions" in out  # the scenario, verbatim
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    saved = json.loads(path.read_text())
    moves = [t["move"] for t in saved["turns"] if t["role"] == "interviewer"]
    assert moves == ["opening", "clarify", "framing", "probe"]
    said = [t["text"] for t in saved["turns"] if t["role"] == "interviewer"]
    assert "20,000 cases a day" in said[1]  # the fact sheet answered the question
    assert saved["interviewer"]["model"] == "scripted" and saved["scorecards"] == []
    assert saved["probed"] == ["problem-framing"]
    assert any(s["name"] == "steps.toml" for s in saved["sources"])  # prompt files by hash

    named = f"interviewer score {path.stem} --judge-model MODEL"  # what works, said alike
    assert named in " ".join(out.split())
    result = runner.invoke(app, ["resume", path.stem])
    assert result.exit_code == 2 and named in " ".join(result.stderr.split())
    result = runner.invoke(app, ["score", path.stem])  # no judge recorded, none named
    assert result.exit_code == 2 and named in " ".join(result.stderr.split())
    assert "is not a model" not in result.output and "Traceback" not in result.output

    provider.judge = [judge_reply_for("ml-system-design", "expected dollar loss")]
    result = runner.invoke(
        app, ["score", path.stem, "--judge-model", "test-model", "--judge-api-base", BASE]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text())["scorecards"][0]["status"] == "scored"


def test_the_persona_help_names_the_default_the_catalog_uses() -> None:
    from interviewer.cli.options import DEFAULT_PERSONA_NAME
    from interviewer.config.file import DEFAULT_PERSONA

    assert DEFAULT_PERSONA_NAME == DEFAULT_PERSONA


def test_a_scripted_round_with_no_score_names_the_command_that_scores_it(runner, isolated):
    """--no-score advised 'interviewer score ID', which a scripted session cannot use."""
    result = runner.invoke(
        app, ["practice", "behavioral", "--no-score"], input="An answer.\n\n/end\n"
    )
    assert result.exit_code == 0, result.output
    assert "Score it when you like: interviewer score " in result.stdout
    assert "--judge-model MODEL" in result.stdout


@pytest.mark.parametrize("width", [80, 100])
def test_the_banner_wraps_between_words_and_says_scripted_once(runner, isolated, width):
    """The banner was soft-wrapped, so the terminal cut it wherever the last column fell
    ("level s / enior"); the scripted round's line said "Scripted round (... so a scripted
    round: ...)"."""
    result = runner.invoke(
        app,
        ["practice", "behavioral", "--level", "senior", "--no-score"],
        input="/pause\n",
        env={"COLUMNS": str(width)},
    )
    assert result.exit_code == 0, result.output
    banner = result.stdout.split("╭")[0]  # what comes before the scenario's frame
    assert all(len(line) <= width for line in banner.splitlines()), banner
    flat = " ".join(banner.split())
    assert "Maya Lindqvist (Senior research scientist) · level senior · ~45 min" in flat
    assert flat.lower().count("scripted round") == 1
    assert "Scripted round (no key, server or model was found, so the interviewer says" in flat
