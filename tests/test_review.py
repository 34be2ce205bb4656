"""Reviewing saved sessions through the CLI: list, show, delete, re-score, and the quote spans."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from builders import T0, add, scorecard, transcript
from interviewer.cli import app
from interviewer.formats.levels import Level
from interviewer.formats.transcript import ModelInfo, Role, Status, Transcript
from interviewer.grading import judge
from interviewer.grading.quotes import highlight_spans, quote_spans
from interviewer.review.listing import parse_when
from interviewer.review.markdown import transcript_markdown
from interviewer.review.views import EVIDENCE_STYLE, candidate_text
from interviewer.store.transcripts import Store
from schema_server import schema_reply
from wire import BASE, completion

ANSWER = "I'd optimise repeat purchases within 30 days, not clicks.\nThen watch seller exposure."


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no table cell wraps
    return CliRunner()


@pytest.fixture
def store(transcripts_dir: Path) -> Store:
    return Store(transcripts_dir, render_markdown=transcript_markdown)


def session(tid: str, *, days: int = 0, **fields: object) -> Transcript:
    """A short complete session: a question, an answer, a closing line."""
    fields = {"status": Status.complete, **fields}
    t = transcript(id=tid, created_at=T0 + timedelta(days=days), **fields)
    add(t, Role.interviewer, "What would you optimise for the marketplace?")
    add(t, Role.candidate, ANSWER, minutes=3)
    add(t, Role.interviewer, "Thanks, that's time.")
    return t


@pytest.fixture
def three(store: Store) -> Store:
    """Scored, interrupted-unscored and failed-scoring sessions on three days."""
    first = session("aaaa1111", level=Level.senior)
    first.scorecards.append(scorecard({"objective-metric": 4, "data-labels": 3}))
    store.save(first)
    second = session(
        "bbbb2222",
        days=1,
        round_id="behavioral",
        level=Level.junior,
        persona="bar-raiser",
        status=Status.interrupted,
    )
    store.save(second)
    third = session(
        "cccc3333", days=2, level=Level.staff, interviewer=ModelInfo(model="gpt-4o-mini")
    )
    third.scorecards.append(scorecard({}, status="failed", judge="judge-x"))
    store.save(third)
    return store


def lines(text: str) -> list[str]:
    """Output lines without rich's padding, which depends on the terminal's width."""
    return [line.rstrip() for line in text.splitlines()]


def listed(runner: CliRunner, *args: str) -> list[str]:
    result = runner.invoke(app, ["list", "--json", *args])
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


# ----------------------------------------------------------------------------- list


def test_list_with_no_sessions_says_how_to_start(runner, transcripts_dir):
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert lines(result.stdout) == [
        f"No saved sessions in {transcripts_dir} yet.",
        "Start one with: interviewer practice ROUND  (see 'interviewer rounds')",
    ]
    assert runner.invoke(app, ["list", "--json"]).stdout == "[]\n"


TABLE = """\
id        started (UTC)     round             level   persona         models                   time  overall  status
cccc3333  2026-11-03 09:00  ml-system-design  staff   warm-scientist  gpt-4o-mini / judge-x      5m        —  complete, scoring failed
bbbb2222  2026-11-02 09:00  behavioral        junior  bar-raiser      fake-model                 5m        —  interrupted
aaaa1111  2026-11-01 09:00  ml-system-design  senior  warm-scientist  fake-model / fake-judge    5m     3.50  complete
Details: interviewer show ID · compare judges: interviewer show ID --all-scores
"""


def test_list_table_newest_first(runner, three):
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == TABLE.splitlines()


def test_list_fits_an_80_column_terminal_without_cutting_a_word(
    runner, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The longest round's row used to run one column over at 80, so "complete" showed
    as "comple…": every cell is whole at the width most terminals open at."""
    done = session("dddd4444", round_id="research-presentation", level=Level.senior)
    done.scorecards.append(scorecard({"objective-metric": 4}))
    store.save(done)
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    [row] = [line for line in result.stdout.splitlines() if line.startswith("dddd4444")]
    assert row.split()[3:] == ["research-presentation", "senior", "5m", "4.00", "complete"]


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        pytest.param([], ["cccc3333", "bbbb2222", "aaaa1111"], id="all"),
        pytest.param(["--round", "behavioral"], ["bbbb2222"], id="round"),
        pytest.param(["--level", "staff"], ["cccc3333"], id="level"),
        pytest.param(["--since", "2026-11-02"], ["cccc3333", "bbbb2222"], id="since"),
        pytest.param(["--until", "2026-11-02"], ["bbbb2222", "aaaa1111"], id="until-whole-day"),
        pytest.param(
            ["--since", "2026-11-02T09:00", "--until", "2026-11-02T09:00:01"],
            ["bbbb2222"],
            id="datetimes",
        ),
        pytest.param(["--status", "complete"], ["cccc3333", "aaaa1111"], id="complete"),
        pytest.param(["--status", "interrupted"], ["bbbb2222"], id="interrupted"),
        pytest.param(["--status", "in-progress"], [], id="in-progress"),
        pytest.param(["--status", "unscored"], ["bbbb2222"], id="unscored"),
        pytest.param(["--status", "scored"], ["aaaa1111"], id="scored"),
        pytest.param(["--status", "failed"], ["cccc3333"], id="failed"),
        pytest.param(["--status", "complete", "--status", "failed"], ["cccc3333"], id="and"),
        pytest.param(
            ["--status", "scored", "--status", "failed"], ["cccc3333", "aaaa1111"], id="or"
        ),
        pytest.param(["--min-score", "3.5"], ["aaaa1111"], id="min-score"),
        pytest.param(["--max-score", "3.4"], [], id="max-score-excludes-unscored"),
        pytest.param(["--limit", "1"], ["cccc3333"], id="limit"),
    ],
)
def test_list_filters(runner, three, args, ids):
    assert listed(runner, *args) == ids


