"""A whole loop in one sitting (or several): its record on disk, its progress, its debrief.

A loop session is a small JSON record in ``<transcripts>/loops/<id>.json`` naming the
transcript of each round as it is started; the rounds themselves are ordinary
transcripts that carry the loop session's id. So resuming a loop is resuming its first
unfinished round, and the debrief is computed from the rounds' latest scorecards: no
extra model call, and every number in it can be traced back to a scored round.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from interviewer.errors import FileFormatError
from interviewer.formats.base import Record
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Loop
from interviewer.formats.transcript import HireSignal, ModelInfo, Status, Transcript
from interviewer.grading.judge import weighted_mean
from interviewer.store.transcripts import match_prefix, new_id, write_atomic

# Hire signals on a symmetric scale, so weighted rounds can be averaged.
SIGNAL_VALUE: dict[HireSignal, int] = {
    HireSignal.strong_no: -3,
    HireSignal.no: -2,
    HireSignal.lean_no: -1,
    HireSignal.lean_yes: 1,
    HireSignal.yes: 2,
    HireSignal.strong_yes: 3,
}
WEAK_SCORE = 2  # a failure-mode dimension at or below this flags the loop


class LoopRoundState(Record):
    round: str
    transcript: str | None = None


class DebriefRound(Record):
    round: str
    weight: float
    signature: bool
    transcript: str | None
    overall: float | None
    hire_signal: HireSignal | None
    note: str | None = None


class Debrief(Record):
    rounds: list[DebriefRound]
    weighted_overall: float | None
    failure_mode: str
    failure_mode_flagged: bool
    failure_evidence: list[str]
    failure_not_measured: list[str] = Field(
        default_factory=list,
        description="failure-mode dimensions the rounds never reached: unknown, not fine",
    )
    hire_signal: HireSignal | None
    rationale: str


class LoopSession(Record):
    """The record of one run through a loop."""

    version: Literal[1] = 1
    id: str
    loop: str
    title: str
    level: Level
    persona: str
    created_at: datetime
    updated_at: datetime
    rounds: list[LoopRoundState]
    interviewer: ModelInfo | None = None
    judge: ModelInfo | None = None
    files: dict[str, str] = Field(
        default_factory=dict, description="tailoring files (--job, --resume, --paper) by kind: path"
    )
    debrief: Debrief | None = None

    def next_index(self, transcripts: dict[str, Transcript]) -> int | None:
        """The first round not yet complete, or None when every round is done."""
        for index, state in enumerate(self.rounds):
            t = transcripts.get(state.transcript or "")
            if t is None or t.status is not Status.complete:
                return index
        return None


def new_session(loop: Loop, level: Level, persona: str, now: datetime) -> LoopSession:
    return LoopSession(
        id=new_id(),
        loop=loop.id,
        title=loop.title,
        level=level,
        persona=persona,
        created_at=now,
        updated_at=now,
        rounds=[LoopRoundState(round=r.round) for r in loop.rounds],
    )


class LoopStore:
    """Loop records live beside the transcripts, in their own folder."""

    def __init__(self, transcripts_dir: Path) -> None:
        self.folder = transcripts_dir / "loops"

    def path(self, session_id: str) -> Path:
        return self.folder / f"{session_id}.json"

    def save(self, session: LoopSession) -> None:
        write_atomic(self.path(session.id), session.model_dump_json(indent=2))

    def find(self, prefix: str) -> LoopSession | None:
        """The loop session a prefix names, or None when it names none."""
        if not self.folder.is_dir() or not prefix:
            return None
        found = match_prefix(prefix, [p.stem for p in self.folder.glob("*.json")], "loop sessions")
        if found is None:
            return None
        path = self.folder / f"{found}.json"
        try:
            return LoopSession.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValidationError, OSError) as exc:
            raise FileFormatError(f"{path}: not a valid loop record ({exc})") from None


def debrief(loop: Loop, session: LoopSession, transcripts: dict[str, Transcript]) -> Debrief:
    """Combine the rounds' scorecards: weights, the signature round, the failure mode."""
    rows: list[DebriefRound] = []
    for spec, state in zip(loop.rounds, session.rounds, strict=True):
        t = transcripts.get(state.transcript or "")
        card = t.scorecard if t else None
        scored = card is not None and card.status == "scored"
        rows.append(
            DebriefRound(
                round=spec.round,
                weight=spec.weight,
                signature=spec.signature,
                transcript=state.transcript,
                overall=card.overall if scored and card else None,
                hire_signal=card.hire_signal if scored and card else None,
                note=None if scored else "not scored: run 'interviewer score' on it",
            )
        )
    evidence, unmeasured = _failure_evidence(loop, session, transcripts)
    overall = weighted_mean([(r.overall, r.weight) for r in rows])
    signal_value = weighted_mean(
        [(SIGNAL_VALUE[r.hire_signal], r.weight) for r in rows if r.hire_signal is not None]
    )
    signal, rationale = _loop_signal(signal_value, rows, bool(evidence), unmeasured)
    return Debrief(
        rounds=rows,
        weighted_overall=overall,
        failure_mode=loop.top_failure_mode,
        failure_mode_flagged=bool(evidence),
        failure_evidence=evidence,
        failure_not_measured=unmeasured,
        hire_signal=signal,
        rationale=rationale,
    )


