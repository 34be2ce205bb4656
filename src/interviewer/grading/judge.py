"""Scoring a transcript: ask the judge, validate, verify every quote, decide what code can.

The judge model's reply is never trusted raw. It is asked for in a schema generated for
the round (``schema``), validated against that same schema, and re-asked with the
problem a bounded number of times; a reply that copies the prompt's template is re-asked
once, then fails. Every evidence quote is checked against the candidate's own turns by
``evidence``'s rules (their words, from one answer, enough of them, one passage for one
dimension or reference point): a score with no quote left is shown as unverified and
left out of the overall, and a dimension the interview never probed that has no verified
quote is "not enough evidence", whatever the model said. The overall and the hire signal
are computed here from the verified scores and the round's bar, never taken from the
model. With several samples the median per dimension is kept with its spread, the words
shown (strengths, gaps, practice) are the median sample's, and a sample that failed is
named. A reply that never validates yields a scorecard marked ``failed`` with the reason,
so ``interviewer score`` can try again later; nothing is ever scored silently low.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from interviewer.catalog.documents import Reference
from interviewer.catalog.library import prompt_path
from interviewer.errors import ModelError
from interviewer.formats.rounds import Dimension, Opening, Round
from interviewer.formats.transcript import (
    FailedSample,
    HireSignal,
    PointHit,
    Role,
    Scorecard,
    ScoredDimension,
    Transcript,
)
from interviewer.grading import compact
from interviewer.grading.evidence import Ledger
from interviewer.grading.prompt import grading_prompt, transcript_blocks
from interviewer.grading.quotes import quote_spans
from interviewer.grading.samples import combine, combine_points, median_sample
from interviewer.grading.schema import (
    DimensionReading,
    Reading,
    Schema,
    TemplateCopied,
    parse_reply,
    point_keys,
)
from interviewer.grading.schema import reply_schema as reply_schema
from interviewer.models.base import ChatModel, Message

MAX_ATTEMPTS = 3
TEMPLATE_REASKS = 1
"""How often a reply that copies the prompt's template is re-asked before the sample fails."""
TEMPLATE_FAILED = "the judge copied the prompt's template instead of grading, twice"
SAMPLE_TEMPERATURE = 0.7
"""With several samples the judge runs warm, so the samples can disagree and the spread
means something; one sample runs at 0 for the most repeatable single reading."""
SIGNAL_BANDS: tuple[tuple[float, HireSignal], ...] = (
    (1.0, HireSignal.strong_yes),
    (0.5, HireSignal.yes),
    (0.0, HireSignal.lean_yes),
    (-0.5, HireSignal.lean_no),
    (-1.0, HireSignal.no),
)
"""Margin over the level's bar at or above which each signal is given; below the last,
strong-no."""
UNVERIFIED = "unverified: none of its quotes holds up as your words, so it is not in the overall"
NOT_PROBED = "never probed and no verified quote: not enough evidence"
MODEL_FAILED = "the judge model failed"


def quote_found(quote: str, answers: list[str]) -> bool:
    """True when the quote (its fragments, split at ellipses, in order) is in one answer.
    Where it is, not whether it counts: that is ``evidence``'s ``Ledger.claim``."""
    return any(quote_spans(quote, answer) for answer in answers)


def answers_of(transcript: Transcript) -> list[str]:
    return [t.text for t in transcript.turns if t.role is Role.candidate]


# ----------------------------------------------------------------------- verifying


def verify_dimension(
    dim: Dimension, reading: DimensionReading, ledger: Ledger, probed: list[str]
) -> ScoredDimension:
    kept, flags = [], []
    for quote in reading.evidence:
        problem = ledger.claim(quote, dim.id)
        if problem:
            flags.append(f'{problem}, dropped: "{quote}"')
        elif quote not in kept:
            kept.append(quote)
    score, verified = reading.score, True
    if score is not None and not kept:
        if probed and dim.id not in probed:
            flags.append(NOT_PROBED)
            score = None
        else:
            flags.append(UNVERIFIED)
            verified = False
    return ScoredDimension(
        dimension=dim.id,
        name=dim.name,
        score=score,
        evidence=kept,
        rationale=reading.reasoning,
        flags=flags,
        verified=verified,
    )


