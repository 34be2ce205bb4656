"""A track changes what a round weighs: the plan, the interviewer's bar and the judge's.

Each round file says, per track, the weights of its dimensions, the follow-ups it adds to or
takes from an area, and the bar the interviewer and the judge are told
(``Round.for_track``); ``interviewer rounds show ROUND --track T`` says how.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from builders import transcript
from interviewer.catalog.library import Catalog, check_file
from interviewer.catalog.plan import coverage_problems, followup_budget, plan_topics
from interviewer.cli import app
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Round
from interviewer.formats.transcript import ModelInfo
from interviewer.grading.prompt import grading_prompt
from interviewer.interview.conversation import system_prompt
from interviewer.interview.session import Speaker
from interviewer.interview.start import begin
from rounds import design_data, write_round
from wire import BASE, Provider

TRACKS = ("research-scientist", "ml-engineer", "applied-scientist")
CODING = Catalog().round("coding").item


def plan_of(round_: Round, opening_id: str, level: Level) -> list[tuple[str, int]]:
    """What the interviewer will do: each area it runs, with its follow-ups at ``level``."""
    opening = round_.opening(opening_id)
    assert opening is not None
    return [
        (topic_id, followup_budget(round_, round_.topic(topic_id), level))  # type: ignore[arg-type]
        for topic_id in plan_topics(round_, opening)
    ]


def judge_prompt(round_: Round, opening_id: str, level: Level, track: str | None) -> str:
    ran = round_.for_track(track)
    t = transcript(round_.id, opening=opening_id, level=level, track=track)
    return grading_prompt(ran, t, ran.opening(opening_id), [], "n0nce")


def interviewer_prompt(round_: Round, opening_id: str, level: Level, track: str | None) -> str:
    ran = round_.for_track(track)
    persona = Catalog().persona("warm-scientist").item
    speaker = Speaker(persona.name, persona.title, persona.greeting)
    opening = ran.opening(opening_id)
    assert opening is not None
    return system_prompt(ran, persona, speaker, level, track, opening, [], "n0nce")


# ------------------------------------------------------------------- what changes


@pytest.mark.parametrize(
    ("round_id", "opening_id"),
    [
        pytest.param("coding", "numpy-attention", id="coding"),
        pytest.param("ml-system-design", "marketplace-recs", id="design"),
        pytest.param("experimentation", None, id="experimentation"),
        pytest.param("ml-fundamentals", None, id="fundamentals"),
    ],
)
def test_a_track_and_a_level_change_the_plan_and_the_judges_prompt(round_id, opening_id):
    round_ = Catalog().round(round_id).item
    opening_id = opening_id or round_.openings[0].id
    plans = {
        (track, level): plan_of(round_.for_track(track), opening_id, level)
        for track in (None, *TRACKS)
        for level in Level
    }
    prompts = {
        (track, level): judge_prompt(round_, opening_id, level, track)
        for track in (None, *TRACKS)
        for level in Level
    }
    for level in Level:  # every track its own bar, and the plan changes with a track
        assert len({prompts[track, level] for track in (None, *TRACKS)}) == 4, level
        assert len({str(plans[track, level]) for track in (None, *TRACKS)}) >= 2, level
    for track in (None, *TRACKS):  # and every level, on every track
        assert len({str(plans[track, level]) for level in Level}) == 3, track
        assert len({prompts[track, level] for level in Level}) == 3, track
    for track in TRACKS:
        bar = round_.tracks[track].bar
        assert bar in prompts[track, Level.staff] and bar not in prompts[None, Level.staff]
        assert bar in interviewer_prompt(round_, opening_id, Level.junior, track)


def test_each_track_runs_its_own_plan_of_the_coding_round():
    plans = {
        track: plan_of(CODING.for_track(track), "numpy-attention", Level.senior)
        for track in (None, *TRACKS)
    }
    assert len({str(plan) for plan in plans.values()}) == 4, plans


def test_the_research_track_weighs_correct_implementation_and_the_engineer_track_production():
    """The coding round as the seeds draw the two tracks: a research scientist is held to
    implementing a method correctly, an ML engineer to production-grade code."""
    research, engineer = CODING.for_track("research-scientist"), CODING.for_track("ml-engineer")

    def weight(round_: Round, dim: str) -> float:
        found = round_.dimension(dim)
        assert found is not None
        return found.weight

    assert weight(research, "correctness") > weight(CODING, "correctness")
    assert weight(research, "complexity-awareness") < weight(CODING, "complexity-awareness")
    assert weight(engineer, "complexity-awareness") > weight(CODING, "complexity-awareness")
    assert weight(engineer, "clarity") > weight(research, "clarity")
    senior = Level.senior
    assert dict(plan_of(research, "numpy-attention", senior))["numerical-care"] == 3
    assert dict(plan_of(engineer, "numpy-attention", senior))["complexity"] == 3
    assert dict(plan_of(research, "numpy-attention", senior))["complexity"] == 1
    prompt = judge_prompt(CODING, "numpy-attention", senior, "research-scientist")
    assert "### correctness: Correctness (weight 2.5)" in prompt
    assert "On the research scientist track: Implementing a method correctly" in prompt


def test_the_track_decides_between_areas_that_reach_as_many_dimensions():
    data = design_data(
        budget={
            "minutes": 45,
            "max_candidate_turns": 30,
            "followups_per_topic": 1,
            "topics_per_session": 2,
        },
        tracks={"evaluator": {"bar": "Evaluation first.", "weights": {"evaluation": 3.0}}},
    )
    round_ = Round.model_validate(data)
    recs = round_.opening("recs")
    assert recs is not None
    assert plan_topics(round_, recs) == ["framing", "data"]
    assert plan_topics(round_.for_track("evaluator"), recs) == ["framing", "evaluation"]


def test_a_track_the_round_does_not_name_changes_nothing_and_applying_twice_is_once():
    assert CODING.for_track("data-wizard") is CODING and CODING.for_track(None) is CODING
    once = CODING.for_track("ml-engineer")
    assert once.for_track("ml-engineer") == once
    assert once.level_expectations.staff.count(CODING.tracks["ml-engineer"].bar) == 1


def test_a_session_on_a_track_plans_prompts_and_scores_by_it(isolated):
    """begin() hands the session, the interviewer and the judge the round as the track runs
    it; the transcript records the track, so a resume or a re-score reads it the same way."""
    interview = begin(
        Catalog(),
        round_name="coding",
        persona_name="warm-scientist",
        level=Level.senior,
        interviewer=ModelInfo(model="fake-model"),
        judge=ModelInfo(model="fake-model"),
        files={},
        opening_id="numpy-kmeans",
        track="research-scientist",
    )
    ran = interview.round.item
    assert interview.transcript.track == "research-scientist"
    assert ran.dimension("correctness").weight == 2.5  # type: ignore[union-attr]
    assert interview.round.sha256 == Catalog().round("coding").sha256  # the file's own hash


# ------------------------------------------------------------------------ the file


def test_a_track_that_names_an_unknown_dimension_or_area_is_refused():
    with pytest.raises(ValidationError, match=r"tracks\.x\.weights names unknown dimensions: nope"):
        Round.model_validate(design_data(tracks={"x": {"bar": "b", "weights": {"nope": 2.0}}}))
    with pytest.raises(ValidationError, match=r"tracks\.x\.followups names unknown topics: gone"):
        Round.model_validate(design_data(tracks={"x": {"bar": "b", "followups": {"gone": 1}}}))


def test_check_names_a_track_whose_follow_ups_overrun_the_budget(tmp_path: Path):
    folder = write_round(
        tmp_path,
        budget={
            "minutes": 45,
            "max_candidate_turns": 14,
            "followups_per_topic": 1,
            "topics_per_session": 3,
        },
        tracks={"deep": {"bar": "Go deep.", "followups": {"framing": 3, "data": 3}}},
    )
    problems = check_file(folder / "rubrics" / "mini-design.toml", Catalog(folder)).problems
    assert problems and all("tracks.deep: openings." in p for p in problems), problems
    assert "a staff-level session needs" in problems[0]


@pytest.mark.parametrize("round_entry", Catalog().rounds(), ids=lambda e: e.item.id)
def test_every_shipped_round_is_weighed_by_every_track(round_entry):
    """Each round says how each of the three tracks weighs it, and every track's plan still
    reaches every dimension within the answer budget (coverage_problems checks both)."""
    round_ = round_entry.item
    assert set(round_.tracks) == set(TRACKS)
    assert coverage_problems(round_) == []
    for track, emphasis in round_.tracks.items():
        assert emphasis.weights or emphasis.followups, track


# ------------------------------------------------------------------ the commands


def test_rounds_show_says_what_a_track_changes():
    shown = CliRunner().invoke(
        app, ["rounds", "show", "coding", "--track", "research-scientist"], env={"COLUMNS": "200"}
    )
    assert shown.exit_code == 0, shown.output
    text = shown.stdout
    assert "On the research-scientist track: Implementing a method correctly" in text
    assert "weight of correctness" in text and "2.5" in text
    assert "follow-ups on numerical-care" in text
    assert "Correctness (weight 2.5)" in text
    plain = CliRunner().invoke(app, ["rounds", "show", "coding"], env={"COLUMNS": "200"}).stdout
    assert "Tracks that change this round: ml-engineer, research-scientist" in plain
    assert "Correctness (weight 2)" in plain
    other = (
        CliRunner()
        .invoke(app, ["rounds", "show", "coding", "--track", "data-wizard"], env={"COLUMNS": "200"})
        .stdout
    )
    assert "The data-wizard track changes nothing in this round" in other


def test_practice_on_a_track_tells_the_interviewer_its_bar(respx_mock, isolated):
    provider = Provider(respx_mock)
    provider.interviewer = ["Q?", "Q?"]
    for track in ("research-scientist", "ml-engineer"):
        CliRunner().invoke(
            app,
            ["practice", "coding", "--track", track, "--model", "test-model", "--api-base", BASE],
            input="/pause\n",
        )
    research, engineer = (r["messages"][0]["content"] for r in provider.streamed)
    assert CODING.tracks["research-scientist"].bar in research
    assert CODING.tracks["ml-engineer"].bar in engineer
    assert CODING.tracks["ml-engineer"].bar not in research
