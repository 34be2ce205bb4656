"""Small builders for transcripts in tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from interviewer.catalog.library import Catalog
from interviewer.formats.human import HumanGrade, HumanScore
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Round
from interviewer.formats.transcript import (
    Delivery,
    Drill,
    FailedSample,
    HireSignal,
    ModelInfo,
    Moment,
    Phase,
    PointHit,
    Role,
    Scorecard,
    ScoredDimension,
    SourceFile,
    Status,
    Transcript,
    Turn,
    Usage,
)
from interviewer.interview.start import Interview, begin

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def transcript(round_id: str = "ml-system-design", **fields: object) -> Transcript:
    base: dict[str, object] = dict(
        id="abcd1234",
        created_at=T0,
        updated_at=T0,
        status=Status.in_progress,
        round=round_id,
        round_title=round_id.replace("-", " ").title(),
        persona="warm-scientist",
        level=Level.senior,
        opening="marketplace-recs",
        interviewer=ModelInfo(model="fake-model"),
        judge=ModelInfo(model="fake-judge"),
        temperature=0.7,
        sources=[],
    )
    base.update(fields)
    return Transcript.model_validate(base)


def add(
    t: Transcript,
    role: Role,
    text: str,
    *,
    minutes: float = 1.0,
    phase: Phase | None = None,
    topic: str | None = None,
) -> Turn:
    start = t.turns[-1].ended_at if t.turns else T0
    turn = Turn(
        role=role,
        text=text,
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        phase=phase,
        topic=topic,
    )
    t.turns.append(turn)
    return turn


def scorecard(
    scores: dict[str, int | None],
    *,
    judge: str = "fake-judge",
    at: datetime = T0 + timedelta(hours=1),
    evidence: dict[str, list[str]] | None = None,
    practice: list[str] | None = None,
    status: str = "scored",
    failure_reason: str | None = None,
) -> Scorecard:
    """A scorecard over dimensions named by id (names are derived: 'data-labels' -> 'Data labels')."""
    if status == "failed":
        return Scorecard(
            status="failed",
            failure_reason=failure_reason or "no valid reply",
            judge=ModelInfo(model=judge),
            scored_at=at,
            prompt_sha256="0" * 64,
            attempts=3,
        )
    known = [s for s in scores.values() if s is not None]
    dims = [
        ScoredDimension(
            dimension=d,
            name=d.replace("-", " ").capitalize(),
            score=s,
            evidence=(evidence or {}).get(d, []),
            rationale=f"Why {d} got {s}.",
        )
        for d, s in scores.items()
    ]
    return Scorecard(
        status="scored",
        judge=ModelInfo(model=judge),
        scored_at=at,
        prompt_sha256="f00d" * 16,
        attempts=1,
        dimensions=dims,
        overall=round(sum(known) / len(known), 2) if known else None,
        strengths=["Framed the objective."],
        gaps=["No monitoring plan."],
        hire_signal=HireSignal.lean_yes,
        hire_rationale="Solid framing, thin on operations.",
        practice=practice
        or ["Design a monitoring plan.", "Size the serving budget.", "Name a baseline first."],
    )


def rich_session(*, graded: bool = True) -> Transcript:
    """A session with a field of every kind: enums, dates, nested and listed records, a
    mapping of records, a spoken answer, a drill, two scorecards and (``graded``) a
    person's grade."""
    t = transcript(
        status=Status.complete,
        drill=Drill(of="0123abcd", dimension="problem-framing", area="objective"),
        plan=["objective", "data"],
        sources=[SourceFile(kind="round", name="ml-system-design", sha256="ab" * 32)],
        usage=Usage(prompt_tokens=120, completion_tokens=40, cost_usd=0.002),
    )
    opening = "How would you rank a **feed**? [bold]not markup[/]"
    add(t, Role.interviewer, opening, phase=Phase.opening)
    spoken = add(t, Role.candidate, "Um, two towers, then a ranker; recall@k first.", minutes=2)
    spoken.delivery = Delivery(
        talk_seconds=42.5, words=90, words_per_minute=127.1, fillers={"um": 2}, long_pauses=1,
        longest_pause_seconds=3.2, transcriber="whisper tiny", unsure=["recall@k"],
        moments=[Moment(at=0.4, what="um"), Moment(at=9.0, what="pause", seconds=3.2)],
    )  # fmt: skip
    add(t, Role.system, "code ran: 3 passed", phase=Phase.question)
    probe = add(t, Role.interviewer, "What would you log?", phase=Phase.followup, topic="data")
    probe.move, probe.probes, probe.latency_ms = "probe", ["ask: logging?"], 812.5
    probe.usage = Usage(prompt_tokens=10, completion_tokens=5)
    add(t, Role.candidate, "Impressions, clicks and dwell, joined by request id.", minutes=3)
    first = scorecard({"problem-framing": 2, "data-labels": None}, at=T0 + timedelta(hours=1))
    card = scorecard(
        {"problem-framing": 4, "data-labels": 3},
        at=T0 + timedelta(hours=2),
        evidence={"problem-framing": ["two towers, then a ranker"]},
    )
    card.points = [PointHit(point="Name the metric", quote="recall@k first"), PointHit(point="x")]
    card.failed_samples = [FailedSample(number=2, reason="no JSON")]
    card.dimensions[0].samples, card.dimensions[0].spread = [4, 2, 4], 2
    t.scorecards = [first, card]
    if graded:
        scores = {"problem-framing": HumanScore(score=3, note="clear"),
                  "data-labels": HumanScore(score=None)}  # fmt: skip
        t.human_grades = [
            HumanGrade(grader="Ana (mentor)", at=T0 + timedelta(days=1), scores=scores)
        ]
    t.draft = "and then I would"
    return t


