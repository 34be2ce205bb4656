"""What a judge's reply must be before anyone sees it, at the wire: quotes that are the
candidate's own words, enough of them, from one answer, backing one dimension or one
reference point whose detail they carry; a reply that copies the prompt's template is a
failed reply; with several samples the words shown are the median sample's, and a failed
sample is named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from builders import add, round_, transcript
from interviewer.cli import app
from interviewer.formats.transcript import FailedSample, Phase, Role, Status
from interviewer.grading.judge import TEMPLATE_FAILED, UNVERIFIED, grade
from interviewer.models import ModelSpec, make_model
from interviewer.review.markdown import transcript_markdown
from interviewer.store.transcripts import Store
from schema_server import SKIP, SchemaJudge, candidate_answers, fill
from wire import BASE, Provider

FIRST = (
    "First I would pin down the objective: repeat purchase within thirty days, because "
    "clicks reward clickbait."
)
SECOND = (
    "Then a two-stage system, candidate generation then ranking, with seller exposure as a "
    "guardrail metric."
)
DESIGN = round_()  # problem-framing, data, evaluation; points p1 to p3 (see builders)
QUOTES = {
    "problem-framing": "pin down the objective",
    "data": "repeat purchase within thirty days",
    "evaluation": "seller exposure as a guardrail metric",
}


def judge_model() -> Any:
    return make_model(ModelSpec("test-model", api_base=BASE, max_retries=0))


def interview(**fields: object):
    t = transcript(DESIGN.id, **fields)
    add(t, Role.interviewer, "What would you optimise?", phase=Phase.question)
    add(t, Role.candidate, FIRST)
    add(t, Role.interviewer, "And the system?", phase=Phase.question)
    add(t, Role.candidate, SECOND)
    return t


def judging(evidence: dict[str, list[str]], points: dict[str, str | None] | None = None):
    """A schema-filling judge: 4 on each dimension given evidence, null elsewhere."""

    def choose(path: str, body: dict[str, Any]) -> Any:
        parts = path.split(".")
        if parts[0] == "dimensions" and parts[-1] == "evidence":
            return evidence.get(parts[1], [])
        if parts[0] == "dimensions" and parts[-1] == "score":
            return 4 if parts[1] in evidence else None
        if parts[0] == "points" and len(parts) == 2:
            return (points or {}).get(parts[1])
        return SKIP

    return choose


# ------------------------------------------------------------------------- quotes

FOUR_PIECES = (
    "First I would ... the objective: repeat ... within thirty days ... clicks reward clickbait"
)


@pytest.mark.parametrize(
    ("quote", "counts", "why"),
    [
        pytest.param("pin down the objective", True, None, id="a-phrase"),
        pytest.param("pin down the ... clicks reward clickbait", True, None, id="two-pieces"),
        pytest.param("the", False, "too short", id="one-word"),
        pytest.param("repeat purchase", False, "too short", id="two-words"),
        pytest.param("a ... e ... i", False, "dropped", id="letters-joined"),
        pytest.param(
            "First I would ... pin ... the objective", False, "under 3 words", id="thin-piece"
        ),
        pytest.param(FOUR_PIECES, False, "4 pieces", id="four-pieces"),
        pytest.param("he objective: repeat purchase", False, "not found", id="half-a-word"),
        pytest.param(
            "clicks reward clickbait ... a two-stage system", False, "not found", id="two-answers"
        ),
    ],
)
def test_a_quote_counts_only_as_whole_words_enough_of_them_from_one_answer(
    respx_mock: Any, quote: str, counts: bool, why: str | None
) -> None:
    SchemaJudge(respx_mock, judging({"problem-framing": [quote]}))

    card = grade(judge_model(), DESIGN, interview(), [])

    framing = card.dimensions[0]
    assert (framing.verified, framing.evidence) == ((True, [quote]) if counts else (False, []))
    if why:
        assert any(why in flag and quote in flag for flag in framing.flags), framing.flags
        assert UNVERIFIED in framing.flags and card.overall is None


def test_one_passage_backs_one_dimension(respx_mock: Any) -> None:
    evidence = {
        "problem-framing": ["pin down the objective"],
        "data": ["pin down the objective", "the objective: repeat purchase"],  # the same words
        "evaluation": ["seller exposure as a guardrail metric"],  # other words: counts
    }
    SchemaJudge(respx_mock, judging(evidence))

    card = grade(judge_model(), DESIGN, interview(), [])

    framing, data, evaluation = card.dimensions
    assert framing.verified and evaluation.verified
    assert (data.verified, data.evidence) == (False, [])
    assert sum("already backs problem-framing" in flag for flag in data.flags) == 2
    assert card.overall == 4.0 and card.hire_signal is not None  # two of three weights


def test_one_sentence_cannot_tick_every_reference_point(respx_mock: Any) -> None:
    sentence = "repeat purchase within thirty days, because clicks reward clickbait"
    points = {"p1": sentence, "p2": sentence, "p3": sentence}
    SchemaJudge(respx_mock, judging(QUOTES_ONE, points))

    card = grade(judge_model(), DESIGN, interview(), [])

    assert [p.quote for p in card.points] == [sentence, None, None]


QUOTES_ONE = {"problem-framing": [QUOTES["problem-framing"]]}


@pytest.mark.parametrize(
    ("quote", "hit"),
    [
        pytest.param("with seller exposure as a guardrail metric", True, id="its-detail"),
        pytest.param("candidate generation then ranking", False, id="the-candidates-words-not-its"),
    ],
)
def test_a_reference_point_needs_its_own_detail_in_the_quote(
    respx_mock: Any, quote: str, hit: bool
) -> None:
    """p3 is "seller exposure as a guardrail": real words of the candidate that say
    something else do not tick it."""
    SchemaJudge(respx_mock, judging(QUOTES_ONE, {"p3": quote}))

    card = grade(judge_model(), DESIGN, interview(), [])

    assert card.points[2].quote == (quote if hit else None)


def test_the_prompt_states_the_quote_rules_with_the_codes_numbers(respx_mock: Any) -> None:
    server = SchemaJudge(respx_mock, judging(QUOTES_ONE))
    grade(judge_model(), DESIGN, interview(), [])
    system = server.requests[0]["messages"][0]["content"]
    assert "at least 3 words" in system and "at most 3 pieces" in system
    assert "at least 2 of the point's key words or numbers" in system
    assert "$" not in system.split("## Rules")[1].split("## Reply")[0]


# ----------------------------------------------------------------------- template


def template(body: dict[str, Any]) -> str:
    """What a small model returned: the prompt's skeleton, placeholders and all, every
    score the same."""

    def choose(path: str, request: dict[str, Any]) -> Any:
        if path.endswith(".score"):
            return 4
        if path.endswith(".evidence"):
            return ["<quote>"]
        if path.endswith(".reasoning"):
            return "<anchor met; clause missing>"
        if path.startswith("points."):
            return "<quote>"
        if path in ("strengths", "gaps"):
            return ["<one sentence>"]
        if path == "practice":
            return ["<step>", "<step>", "<step>"]
        if path == "hire_rationale":
            return "<two or three sentences>"
        return SKIP

    return json.dumps(fill(body["response_format"]["json_schema"]["schema"], "", choose, body))


def graded(score: int, words: str) -> Any:
    """A real grading: every dimension ``score`` on its own passage of the first answer,
    and ``words`` in the strengths, gaps, practice and rationale."""

    def make(body: dict[str, Any]) -> str:
        answer = candidate_answers(body)[0].split()
        schema = body["response_format"]["json_schema"]["schema"]
        ids = list(schema["properties"]["dimensions"]["properties"])

        def choose(path: str, request: dict[str, Any]) -> Any:
            parts = path.split(".")
            if parts[-1] == "score":
                return score
            if parts[-1] == "evidence":
                n = ids.index(parts[1])
                return [" ".join(answer[3 * n : 3 * n + 3])]
            if path in ("strengths", "gaps"):
                return [f"{words} {path}."]
            if path == "practice":
                return [f"{words} practice {n}." for n in (1, 2, 3)]
            if path == "hire_rationale":
                return f"{words} rationale."
            if parts[0] == "points" and len(parts) == 2:
                return None
            return SKIP

        return json.dumps(fill(schema, "", choose, body))

    return make


def test_a_copied_template_is_reasked_once_with_the_problem(respx_mock: Any) -> None:
    provider = Provider(respx_mock)
    provider.judge = [template, graded(3, "Real")]

    card = grade(judge_model(), DESIGN, interview(), [])

    assert card.status == "scored" and card.attempts == 2
    assert card.strengths == ["Real strengths."] and card.practice[0] == "Real practice 1."
    reask = provider.judged[1]["messages"][-1]["content"]
    assert "placeholders" in reask and '"<one sentence>"' in reask


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(template, id="the-same-template"),
        pytest.param(
            lambda body: template(body).replace("<one sentence>", "<a summary>"),
            id="a-bare-placeholder-of-its-own",
        ),
    ],
)
def test_a_template_copied_twice_is_a_failed_reply_never_shown(
    respx_mock: Any, second: Any
) -> None:
    provider = Provider(respx_mock)
    provider.judge = [template, second]

    card = grade(judge_model(), DESIGN, interview(), [])

    assert card.status == "failed" and card.attempts == 2  # re-asked once, not twice
    assert card.failure_reason.startswith(TEMPLATE_FAILED)
    assert (card.strengths, card.gaps, card.practice, card.dimensions) == ([], [], [], [])


def test_score_says_unscored_for_a_template_and_shows_none_of_it(
    respx_mock: Any, transcripts_dir: Path
) -> None:
    t = interview(status=Status.complete, round="ml-system-design")
    Store(transcripts_dir).save(t)
    Provider(respx_mock).judge = [template, template]

    result = CliRunner().invoke(
        app, ["score", t.id, "--judge-model", "judge-y", "--judge-api-base", BASE]
    )

    assert result.exit_code != 0
    output = " ".join(result.output.split())
    assert "scoring failed: the judge copied the prompt's template" in output
    saved = json.loads((transcripts_dir / f"{t.id}.json").read_text())["scorecards"][-1]
    assert saved["status"] == "failed" and saved["strengths"] == saved["practice"] == []
    shown = CliRunner().invoke(app, ["show", t.id]).output
    assert "scoring failed" in shown  # the reason may name a placeholder; no list shows one
    assert "Strengths" not in shown and "Practise next" not in shown


# ------------------------------------------------------------------------ samples


def test_the_words_shown_are_the_median_samples(respx_mock: Any) -> None:
    provider = Provider(respx_mock)
    provider.judge = [graded(2, "Low"), graded(5, "High"), graded(4, "Middle")]

    card = grade(judge_model(), DESIGN, interview(), [], samples=3)

    assert card.overall == 4.0 and card.samples == 3
    assert card.strengths == ["Middle strengths."] and card.gaps == ["Middle gaps."]
    assert card.practice[0] == "Middle practice 1." and card.hire_rationale == "Middle rationale."
    assert card.failed_samples == []


def test_a_failed_sample_is_named_not_dropped(respx_mock: Any) -> None:
    provider = Provider(respx_mock)
    provider.judge = [graded(3, "One"), template, template, graded(5, "Three")]

    card = grade(judge_model(), DESIGN, interview(), [], samples=3)

    assert card.status == "scored" and card.samples == 2
    assert card.failed_samples == [FailedSample(number=2, reason=card.failed_samples[0].reason)]
    assert card.failed_samples[0].reason.startswith(TEMPLATE_FAILED)
    assert card.strengths == ["One strengths."]  # the lower median of 3 and 5
    t = interview()
    t.scorecards.append(card)
    line = " ".join(transcript_markdown(t).split())
    assert f"median of 2 samples; sample 2 failed: {TEMPLATE_FAILED}" in line


def test_when_every_sample_fails_each_is_named(respx_mock: Any) -> None:
    Provider(respx_mock).judge = [template, template, "nope", "nope", "nope"]

    card = grade(judge_model(), DESIGN, interview(), [], samples=2)

    assert card.status == "failed"
    assert card.failure_reason.startswith(f"every sample failed: sample 1: {TEMPLATE_FAILED}")
    assert "; sample 2: the judge's reply did not validate after 3 attempts" in card.failure_reason
