"""Scoring a transcript: the grading prompt, the structured call, validation, quote checks.

The judge model's reply is never trusted raw. It is parsed as JSON, validated against
``JudgeReply`` and against the round's own dimensions, and re-asked with the validation
error a bounded number of times. Every evidence quote is checked against the candidate's
own turns; a quote that is not there is dropped and the score flagged. A reply that never
validates yields a scorecard marked ``failed`` with the reason, so ``interviewer score``
can try again later; nothing is ever scored silently low.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from string import Template

from pydantic import ValidationError

from interviewer import context
from interviewer.catalog import prompt_path, read_prompt
from interviewer.conversation import Message, Reference, render_references
from interviewer.errors import ModelError
from interviewer.formats import (
    JudgeReply,
    Level,
    Role,
    Round,
    Scorecard,
    ScoredDimension,
    Transcript,
    Usage,
)
from interviewer.model import ChatModel
from interviewer.quotes import quote_spans

MAX_ATTEMPTS = 3


def render_dimensions(round_: Round, level: Level) -> str:
    blocks = []
    for dim in round_.dimensions:
        anchors = "\n".join(f"  {score}: {text}" for score, text in dim.anchors.by_score().items())
        blocks.append(
            f"### {dim.id}: {dim.name} (weight {dim.weight:g})\n{dim.description}\n"
            f"Anchors:\n{anchors}\nAt {level.value} level: {dim.levels.for_level(level)}"
        )
    return "\n\n".join(blocks)


def grading_prompt(round_: Round, level: Level, references: list[Reference], nonce: str) -> str:
    template = Template(read_prompt("judge.md"))
    return template.substitute(
        round_title=round_.title,
        level=level.value,
        tests=round_.tests,
        level_expectation=round_.level_expectations.for_level(level),
        dimensions=render_dimensions(round_, level),
        reference=render_references(references),
        nonce=nonce,
        schema=json.dumps(JudgeReply.model_json_schema()),
    ).strip()


TAGS = {Role.candidate: "answer", Role.interviewer: "interviewer", Role.system: "session"}


def neutralise(text: str, nonce: str) -> str:
    """Keep an answer inside its block: no tag of ours, nor the nonce, can appear in it."""
    pattern = r"<(/?)\s*(" + "|".join(TAGS.values()) + r")-"
    return re.sub(pattern, r"&lt;\1\2-", text, flags=re.IGNORECASE).replace(nonce, "[nonce]")


def transcript_blocks(transcript: Transcript, nonce: str) -> str:
    parts = []
    for number, turn in enumerate(transcript.turns, start=1):
        tag = f"{TAGS[turn.role]}-{nonce}"
        parts.append(f"<{tag} turn={number}>\n{neutralise(turn.text, nonce)}\n</{tag}>")
    return "\n".join(parts)


def extract_json(text: str) -> str:
    """The JSON object in a reply, tolerating code fences and chatter around it."""
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.DOTALL)
    if fenced:
        return fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if start != -1 and end > start else text


def parse_reply(text: str, round_: Round) -> JudgeReply:
    """Validate the judge's reply; raise ValueError with a message fit to re-ask with."""
    try:
        data = json.loads(extract_json(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"the reply is not valid JSON ({exc.msg} at position {exc.pos})") from None
    try:
        reply = JudgeReply.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'top level'}: {err['msg']}"
            for err in exc.errors()[:8]
        )
        raise ValueError(f"the JSON does not match the schema: {problems}") from None
    expected = [d.id for d in round_.dimensions]
    given = [d.dimension for d in reply.dimensions]
    missing = [d for d in expected if d not in given]
    unknown = [d for d in given if d not in expected]
    repeated = sorted({d for d in given if given.count(d) > 1})
    if missing or unknown or repeated:
        raise ValueError(
            "dimensions must be exactly "
            + ", ".join(expected)
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (f"; repeated: {', '.join(repeated)}" if repeated else "")
        )
    return reply


