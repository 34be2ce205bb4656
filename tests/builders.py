"""Small builders for transcripts in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interviewer.formats import Level, ModelInfo, Phase, Role, Status, Transcript, Turn

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