def test_list_json_rows_are_complete_and_alone_on_stdout(runner, three, transcripts_dir):
    result = runner.invoke(app, ["list", "--json", "--round", "ml-system-design", "-n", "1"])
    assert json.loads(result.stdout) == [
        {
            "id": "cccc3333",
            "created_at": "2026-11-03T09:00:00Z",
            "round": "ml-system-design",
            "level": "staff",
            "persona": "warm-scientist",
            "interviewer": "gpt-4o-mini",
            "judge": "judge-x",
            "duration_s": 300.0,
            "status": "complete",
            "score_status": "failed",
            "overall": None,
            "hire_signal": None,
            "loop": None,
            "opening": "marketplace-recs",  # the scenario, and whether it was a re-drill
            "drill": None,
            "path": str(transcripts_dir / "cccc3333.json"),
        }
    ]


def test_list_says_when_filters_leave_nothing_and_when_rows_are_cut(runner, three):
    result = runner.invoke(app, ["list", "--round", "coding"])
    assert lines(result.stdout) == ["No sessions match these filters (3 saved)."]
    result = runner.invoke(app, ["list", "--limit", "2"])
    assert "Showing the newest 2 of 3 sessions; --limit 0 shows all." in result.stdout


def test_list_rejects_a_bad_date(runner, three):
    result = runner.invoke(app, ["list", "--since", "last tuesday"])
    assert result.exit_code == 2
    assert "'last tuesday' is not a date like 2026-11-01 or 2026-11-01T14:30" in result.output


def test_corrupt_files_are_skipped_with_a_warning_on_stderr(runner, three, transcripts_dir):
    (transcripts_dir / "junk0000.json").write_text("{not json")
    (transcripts_dir / "list0000.json").write_text("[1, 2]")
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == ["cccc3333", "bbbb2222", "aaaa1111"]
    warnings = sorted(lines(result.stderr))
    assert warnings == [
        f"warning: skipped {transcripts_dir / 'junk0000.json'}: not a valid transcript (JSON "
        "error at line 1) (restore it from a backup or delete it with 'interviewer delete')",
        f"warning: skipped {transcripts_dir / 'list0000.json'}: not an interviewer transcript "
        "(no 'version' field)",
    ]


