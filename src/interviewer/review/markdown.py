"""Scorecards and transcripts as Markdown.

Markdown is the format a transcript is read in outside the tool (beside the JSON, in an
export, in a mentor's inbox), so it must read well on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewer.formats.delivery import describe
from interviewer.formats.readings import Role
from interviewer.review.figures import score
from interviewer.review.scenario import Scenario, scenario_of
from interviewer.review.wording import (
    COLUMNS,
    DELIVERY,
    DRAFT,
    EMPTY,
    HIRE_SIGNAL,
    NO_ANSWER,
    NOT_SCORED,
    POINTS,
    delivery_summary,
    delivery_total,
    dimension_score,
    draft_note,
    evidence_quotes,
    judge_line,
    lists,
    points_lines,
    signal_text,
    speaker,
)
from interviewer.terminal.safe_text import markdown_cell, markdown_text

if TYPE_CHECKING:
    from interviewer.catalog.library import Catalog
    from interviewer.formats.transcript import Scorecard, Transcript

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
        f"overall **{score(card.overall)}** · "
        f"hire signal **{signal_text(card)}**",
        "",
        f"_{md_cell(judge_line(card))}_",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|---" * len(COLUMNS) + "|",
    ]
    for dim in card.dimensions:
        evidence = "<br>".join(markdown_cell(q) for q in evidence_quotes(dim)) or EMPTY
        flags = "".join(f"<br>⚠ {markdown_cell(f)}" for f in dim.flags)
        row = [markdown_cell(dim.name), markdown_cell(dimension_score(dim)), evidence]
        lines.append("| " + " | ".join([*row, markdown_cell(dim.rationale) + flags]) + " |")
    sections = [(HIRE_SIGNAL, [card.hire_rationale or ""]), *lists(card)]
    for title, items in sections:
        lines += ["", f"### {title}", *[f"- {markdown_cell(item)}" for item in items if item]]
    if card.points:
        lines += ["", f"### {POINTS}"]
        for hit, point, quote in points_lines(card):
            mark = f"✓ {point}: “{quote}”" if hit else f"✗ {point}"
            lines.append(f"- {md_cell(mark)}")
    return "\n".join(lines) + "\n"


def md_cell(text: str) -> str:
    """Text from outside kept from becoming Markdown structure (see ``safe_text``)."""
    return markdown_cell(text)


def quoted(text: str) -> str:
    """Outside text as a Markdown blockquote, escaped line by line."""
    return "".join(quoted_parts(text))


CHUNK = 1 << 16
"""Characters of a huge text escaped and quoted at a time (at least: a chunk ends at a
newline), few enough to stay in the processor's cache through every pass (as
``long_text.CHUNK``: 50 MB of short lines quoted in 0.36 s a megabyte at a time, 0.26 s)."""
_BLANK = re.compile(r"\n> [^\S\n]*+$", re.MULTILINE)  # a quoted line with nothing on it
"""After its newline, so the search skips from line to line: ``(?m)^`` was tried at
every character (0.25 s for 50 MB of code). The first line is ``_BLANK_HEAD``."""
_BLANK_HEAD = re.compile(r"[^\S\n]*+(?=\n|\Z)")  # a first line with nothing on it


def quoted_parts(text: str) -> Iterator[str]:
    """``quoted(text)`` in pieces, a chunk of whole lines at a time, so a 50 MB answer
    is quoted in linear time and never held whole twice: a line at a time, a pasted
    log of millions of short lines took 16 s and 2.5 GB. Every line gets "> " (a blank
    one just ">"); ``markdown_text`` has removed every line break but the newline. The
    newline between chunks and each chunk's first "> " are pieces of their own: joined
    to the chunk, each copied it again."""
    at = 0
    while True:
        end = text.find("\n", at + CHUNK) if at + CHUNK < len(text) else -1
        end = len(text) if end < 0 else end
        chunk = markdown_text(text[at:end])
        if end == len(text):
            if not chunk:  # the text ended with the newline before this: no line after it
                return
            chunk = chunk.removesuffix("\n")  # nor after a last newline, as splitlines has it
        if at:
            yield "\n"
        yield from _quote_lines(chunk)
        if end == len(text):
            return
        at = end + 1


def _quote_lines(chunk: str) -> tuple[str, str]:
    """Each line of escaped text after "> ", a blank one as just ">": the first line's
    mark, and the rest. Only our prefix can put "> " in it (``markdown_text`` turned
    every ">" into an entity), so an empty line is a "> " before a newline, fixed by one
    ``replace``; the expression that finds a line of spaces is used only where a line
    may be one (one was tried at every line)."""
    head = _BLANK_HEAD.match(chunk)
    if head and head.end():  # a first line of spaces: shown as ">", without them
        chunk = chunk[head.end() :]
    lines = chunk.replace("\n", "\n> ")
    if not chunk.isascii() or _may_be_spaces(chunk):
        lines = _BLANK.sub("\n>", lines)
    elif "\n\n" in chunk:  # an empty line (looked for in the shorter text)
        lines = lines.replace("> \n", ">\n")
    if lines.endswith("\n> "):
        lines = lines[:-1]
    return (">" if head else "> "), lines


def _may_be_spaces(chunk: str) -> bool:
    """Whether a line of ASCII ``chunk`` may be only spaces or tabs: one begins with one.
    Each is looked for after a newline only where it is there at all (memchr is a tenth
    of the search), so 16 million lines of "ok" are not searched twice for nothing."""
    return chunk[:1] in (" ", "\t") or any(
        char in chunk and "\n" + char in chunk for char in (" ", "\t")
    )


def scenario_markdown(scenario: Scenario) -> list[str]:
    """The scenario's section: its title, then its text quoted and escaped like a turn."""
    lines = ["## Scenario", "", f"**{md_cell(scenario.title)}**", ""]
    if scenario.text is not None:
        lines += [quoted(scenario.text), ""]
    if scenario.note:
        lines += [f"_{md_cell(scenario.note)}_", ""]
    return lines


