"""Commands that look back at saved sessions: list, show, export, progress, delete.

None of these talks to a model, so none of them may import a provider library: the list
of thousands of sessions must come up in well under a second. ``list`` and ``progress``
read the index (``index``) and never pydantic's transcript models unless a file changed;
the transcript, page and chart code is imported inside the commands that use it. Only the
transcripts folder is read from the settings (``config.file``): none of these needs a model.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from interviewer.cli.app import err, out, warn
from interviewer.cli.options import DirOpt
from interviewer.config.file import transcripts_dir as folder_of
from interviewer.config.file import user_dir
from interviewer.errors import EXIT_CHECKS_FAILED, DiskError, FileFormatError
from interviewer.formats.levels import Level
from interviewer.formats.light import cache_dir
from interviewer.review.listing import (
    Filters,
    StatusFilter,
    duration,
    parse_when,
    row_json,
    select,
    sessions_table,
)
from interviewer.store import index
from interviewer.store.rescue import rescue_folder_for

if TYPE_CHECKING:
    from interviewer.formats.transcript import Transcript
    from interviewer.review.scenario import Scenario
    from interviewer.store.transcripts import Store

DEFAULT_LIMIT = 50
commands = typer.Typer(rich_markup_mode="rich")
IdArg = Annotated[str, typer.Argument(metavar="ID", help="Session id or a unique prefix of it.")]


class ExportFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


def _store(transcripts_dir: Path | None) -> Store:
    """The transcripts folder, for reading (none of these commands writes a transcript)."""
    from interviewer.store.transcripts import Store

    return Store(folder_of(transcripts_dir))


def _read_only(transcripts_dir: Path | None, session_id: str) -> Transcript:
    """The session for a command that only reads it: bytes pydantic verified before are
    read without it (``store.verified``), which is most of ``show``'s start-up."""
    return _store(transcripts_dir).load_to_show(session_id, cache_dir() / "verified")


def _scenario(t: Transcript) -> Scenario:
    """The session's scenario from its round file (the bundled rounds, or the user's own)."""
    from interviewer.review.scenario import scenario_for

    return scenario_for(t, user_dir())


def _date(value: str | None, *, end: bool = False) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_when(value, end=end)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def write_out(text: str | Iterable[str], output: Path | None) -> None:
    """Write to the file if one is named (atomically), else to stdout and nothing else;
    ``text`` may come in pieces, written as they are made."""
    if output is None:
        sys.stdout.writelines([text] if isinstance(text, str) else text)
        return
    from interviewer.store.transcripts import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise DiskError(f"could not write {output}: {exc.strerror or exc}") from None
    out.print(Text(f"Wrote {output}"))


# The options of ``list``, declared apart so the command reads as what it does.
RoundOpt = Annotated[
    str | None, typer.Option("--round", "-r", help="Only this round.", show_default=False)
]
LevelOpt = Annotated[
    Level | None, typer.Option("--level", "-l", help="Only this level.", show_default=False)
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="Started on or after DATE (2026-11-01, UTC).",
        show_default=False,
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="DATE",
        help="Started on or before DATE (a date includes the whole day).",
        show_default=False,
    ),
]
StatusOpt = Annotated[
    list[StatusFilter] | None,
    typer.Option(
        "--status", "-s", help="Session or scoring status; repeat to combine.", show_default=False
    ),
]
MinScoreOpt = Annotated[
    float | None,
    typer.Option("--min-score", min=1, max=5, help="Overall at least this.", show_default=False),
]
MaxScoreOpt = Annotated[
    float | None,
    typer.Option("--max-score", min=1, max=5, help="Overall at most this.", show_default=False),
]
LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        min=0,
        help=f"Show at most N, newest first (default: {DEFAULT_LIMIT} in "
        "the table, all with --json; 0: all).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="A JSON array of rows on stdout.")]


@commands.command("list")
def list_command(
    round_id: RoundOpt = None,
    level: LevelOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    status: StatusOpt = None,
    min_score: MinScoreOpt = None,
    max_score: MaxScoreOpt = None,
    limit: LimitOpt = None,
    as_json: JsonOpt = False,
    transcripts_dir: DirOpt = None,
) -> None:
    """List saved sessions, newest first, with their scores and status."""
    filters = Filters(
        round=round_id,
        level=level.value if level else None,
        since=_date(since),
        until=_date(until, end=True),
        statuses=frozenset(s.value for s in status or []),
        min_score=min_score,
        max_score=max_score,
    )
    folder = folder_of(transcripts_dir)
    if rescue_folder_for(folder).is_dir():  # some sessions were saved elsewhere: list them too
        every = _store(transcripts_dir).summaries(warn)
    else:
        every = index.summaries(folder, warn)
    rows = select(every, filters)
    cap = (None if as_json else DEFAULT_LIMIT) if limit is None else (limit or None)
    shown = rows[:cap] if cap else rows
    if as_json:
        sys.stdout.write(json.dumps([row_json(r, folder) for r in shown], indent=2) + "\n")
        return
    if not every:
        out.print(Text(f"No saved sessions in {folder} yet."))
        out.print("Start one with: interviewer practice ROUND  (see 'interviewer rounds')")
        return
    if not rows:
        out.print(f"No sessions match these filters ({len(every)} saved).")
        return
    out.print(sessions_table(shown, out.width))
    if len(shown) < len(rows):
        out.print(
            f"[dim]Showing the newest {len(shown):,} of {len(rows):,} sessions; --limit 0 shows all.[/]"
        )
    out.print(
        "[dim]Details: interviewer show ID · compare judges: interviewer show ID --all-scores[/]"
    )