def test_list_never_imports_a_provider_library(three, transcripts_dir):
    """A subprocess, because other tests in this process may have imported them already."""
    code = (
        "import sys; from typer.testing import CliRunner; from interviewer.cli import app; "
        f"r = CliRunner().invoke(app, ['list', '--transcripts-dir', {str(transcripts_dir)!r}]); "
        "assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('litellm', 'openai')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_parse_when_reads_dates_as_utc():
    assert parse_when("2026-11-01").isoformat() == "2026-11-01T00:00:00+00:00"
    assert parse_when("2026-11-01", end=True).isoformat() == "2026-11-02T00:00:00+00:00"
    assert parse_when("2026-11-01T10:00+02:00").isoformat() == "2026-11-01T10:00:00+02:00"


# ----------------------------------------------------------------------------- show


@pytest.fixture
def scored(store: Store) -> Transcript:
    t = session("d00d0001")
    card = scorecard(
        {"objective-metric": 4, "data-labels": None, "features": 2},
        evidence={"objective-metric": ["optimise repeat purchases within 30 days"]},
    )
    card.dimensions[2].flags.append("score has no verified evidence")
    t.scorecards.append(card)
    store.save(t)
    return t


HEADER = """\
Ml System Design · session d00d0001
2026-11-01 09:00 UTC · complete · 5m · level senior · persona warm-scientist · scenario marketplace-recs
interviewer fake-model · judge fake-judge
"""
CONVERSATION = """\
Conversation
Interviewer
  What would you optimise for the marketplace?

You
  I'd optimise repeat purchases within 30 days, not clicks.
  Then watch seller exposure.

Interviewer
  Thanks, that's time.

Scorecard"""


def test_show_prints_the_conversation_and_the_latest_scorecard(runner, scored):
    result = runner.invoke(app, ["show", "d00d"])
    assert result.exit_code == 0, result.output
    shown = lines(result.stdout)
    assert shown[:3] == HEADER.splitlines()
    start = shown.index("Conversation")  # after the scenario (see the test below)
    assert shown[start : start + 12] == CONVERSATION.splitlines()
    rows = [line for line in shown[shown.index("Scorecard") :] if line.startswith("│ ")]
    assert rows[0].split("│")[1:4] == [
        " Objective metric                   ",
        "       4/5        ",
        " “optimise repeat purchases within 30 days”                            ",
    ]
    assert any("⚠ score has no verified evidence" in row for row in rows)  # the flagged score
    assert "Overall 3.00   Hire signal lean-yes" in shown  # two decimals, as in list
    assert "judge fake-judge · this judge: not calibrated (see 'interviewer calibrate')" in shown
    tail = shown[shown.index("Strengths") :]
    assert tail == [
        "Strengths",
        "  • Framed the objective.",
        "",
        "Gaps",
        "  • No monitoring plan.",
        "",
        "Practise next",
        "  • Design a monitoring plan.",
        "  • Size the serving budget.",
        "  • Name a baseline first.",
    ]


def test_evidence_is_underlined_inside_the_candidates_words():
    text = candidate_text(ANSWER, ["optimise repeat purchases within 30 days", "seller… exposure"])
    marked = [(text.plain[s.start : s.end], str(s.style)) for s in text.spans]
    assert marked == [
        ("optimise repeat purchases within 30 days", EVIDENCE_STYLE),
        ("seller", EVIDENCE_STYLE),
        ("exposure", EVIDENCE_STYLE),
    ]


def test_show_an_unscored_session_says_how_to_score_it(runner, store):
    store.save(session("e0e00001"))
    result = runner.invoke(app, ["show", "e0e0"])
    assert lines(result.stdout)[-1] == "Not scored yet. Score it with: interviewer score e0e00001"


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        pytest.param(
            "abc",
            "error: 'abc' matches 2 sessions: abc11111, abc22222 (type more of the id)",
            id="ambiguous",
        ),
        pytest.param(
            "zzz",
            "error: no transcript matches 'zzz' in {dir} ('interviewer list' "
            "shows the saved sessions)",
            id="unknown",
        ),
    ],
)
@pytest.mark.parametrize("command", ["show", "export", "delete", "score"])
def test_ids_by_unique_prefix_only(runner, store, transcripts_dir, command, prefix, message):
    for tid in ("abc11111", "abc22222"):
        store.save(session(tid))
    result = runner.invoke(app, [command, prefix])
    assert result.exit_code == 2
    assert lines(result.stderr) == [message.format(dir=transcripts_dir)]


def test_all_scores_puts_every_judging_side_by_side(runner, scored, store):
    scored.scorecards.append(
        scorecard(
            {"objective-metric": 2, "data-labels": 3, "features": 2},
            judge="judge-b",
            at=T0 + timedelta(days=1),
        )
    )
    scored.scorecards.append(scorecard({}, status="failed", judge="judge-c"))
    store.save(scored)
    plain = runner.invoke(app, ["show", "d00d"])
    assert (
        "Scored 3 times; compare them with: interviewer show d00d0001 --all-scores" in plain.stdout
    )
    result = runner.invoke(app, ["show", "d00d", "--all-scores"])
    table = lines(result.stdout)[lines(result.stdout).index("All scorecards") :]
    cells = [[c.strip() for c in row.split("│")[1:-1]] for row in table if row.startswith("│")]
    assert cells == [
        ["judge", "fake-judge", "judge-b", "judge-c", ""],
        ["scored (UTC)", "2026-11-01 10:00", "2026-11-02 09:00", "2026-11-01 10:00", ""],
        ["prompt", "f00df00df0", "f00df00df0", "0000000000", ""],
        ["status", "scored", "scored", "failed", ""],
        ["overall", "3.00", "2.33", "—", ""],
        ["hire signal", "lean-yes", "lean-yes", "—", ""],
        ["Objective metric", "4", "2", "—", "2"],
        ["Data labels", "—", "3", "—", "—"],
        ["Features", "2", "2", "—", "0"],
    ]


