"""The words every review format shares: section titles, the empty value, how a score,
a hire signal and a judge read. Markdown, the rich views and HTML all take them from
here, so a title or a placeholder is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interviewer.formats.delivery import Summary, summarize
from interviewer.formats.readings import Role, Status
from interviewer.review.figures import EMPTY as EMPTY  # re-exported: every format's blank

if TYPE_CHECKING:
    from interviewer.formats.transcript import Scorecard, ScoredDimension, Transcript

NOT_ENOUGH = "not enough evidence"
NO_ANSWER = "(no answer)"
NOT_SCORED = "Not scored yet."
DIMENSION, SCORE, EVIDENCE, WHY = "Dimension", "Score", "Evidence (your words)", "Why"
STRENGTHS, GAPS, PRACTISE = "Strengths", "Gaps", "Practise next"
HIRE_SIGNAL = "Hire signal"
POINTS = "What a strong answer covered"
DELIVERY = "Delivery"
DRAFT = "You, not sent (draft)"
"""The label of an answer typed but not sent when the session stopped (``draft``)."""
COLUMNS = (DIMENSION, SCORE, EVIDENCE, WHY)
"""The scorecard table's columns, in every format."""


def score_text(score: int | None) -> str:
    return NOT_ENOUGH if score is None else f"{score}/5"


def dimension_score(dim: ScoredDimension) -> str:
    """The score as shown: with "unverified" when it has no verified quote (it is then not
    in the overall), and the samples' spread when there were several."""
    text = score_text(dim.score)
    if dim.score is not None and not dim.verified:
        text += " unverified"
    if dim.samples:
        text += f" (spread {dim.spread if dim.spread is not None else '-'})"
        if dim.unstable:
            text += " unstable"
    return text


def signal_text(card: Scorecard) -> str:
    if card.hire_signal is not None:
        return card.hire_signal.value
    return f"{EMPTY} (too little verified evidence)" if card.hire_bar is not None else EMPTY


def judge_line(card: Scorecard) -> str:
    """Who judged, how (samples, each failed one named, bar) and how far this judge is
    trusted, on one line."""
    parts = [f"judge {card.judge.model}"]
    if card.samples > 1 or card.failed_samples:
        kept = f"median of {card.samples} sample" + ("s" if card.samples > 1 else "")
        failed = (f"; sample {f.number} failed: {f.reason}" for f in card.failed_samples)
        parts.append(kept + "".join(failed))
    if card.hire_bar is not None:
        parts.append(f"hire bar {card.hire_bar:g}")
    parts.append(card.calibration or "this judge: not calibrated (see 'interviewer calibrate')")
    return " · ".join(parts)


def points_lines(card: Scorecard) -> list[tuple[bool, str, str | None]]:
    """(hit, point, the candidate's words) for each of the opening's reference points."""
    return [(p.quote is not None, p.point, p.quote) for p in card.points]


def speaker(role: Role) -> str:
    return {Role.interviewer: "Interviewer", Role.candidate: "You", Role.system: "Session"}[role]


def draft_note(t: Transcript) -> str:
    """Why the draft under the last turn is not part of the conversation, and, while the
    session can go on, how to finish it."""
    note = (
        "Typed when the session stopped, never sent: neither the interviewer nor the judge read it."
    )
    if t.status is not Status.complete:
        note += f" 'interviewer resume {t.id}' puts it back to finish."
    return note


def lists(card: Scorecard) -> list[tuple[str, list[str]]]:
    """The scorecard's titled lists, in the order every format shows them."""
    return [(STRENGTHS, card.strengths), (GAPS, card.gaps), (PRACTISE, card.practice)]


def evidence_quotes(dim: ScoredDimension) -> list[str]:
    return [f"“{q}”" for q in dim.evidence]


def delivery_summary(t: Transcript) -> Summary | None:
    """How the session's spoken answers were delivered, or None if none were spoken."""
    return summarize([turn.delivery for turn in t.candidate_turns() if turn.delivery])


def delivery_total(summary: Summary) -> str:
    """The session's delivery as every export states it: totals, and where they came from."""
    return f"{summary.line()} (measured from the audio)."
