"""Issue 3 through the CLI: the coding round runs code, loops run rounds in order, levels matter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewer.catalog.library import Catalog
from interviewer.cli import app
from schema_server import schema_reply
from wire import BASE, Provider

MODEL_ARGS = ["--model", "test-model", "--api-base", BASE]

LOOPING = "```python\ndef roc_auc(y_true, y_score):\n    while True:\n        pass\n```"
CORRECT = """```python
def roc_auc(y_true, y_score):
    pos = [s for t, s in zip(y_true, y_score) if t == 1]
    neg = [s for t, s in zip(y_true, y_score) if t == 0]
    if not pos or not neg:
        raise ValueError("need both classes")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))
```"""


@pytest.fixture
def provider(respx_mock) -> Provider:
    return Provider(respx_mock)


def judge_reply(round_id: str) -> Any:
    """A judge reply written from the request's schema, every dimension null."""
    return schema_reply(None)


def saved(folder: Path) -> list[dict]:
    return [
        json.loads(p.read_text()) for p in sorted(folder.glob("*.json")) if p.name != "index.json"
    ]


def test_coding_round_runs_the_code_and_the_interview_goes_on(provider, isolated):
    provider.interviewer = ["Write roc_auc.", "What is its complexity?", "Try again?"]
    script = [LOOPING, "", CORRECT, "", "/pause"]
    result = CliRunner().invoke(
        app,
        ["practice", "coding", "--opening", "roc-auc", *MODEL_ARGS],
        input="\n".join(script) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Code check (timeout)" in result.stdout  # the endless loop was stopped and reported
    assert "Code check (passed)" in result.stdout
    (t,) = saved(isolated / "transcripts")
    roles = [turn["role"] for turn in t["turns"]]
    assert roles == [
        "interviewer",
        "candidate",
        "system",
        "interviewer",
        "candidate",
        "system",
        "interviewer",
    ]
    # The interviewer saw the run's result before its next message.
    second = provider.streamed[1]["messages"][-1]["content"]
    assert "timeout" in second.lower()


def test_levels_change_what_the_interviewer_is_told(provider, isolated):
    provider.interviewer = ["Q?", "Q?"]
    for level in ("junior", "staff"):
        CliRunner().invoke(
            app, ["practice", "ml-system-design", "--level", level, *MODEL_ARGS], input="/pause\n"
        )
    junior, staff = (r["messages"][0]["content"] for r in provider.streamed)
    design = Catalog().round("ml-system-design").item
    assert (
        design.level_expectations.junior in junior and design.level_expectations.staff not in junior
    )
    assert design.level_expectations.staff in staff
    assert "staff-level machine-learning role" in staff


def short_loop(user_dir: Path) -> Path:
    """A two-round loop of tiny rounds, so a whole loop fits in a test."""
    rubrics = user_dir / "rubrics"
    rubrics.mkdir(parents=True)
    for source in ("behavioral", "reverse"):
        text = Catalog().round(source).path.read_text()
        text = text.replace(f'id = "{source}"', f'id = "mini-{source}"', 1)
        lines = [
            "followups_per_topic = 0"
            if ln.startswith("followups_per_topic")
            else "topics_per_session = 1"
            if ln.startswith("topics_per_session")
            else ln
            for ln in text.splitlines()
        ]
        (rubrics / f"mini-{source}.toml").write_text("\n".join(lines))
    loops = user_dir / "loops"
    loops.mkdir()
    dim = Catalog(user_dir).round("mini-behavioral").item.dimensions[0].id
    (loops / "mini.toml").write_text(f"""version = 1
id = "mini"
title = "Mini loop"
track = "ml-engineer"
summary = "Two tiny rounds."
top_failure_mode = "Cannot show ownership."
failure_mode_check = "Reads ownership in the behavioral round."
failure_mode_dimensions = ["mini-behavioral/{dim}"]

[[rounds]]
round = "mini-behavioral"
weight = 2.0
signature = true

[[rounds]]
round = "mini-reverse"
""")
    return user_dir


def test_a_loop_runs_stops_at_a_break_and_resumes_at_the_right_round(provider, isolated):
    user = short_loop(isolated / "mine")
    provider.interviewer = ["Tell me a story.", "Questions for me?", "Bye."]
    provider.judge = [judge_reply("behavioral")]
    result = CliRunner().invoke(
        app,
        ["loop", "mini", "--user-dir", str(user), *MODEL_ARGS],
        input="I owned the rollback.\n\nno\n\n/pause\n",
    )
    assert result.exit_code == 0, result.output
    assert "Round 1 of 2" in result.stdout and "Break." in result.stdout
    assert "Stopped at a break" in result.stdout
    (record_path,) = (isolated / "transcripts" / "loops").glob("*.json")
    record = json.loads(record_path.read_text())
    assert record["rounds"][0]["transcript"] and record["rounds"][1]["transcript"] is None

    provider.interviewer = ["Ask me anything.", "Good question; anything else?", "Thanks!"]
    provider.judge = [judge_reply("reverse")]
    result = CliRunner().invoke(
        app,
        ["resume", record["id"][:5], "--user-dir", str(user)],
        input="What is the biggest bottleneck?\n\nno thanks\n\n",
    )
    assert result.exit_code == 0, result.output
    assert "Round 2 of 2" in result.stdout and "Round 1 of 2" not in result.stdout
    assert "Debrief: Mini loop" in result.stdout and "Loop hire signal" in result.stdout
    assert "checked: Reads ownership in the behavioral round." in result.stdout
    transcripts = saved(isolated / "transcripts")
    assert sorted(t["round"] for t in transcripts) == ["mini-behavioral", "mini-reverse"]
    assert {t["loop"] for t in transcripts} == {record["id"]}
    record = json.loads(record_path.read_text())
    assert record["debrief"]["rounds"][0]["signature"] is True


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_check_names_every_problem_in_each_kind_of_file(isolated):
    mine = isolated / "mine"
    good = Catalog().persona("bar-raiser").path.read_text()
    write(mine / "personas", "bar-raiser.toml", good)
    write(
        mine / "personas",
        "typo.toml",
        good.replace('id = "bar-raiser"', 'id = "typo"').replace("greeting", "greting"),
    )
    round_text = (
        Catalog()
        .round("behavioral")
        .path.read_text()
        .replace('id = "behavioral"', 'id = "broken"', 1)
    )
    round_text = round_text.replace("minutes = ", "minutes = 1000 #", 1).replace(
        "\n1 = ", "\none = ", 1
    )
    write(mine / "rubrics", "broken.toml", round_text)
    write(
        mine / "loops",
        "bad-loop.toml",
        """version = 1
id = "bad-loop"
title = "Bad"
track = "ml-engineer"
summary = "x"
top_failure_mode = "x"
failure_mode_check = "x"
failure_mode_dimensions = ["behavioral/no-such-dimension"]

[[rounds]]
round = "behavioral"

[[rounds]]
round = "no-such-round"
""",
    )
    write(mine / "rubrics", "bad-toml.toml", "id = [")
    result = CliRunner().invoke(app, ["check", str(mine)])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "✓ " in out and "bar-raiser.toml" in out
    assert "typo.toml: greeting: Field required (add 'greeting')" in out
    assert "typo.toml: greting: Extra inputs are not permitted" in out
    assert "broken.toml: budget.minutes: Input should be less than or equal to 180" in out
    assert "broken.toml: dimensions.0.anchors.1: Field required" in out
    assert "bad-loop.toml: rounds: no round named 'no-such-round'" in out
    assert "'behavioral' has no dimension 'no-such-dimension' (use one of: ownership" in out
    assert "bad-toml.toml: not valid TOML" in out
    assert "problem(s) in 5 file(s)" in out


def test_check_passes_every_shipped_file():
    from interviewer.catalog.library import data_root

    result = CliRunner().invoke(
        app,
        [
            "check",
            str(data_root() / "rubrics"),
            str(data_root() / "prompts" / "personas"),
            str(data_root() / "loops"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "are valid" in result.stdout


def test_check_fails_when_a_dimension_cannot_be_reached(isolated):
    """A round whose scenarios cannot reach a scored dimension, or overrun the answers
    budget, is named with what to change."""
    from rounds import design_data, write_round

    data = design_data(id="lean")
    data["budget"].update(topics_per_session=2, max_candidate_turns=9)
    folder = write_round(isolated / "mine", **data)
    result = CliRunner().invoke(app, ["check", str(folder / "rubrics" / "lean.toml")])
    assert result.exit_code != 0
    assert "openings.fraud: dimensions never probed: evaluation" in result.output
    assert "budget.topics_per_session" in result.output
    assert "staff-level session needs" in result.output


@pytest.mark.parametrize("entry", Catalog().rounds(), ids=lambda e: e.item.id)
def test_rounds_show_keeps_every_scenario_id_whole_at_80_columns(entry: Any) -> None:
    """A scenario's id is what --opening takes: at 80 columns the coding round's showed as
    "stable-softmax-cross-e…", and area ids were cut the same way."""
    result = CliRunner().invoke(app, ["rounds", "show", entry.item.id], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    for opening in entry.item.openings:
        assert f"│ {opening.id} " in result.stdout


def test_a_loop_with_no_model_runs_its_rounds_scripted_and_unscored() -> None:
    """With nothing to talk to, a loop's rounds are scripted like a single round's; the
    first one used to end the loop with "'scripted' is not a model" when it was scored."""
    result = CliRunner().invoke(app, ["loop", "ml-engineer"], input="An answer.\n\n/end\n/pause\n")
    assert result.exit_code == 0, result.output
    assert "is not a model" not in result.output
    assert "Scripted round" in result.stdout and "--judge-model MODEL" in result.stdout
    assert "Break. Next: coding (round 2 of 6)" in result.stdout
    assert "Continue with: interviewer resume" in result.stdout


def test_rounds_show_of_an_edited_round_shows_the_edit_and_a_broken_one_its_error(isolated):
    """``rounds show`` is drawn from a cache of what it printed before, keyed by the file's
    bytes: an edit is shown at once, and a broken edit is named, never the old text."""
    from rounds import write_round

    folder = write_round(isolated / "mine", title="Mini design")
    show = ["rounds", "show", "mini-design", "--user-dir", str(folder)]
    assert "Mini design" in CliRunner().invoke(app, show, env={"COLUMNS": "120"}).stdout
    write_round(folder, title="Tiny design")
    edited = CliRunner().invoke(app, show, env={"COLUMNS": "120"})
    assert edited.exit_code == 0 and "Tiny design" in edited.stdout
    assert "Mini design" not in edited.stdout
    path = folder / "rubrics" / "mini-design.toml"
    path.write_text(path.read_text().replace('"minutes" = ', '"minutes" = -'), encoding="utf-8")
    broken = CliRunner().invoke(app, show)
    assert broken.exit_code != 0 and "budget.minutes" in broken.output
    assert "Traceback" not in broken.output
