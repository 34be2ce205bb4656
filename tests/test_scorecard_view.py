"""What the scorecard shows of the judge's checks: unverified and unstable scores, the
reference points hit in the candidate's own words, the judge's calibration; in the
terminal, Markdown and HTML alike, with outside text kept inert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console
from typer.testing import CliRunner

from builders import add, scorecard, transcript
from interviewer.cli import app
from interviewer.cli.doctor import judge_calibration
from interviewer.formats.transcript import ModelInfo, PointHit, Role, Status
from interviewer.grading.calibration.record import LastResult, save_last
from interviewer.models.base import ModelSpec
from interviewer.review.html import transcript_html
from interviewer.review.markdown import transcript_markdown
from interviewer.review.views import scorecard_table
from interviewer.store.transcripts import Store
from schema_server import SKIP, candidate_answers, fill
from wire import BASE, completion

QUOTE = "repeat purchases <b>within</b> 30 days"


def card():
    c = scorecard({"objective": 4, "data": 5, "serving": 3}, evidence={"objective": [QUOTE]})
    c.dimensions[1].verified = False
    c.dimensions[2].samples, c.dimensions[2].spread = [1, 3, 4], 3
    c.samples, c.hire_bar = 3, 3.2
    c.calibration = "this judge: kappa 0.71 on gold v1 (n=45)"
    c.points = [
        PointHit(point="optimise repeat purchase", quote=QUOTE),
        PointHit(point="seller exposure *guardrail*", quote=None),
    ]
    return c


def session():
    t = transcript(status=Status.complete)
    add(t, Role.interviewer, "What would you optimise?")
    add(t, Role.candidate, f"I'd optimise {QUOTE}.")
    t.scorecards.append(card())
    return t


def test_the_terminal_scorecard_shows_the_checks():
    console = Console(width=160, record=True)
    console.print(scorecard_table(card()))
    text = console.export_text()
    assert "unverified" in text and "(spread" in text and "unstable" in text  # cells wrap
    assert "median of 3 samples · hire bar 3.2 · this judge: kappa 0.71 on gold v1 (n=45)" in text
    assert "What a strong answer covered" in text
    assert "✓ optimise repeat purchase" in text and f"you said: “{QUOTE}”" in text
    assert "✗ seller exposure *guardrail*" in text


def test_not_enough_evidence_stays_whole_at_80_columns():
    """The score column's 1 share in 11 of the width was five columns at 80, and "not
    enough evidence" showed as "not / enou… / evid…"."""
    console = Console(width=80, record=True)
    console.print(scorecard_table(scorecard({"objective": 4, "seller-exposure": None})))
    text = console.export_text()
    assert "…" not in text
    score_cells = [line.split("│")[2].strip() for line in text.splitlines() if "│" in line]
    assert " ".join(c for c in score_cells if c) == "4/5 not enough evidence"


@pytest.mark.parametrize("width", [80, 100])
def test_the_scorecard_wraps_between_words_even_when_printed_soft_wrapped(width):
    """Practice prints the scorecard on a soft-wrapping console (kept for streamed replies),
    which left long lines to the terminal to cut mid-word ("doll / ar loss")."""
    long = (
        "Estimated the expected dollar loss per fraudulent order and weighed it against "
        "the review team's cost per decision, unprompted."
    )
    c = scorecard({"objective": 4}, practice=[long])
    c.strengths, c.hire_rationale = [long], long
    c.points = [PointHit(point=long, quote=long)]
    console = Console(width=width, record=True, soft_wrap=True)
    console.print(scorecard_table(c))
    shown = console.export_text().splitlines()
    assert max(len(line.rstrip()) for line in shown) <= width
    words = {w for line in shown for w in line.replace("│", " ").split()}
    assert [w for w in long.split() if w not in words] == []
    strengths = shown.index("Strengths")
    assert shown[strengths + 1].startswith("  • Estimated")
    assert shown[strengths + 2].startswith("    ")  # the item's next line hangs under its text


def test_markdown_and_html_show_the_points_and_keep_text_inert():
    t = session()
    md = transcript_markdown(t)
    assert "### What a strong answer covered" in md
    # Raw HTML from the candidate is escaped in Markdown too (issue 10): shown, never rendered.
    assert (
        "- ✓ optimise repeat purchase: “repeat purchases &lt;b&gt;within&lt;/b&gt; 30 days”" in md
    )
    assert "- ✗ seller exposure \\*guardrail\\*" in md
    assert "5/5 unverified" in md and "unstable" in md
    html = transcript_html(t)
    assert "<b>within</b>" not in html and "&lt;b&gt;within&lt;/b&gt;" in html
    assert 'class="hit"' in html and 'class="miss"' in html
    assert "this judge: kappa 0.71 on gold v1 (n=45)" in html


def test_doctor_cites_the_judges_last_calibration():
    spec = ModelSpec("judge-x", api_base=BASE)
    assert "not calibrated yet" in judge_calibration(spec)
    save_last(
        LastResult(
            judge=spec.info(), gold="gold v2", kappa=0.7149, n=100, verdict="pass",
            measured_at="now",
        )
    )  # fmt: skip
    assert (
        judge_calibration(spec)
        == "Judge judge-x: this judge: passed calibration on gold v2 (kappa 0.71, n=100)"
    )
    other = ModelInfo(model="judge-x", api_base="http://elsewhere/v1")
    from interviewer.grading.calibration.record import citation

    assert citation(other) is None  # the same model on another server is another judge


def test_score_with_samples_keeps_the_median_and_cites_the_judge(
    respx_mock: Any, transcripts_dir: Path
) -> None:
    t = transcript("ml-system-design", status=Status.complete)
    add(t, Role.interviewer, "What would you optimise?")
    add(
        t,
        Role.candidate,
        "Repeat purchases within thirty days, with seller exposure as a guardrail.",
    )
    Store(transcripts_dir).save(t)
    scores = iter([2, 4, 5])
    save_last(
        LastResult(
            judge=ModelInfo(model="judge-y", api_base=BASE), gold="gold v2", kappa=0.5, n=100,
            verdict="fail", failing=["kappa low 0.38 < 0.60"], measured_at="now",
        )
    )  # fmt: skip

    def reply(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        score = next(scores)

        def choose(path: str, request_body: dict[str, Any]) -> Any:
            if path.endswith(".score"):
                return score
            if path.endswith(".evidence"):
                return [" ".join(candidate_answers(request_body)[0].split()[:3])]
            return SKIP

        schema = body["response_format"]["json_schema"]["schema"]
        return httpx.Response(200, json=completion(json.dumps(fill(schema, "", choose, body))))

    route = respx_mock.post(f"{BASE}/chat/completions").mock(side_effect=reply)
    result = CliRunner().invoke(
        app,
        [
            "score",
            t.id,
            "--judge-model",
            "judge-y",
            "--judge-api-base",
            BASE,
            "--judge-samples",
            "3",
        ],
    )

    assert result.exit_code == 0, result.output
    assert route.call_count == 3
    saved = json.loads((transcripts_dir / f"{t.id}.json").read_text())["scorecards"][-1]
    assert (
        saved["samples"] == 3
        and saved["calibration"]
        == "this judge: FAILED calibration on gold v2 (kappa 0.50, n=100): kappa low 0.38 < 0.60"
    )
    assert all(d["score"] == 4 and d["samples"] == [2, 4, 5] for d in saved["dimensions"])
    assert "unstable" in result.output
