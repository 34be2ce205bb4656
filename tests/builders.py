"""Small builders for transcripts in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interviewer.formats import (
    HireSignal,
    Level,
    ModelInfo,
    Phase,
    Role,
    Scorecard,
    ScoredDimension,
    Status,
    Transcript,
    Turn,
)

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