def verify(reading: Reading, round_: Round, transcript: Transcript) -> list[ScoredDimension]:
    """Every dimension's quotes checked in rubric order against one ledger, so a passage
    backs the first dimension that cites it and no other."""
    ledger = Ledger(answers_of(transcript))
    return [
        verify_dimension(d, reading.dimensions[d.id], ledger, transcript.probed)
        for d in round_.dimensions
    ]


def verified_points(
    reading: Reading, opening: Opening | None, answers: list[str]
) -> list[PointHit]:
    """Each reference point with the candidate's words that carry its detail, or none;
    a passage hits one point only (its own ledger, apart from the dimensions')."""
    if opening is None or opening.reference is None:
        return []
    ledger = Ledger(answers)
    covers = opening.reference.covers
    hits = []
    for number, (key, point) in enumerate(zip(point_keys(opening), covers, strict=True)):
        quote = reading.points.get(key)
        others = covers[:number] + covers[number + 1 :]
        ok = bool(quote) and ledger.claim(quote or "", key, point, others) is None
        hits.append(PointHit(point=point, quote=quote if ok else None))
    return hits


# ------------------------------------------------------------- what code decides


def weighted_mean(pairs: list[tuple[float | None, float]]) -> float | None:
    """The mean of (value, weight) pairs to two places, leaving out absent values; None
    when every value is absent. A round's overall and a loop's are both this."""
    kept = [(v, w) for v, w in pairs if v is not None]
    if not kept:
        return None
    return round(sum(v * w for v, w in kept) / sum(w for _, w in kept), 2)


def overall(scored: list[ScoredDimension], round_: Round) -> float | None:
    """The weighted mean of the verified scores; unverified and null ones do not count."""
    weights = {d.id: d.weight for d in round_.dimensions}
    return weighted_mean([(s.score, weights[s.dimension]) for s in scored if s.verified])


def hire_signal(scored: list[ScoredDimension], round_: Round, bar: float) -> HireSignal | None:
    """The signal from the verified overall against the level's bar; none when less than
    half the round's weight has a verified score (too little evidence to call)."""
    weights = {d.id: d.weight for d in round_.dimensions}
    counted = sum(weights[s.dimension] for s in scored if s.score is not None and s.verified)
    value = overall(scored, round_)
    if value is None or counted * 2 < sum(weights.values()):
        return None
    margin = value - bar
    return next((signal for floor, signal in SIGNAL_BANDS if margin >= floor), HireSignal.strong_no)


# ------------------------------------------------------------------------- asking


@dataclass
class Request:
    """One grading request, built once and sent for every sample."""

    messages: list[Message]
    schema: Schema
    temperature: float


def _reask(messages: list[Message], reply: str, note: str) -> None:
    messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": note}]


def ask(
    model: ChatModel, request: Request, card: Scorecard, on_attempt: Callable[[int], None] | None
) -> Reading | None:
    """One sample: ask, validate, re-ask with the problem; None (reason on the card) if it
    never validates. A reply that copies the template is re-asked once only: a model that
    echoes the skeleton twice is not grading, and a third try rarely changes that. A model
    error is raised for the caller to record."""
    messages = list(request.messages)
    problem = "no reply"
    copies = 0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if on_attempt:
            on_attempt(attempt)
        card.attempts += 1
        reply = model.structured(
            messages, request.schema, name="scorecard", temperature=request.temperature, strict=True
        )
        card.raw_replies.append(reply.text)
        card.usage = card.usage + reply.usage
        card.structured_mode = reply.mode
        if reply.finish_reason == "length":  # cut at the token cap: not a reply to re-ask
            card.failure_reason = compact.cut_short(model)
            return None
        try:
            return parse_reply(reply.text, request.schema)
        except TemplateCopied as exc:
            problem, copies = str(exc), copies + 1
            if copies > TEMPLATE_REASKS:
                card.failure_reason = f"{TEMPLATE_FAILED}: {exc.summary}"
                return None
            _reask(
                messages,
                reply.text,
                f"Your {problem.removeprefix('the ')}. Grade this candidate: write your own "
                "words in every field, with no placeholder in angle brackets, and reply with "
                "only the JSON object.",
            )
        except ValueError as exc:
            problem = str(exc)
            _reask(
                messages,
                reply.text,
                f"Your reply did not validate: {problem}. Reply again with only the corrected "
                "JSON object.",
            )
    card.failure_reason = (
        f"the judge's reply did not validate after {MAX_ATTEMPTS} attempts: {problem}"
    )
    return None


