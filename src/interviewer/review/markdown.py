"""Scorecards and transcripts as Markdown.

Markdown is the format a transcript is read in outside the tool (beside the JSON, in an
export, in a mentor's inbox), so it must read well on its own.
"""

from __future__ import annotations

from interviewer.formats import Role, Scorecard, Transcript
from interviewer.review.wording import (
    COLUMNS,
    EMPTY,
    HIRE_SIGNAL,
    NO_ANSWER,
    NOT_SCORED,
    POINTS,
    dimension_score,
    evidence_quotes,
    judge_line,
    lists,
    number,
    points_lines,
    signal_text,
    speaker,
)
from interviewer.voice.delivery import Summary, summarize

# -------------------------------------------------------------------- Markdown


def scorecard_markdown(card: Scorecard) -> str:
    if card.status == "failed":
        return (
            f"**Scoring failed** ({card.judge.model}, {card.scored_at:%Y-%m-%d %H:%M}): "
            f"{card.failure_reason}\n\nScore it again with `interviewer score ID`.\n"
        )
    lines = [
        f"Scored {card.scored_at:%Y-%m-%d %H:%M} UTC · "
        f"overall **{number(card.overall)}** · "
        f"hire signal **{signal_text(card)}**",
        "",
        f"_{md_cell(judge_line(card))}_",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|---" * len(COLUMNS) + "|",
    ]
    for dim in card.dimensions:
        evidence = "<br>".join(evidence_quotes(dim)) or EMPTY
        flags = "".join(f"<br>⚠ {f}" for f in dim.flags)
        row = [dim.name, dimension_score(dim), evidence, dim.rationale + flags]
        lines.append(
            "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |"
        )
    sections = [(HIRE_SIGNAL, [card.hire_rationale or ""]), *lists(card)]
    for title, items in sections:
        lines += ["", f"### {title}", *[f"- {item}" for item in items if item]]
    if card.points:
        lines += ["", f"### {POINTS}"]
        for hit, point, quote in points_lines(card):
            mark = f"✓ {point}: “{quote}”" if hit else f"✗ {point}"
            lines.append(f"- {md_cell(mark)}")
    return "\n".join(lines) + "\n"


def md_cell(text: str) -> str:
    """Text from outside kept from becoming Markdown structure."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("\n", " ")
    )


def transcript_markdown(t: Transcript) -> str:
    head = [
        f"# {t.round_title}: practice interview",
        "",
        f"- Session: `{t.id}` · {t.created_at:%Y-%m-%d %H:%M} UTC · status: {t.status.value}",
        f"- Level: {t.level.value} · persona: {t.persona} · scenario: {t.opening}",
        f"- Interviewer model: `{t.interviewer.model}` · judge model: `{t.judge.model}`",
    ]
    if t.sources:
        head.append("- Files: " + ", ".join(f"{s.kind} `{s.name}`" for s in t.sources))
    body = ["", "## Conversation", ""]
    for turn in t.turns:
        name = speaker(turn.role)
        if turn.role is Role.candidate:
            quoted = "\n".join(f"> {line}" if line else ">" for line in turn.text.splitlines())
            body += [f"**{name}:**", "", quoted or f"> {NO_ANSWER}", ""]
        else:
            body += [f"**{name}:** {turn.text}", ""]
    card = t.scorecard
    tail = ["## Scorecard", "", scorecard_markdown(card) if card else NOT_SCORED]
    spoken = delivery_summary(t)
    if spoken is not None:
        tail += ["", "## Delivery", "", f"{spoken.line()} (measured from the audio)."]
    return "\n".join(head + body + tail).rstrip() + "\n"


def delivery_summary(t: Transcript) -> Summary | None:
    """How the session's spoken answers were delivered, or None if none were spoken."""
    return summarize([turn.delivery for turn in t.candidate_turns() if turn.delivery])
