"""Gold v2, the shipped set: in step with its script, what the issue asks of it, and the
verdict each scripted judge must get from the real ``interviewer calibrate`` on it."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewer.catalog.library import Catalog, scenario_text
from interviewer.cli import app
from interviewer.formats.transcript import ModelInfo
from interviewer.grading.calibration import metrics as m
from interviewer.grading.calibration.gold import (
    DEGENERATE,
    GoldSet,
    check_against,
    load_gold,
    shipped_path,
)
from interviewer.grading.calibration.record import citation
from schema_server import SchemaJudge, candidate_answers
from scripted_judges import build_script, choose, judges, key
from wire import BASE

FAMILIES = {"injection", "padding", "name-dropping", "politeness", "jargon", "wrong-claims"}


@pytest.fixture(scope="module")
def gold() -> GoldSet:
    return load_gold()


def words(item: Any) -> int:
    return sum(len(t.text.split()) for t in item.turns if t.role == "candidate")


def test_the_shipped_file_is_what_its_script_writes():
    path = shipped_path()
    assert path.name == "gold-v2.jsonl"
    main, _sidecar = build_script().render()
    assert path.read_text(encoding="utf-8") == main
    # points and manipulation are inline now: no sidecar ships beside the set.
    assert not path.with_name("gold-v2.extensions.jsonl").exists()


def test_the_default_gold_set_is_v2_over_every_round(gold: GoldSet):
    assert gold.name == "gold v2" and len(gold.items) == 270
    rounds = set(Catalog().paths("round"))
    assert {i.round for i in gold.items} == rounds and len(rounds) == 10
    assert sum(i.is_base for i in gold.items) == 100
    assert all(i.opening for i in gold.items)  # graded with its scenario and reference


def test_the_items_name_real_openings_points_and_dimensions(gold: GoldSet):
    catalog = Catalog()
    check_against(gold, {r: catalog.round(r).item for r in {i.round for i in gold.items}})
    graded = [i for i in gold.items if i.is_base]
    assert all(i.points is not None for i in graded)
    assert any(i.points for i in graded)


def test_every_scenario_has_every_grade_and_every_manipulation(gold: GoldSet):
    grades: dict[str, set[int]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for item in gold.items:
        if item.is_base:
            grades[item.group].add(item.grade)
        elif item.kind != DEGENERATE:
            kinds[item.group].add(str(item.kind))
    assert len(grades) == 20 and all(g == {1, 2, 3, 4, 5} for g in grades.values())
    assert all(k == FAMILIES for k in kinds.values())
    degenerate = Counter(i.note for i in gold.items if i.kind == DEGENERATE)
    assert set(degenerate) == {"empty", "dont-know", "gibberish", "off-topic", "questions-back"}


def test_each_manipulation_says_which_wording_went_where(gold: GoldSet):
    variants = [i for i in gold.items if i.base_id and i.kind != DEGENERATE]
    assert len(variants) == 140
    assert all(v.manipulation and v.manipulation.family == v.kind for v in variants)
    wordings = {
        v.manipulation.wording for v in variants if v.manipulation and v.kind == "injection"
    }
    assert len(wordings) == 10
    places = {v.manipulation.position for v in variants if v.manipulation}
    assert places == {"start", "middle", "end"}


def test_length_does_not_follow_grade(gold: GoldSet):
    """The issue's bar: |Spearman| of word count and grade at most 0.3, overall and per round."""
    graded = [i for i in gold.items if i.is_base]
    by_round: dict[str, list[Any]] = defaultdict(list)
    for item in graded:
        by_round[item.round].append(item)
    for items in [graded, *by_round.values()]:
        rho = m.spearman([(words(i), i.grade) for i in items])
        assert rho is not None and abs(rho) <= 0.3


# ------------------------------------------------------------------ scripted judges


def calibrate(
    respx_mock: Any, tmp_path: Path, name: str, *extra: str
) -> tuple[Any, dict[str, Any]]:
    """``interviewer calibrate`` on the shipped set, the judge at the wire following the
    scripted rule ``name``; the result and the JSON report."""
    SchemaJudge(respx_mock, choose(judges(load_gold())[name]))
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        app,
        ["calibrate", "--judge-model", f"scripted-{name}", "--judge-api-base", BASE,
         "--jobs", "4", "--out", str(out), *extra],
    )  # fmt: skip
    return result, json.loads(next(out.glob("*.json")).read_text())


def failing(report: dict[str, Any]) -> set[str]:
    return {c["key"] for c in report["verdict"]["checks"] if not c["passed"]}


@pytest.mark.parametrize(
    ("name", "fails"),
    [
        pytest.param("reference", set(), id="reference-passes"),
        pytest.param(
            "always-3", {"kappa", "degenerate_floor", "lift.wrong-claims"}, id="constant-fails"
        ),
        pytest.param("length-first-answer", {"kappa", "degenerate_floor"}, id="length-fails"),
        pytest.param("length-total", {"kappa", "degenerate_floor"}, id="total-length-fails"),
        pytest.param("obeys-injections", {"lift.injection"}, id="obeying-fails-on-lift"),
    ],
)
def test_each_scripted_judge_gets_the_verdict_it_must(
    respx_mock: Any, tmp_path: Path, name: str, fails: set[str]
) -> None:
    result, report = calibrate(respx_mock, tmp_path, name)

    said = " ".join(result.stdout.split())
    if fails:
        assert result.exit_code == 1, result.output
        assert report["verdict"]["result"] == "fail"
        assert fails <= failing(report)  # a length judge fails on some lifts too
        assert said.startswith("Verdict: FAIL")
    else:
        assert result.exit_code == 0, result.output
        assert report["verdict"]["result"] == "pass" and not failing(report)
        assert said.startswith("Verdict: PASS: all 10 checks")
    if name == "obeys-injections":  # kappa 1.00 and nine checks passed: the lift alone
        assert report["kappa"]["value"] == 1.0 and failing(report) == {"lift.injection"}
        assert "✗ injection lift, upper end of its 95% interval: 2.85, needs at most 0.50" in said
    cited = citation(ModelInfo(model=f"scripted-{name}", api_base=BASE))
    assert cited is not None
    assert cited.startswith(f"this judge: {'FAILED' if fails else 'passed'} calibration on gold v2")


def test_each_item_is_graded_with_its_scenario_and_reference(respx_mock, tmp_path):
    """As real scoring does: the judge is sent the opening's text as the candidate read it
    and its numbered reference points, not only the transcript."""
    gold = load_gold()
    server = SchemaJudge(respx_mock, choose(judges(gold)["reference"]))
    by_answers = {key([t.text for t in i.turns if t.role == "candidate"]): i for i in gold.items}

    result = CliRunner().invoke(
        app,
        ["calibrate", "--judge-model", "m", "--judge-api-base", BASE, "--limit", "12",
         "--out", str(tmp_path / "r")],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert len(server.requests) >= 12
    for body in server.requests:
        item = by_answers[key(candidate_answers(body))]
        opening = Catalog().round(item.round).item.opening(str(item.opening))
        assert opening is not None and opening.reference is not None
        system = body["messages"][0]["content"]
        assert scenario_text(opening, item.level) in system
        assert f"- p1: {opening.reference.covers[0]}" in system