def grade(
    model: ChatModel,
    round_: Round,
    transcript: Transcript,
    references: list[Reference],
    *,
    samples: int = 1,
    on_attempt: Callable[[int], None] | None = None,
    on_sample: Callable[[int], None] | None = None,
    calibration: str | None = None,
) -> Scorecard:
    """Score a transcript; always returns a scorecard, ``failed`` with a reason if need be."""
    opening = round_.opening(transcript.opening)
    system, request = _request(model, round_, transcript, opening, references, samples)
    card = Scorecard(
        status="failed",
        judge=model.info,
        scored_at=datetime.now(UTC),
        prompt_sha256=hashlib.sha256(prompt_path("judge.md").read_bytes()).hexdigest(),
        grading_prompt=system,
        attempts=0,
        calibration=calibration,
    )
    sampled = _sample(model, request, card, samples, on_attempt, on_sample)
    if sampled is None:  # the model failed: the card says why
        return card
    readings, failed = sampled
    if samples > 1:
        card.failed_samples = failed
    if not readings:
        if len(failed) > 1:
            card.failure_reason = "every sample failed: " + "; ".join(
                f"sample {f.number}: {f.reason}" for f in failed
            )
        return card
    return scored(card, readings, round_, transcript, opening)


def _request(
    model: ChatModel,
    round_: Round,
    transcript: Transcript,
    opening: Opening | None,
    references: list[Reference],
    samples: int,
) -> tuple[str, Request]:
    """The grading prompt, and the request that sends it with the transcript in nonce
    blocks, asking for the round's reply schema (warmer when sampled more than once)."""
    nonce = secrets.token_hex(6)
    # The transcript goes in as ``compact.for_judge`` gives it: compacted when it would not
    # fit beside this prompt in the judge's context, the candidate's words never cut.
    system = grading_prompt(round_, transcript, opening, references, nonce)
    request = Request(
        messages=[
            {"role": "system", "content": system},
            {
                "role": "user",
                "content": "Here is the transcript to grade.\n\n"
                + transcript_blocks(compact.for_judge(transcript, model, system), nonce),
            },
        ],
        schema=reply_schema(round_, opening),
        temperature=SAMPLE_TEMPERATURE if samples > 1 else 0.0,
    )
    return system, request


def _sample(
    model: ChatModel,
    request: Request,
    card: Scorecard,
    samples: int,
    on_attempt: Callable[[int], None] | None,
    on_sample: Callable[[int], None] | None,
) -> tuple[list[Reading], list[FailedSample]] | None:
    """Ask ``samples`` times: the valid readings and the samples that never validated; None
    when the model itself failed (the card then says why, and nothing can be scored)."""
    readings: list[Reading] = []
    failed: list[FailedSample] = []
    for number in range(1, samples + 1):
        if on_sample:
            on_sample(number)
        card.failure_reason = None
        try:
            reading = ask(model, request, card, on_attempt)
        except ModelError as exc:
            card.failure_reason = f"{MODEL_FAILED}: {exc}"
            return None
        if reading is None:
            failed.append(FailedSample(number=number, reason=card.failure_reason or "no reply"))
        else:
            readings.append(reading)
    return readings, failed


def scored(
    card: Scorecard,
    readings: list[Reading],
    round_: Round,
    transcript: Transcript,
    opening: Opening | None,
) -> Scorecard:
    answers = answers_of(transcript)
    each = [verify(r, round_, transcript) for r in readings]
    dims = combine(each)
    points = combine_points([verified_points(r, opening, answers) for r in readings])
    bar = round_.hire_bar.for_level(transcript.level)
    middle = readings[median_sample([overall(d, round_) for d in each])]
    return card.model_copy(
        update={
            "status": "scored",
            "failure_reason": None,
            "dimensions": dims,
            "overall": overall(dims, round_),
            "strengths": middle.strengths,
            "gaps": middle.gaps,
            "hire_signal": hire_signal(dims, round_, bar),
            "hire_rationale": middle.hire_rationale,
            "hire_bar": bar,
            "practice": middle.practice,
            "points": points,
            "samples": len(readings),
        }
    )
