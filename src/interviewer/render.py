"""Scorecards and transcripts as rich renderables and as Markdown.

Markdown is the format a transcript is read in outside the tool (beside the JSON, in an
export, in a mentor's inbox), so it must read well on its own.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from interviewer.formats import Role, Scorecard, ScoredDimension, Transcript
from interviewer.safe_text import markdown_cell, markdown_text
from interviewer.voice.delivery import Summary, summarize

NOT_ENOUGH = "not enough evidence"
SIGNAL_STYLE = {
    "strong-no": "bold red",
    "no": "red",
    "lean-no": "yellow",
    "lean-yes": "cyan",
    "yes": "green",
    "strong-yes": "bold green",
}


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
    return "n/a (too little verified evidence)" if card.hire_bar is not None else "n/a"


def judge_line(card: Scorecard) -> str:
    """Who judged, how (samples, bar) and how far this judge is trusted, on one line."""
    parts = [f"judge {card.judge.model}"]
    if card.samples > 1:
        parts.append(f"median of {card.samples} samples")
    if card.hire_bar is not None:
        parts.append(f"hire bar {card.hire_bar:g}")
    parts.append(card.calibration or "this judge: not calibrated (see 'interviewer calibrate')")
    return " · ".join(parts)


def points_lines(card: Scorecard) -> list[tuple[bool, str, str | None]]:
    """(hit, point, the candidate's words) for each of the opening's reference points."""
    return [(p.quote is not None, p.point, p.quote) for p in card.points]


def speaker(role: Role) -> str:
    return {Role.interviewer: "Interviewer", Role.candidate: "You", Role.system: "Session"}[role]


# -------------------------------------------------------------------- Markdown


def scorecard_markdown(card: Scorecard) -> str:
    """The scorecard as Markdown; every word from the judge or the rubric is escaped."""
    md = markdown_text
    if card.status == "failed":
        return (
            f"**Scoring failed** ({md(card.judge.model)}, {card.scored_at:%Y-%m-%d %H:%M}): "
            f"{md(card.failure_reason or '')}\n\nScore it again with `interviewer score ID`.\n"
        )
    lines = [
        f"Scored {card.scored_at:%Y-%m-%d %H:%M} UTC · "
        f"overall **{card.overall if card.overall is not None else 'n/a'}** · "
        f"hire signal **{signal_text(card)}**",
        "",
        f"_{md_cell(judge_line(card))}_",
        "",
        "| Dimension | Score | Evidence (your words) | Why |",
        "|---|---|---|---|",
    ]
    for dim in card.dimensions:
        evidence = "<br>".join(f"“{markdown_cell(q)}”" for q in dim.evidence) or "—"
        flags = "".join(f"<br>⚠ {markdown_cell(f)}" for f in dim.flags)
        row = [markdown_cell(dim.name), markdown_cell(dimension_score(dim)), evidence]
        lines.append("| " + " | ".join([*row, markdown_cell(dim.rationale) + flags]) + " |")
    sections = [
        ("Hire signal", [card.hire_rationale or ""]),
        ("Strengths", card.strengths),
        ("Gaps", card.gaps),
        ("Practise next", card.practice),
    ]
    for title, items in sections:
        lines += ["", f"### {title}", *[f"- {markdown_cell(item)}" for item in items if item]]
    if card.points:
        lines += ["", "### What a strong answer covered"]
        for hit, point, quote in points_lines(card):
            mark = f"✓ {point}: “{quote}”" if hit else f"✗ {point}"
            lines.append(f"- {md_cell(mark)}")
    return "\n".join(lines) + "\n"


def md_cell(text: str) -> str:
    """Text from outside kept from becoming Markdown structure (see ``safe_text``)."""
    return markdown_cell(text)


def quoted(text: str) -> str:
    """Outside text as a Markdown blockquote, escaped line by line."""
    lines = markdown_text(text).splitlines()
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def transcript_markdown(t: Transcript) -> str:
    """The transcript as Markdown. Every turn is quoted and escaped: a model's or an
    answer's text can never add a heading, a table, a link or raw HTML to the page."""
    md = markdown_text
    head = [
        f"# {md(t.round_title)}: practice interview",
        "",
        f"- Session: `{t.id}` · {t.created_at:%Y-%m-%d %H:%M} UTC · status: {t.status.value}",
        f"- Level: {t.level.value} · persona: {md(t.persona)} · scenario: {md(t.opening)}",
        f"- Interviewer model: {md(t.interviewer.model)} · judge model: {md(t.judge.model)}",
    ]
    if t.sources:
        head.append("- Files: " + ", ".join(f"{s.kind} {md(s.name)}" for s in t.sources))
    body = ["", "## Conversation", ""]
    for turn in t.turns:
        name = speaker(turn.role)
        empty = "> (no answer)" if turn.role is Role.candidate else ">"
        body += [f"**{name}:**", "", quoted(turn.text) or empty, ""]
    card = t.scorecard
    tail = ["## Scorecard", "", scorecard_markdown(card) if card else "Not scored yet."]
    spoken = delivery_summary(t)
    if spoken is not None:
        tail += ["", "## Delivery", "", f"{spoken.line()} (measured from the audio)."]
    return "\n".join(head + body + tail).rstrip() + "\n"


# ------------------------------------------------------------------------ rich


def delivery_summary(t: Transcript) -> Summary | None:
    """How the session's spoken answers were delivered, or None if none were spoken."""
    return summarize([turn.delivery for turn in t.candidate_turns() if turn.delivery])


def delivery_text(t: Transcript) -> RenderableType | None:
    """The delivery line shown under the scorecard."""
    spoken = delivery_summary(t)
    if spoken is None:
        return None
    return Text.assemble(("Delivery ", "bold"), spoken.line(), ("  (/delivery per answer)", "dim"))


def scorecard_table(card: Scorecard) -> RenderableType:
    if card.status == "failed":
        # Plain text, not a panel: a panel's edge cut the reason off where it was longest.
        return Text.assemble(
            ("Scorecard: scoring failed", "bold red"), "\n", (card.failure_reason or "", "red")
        )
    table = Table(title="Scorecard", show_lines=True, expand=True)
    table.add_column("Dimension", style="bold", ratio=2)
    table.add_column("Score", justify="center", ratio=1)
    table.add_column("Evidence (your words)", ratio=4)
    table.add_column("Why", ratio=4)
    for dim in card.dimensions:
        style = "dim italic" if dim.score is None else "bold" if dim.verified else "yellow"
        score = Text(dimension_score(dim), style=style)
        why = Text(dim.rationale)
        for flag in dim.flags:
            why.append(f"\n⚠ {flag}", style="yellow")
        evidence = "\n".join(f"“{q}”" for q in dim.evidence) or "—"
        table.add_row(Text(dim.name), score, Text(evidence), why)
    signal = signal_text(card)
    summary = Text.assemble(
        ("Overall ", "bold"),
        (f"{card.overall if card.overall is not None else 'n/a'}", "bold"),
        ("   Hire signal ", "bold"),
        (signal, SIGNAL_STYLE.get(signal, "")),
    )
    parts: list[RenderableType] = [table, summary, Text(judge_line(card), style="dim")]
    if card.hire_rationale:
        parts.append(Text(card.hire_rationale, style="italic"))
    for title, items, style in (
        ("Strengths", card.strengths, "green"),
        ("Gaps", card.gaps, "yellow"),
        ("Practise next", card.practice, "cyan"),
    ):
        parts.append(Text(f"\n{title}", style=f"bold {style}"))
        parts += [Text(f"  • {item}") for item in items]
    if card.points:
        parts.append(Text("\nWhat a strong answer covered", style="bold magenta"))
        for hit, point, quote in points_lines(card):
            line = Text(f"  {'✓' if hit else '✗'} {point}", style="" if hit else "dim")
            if quote:
                line.append(f"\n      you said: “{quote}”", style="italic")
            parts.append(line)
    return Group(*parts)