def quote_found(quote: str, answers: list[str]) -> bool:
    """True when the quote (its fragments, split at ellipses, in order) is in one answer."""
    return any(quote_spans(quote, answer) for answer in answers)


def verify(reply: JudgeReply, round_: Round, transcript: Transcript) -> list[ScoredDimension]:
    answers = [t.text for t in transcript.turns if t.role is Role.candidate]
    by_id = {d.dimension: d for d in reply.dimensions}
    scored = []
    for dim in round_.dimensions:
        grade = by_id[dim.id]
        kept = [q for q in grade.evidence if q.strip() and quote_found(q, answers)]
        dropped = [q for q in grade.evidence if q not in kept]
        flags = [f'quote not found in the candidate\'s answers, dropped: "{q}"' for q in dropped]
        if grade.score is not None and not kept:
            flags.append("score has no verified evidence")
        scored.append(
            ScoredDimension(
                dimension=dim.id,
                name=dim.name,
                score=grade.score,
                evidence=kept,
                rationale=grade.rationale,
                flags=flags,
            )
        )
    return scored


def overall(scored: list[ScoredDimension], round_: Round) -> float | None:
    weights = {d.id: d.weight for d in round_.dimensions}
    pairs = [(s.score, weights[s.dimension]) for s in scored if s.score is not None]
    if not pairs:
        return None
    return round(sum(score * w for score, w in pairs) / sum(w for _, w in pairs), 2)


def grade(
    model: ChatModel,
    round_: Round,
    transcript: Transcript,
    references: list[Reference],
    *,
    on_attempt: Callable[[int], None] | None = None,
) -> Scorecard:
    """Score a transcript; always returns a scorecard, ``failed`` with a reason if need be."""
    nonce = secrets.token_hex(6)
    system = grading_prompt(round_, transcript.level, references, nonce)
    messages: list[Message] = [
        {"role": "system", "content": system},
        {
            "role": "user",
            "content": "Here is the transcript to grade.\n\n"
            + transcript_blocks(context.for_judge(transcript, model, system), nonce),
        },
    ]
    card = Scorecard(
        status="failed",
        judge=model.info,
        scored_at=datetime.now(UTC),
        prompt_sha256=hashlib.sha256(prompt_path("judge.md").read_bytes()).hexdigest(),
        grading_prompt=system,
        attempts=0,
    )
    schema = JudgeReply.model_json_schema()
    problem = "no reply"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if on_attempt:
            on_attempt(attempt)
        card.attempts = attempt
        try:
            reply = model.structured(messages, schema, name="scorecard", temperature=0.0)
        except ModelError as exc:
            card.failure_reason = f"the judge model failed: {exc}"
            return card
        card.raw_replies.append(reply.text)
        card.usage = card.usage + reply.usage
        card.structured_mode = reply.mode
        if reply.finish_reason == "length":  # cut at the token cap: not a reply to re-ask
            card.failure_reason = context.cut_short(model)
            return card
        try:
            parsed = parse_reply(reply.text, round_)
        except ValueError as exc:
            problem = str(exc)
            messages += [
                {"role": "assistant", "content": reply.text},
                {
                    "role": "user",
                    "content": f"Your reply did not validate: {problem}. Reply again with only "
                    "the corrected JSON object.",
                },
            ]
            continue
        return _scored(card, parsed, round_, transcript)
    card.failure_reason = (
        f"the judge's reply did not validate after {MAX_ATTEMPTS} attempts: {problem}"
    )
    return card


def _scored(card: Scorecard, reply: JudgeReply, round_: Round, transcript: Transcript) -> Scorecard:
    dims = verify(reply, round_, transcript)
    return card.model_copy(
        update={
            "status": "scored",
            "dimensions": dims,
            "overall": overall(dims, round_),
            "strengths": reply.strengths,
            "gaps": reply.gaps,
            "hire_signal": reply.hire_signal,
            "hire_rationale": reply.hire_rationale,
            "practice": reply.practice,
        }
    )


def empty_usage() -> Usage:
    return Usage()
