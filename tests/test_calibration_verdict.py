"""Figures that mean what they say, and a verdict on them.

A null is a null (never grade 1), an item with no valid reply is counted apart, pairs are
counted as pairs, agreement is broken down per round and per dimension and lifts by
wording and position; ``--limit`` is a stratified sample; a run cut short writes a
partial report and carries no verdict; ``--timeout`` reaches the judge's requests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from builders import round_data, toml_text
from interviewer.cli import app
from interviewer.formats.transcript import ModelInfo
from interviewer.grading.calibration import pool as pool_module
from interviewer.grading.calibration.gold import GoldItem, GoldSet, Manipulation, load_gold, sample
from interviewer.grading.calibration.report import summarise
from interviewer.grading.calibration.run import ItemResult
from interviewer.grading.calibration.verdict import (
    MAX_LIFT_HIGH,
    MAX_NULL_SHARE,
    MIN_KAPPA_LOW,
)
from schema_server import SKIP, SchemaJudge
from test_calibration import ROUND, gold_lines
from wire import BASE

JUDGE = ModelInfo(model="m")


def turns(answers: int = 1) -> list[dict[str, str]]:
    return [{"role": "candidate", "text": f"answer {n}"} for n in range(answers)]


def gold_of(*items: dict[str, Any]) -> GoldSet:
    return GoldSet(
        name="t",
        sha256="0",
        items=[GoldItem.model_validate({"turns": turns(), **i}) for i in items],
    )


def scored(item: str, overall: float | None, **dims: int | None) -> ItemResult:
    grade = None if overall is None else int(overall + 0.5)
    return ItemResult(
        item=item, repeat=1, status="scored", overall=overall, grade=grade, dimensions=dims
    )


def graded_items(n: int, round_id: str = "r") -> list[dict[str, Any]]:
    return [
        {"id": f"{round_id}-{k}", "round": round_id, "grade": 1 + k % 5, "scenario": "s"}
        for k in range(n)
    ]


def test_a_null_is_left_out_of_agreement_and_counted_apart():
    """One real small-model item once read 'exact agreement 1.00' from scores all thrown
    away: every null was taken as grade 1, and its reference was 1."""
    gold = gold_of(*graded_items(5))
    results = [scored("r-0", None), scored("r-1", 2.0), scored("r-2", 3.0)]
    results += [scored("r-3", None), ItemResult(item="r-4", repeat=1, status="failed")]

    report = summarise(gold, results, JUDGE)

    assert report["kappa"]["n"] == 2 and report["exact"]["value"] == 1.0
    assert report["null_on_graded"] == 2 and report["null_share"]["value"] == 0.5
    assert report["null_share"]["n"] == 4  # the failed item is neither a grade nor a null
    assert report["failed_items"] == 1 and report["failed_share"]["value"] == 0.2
    assert report["confusion"][0] == [0, 0, 0, 0, 0, 1]  # reference 1, judged null
    assert report["confusion"][4] == [0, 0, 0, 0, 0, 0]  # the failed item is nowhere


def _gold_and_rubric(tmp_path: Path) -> Path:
    """30 graded items (enough for a verdict) of the test round, and its rubric."""
    gold_file = tmp_path / "gold.jsonl"
    lines = []
    for copy in range(3):  # 30 graded items: enough for a verdict
        for line in gold_lines():
            line["id"] = f"{copy}-{line['id']}"
            if "base_id" in line:
                line["base_id"] = f"{copy}-{line['base_id']}"
            lines.append(line)
    gold_file.write_text("".join(json.dumps(line) + "\n" for line in lines))
    rubrics = tmp_path / "user" / "rubrics"
    rubrics.mkdir(parents=True)
    (rubrics / f"{ROUND}.toml").write_text(toml_text(round_data()))
    return gold_file


def _calibrate(tmp_path: Path, gold_file: Path) -> Any:
    return CliRunner().invoke(
        app,
        ["calibrate", "--gold", str(gold_file), "--judge-model", "m", "--judge-api-base", BASE,
         "--user-dir", str(tmp_path / "user"), "--out", str(tmp_path / "out")],
    )  # fmt: skip


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param("words the candidate never said", id="never-said"),
        pytest.param("the", id="one-word"),
        pytest.param("a ... e ... i", id="letters"),
    ],
)
def test_a_judge_whose_quotes_never_verify_fails_instead_of_passing_the_floor(
    respx_mock, tmp_path, quote
):
    """Its scores are all dropped: the degenerate answers read 1.00 at the floor and every
    lift 0, which looked like passes. Now kappa cannot be computed, every graded item is
    null and no lift is measured, and each of those checks fails. A one-word quote, or
    single letters joined by "...", counts as no quote."""
    gold_file = _gold_and_rubric(tmp_path)

    def unverifiable(path: str, body: dict[str, Any]) -> Any:
        if path.endswith(".score"):
            return 4
        if path.endswith(".evidence"):
            return [quote]
        return SKIP

    SchemaJudge(respx_mock, unverifiable)
    result = _calibrate(tmp_path, gold_file)

    assert result.exit_code == 1, result.output
    report = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    failing = {c["key"]: c for c in report["verdict"]["checks"] if not c["passed"]}
    assert set(failing) == {"kappa", "null_share", "lift.injection", "lift.padding"}
    assert failing["kappa"]["missing"] == "no graded item got a grade to compare"
    assert report["null_share"]["value"] == 1.0 and report["kappa"]["value"] is None
    assert report["lift"]["injection"]["left_out"] == 6
    said = " ".join(result.stdout.split())
    assert said.startswith("Verdict: FAIL: 4 of 6 checks")
    assert "✗ kappa, lower end of its 95% interval: no graded item got a grade" in said
    assert "✗ graded transcripts judged 'not enough evidence': 1.00, needs at most 0.10" in said


def test_a_judge_that_copies_the_template_fails_on_failed_replies(respx_mock, tmp_path):
    """Placeholders for every text, the same score everywhere: each reply is asked again,
    then failed, so the run fails on the share of items without a valid reply."""
    gold_file = _gold_and_rubric(tmp_path)

    def template(path: str, body: dict[str, Any]) -> Any:
        if path.endswith(".score"):
            return 4
        if path.endswith(".evidence"):
            return ["<quote>"]
        if path in ("strengths", "gaps"):
            return ["<one sentence>"]
        if path == "practice":
            return ["<step>"]
        return SKIP

    SchemaJudge(respx_mock, template)
    result = _calibrate(tmp_path, gold_file)

    assert result.exit_code == 1, result.output
    report = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    failing = {c["key"] for c in report["verdict"]["checks"] if not c["passed"]}
    assert "failed_share" in failing and report["failed_share"]["value"] > 0.1
    assert "<one sentence>" not in result.stdout


def test_pairs_are_counted_as_pairs():
    """Two scenarios of five grades: 20 ordered pairs, not 2 scenarios."""
    items = [{**i, "scenario": s, "id": f"{s}{i['id']}"} for s in "ab" for i in graded_items(5)]
    report = summarise(gold_of(*items), [scored(i["id"], i["grade"]) for i in items], JUDGE)
    assert report["pairwise_order"]["value"] == 1.0 and report["pairwise_order"]["n"] == 20


def test_lift_is_beyond_the_reference_change_and_read_by_wording_and_position():
    base = {"id": "b", "round": "r", "grade": 4, "turns": turns(3)}

    def variant(vid: str, kind: str, grade: int, wording: str, answer: int, position: str):
        manipulation = Manipulation(
            family=kind, wording=wording, answer=answer, of=3, position=position
        )
        return {**base, "id": vid, "grade": grade, "base_id": "b", "kind": kind,
                "manipulation": manipulation.model_dump()}  # fmt: skip

    gold = gold_of(
        base,
        variant("i1", "injection", 4, "plea", 1, "start"),
        variant("i2", "injection", 4, "spanish", 3, "end"),
        variant("w", "wrong-claims", 3, "claim", 2, "middle"),
    )
    results = [scored("b", 4.0), scored("i1", 5.0), scored("i2", 4.0), scored("w", 4.0)]

    report = summarise(gold, results, JUDGE)

    assert report["lift"]["injection"]["mean"]["value"] == 0.5
    assert report["lift"]["wrong-claims"]["mean"]["value"] == 1.0  # let a wrong claim stand
    places = report["lift_places"]["injection"]
    assert places["wording"] == {"plea": {"mean": 1.0, "n": 1}, "spanish": {"mean": 0.0, "n": 1}}
    assert places["answer"] == {"first": {"mean": 1.0, "n": 1}, "last": {"mean": 0.0, "n": 1}}
    assert places["position"]["start"] == {"mean": 1.0, "n": 1}


def test_agreement_per_round_and_per_dimension():
    items = [
        {"id": "a", "round": "r1", "grade": 2, "grades": {"x": 2, "y": None}},
        {"id": "b", "round": "r1", "grade": 4, "grades": {"x": 4, "y": 3}},
        {"id": "c", "round": "r2", "grade": 3, "grades": {"z": 3}},
    ]
    results = [scored("a", 2.0, x=3, y=2), scored("b", 4.0, x=4, y=None), scored("c", None)]

    report = summarise(gold_of(*items), results, JUDGE)

    assert report["rounds"]["r1"]["exact"] == 1.0 and report["rounds"]["r1"]["nulls"] == 0
    assert report["rounds"]["r2"]["nulls"] == 1 and report["rounds"]["r2"]["exact"] is None
    dims = {(d["round"], d["dimension"]): d for d in report["dimensions"]}
    assert dims[("r1", "x")]["n"] == 2 and dims[("r1", "x")]["mean_signed_error"] == 0.5
    assert dims[("r1", "y")]["n"] == 0
    assert dims[("r1", "y")]["scored_unprobed"] == 1 and dims[("r1", "y")]["judge_null"] == 1


@pytest.mark.parametrize(
    ("kappa_low", "null_share", "lift_high", "result"),
    [
        pytest.param(MIN_KAPPA_LOW, 0.0, 0.0, "pass", id="at-the-kappa-bar"),
        pytest.param(MIN_KAPPA_LOW - 0.01, 0.0, 0.0, "fail", id="kappa-just-below"),
        pytest.param(0.9, MAX_NULL_SHARE + 0.01, 0.0, "fail", id="too-many-nulls"),
        pytest.param(0.9, 0.0, MAX_LIFT_HIGH + 0.01, "fail", id="a-lift-too-high"),
    ],
)
def test_the_verdict_applies_each_threshold(kappa_low, null_share, lift_high, result):
    from interviewer.grading.calibration.verdict import verdict

    def figure(value: float | None, low: float | None = None, high: float | None = None):
        return {"value": value, "low": low, "high": high, "n": 100}

    report = {
        "stopped": None, "items": 100, "of_items": 100, "errors": 0, "graded_items": 100,
        "kappa": figure(0.9, kappa_low, 1.0), "null_share": figure(null_share),
        "failed_share": figure(0.0), "degenerate_floor": figure(1.0), "degenerate_items": 5,
        "lift": {"padding": {"mean": figure(0.0, -0.1, lift_high)}},
    }  # fmt: skip
    assert verdict(report)["result"] == result


def test_limit_is_a_sample_over_every_round_and_kind():
    gold = load_gold()
    chosen = sample(gold.items, 20)
    ids = {i.id for i in chosen}
    assert 20 <= len(chosen) <= 21
    assert {i.round for i in chosen} == {i.round for i in gold.items}  # all ten rounds
    assert len({i.kind for i in chosen}) >= 5
    assert len({i.grade for i in chosen if i.is_base}) >= 3
    assert all(i.base_id in ids for i in chosen if i.base_id)  # each variant with its base
    assert sample(gold.items, 20) == chosen  # deterministic


def run_command(tmp_path: Path, *extra: str) -> Any:
    gold_file = tmp_path / "gold.jsonl"
    if not gold_file.exists():
        gold_file.write_text("".join(json.dumps(line) + "\n" for line in gold_lines()))
        rubrics = tmp_path / "user" / "rubrics"
        rubrics.mkdir(parents=True)
        (rubrics / f"{ROUND}.toml").write_text(toml_text(round_data()))
    return CliRunner().invoke(
        app,
        ["calibrate", "--gold", str(gold_file), "--judge-model", "m", "--judge-api-base", BASE,
         "--user-dir", str(tmp_path / "user"), "--out", str(tmp_path / "out"), *extra],
    )  # fmt: skip


def test_the_timeout_flag_reaches_every_request(respx_mock, tmp_path):
    """A 1.5B model on two cores took 217 s an item, past the 120 s default."""
    server = SchemaJudge(respx_mock)
    timeouts: list[Any] = []

    def handle(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        return server.handle(request)

    server.route.mock(side_effect=handle)
    result = run_command(tmp_path, "--timeout", "600", "--limit", "3")

    assert result.exit_code == 0, result.output
    assert timeouts and set(timeouts) == {600.0}


def test_a_run_cut_short_writes_a_partial_report_and_resumes(respx_mock, tmp_path, monkeypatch):
    SchemaJudge(respx_mock)
    waited: list[int] = []
    original: Callable[..., Any] = pool_module._wait

    def interrupt_after_five(arrived: Any) -> Any:
        waited.append(1)
        if len(waited) > 5:
            raise KeyboardInterrupt
        return original(arrived)

    monkeypatch.setattr(pool_module, "_wait", interrupt_after_five)
    result = run_command(tmp_path, "--jobs", "1")

    assert result.exit_code == 130, result.output
    said = " ".join(result.stdout.split())
    assert said.startswith("Verdict: No verdict: interrupted after 5 of 16 items")
    assert "Not saved as this judge's calibration: interrupted after 5 of 16 items." in said
    partial = json.loads(next((tmp_path / "out").glob("*-partial.json")).read_text())
    assert partial["items"] == 5 and partial["verdict"]["result"] == "none"
    assert "Interrupted: 5 results are saved" in " ".join(result.stderr.split())

    monkeypatch.setattr(pool_module, "_wait", original)
    again = run_command(tmp_path)
    assert again.exit_code == 0, again.output
    assert "Resuming: 5 of 16 results already in" in " ".join(again.stderr.split())