@commands.command()
def show(
    session_id: IdArg,
    all_scores: Annotated[
        bool, typer.Option("--all-scores", help="Compare every scorecard the session was given.")
    ] = False,
    transcripts_dir: DirOpt = None,
) -> None:
    """Show a session: the conversation and its latest scorecard.

    The judge's evidence quotes are underlined where they stand in your own answers; a
    person's grades (interviewer grade) stand beside the judge's, a column per grader.
    """
    from interviewer.review.views import (
        conversation,
        print_view,
        scenario_view,
        scorecard_table,
        scorecards_compared,
        session_header,
    )

    t = _read_only(transcripts_dir, session_id)
    card = t.scorecard
    quotes = [q for d in card.dimensions for q in d.evidence] if card else []
    # Every line is wrapped here, between words, at the window's width: ``out`` soft-wraps
    # (for streamed replies), which left long lines to the terminal to cut mid-word.
    say = partial(out.print, soft_wrap=False)
    say(session_header(t, duration(t.duration().total_seconds())))
    say()
    say(scenario_view(_scenario(t)))
    say()
    # Answers wrap at the window's edge; nothing is wider than the window, so no cropping
    # pass over every row (which costs seconds on a pasted 10 MB log).
    print_view(out, conversation(t, quotes))
    if card is None:
        say(f"Not scored yet. Score it with: interviewer score {t.id}")
    else:
        say(scorecard_table(card))
    if t.human_grades:  # a person's grades beside the judge's (interviewer grade)
        from interviewer.catalog.library import Catalog
        from interviewer.review.human import grades_compared

        say()
        say(grades_compared(t, Catalog(user_dir())))
    if all_scores and t.scorecards:
        say()
        say(scorecards_compared(t.scorecards))
    elif len(t.scorecards) > 1:
        say(
            f"\n[dim]Scored {len(t.scorecards)} times; compare them with: "
            f"interviewer show {t.id} --all-scores[/]"
        )


def render_export(t: Transcript, fmt: ExportFormat) -> Iterable[str]:
    """The export in pieces: a session with a 50 MB answer is never held whole twice."""
    if fmt is ExportFormat.json:
        return [t.model_dump_json(indent=2), "\n"]
    if fmt is ExportFormat.md:
        from interviewer.review.markdown import transcript_markdown_parts

        return transcript_markdown_parts(t, _scenario(t))
    from interviewer.review.html import transcript_html_parts

    return transcript_html_parts(t, _scenario(t))


@commands.command()
def export(
    session_id: IdArg,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="md: readable text; html: one "
            "self-contained page with a chart; json: the full record.",
        ),
    ] = ExportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of stdout.", show_default=False),
    ] = None,
    transcripts_dir: DirOpt = None,
) -> None:
    """Export a session as Markdown, a self-contained HTML page, or JSON.

    JSON is the record upgraded to the current format, so scripts see one shape.
    """
    store = _store(transcripts_dir)  # JSON is pydantic's own dump of the record
    t = (
        store.load(session_id)
        if fmt is ExportFormat.json
        else _read_only(transcripts_dir, session_id)
    )
    write_out(render_export(t, fmt), output)


@commands.command()
def progress(
    round_id: RoundOpt = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            metavar="FILE",
            help="Also write a page of line plots, one per dimension.",
            show_default=False,
        ),
    ] = None,
    transcripts_dir: DirOpt = None,
) -> None:
    """Your scores per dimension over time, the weakest three, and what to practise next.

    With a plan ('interviewer plan'), the plan first, each session done, missed or ahead.
    """
    from interviewer.review.progress import build
    from interviewer.review.progress_view import progress_view
    from interviewer.teaching.paths import PLAN_FILE

    folder = folder_of(transcripts_dir)
    scored, spoken = index.scored_and_spoken(folder, warn, round_id)
    report = build(scored, round_id, spoken)
    if (folder_of(transcripts_dir) / PLAN_FILE).is_file():  # the plan against what was done
        from interviewer.cli.teaching import plan_in_progress

        plan_in_progress(folder_of(transcripts_dir))
    if report.sessions == 0:
        where = f" for round {round_id}" if round_id else ""
        out.print(f"No scored sessions{where} yet. Score one with: interviewer score ID")
        return
    out.print(progress_view(report), soft_wrap=False)  # wrapped between words, as in show
    if html is not None:
        from interviewer.review.html import progress_html

        write_out(progress_html(report), html)


@commands.command()
def delete(
    session_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    transcripts_dir: DirOpt = None,
) -> None:
    """Delete a session's transcript (.json and .md); asks first unless --yes."""
    store = _store(transcripts_dir)
    full = store.resolve(session_id)
    try:
        t = store.read(full)
        what = f"{t.round_title}, {t.created_at:%Y-%m-%d %H:%M} UTC, {t.status.value}"
    except FileFormatError:
        what = "unreadable"  # a damaged file can still be deleted
    if not yes and not typer.confirm(f"Delete session {full} ({what})?", default=False):
        err.print("Nothing deleted.")
        raise typer.Exit(EXIT_CHECKS_FAILED)
    store.delete(full)
    out.print(Text(f"Deleted session {full}."))
