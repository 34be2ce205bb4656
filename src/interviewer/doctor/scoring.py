"""The judge's rehearsal: a scoring the size and shape of a real one, before an interview.

A set-up that answers a tiny JSON request can still time out, run out of context or never
return a valid scorecard on a real grading prompt; the doctor learns it here, through the
real judge, over a short interview built as a real one is (``interview.start``).
"""

from __future__ import annotations

from interviewer.doctor.check import Check
from interviewer.models.base import ChatModel

REHEARSAL_ROUND = "behavioral"
REHEARSAL_ANSWERS = (
    "At my last company I owned the ranking model for the home feed. Offline it beat the "
    "baseline by four points of NDCG, so we shipped it to half the traffic. Within a week "
    "the click-through rate was flat and the session length fell. I led the investigation: "
    "the offline set was built from logged impressions of the old model, so it rewarded "
    "looking like the old model. We rebuilt the evaluation with a randomised slice.",
    "I chose to roll back rather than tune in production, because the team could not tell "
    "a real regression from novelty effects with the metrics we had. I wrote the rollback "
    "plan, agreed the guardrail metrics with the product manager, and we set a rule that "
    "any ranking change needs an interleaving test before an A/B test.",
    "What I learned is to ask first what decision a metric serves. Since then I start every "
    "project by writing down the online metric, the guardrails and the offline proxy, and I "
    "check the proxy against past launches before I trust it. It made our launches slower "
    "by a week and our rollbacks rare.",
)


def scoring_check(model: ChatModel) -> Check:
    """A scoring the size and shape of a real one: the real grading prompt and rubric over
    a short interview, through the real judge. A set-up that answers a tiny JSON request
    can still time out, run out of context or never validate on this; better to learn it
    here than after an interview."""
    import time
    from datetime import UTC, datetime

    from interviewer.catalog.library import Catalog
    from interviewer.config.file import DEFAULT_PERSONA
    from interviewer.formats.levels import Level
    from interviewer.formats.transcript import Role, Turn
    from interviewer.grading.judge import grade
    from interviewer.interview.start import begin

    catalog = Catalog()
    first = catalog.round(REHEARSAL_ROUND).item.openings[0].id  # the same request every time
    interview = begin(
        catalog, round_name=REHEARSAL_ROUND, persona_name=DEFAULT_PERSONA,
        level=Level.senior, interviewer=model.info, judge=model.info, files={},
        opening_id=first, warn=lambda _: None,
    )  # fmt: skip
    now = datetime.now(UTC)
    for answer in REHEARSAL_ANSWERS:
        question = "Tell me more: what did you do, and what happened next?"
        for role, text in ((Role.interviewer, question), (Role.candidate, answer)):
            turn = Turn(role=role, text=text, started_at=now, ended_at=now)
            interview.transcript.turns.append(turn)
    started = time.monotonic()
    card = grade(model, interview.round.item, interview.transcript, interview.references)
    took = time.monotonic() - started
    if card.status != "scored":
        fix = (
            "a real scoring would fail the same way: use a stronger or faster judge with "
            "--judge-model, or raise timeout_s in the config file"
        )
        return Check("scoring", "fail", f"a full-size scoring failed: {card.failure_reason}", fix)
    return Check("scoring", "ok", f"a full-size scoring took {took:.1f} s")
