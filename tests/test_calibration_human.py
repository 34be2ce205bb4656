"""`interviewer calibrate --human`: a scripted judge at the wire against a person's grades.

Two sessions graded by Ana (and one of them by Ben too); the judge's score for each
dimension is scripted, so the agreement is known: four dimension scores in common, three of
them equal, one a point harsh; "not enough evidence" from Ana on one and from the judge on
another, each counted apart and never as a grade.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from builders import T0, add, round_data, toml_text, transcript
from interviewer.cli import app
from interviewer.formats.human import HumanGrade, HumanScore
from interviewer.formats.transcript import Role, Status
from interviewer.grading.calibration.metrics import quadratic_kappa
from interviewer.store.transcripts import Store
from schema_server import SKIP, SchemaJudge, candidate_answers
from wire import BASE

ROUND = "ml-system-design"
ANSWERS = {
    "aaaa1111": "Alpha: optimise thirty-day repeat purchase, not clicks, with a holdout.",
    "bbbb2222": "Bravo: two-tower retrieval at 2,000 QPS and a ranker on purchase labels.",
}
# What the judge gives each session, dimension by dimension (None: not enough evidence).
JUDGE = {
    "Alpha:": {"problem-framing": 4, "data": 2, "evaluation": 3},
    "Bravo:": {"problem-framing": 5, "data": 3, "evaluation": None},
}
ANA = {
    "aaaa1111": {"problem-framing": 4, "data": 3, "evaluation": 3},
    "bbbb2222": {"problem-framing": 5, "data": None, "evaluation": 2},
}


def judge_rule(path: str, body: dict[str, Any]) -> Any:
    answer = candidate_answers(body)[0]
    scores = JUDGE[answer.split()[0]]
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "dimensions" and parts[1] in scores:
        score = scores[parts[1]]
        if parts[2] == "score":
            return score
        if parts[2] == "evidence":  # a passage of its own for each dimension (one backs one)
            at = 3 * list(scores).index(parts[1])
            return [" ".join(answer.split()[at : at + 3])] if score is not None else []
    return SKIP


def graded(grader: str, scores: dict[str, int | None], days: int = 1) -> HumanGrade:
    return HumanGrade(
        grader=grader,
        at=T0 + timedelta(days=days),
        scores={d: HumanScore(score=s) for d, s in scores.items()},
    )


@pytest.fixture
def user(tmp_path: Path) -> Path:
    rubrics = tmp_path / "user" / "rubrics"
    rubrics.mkdir(parents=True)
    (rubrics / f"{ROUND}.toml").write_text(toml_text(round_data()))
    return tmp_path / "user"


@pytest.fixture
def sessions(transcripts_dir: Path) -> Store:
    store = Store(transcripts_dir)
    for tid, answer in ANSWERS.items():
        t = transcript(id=tid, status=Status.complete)
        add(t, Role.interviewer, "What would you optimise for the marketplace?")
        add(t, Role.candidate, answer)
        # An earlier grading by Ana is replaced by her latest.
        t.human_grades.append(graded("Ana", {"problem-framing": 1}, days=0))
        t.human_grades.append(graded("Ana", ANA[tid]))
        if tid == "aaaa1111":
            t.human_grades.append(graded("Ben", {"problem-framing": 2, "data": 2}))
        store.save(t)
    return store


def calibrate(user: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        app,
        [
            "calibrate", "--human", "--judge-model", "test-model", "--judge-api-base", BASE,
            "--user-dir", str(user), "--jobs", "2", *extra,
        ],
    )  # fmt: skip


def said(result: Any) -> str:
    """The output in one line, without the tables' box drawing."""
    return " ".join(re.sub("[\u2500-\u257f]", " ", result.output).split())


def test_the_judge_is_measured_against_the_person_who_graded(respx_mock, user, sessions):
    judge = SchemaJudge(respx_mock, judge_rule)

    result = calibrate(user, "--grader", "Ana")

    assert result.exit_code == 0, result.output
    assert len(judge.requests) == 2  # each session judged once, as real scoring judges it
    kappa = quadratic_kappa([(4, 4), (3, 2), (3, 3), (5, 5)])
    assert kappa is not None and f"{kappa:.2f}" == "0.88"
    text = said(result)
    assert (
        f"This judge agrees with Ana on 4 dimension scores (2 sessions): kappa {kappa:.2f}" in text
    )
    assert "exact agreement 75%, within one 100%, leniency -0.25." in text
    # Per dimension: problem framing both times, data and evaluation once each.
    assert "problem-framing 2 1.00 100% +0.00" in text
    assert "data 1 0.00 0% -1.00" in text
    assert "evaluation 1 undefined 100% +0.00" in text
    assert (
        "Counted apart, never as a grade: not enough evidence said by Ana only: 1, "
        "by the judge only: 1, by both: 0." in text
    )
    assert "Ben" not in text


def test_every_grader_is_measured_apart(respx_mock, user, sessions):
    judge = SchemaJudge(respx_mock, judge_rule)

    result = calibrate(user)

    assert result.exit_code == 0, result.output
    assert len(judge.requests) == 2  # session aaaa1111 is judged once for both graders
    text = said(result)
    assert "This judge agrees with Ana on 4 dimension scores (2 sessions)" in text
    # Ben: (2, 4) and (2, 2); one exact, the judge 1.00 more lenient on average.
    assert "This judge agrees with Ben on 2 dimension scores (1 session)" in text
    assert "exact agreement 50%, within one 50%, leniency +1.00." in text


def test_no_human_graded_sessions_say_how_to_make_some(user, transcripts_dir):
    result = calibrate(user)

    assert result.exit_code != 0
    assert "no sessions graded in" in said(result)
    assert "grade some first: interviewer grade ID" in said(result)


def test_a_grader_with_no_grades_is_named(user, sessions):
    result = calibrate(user, "--grader", "Zoe")

    assert result.exit_code != 0
    assert "no sessions graded by Zoe" in said(result)


def test_grader_needs_human(user):
    result = calibrate_gold_with_grader(user)
    assert result.exit_code != 0
    assert "--grader goes with --human" in said(result)


def calibrate_gold_with_grader(user: Path) -> Any:
    return CliRunner().invoke(
        app, ["calibrate", "--judge-model", "m", "--user-dir", str(user), "--grader", "Ana"]
    )


def test_gold_options_are_refused_with_human(user, sessions):
    result = calibrate(user, "--limit", "3")

    assert result.exit_code != 0
    assert "--limit: for a gold set, not for --human" in said(result)