LONG_WORDS = (
    "Estimated the expected dollar loss per fraudulent order and weighed it against the "
    "review team's cost per decision, unprompted, before naming any model at all."
)


def whole_words(output: str, texts: list[str], width: int) -> None:
    """Every line fits ``width`` (a longer one the terminal cuts wherever it falls), and
    every word of ``texts`` is on one line, whole."""
    from rich.cells import cell_len

    shown = output.splitlines()
    assert max(cell_len(line.rstrip()) for line in shown) <= width
    words = {w for line in shown for w in line.replace("│", " ").split()}
    missing = [w for text in texts for w in text.split() if w not in words]
    assert missing == []


@pytest.mark.parametrize("width", [80, 100])
def test_show_never_cuts_a_word_in_two(store, monkeypatch, width):
    """Long lines were left to the terminal to wrap, which cut words ("doll / ar loss")."""
    monkeypatch.setenv("COLUMNS", str(width))
    t = session("w0d00001", persona="a-persona-with-a-rather-long-name")
    t.turns[1].text = LONG_WORDS * 2
    card = scorecard({"objective-metric": 4}, practice=[LONG_WORDS])
    card.strengths, card.hire_rationale = [LONG_WORDS], LONG_WORDS
    t.scorecards.append(card)
    store.save(t)
    result = CliRunner().invoke(app, ["show", "w0d0"])
    assert result.exit_code == 0, result.output
    whole_words(result.stdout, [LONG_WORDS, "a-persona-with-a-rather-long-name"], width)


def test_a_huge_pasted_answer_wraps_between_words_too(store, monkeypatch):
    """Past 50,000 characters an answer is drawn row by row for speed; it cut each row at
    the width, inside words."""
    monkeypatch.setenv("COLUMNS", "80")
    t = session("b16a0001")
    t.turns[1].text = " ".join([LONG_WORDS] * 400)  # about 60,000 characters
    t.turns[1].text += "\n" + "x" * 200 + " tail"  # one word longer than a row: cut
    store.save(t)
    result = CliRunner().invoke(app, ["show", "b16a"])
    assert result.exit_code == 0, result.output
    whole_words(result.stdout, [LONG_WORDS, "tail"], 80)
    assert "x" * 78 in result.stdout


def test_a_score_reads_the_same_in_every_view(runner, store, transcripts_dir, tmp_path):
    """An overall of 5 read "5.0" in show and "5.00" in list: one format now, everywhere."""
    t = session("f1f10001")
    t.scorecards.append(scorecard({"objective-metric": 5, "data-labels": 5}))
    store.save(t)
    page = tmp_path / "progress.html"
    assert "5.00" in runner.invoke(app, ["list"]).stdout.splitlines()[1].split()
    assert "Overall 5.00   Hire signal" in runner.invoke(app, ["show", "f1f1"]).stdout
    assert "overall **5.00**" in runner.invoke(app, ["export", "f1f1"]).stdout
    exported = runner.invoke(app, ["export", "f1f1", "-f", "html"]).stdout
    assert "Overall <strong>5.00</strong>" in exported
    progress = runner.invoke(app, ["progress", "--html", str(page)]).stdout
    assert "Objective metric (ml-system-design): 5.00" in progress
    assert "recent average 5.00" in page.read_text()


def test_a_version_1_transcript_shows_like_a_new_one(runner, scored, transcripts_dir):
    """Version 1 kept one ``scorecard``; it is upgraded on load and shown the same way."""
    current = json.loads((transcripts_dir / "d00d0001.json").read_text())
    old = {k: v for k, v in current.items() if k != "scorecards"}
    old.update(version=1, id="01d00001", scorecard=current["scorecards"][0])
    (transcripts_dir / "01d00001.json").write_text(json.dumps(old))
    new = lines(runner.invoke(app, ["show", "d00d"]).stdout)
    result = runner.invoke(app, ["show", "01d"])
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [line.replace("d00d0001", "01d00001") for line in new]
    assert "01d00001" in listed(runner, "--status", "scored")


# --------------------------------------------------------------------------- delete


