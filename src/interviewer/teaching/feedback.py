"""Feedback with no judge, and an attempt beside its re-attempt.

After a scripted round nothing has scored the answers, yet each scenario holds what a
strong answer covers (its reference points). ``points_made`` matches each point to one of
the candidate's own sentences by the rules a judge's quote must pass for a reference point
(``grading.evidence``: the point's own key terms, one passage for one point), so the
feedback quotes their words, never a paraphrase. It is word matching, not judgement:
what it shows is marked unscored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from interviewer.formats.rounds import Opening, Round
from interviewer.formats.transcript import PointHit, Role, Transcript, usable_card
from interviewer.grading.evidence import Ledger, terms

SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(answers: Sequence[str]) -> list[str]:
    """The candidate's sentences, whitespace tidied, in the order they were said."""
    found = []
    for answer in answers:
        for piece in SENTENCE.split(answer):
            piece = " ".join(piece.split())
            if piece:
                found.append(piece)
    return found


def points_made(covers: Sequence[str], answers: Sequence[str]) -> list[PointHit]:
    """Each reference point with the sentence of the candidate's that makes it, or none.

    For each point in turn, the sentences sharing most of its key terms are tried first; a
    sentence counts only where a judge's quote for that point would (``Ledger.claim``),
    and once claimed it makes no other point."""
    ledger = Ledger(list(answers))
    pool = sentences(answers)
    hits = []
    for number, point in enumerate(covers):
        wanted = terms(point)
        others = [*covers[:number], *covers[number + 1 :]]
        ranked = sorted(pool, key=lambda s: -len(terms(s) & wanted))
        quote = next(
            (s for s in ranked if ledger.claim(s, f"p{number + 1}", point, others) is None),
            None,
        )
        hits.append(PointHit(point=point, quote=quote))
    return hits


def opening_of(round_: Round, opening_id: str) -> Opening | None:
    return next((o for o in round_.openings if o.id == opening_id), None)


def scripted_points(round_: Round, transcript: Transcript) -> list[PointHit]:
    """What a strong answer to this session's scenario covered, matched to the answers."""
    opening = opening_of(round_, transcript.opening)
    if opening is None or opening.reference is None:
        return []
    answers = [t.text for t in transcript.candidate_turns()]
    return points_made(opening.reference.covers, answers)


# --------------------------------------------------------------- attempt and re-attempt


@dataclass(frozen=True)
class Attempt:
    """One side of the comparison: a session's words and score on the drilled dimension."""

    session: str
    when: datetime
    scenario: str
    areas: tuple[str, ...]  # the areas asked that probe the dimension
    score: int | None  # None: not scored on it (no judge, or not enough evidence)
    judged: bool  # a judge scored the session; else the points are word matches
    words: tuple[str, ...]  # the judge's evidence for the dimension, else the areas' answers
    points: tuple[PointHit, ...]


def answers_in(transcript: Transcript, areas: Sequence[str]) -> list[str]:
    """The answers given while the interviewer was on one of ``areas`` (each answer
    belongs to the area of the question before it)."""
    found, area = [], None
    for turn in transcript.turns:
        if turn.role is Role.interviewer:
            area = turn.topic
        elif turn.role is Role.candidate and area in areas:
            found.append(turn.text)
    return found


def _asked(transcript: Transcript) -> set[str]:
    return {t.topic for t in transcript.turns if t.role is Role.interviewer and t.topic}


def attempt(round_: Round, transcript: Transcript, dimension: str) -> Attempt:
    """A session as one side of the comparison on ``dimension``."""
    opening = opening_of(round_, transcript.opening)
    areas = [t.id for t in round_.topics if dimension in t.dimensions]
    card = usable_card(transcript)
    scored = None
    if card is not None:
        scored = next((d for d in card.dimensions if d.dimension == dimension), None)
    points = list(card.points) if card is not None else scripted_points(round_, transcript)
    # The words the judge cited for the dimension, where it cited any (an answer elsewhere
    # can show it); else every answer given in its areas.
    words = scored.evidence if scored and scored.evidence else answers_in(transcript, areas)
    return Attempt(
        session=transcript.id,
        when=transcript.created_at,
        scenario=opening.title if opening else transcript.opening,
        areas=tuple(t for t in transcript.plan if t in areas and t in _asked(transcript)),
        score=scored.score if scored else None,
        judged=card is not None,
        words=tuple(words),
        points=tuple(points),
    )