def _failure_evidence(
    loop: Loop, session: LoopSession, transcripts: dict[str, Transcript]
) -> tuple[list[str], list[str]]:
    """The failure-mode dimensions that scored weak, and those nobody measured: a round not
    scored, a dimension its interview never reached, or one the judge found no evidence for."""
    by_round = {s.round: transcripts.get(s.transcript or "") for s in session.rounds}
    found, unmeasured = [], []
    for ref in loop.failure_mode_dimensions:
        round_id, dimension = ref.split("/")
        t = by_round.get(round_id)
        card = t.scorecard if t else None
        if t is None or card is None or card.status != "scored":
            unmeasured.append(f"{ref} (round not scored)")
            continue
        if t.plan and dimension not in t.probed:
            unmeasured.append(f"{ref} (the interview never reached it)")
            continue
        dim = next((d for d in card.dimensions if d.dimension == dimension), None)
        if dim is None or dim.score is None:
            unmeasured.append(f"{ref} (not enough evidence)")
        elif dim.score <= WEAK_SCORE:
            found.append(f"{round_id}: {dim.name} scored {dim.score}/5")
    return found, unmeasured


def _loop_signal(
    value: float | None, rows: list[DebriefRound], failure: bool, unmeasured: list[str]
) -> tuple[HireSignal | None, str]:
    if value is None:
        return None, "No round has been scored yet."
    ordered = sorted(SIGNAL_VALUE, key=SIGNAL_VALUE.__getitem__)
    signal = min(ordered, key=lambda s: abs(SIGNAL_VALUE[s] - value))
    if value > 0 and signal in (HireSignal.lean_no, HireSignal.no, HireSignal.strong_no):
        signal = HireSignal.lean_yes
    reasons = [f"weighted round signals average {value:+.2f} on a -3..+3 scale"]
    signature = next((r for r in rows if r.signature), None)
    if signature and signature.hire_signal and SIGNAL_VALUE[signature.hire_signal] < 0:
        signal = min(signal, HireSignal.lean_no, key=SIGNAL_VALUE.__getitem__)
        reasons.append(
            f"the signature round ({signature.round}) came out {signature.hire_signal.value}"
        )
    if failure:
        signal = min(signal, HireSignal.lean_no, key=SIGNAL_VALUE.__getitem__)
        reasons.append("the track's top failure mode showed up")
    vetoes = [r.round for r in rows if r.hire_signal is HireSignal.strong_no and r.weight >= 1]
    if vetoes:  # one strong no on a core round is a finding, not a number to average away
        signal = min(signal, HireSignal.no, key=SIGNAL_VALUE.__getitem__)
        reasons.append(f"a strong no in {', '.join(vetoes)} is not averaged away")
    if unmeasured:
        reasons.append(
            f"{len(unmeasured)} failure-mode dimension(s) not measured, so the check is incomplete"
        )
    unscored = [r.round for r in rows if r.hire_signal is None]
    if unscored:
        reasons.append(f"unscored rounds left out: {', '.join(unscored)}")
    return signal, "; ".join(reasons) + "."