def test_delete_asks_first_and_keeps_the_session_on_no(runner, scored, transcripts_dir):
    result = runner.invoke(app, ["delete", "d00d"], input="n\n")
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        "Delete session d00d0001 (Ml System Design, 2026-11-01 09:00 UTC, complete)? [y/N]: n"
    ]
    assert lines(result.stderr) == ["Nothing deleted."]
    assert (transcripts_dir / "d00d0001.json").exists()


@pytest.mark.parametrize(
    ("args", "answer"), [pytest.param(["--yes"], None, id="--yes"), pytest.param([], "y\n", id="y")]
)
def test_delete_removes_json_markdown_and_index_row(runner, scored, transcripts_dir, args, answer):
    assert (transcripts_dir / "d00d0001.md").exists()
    result = runner.invoke(app, ["delete", "d00d", *args], input=answer)
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1] == "Deleted session d00d0001."
    assert not (transcripts_dir / "d00d0001.json").exists()
    assert not (transcripts_dir / "d00d0001.md").exists()
    index = json.loads((transcripts_dir / "index.json").read_text())
    assert index["rows"] == []
    assert listed(runner) == []


def test_a_damaged_transcript_can_still_be_deleted(runner, transcripts_dir):
    transcripts_dir.mkdir(parents=True)
    (transcripts_dir / "bad00000.json").write_text("{not json")
    result = runner.invoke(app, ["delete", "bad", "--yes"])
    assert result.exit_code == 0, result.output
    assert not (transcripts_dir / "bad00000.json").exists()


# ------------------------------------------------------------------------- re-score


def judge_reply(quote: str) -> Any:
    """A judge reply written from the request's schema, citing ``quote`` on its first dimension."""
    return schema_reply(3, quote)


def test_rescore_keeps_every_earlier_scorecard(runner, scored, respx_mock, transcripts_dir):
    reply = judge_reply("repeat purchases within 30 days")
    route = respx_mock.post(f"{BASE}/chat/completions").mock(
        side_effect=lambda request: httpx.Response(
            200, json=completion(reply(json.loads(request.content)))
        )
    )
    result = runner.invoke(
        app, ["score", "d00d", "--judge-model", "test-judge", "--judge-api-base", BASE]
    )
    assert result.exit_code == 0, result.output
    assert route.call_count == 1
    saved = json.loads((transcripts_dir / "d00d0001.json").read_text())
    assert [c["judge"]["model"] for c in saved["scorecards"]] == ["fake-judge", "test-judge"]
    assert saved["scorecards"][0] == json.loads(scored.model_dump_json())["scorecards"][0]
    assert saved["scorecards"][1]["dimensions"][0]["evidence"] == [
        "repeat purchases within 30 days"
    ]
    assert listed(runner, "--status", "scored", "--max-score", "3") == ["d00d0001"]
    both = runner.invoke(app, ["show", "d00d", "--all-scores"])
    assert "fake-judge" in both.stdout and "test-judge" in both.stdout


# --------------------------------------------------------------------------- quotes


@pytest.mark.parametrize(
    ("quote", "pieces"),
    [
        pytest.param("repeat purchases", ["repeat purchases"], id="plain"),
        pytest.param("REPEAT   Purchases", ["repeat purchases"], id="case-and-spaces"),
        pytest.param("clicks. Then watch", ["clicks.\nThen watch"], id="across-a-newline"),
        pytest.param("I’d optimise", ["I'd optimise"], id="curly-apostrophe"),
        pytest.param("“repeat purchases.”", ["repeat purchases"], id="quoted-with-punctuation"),
        pytest.param("optimise ... seller", ["optimise", "seller"], id="ellipsis-fragments"),
        pytest.param("seller … optimise", [], id="fragments-out-of-order"),
        pytest.param("repeat purchases within 60 days", [], id="not-there"),
        pytest.param("...", [], id="empty"),
    ],
)
def test_quote_spans_agree_with_quote_found(quote, pieces):
    spans = quote_spans(quote, ANSWER)
    assert [ANSWER[start:end] for start, end in spans] == pieces
    assert bool(spans) == judge.quote_found(quote, [ANSWER])


def test_overlapping_quotes_merge_into_one_highlight():
    ((start, end),) = highlight_spans(["repeat purchases", "purchases within"], ANSWER)
    assert ANSWER[start:end] == "repeat purchases within"


def test_list_fits_a_narrow_terminal(isolated, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    store = Store(isolated / "transcripts")
    store.save(transcript(id="aaaa1111", round="ml-system-design", level=Level.senior))
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert "aaaa1111" in result.stdout and "ml-system-design" in result.stdout
    assert "…" not in result.stdout