# ------------------------------------------------------------------------- rounds


def anchors(name: str) -> dict[str, str]:
    return {
        "1": f"No {name}: restates the question or says nothing specific.",
        "2": f"Names {name} in general terms and misses the scenario's main constraint.",
        "3": f"Gives a workable {name} for the scenario and states one tradeoff.",
        "4": f"Gives a specific {name} with numbers and weighs two tradeoffs.",
        "5": f"Gives a specific {name}, weighs the tradeoffs and names how it would fail.",
    }


def dimension(dim_id: str, weight: float = 1.0) -> dict[str, object]:
    name = dim_id.replace("-", " ")
    return {
        "id": dim_id,
        "name": name.capitalize(),
        "description": f"How well the candidate handles {name}.",
        "weight": weight,
        "anchors": anchors(name),
        "levels": {"junior": "basics", "senior": "owns it", "staff": "sets direction"},
    }


def round_(*args: object, **kwargs: object) -> Round:
    """A small valid round built in code (see ``round_data``)."""
    return Round.model_validate(round_data(*args, **kwargs))  # type: ignore[arg-type]


def round_data(
    round_id: str = "ml-system-design",
    dimensions: tuple[str, ...] = ("problem-framing", "data", "evaluation"),
    *,
    weights: dict[str, float] | None = None,
    openings: int = 2,
    reference: bool = True,
    hire_bar: dict[str, float] | None = None,
) -> dict[str, object]:
    """A small valid round built in code: one topic per dimension, ``openings`` scenarios
    each with a judge-only reference (points, facts to uncover, worked results)."""
    topics = [
        {
            "id": f"t-{d}",
            "question": f"How would you approach {d.replace('-', ' ')}?",
            "dimensions": [d],
            "probes": [{"when": "the answer is vague", "ask": "What number would you use?"}],
        }
        for d in dimensions
    ]
    bank = []
    for n in range(1, openings + 1):
        opening: dict[str, object] = {
            "id": "marketplace-recs" if n == 1 else f"scenario-{n}",
            "title": f"Scenario {n}",
            "prompt": f"Design a recommender for marketplace number {n}.",
            "topics": [t["id"] for t in topics],
            "facts": [
                {"about": "traffic", "keywords": ["traffic", "qps"], "answer": "2,000 QPS peak."}
            ],
            "levels": {"staff": "You also own the roadmap."},
        }
        if reference:
            opening["reference"] = {
                "covers": [
                    "optimise for repeat purchase rather than clicks",
                    "label delay of thirty days",
                    "seller exposure as a guardrail",
                ],
                "uncover": ["the catalogue turns over weekly"],
                "worked": "Recall@50 of 0.4 is the baseline.",
            }
        bank.append(opening)
    data: dict[str, object] = {
        "id": round_id,
        "title": round_id.replace("-", " ").title(),
        "summary": "A test round.",
        "tests": "Designing an ML system end to end.",
        "budget": {
            "minutes": 30,
            "max_candidate_turns": 20,
            "followups_per_topic": 2,
            "topics_per_session": len(topics),
        },
        "openings": bank,
        "topics": topics,
        "dimensions": [dimension(d, (weights or {}).get(d, 1.0)) for d in dimensions],
        "level_expectations": {"junior": "basics", "senior": "ownership", "staff": "direction"},
    }
    if hire_bar is not None:
        data["hire_bar"] = hire_bar
    return data


def toml_text(data: dict[str, object]) -> str:
    """``data`` as TOML, every value inline: enough to write a rubric file for a test."""

    def value(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items()) + "}"
        raise TypeError(type(v))

    return "".join(f"{json.dumps(k)} = {value(v)}\n" for k, v in data.items())


def behavioral_interview() -> Interview:
    """A junior behavioral round begun with a fake model, as the runner tests need it."""
    return begin(
        Catalog(),
        round_name="behavioral",
        persona_name="warm-scientist",
        level=Level.junior,
        interviewer=ModelInfo(model="fake-model"),
        judge=ModelInfo(model="fake-model"),
        files={},
    )
