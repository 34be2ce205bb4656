"""The teaching loop through the real CLI: next, plan, drill, and the feedback after a
scripted round; a re-drill end to end against a loopback server with a judge."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewer.catalog.library import Catalog
from interviewer.cli import app
from interviewer.formats.transcript import Transcript
from loopback import Loopback
from schema_server import PRACTICE, SKIP, candidate_answers, fill


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def said(text: str) -> str:
    return " ".join(text.split())  # however rich wrapped it


def transcripts(folder: Path) -> list[Transcript]:
    files = [p for p in folder.glob("*.json") if p.name != "index.json"]
    found = [Transcript.model_validate_json(p.read_text()) for p in files]
    return sorted(found, key=lambda t: t.created_at)


# ---------------------------------------------------------------- help and mistakes


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("next", "weakest dimension"),
        ("drill", "attempt and re-attempt side by side"),
        ("plan", "every round of the loop"),
    ],
)
def test_every_command_says_what_it_does(runner, command, words):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and words in said(result.stdout)


def in_days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "ml-enginer", "--until", in_days(9)], "no loop named 'ml-enginer' (did you mean 'ml-engineer'?"),
        (["plan", "ml-engineer", "--until", in_days(0)], "is not after today"),
        (["plan", "ml-engineer", "--until", in_days(-3)], "is not after today"),
        (["plan", "ml-engineer", "--until", "20/12/2026"], "--until '20/12/2026' is not a date (write it as YYYY-MM-DD"),
        (["plan", "ml-engineer"], "--until DATE is needed with a loop"),
        (["next", "--loop", "nope", "--dry-run"], "no loop named 'nope'"),
        (["drill"], "no session to re-drill yet (practise a round first"),
    ],
    ids=["unknown-loop", "today", "past", "malformed", "no-date", "next-loop", "drill-fresh"],
)  # fmt: skip
def test_bad_input_is_one_line_with_its_fix(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output


def test_on_a_fresh_folder_next_starts_with_the_loops_first_round(runner, transcripts_dir):
    result = runner.invoke(app, ["next", "--dry-run"])
    assert result.exit_code == 0, result.output
    out = said(result.stdout)
    assert out.startswith("Next: ML fundamentals")
    assert "no sessions yet in this loop's rounds: its first round, ML fundamentals" in out
    assert not transcripts_dir.exists() or not list(transcripts_dir.glob("*.json"))
    result = runner.invoke(app, ["plan"])
    assert result.exit_code == 0 and "No plan yet" in result.stdout


def test_a_plan_is_saved_followed_by_next_and_shown_against_what_was_done(runner, transcripts_dir):
    result = runner.invoke(app, ["plan", "research-scientist", "--until", in_days(10)])
    assert result.exit_code == 0, result.output
    saved = json.loads((transcripts_dir / "plan" / "plan.json").read_text())
    assert saved["loop"] == "research-scientist" and len(saved["days"]) == 10
    loop = Catalog().loop("research-scientist").item
    planned = [i["round"] for d in saved["days"] for i in d["items"]]
    assert set(planned) >= {r.round for r in loop.rounds}
    assert [p.name for p in (transcripts_dir / "plan").iterdir()] == ["plan.json"]  # no stray

    result = runner.invoke(app, ["next", "--dry-run"])
    first = Catalog().round(planned[0]).item
    assert said(result.stdout).startswith(f"Next: {first.title}")
    assert "today's plan" in said(result.stdout)

    answers = "I would start from the question the paper asks.\n\n/end\n"
    result = runner.invoke(app, ["next"], input=answers)
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["progress"])
    out = said(result.stdout)
    assert "1 of 10 sessions done" in out and "✓ done" in out
    assert "No scored sessions yet" in out  # a scripted round: planned and done, unscored


def test_an_unknown_dimension_is_named_with_the_rounds_own(runner, transcripts_dir):
    runner.invoke(app, ["practice", "behavioral"], input="I led it.\n\n/end\n")
    result = runner.invoke(app, ["drill", "--dimension", "ownershp", "--dry-run"])
    assert result.exit_code == 2
    assert (
        "--dimension 'ownershp': round behavioral has no such dimension (did you mean 'ownership'?"
        in said(result.stderr)
    )


# ------------------------------------------------------- a scripted round's feedback


def test_a_scripted_round_ends_with_the_points_made_in_their_words_unscored(runner):
    answers = [
        "Chargebacks arrive up to 90 days late, so I train on matured labels with a maturity window.",
        "",
        "The decision is approve or decline.",
        "",
        "/end",
    ]
    result = runner.invoke(
        app,
        ["practice", "ml-system-design", "--opening", "payments-fraud"],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    out = said(result.stdout)
    feedback = out[out.index("What a strong answer covered") :]
    assert feedback.startswith(
        "What a strong answer covered (unscored: matched to your own sentences"
    )
    assert "✓ Handles the chargeback delay of up to 90 days" in feedback
    assert f"you said: “{answers[0]}”" in feedback  # their sentence, word for word
    assert "✗ Proposes velocity and aggregate features per card" in feedback
    assert "✓ Frames the decision as approve, decline or review" in feedback
    assert "you said: “The decision is approve or decline.”" in feedback
    assert "You made 2 of 9 points." in feedback
    assert out.index("Interview complete") < out.index("What a strong answer covered")


# ------------------------------------------------------------------ a re-drill, end to end


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback("Where do the labels come from, and when do they arrive?", pause_s=0)
    loopback.start()
    yield loopback
    loopback.stop()


def judge_scoring(dimension: str, scores: list[int]) -> Any:
    """A judge that scores ``dimension`` (the next of ``scores``) on the candidate's first
    answer, and leaves every other dimension without a score."""

    def reply(body: dict[str, Any]) -> str:
        schema = body["response_format"]["json_schema"]["schema"]
        quote = candidate_answers(body)[0].split(".")[0]
        score = scores.pop(0)
        fixed = {
            f"dimensions.{dimension}.score": score,
            f"dimensions.{dimension}.evidence": [quote],
            "strengths": ["Names the label source."],
            "gaps": ["Little on label delay."],
            "practice": PRACTICE,
            "hire_rationale": "One area only.",
        }

        def choose(path: str, request: dict[str, Any]) -> Any:
            if path in fixed:
                return fixed[path]
            if path.endswith(".score"):
                return None
            if path.endswith(".reasoning"):
                return "Read from the answers."
            return SKIP

        return json.dumps(fill(schema, "", choose, body))

    return reply


def test_a_redrill_runs_end_to_end_and_shows_attempt_beside_re_attempt(
    runner, server, transcripts_dir
):
    model = ["--model", "stub", "--api-base", server.base]
    server.judge = judge_scoring("data-labels", [2, 4])
    first = "We would use last month's transactions as labels. Fraud shows up later."
    result = runner.invoke(
        app,
        ["practice", "ml-system-design", "--opening", "payments-fraud", *model],
        input=f"{first}\n\n/end\n",
    )
    assert result.exit_code == 0, result.output
    (original,) = transcripts(transcripts_dir)
    assert f"Re-drill the weak spot now: interviewer drill {original.id}" in said(result.stdout)

    again = "Chargebacks are the labels and arrive up to 90 days later. So I train on matured data."
    result = runner.invoke(app, ["drill", *model], input=f"{again}\n\n/end\n")
    assert result.exit_code == 0, result.output
    drilled = transcripts(transcripts_dir)[-1]
    assert drilled.drill is not None and drilled.drill.of == original.id
    assert drilled.drill.dimension == "data-labels"
    assert drilled.opening != "payments-fraud" and drilled.plan == [drilled.drill.area]
    assert drilled.probed == ["data-labels"]  # one area, scored on its own dimension
    card = drilled.scorecards[-1]
    assert [(d.dimension, d.score) for d in card.dimensions if d.score] == [("data-labels", 4)]

    out = said(result.stdout)
    assert out.startswith("Re-drill: Data and label understanding")
    assert "your lowest score in session" in out
    table = out[out.index("attempt and re-attempt") :]
    assert original.id in table and drilled.id in table
    assert "2/5" in table and "4/5" in table
    assert "month's" in table and "Chargebacks" in table  # their words, each side
    # What a strong answer covers comes after the attempt, never before, and never to the
    # interviewer model.
    opening = next(
        o for o in Catalog().round("ml-system-design").item.openings if o.id == drilled.opening
    )
    point = said(opening.reference.covers[0])
    drill_out = out[: out.index("attempt and re-attempt")]
    assert point in drill_out
    assert drill_out.index(point) > drill_out.index("Interview complete")
    sent = json.dumps([b for b in server.bodies if b.get("stream")])
    assert opening.reference.covers[0] not in sent


def test_a_drill_asks_its_one_area_at_once_and_a_resume_keeps_it_so():
    from datetime import UTC, datetime

    from interviewer.catalog.library import read_steps
    from interviewer.formats.levels import Level
    from interviewer.formats.transcript import Drill, ModelInfo
    from interviewer.interview.session import Session, Speaker
    from interviewer.interview.start import begin, reopen

    mark = Drill(of="abcd1234", dimension="data-labels", area="data-labels")
    scripted = ModelInfo(model="scripted")
    interview = begin(Catalog(), round_name="ml-system-design", persona_name="warm-scientist",
                      level=Level.senior, interviewer=scripted, judge=scripted, files={},
                      opening_id="ads-ctr", drill=mark)  # fmt: skip
    t, round_ = interview.transcript, interview.round.item
    assert t.drill == mark and t.plan == ["data-labels"]
    assert Catalog().round("ml-system-design").item.moves.start  # a neutral start, skipped
    assert round_.moves.start == "" and round_.moves.framing is None
    assert round_.budget.minutes == 12
    opening = next(o for o in round_.openings if o.id == "ads-ctr")
    session = Session(round_, opening, t, read_steps(), Speaker("Maya", "Scientist", "Hi."))
    first = session.next_step(datetime.now(UTC))
    assert round_.topic("data-labels").question in first.say
    again = reopen(Catalog(), t, print).round.item
    assert again.moves == round_.moves and again.budget == round_.budget


def test_next_reads_the_saved_history_and_targets_its_weakest_dimension(runner, transcripts_dir):
    """Scored sessions in the folder, as a judge left them: the index gives the history,
    and next names the weak dimension, its score and a scenario not held recently."""
    from datetime import UTC, datetime

    from builders import scorecard, transcript
    from interviewer.formats.transcript import Status
    from interviewer.store.transcripts import Store

    store = Store(transcripts_dir)
    now = datetime.now(UTC)
    held = [
        ("c0ffee01", "coding", "kmeans", {"correctness": 4, "clarity": 4}),
        ("d0e5a1b2", "ml-system-design", "payments-fraud", {"problem-framing": 4, "data-labels": 1}),
    ]  # fmt: skip
    for n, (sid, round_id, opening, scores) in enumerate(held):
        when = now - timedelta(days=2 - n)
        t = transcript(round_id, id=sid, opening=opening, status=Status.complete,
                       created_at=when, updated_at=when)  # fmt: skip
        t.scorecards.append(scorecard(scores))
        store.save(t)
    result = runner.invoke(app, ["next", "--dry-run"])
    assert result.exit_code == 0, result.output
    out = said(result.stdout)
    assert out.startswith("Next: ML system design")
    assert "Data and label understanding in ML system design is your weakest: last scored 1" in out
    assert "Fraud detection for card payments" not in out  # held yesterday: not again
    result = runner.invoke(app, ["drill", "--dry-run"])  # the latest session, its lowest score
    assert said(result.stdout).startswith("Re-drill: Data and label understanding")


def test_ending_a_scripted_round_before_any_answer_shows_no_strong_answer(runner):
    result = runner.invoke(
        app, ["practice", "ml-system-design", "--opening", "payments-fraud"], input="/end\n"
    )
    assert result.exit_code == 0, result.output
    assert "What a strong answer covered" not in result.stdout
    assert "chargeback" not in result.stdout.lower()  # no reference point leaks
