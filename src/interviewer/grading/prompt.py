"""The judge's request: the grading prompt, grounded in the scenario, and the transcript.

The judge sees what a second human rater would be handed: the scenario exactly as the
candidate read it (with its level line), the opening's reference (what a strong answer
covers, the facts to uncover, worked results), the level and track, and which dimensions
the interview actually reached. The candidate's words and files travel in nonce-tagged
blocks (``fences``), so nothing they wrote can pass for an instruction.
"""

from __future__ import annotations

from string import Template

from interviewer.catalog.documents import Reference, render_references
from interviewer.catalog.fences import fence
from interviewer.catalog.library import read_prompt, scenario_text
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Opening, Round
from interviewer.formats.transcript import Role, Transcript, Turn
from interviewer.grading.evidence import MAX_PIECES, MIN_POINT_TERMS, MIN_WORDS
from interviewer.grading.schema import point_keys, skeleton

TAGS = {Role.candidate: "answer", Role.interviewer: "interviewer", Role.system: "session"}
NOT_RECORDED = (
    "Not recorded (this transcript predates the record). Do not infer which areas were "
    "probed: judge each dimension by what the transcript shows."
)


def render_dimensions(round_: Round, level: Level) -> str:
    blocks = []
    for dim in round_.dimensions:
        anchors = "\n".join(f"  {score}: {text}" for score, text in dim.anchors.by_score().items())
        blocks.append(
            f"### {dim.id}: {dim.name} (weight {dim.weight:g})\n{dim.description}\n"
            f"Anchors:\n{anchors}\nAt {level.value} level: {dim.levels.for_level(level)}"
        )
    return "\n\n".join(blocks)


def render_scenario(opening: Opening | None, level: Level) -> str:
    """Exactly what the candidate was shown (the interviewer's own rendering of it)."""
    if opening is None:
        return "Not recorded: judge the answers against the rubric alone."
    return scenario_text(opening, level)


def render_reference(opening: Opening | None) -> str:
    """The reference points numbered as the reply's ``points`` keys, then facts and results."""
    if opening is None or opening.reference is None:
        return "None for this scenario: grade against the anchors alone."
    ref = opening.reference
    parts = ["What a strong answer covers:"]
    parts += [f"- {key}: {text}" for key, text in zip(point_keys(opening), ref.covers, strict=True)]
    uncover = list(ref.uncover) + [f"{f.about}: {f.answer}" for f in opening.facts]
    if uncover:
        parts += ["", "Facts a strong candidate draws out by asking:"]
        parts += [f"- {item}" for item in uncover]
    if ref.worked.strip():
        parts += ["", "Worked results:", ref.worked.strip()]
    return "\n".join(parts)


def render_probed(round_: Round, transcript: Transcript) -> str:
    if not transcript.probed:
        return NOT_RECORDED
    reached = [d for d in round_.dimensions if d.id in transcript.probed]
    missed = [d for d in round_.dimensions if d.id not in transcript.probed]
    lines = [
        "The interviewer reached the areas of: " + (", ".join(d.id for d in reached) or "none")
    ]
    if missed:
        lines.append(
            "Never probed (score only if the candidate volunteered evidence, else null): "
            + ", ".join(d.id for d in missed)
        )
    return "\n".join(lines)


def grading_prompt(
    round_: Round,
    transcript: Transcript,
    opening: Opening | None,
    references: list[Reference],
    nonce: str,
) -> str:
    level = transcript.level
    return (
        Template(read_prompt("judge.md"))
        .substitute(
            round_title=round_.title,
            level=level.value,
            track=f"{transcript.track} track" if transcript.track else "track not recorded",
            tests=round_.tests,
            level_expectation=round_.level_expectations.for_level(level),
            scenario=render_scenario(opening, level),
            reference=render_reference(opening),
            probed=render_probed(round_, transcript),
            dimensions=render_dimensions(round_, level),
            files=render_references(references, nonce),
            nonce=nonce,
            skeleton=skeleton(round_, opening),
            min_words=MIN_WORDS,
            max_pieces=MAX_PIECES,
            min_point_terms=MIN_POINT_TERMS,
        )
        .strip()
    )


def transcript_blocks(transcript: Transcript, nonce: str) -> str:
    """Each turn in its block; a spoken answer's block names the words the transcriber
    was unsure of (``unsure``), which judge.md's rule 1 says how to read."""
    return "\n".join(
        fence(TAGS[turn.role], nonce, turn.text, turn=number, **_unsure(turn))
        for number, turn in enumerate(transcript.turns, start=1)
    )


def _unsure(turn: Turn) -> dict[str, str]:
    words = turn.delivery.unsure if turn.delivery is not None else []
    return {"unsure": ", ".join(words)} if words else {}