def _sections(t: Transcript, scenario: Scenario | None) -> list[str | Quoted]:
    """The transcript's Markdown, a line or a block each. Every turn is quoted and escaped:
    a model's or an answer's text can never add a heading, a table, a link or raw HTML.

    ``scenario`` (``scenario_of``) is shown above the conversation; without one (a caller
    with no round files at hand) the section is left out.
    """
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
    body: list[str | Quoted] = ["", *(scenario_markdown(scenario) if scenario else [])]
    body += ["## Conversation", ""]
    for turn in t.turns:
        name = speaker(turn.role)
        empty = f"> {NO_ANSWER}" if turn.role is Role.candidate else ">"
        body += [f"**{name}:**", "", _quote(turn.text) or empty, ""]
        if turn.delivery is not None:  # a spoken answer: how it was delivered, under it
            body += [f"_{md_cell(describe(turn.delivery))}_", ""]
    if t.draft:  # after the last turn, marked: it is not part of the conversation
        body += [f"**{DRAFT}:**", "", _quote(t.draft), "", f"_{md_cell(draft_note(t))}_", ""]
    card = t.scorecard
    tail = ["## Scorecard", "", scorecard_markdown(card) if card else NOT_SCORED]
    spoken = delivery_summary(t)
    if spoken is not None:
        tail += ["", f"## {DELIVERY}", "", md_cell(delivery_total(spoken))]
    return [*head, *body, "\n".join(tail).rstrip() + "\n"]  # as the whole was stripped


def _quote(text: str) -> str | Quoted:
    """A turn quoted now, or, if it is huge, when it is written."""
    return Quoted(text) if len(text) > CHUNK else quoted(text)


@dataclass(frozen=True)
class Quoted:
    """A huge text to be quoted (``quoted_parts``) as the page is written."""

    text: str


def transcript_markdown(t: Transcript, scenario: Scenario | None = None) -> str:
    """The transcript as Markdown (``transcript_markdown_parts``, joined)."""
    return "".join(transcript_markdown_parts(t, scenario))


def transcript_markdown_parts(t: Transcript, scenario: Scenario | None = None) -> Iterator[str]:
    """The transcript as Markdown in pieces, for writing a huge one without holding it."""
    for n, item in enumerate(_sections(t, scenario)):
        if n:
            yield "\n"
        if isinstance(item, Quoted):
            yield from quoted_parts(item.text)
        else:
            yield item


def markdown_writer(catalog: Catalog) -> Callable[[Transcript], str]:
    """What a store writes beside each transcript: its Markdown, scenario included. The
    scenario is looked up once per session, not on each save (one a turn)."""
    found: dict[tuple[str, str, str, str], Scenario] = {}

    def render(t: Transcript) -> str:
        key = (t.id, t.round, t.opening, t.level.value)
        if key not in found:
            found[key] = scenario_of(t, catalog)
        return transcript_markdown(t, found[key])

    return render
