"""A person's grades: ``grade`` one session yourself, ``grades export`` and ``grades import``.

None of these talks to a model. A grading is saved in the transcript (``human_grades``,
transcript version 5) through the store's atomic save, under the session's lock, so a
grade cannot be lost to an interview or a re-score writing the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from interviewer.cli.app import err, fail, out, warn
from interviewer.cli.options import DirOpt, UserDirOpt
from interviewer.config.file import transcripts_dir as folder_of
from interviewer.config.file import user_dir as user_dir_of
from interviewer.errors import (
    EXIT_CHECKS_FAILED,
    EXIT_INTERRUPTED,
    SessionLockedError,
    UserError,
)

if TYPE_CHECKING:  # the grading itself is imported by the commands: --help stays light
    from interviewer.catalog.library import Catalog
    from interviewer.formats.human import HumanScore
    from interviewer.formats.transcript import Transcript
    from interviewer.grading.human import Change, Rubric
    from interviewer.store.transcripts import Store

commands = typer.Typer(rich_markup_mode="rich")
grades = typer.Typer(
    rich_markup_mode="rich",
    no_args_is_help=True,
    help="Export or import people's grades as JSON Lines, for a coach.",
)
commands.add_typer(grades, name="grades")

DEFAULT_GRADER = "you"
NOT_ENOUGH = "n"
SKIP, ANSWERS = "s", "a"
SCORE_RULE = f"a score is 1 to 5, or {NOT_ENOUGH} for not enough evidence"
ASK = f"Score (1-5, {NOT_ENOUGH}: not enough evidence, {SKIP}: skip, {ANSWERS}: the answers)"

IdArg = Annotated[str, typer.Argument(metavar="ID", help="Session id or a unique prefix of it.")]
GraderOpt = Annotated[
    str,
    typer.Option("--grader", "-g", help="Who is grading: their column in 'interviewer show'."),
]
ScoresOpt = Annotated[
    str | None,
    typer.Option(
        "--scores",
        metavar="DIM=SCORE,...",
        help=f"Grade without asking (for scripts): 1 to 5, or {NOT_ENOUGH} for not enough "
        "evidence, e.g. problem-framing=4,data-labels=n. Dimensions left out are not graded.",
        show_default=False,
    ),
]
NoteOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--note",
        metavar="DIM=TEXT",
        help="A note on a dimension graded in --scores; repeat for more.",
        show_default=False,
    ),
]


# ------------------------------------------------------------------------ grade


@commands.command()
def grade(
    session_id: IdArg,
    grader: GraderOpt = DEFAULT_GRADER,
    scores: ScoresOpt = None,
    note: NoteOpt = None,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Grade a session yourself, dimension by dimension, beside the judge's scorecard.

    The scenario and the conversation come first; then each dimension of the round with
    its anchors (what 1 to 5 look like). Answer 1 to 5, n for not enough evidence, s to
    skip it or a to see the answers again; then a note if you like. The judge's scores
    are not shown while you grade, so they cannot sway yours. Every grading is kept;
    'interviewer show ID' sets each grader's latest beside the judge's.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.formats.human import HumanGrade
    from interviewer.grading.human import merge, rubric_of
    from interviewer.store.transcripts import Store

    name = grader_name(grader)
    if note and scores is None:
        raise UserError("--note: a note goes with --scores", hint="add --scores, or drop --note")
    store = Store(folder_of(transcripts_dir))
    full_id = store.resolve(session_id)
    catalog = Catalog(user_dir_of(user_dir))
    with locked(store, full_id, "grade it once it has stopped there"):
        t = store.read(full_id)
        if not t.candidate_turns():
            raise UserError(
                f"session {t.id} has no answers to grade yet",
                hint=f"continue it with 'interviewer resume {t.id}'",
            )
        rubric = rubric_of(t, catalog)
        if rubric.missing:
            warn(f"{rubric.missing}: grading the dimensions its scorecards name, without anchors")
        if scores is not None:
            given = from_flags(scores, note or [], rubric, t.round)
        else:
            given = walk(t, rubric, catalog)
        if not given:
            err.print("No dimension graded; nothing saved.")
            raise typer.Exit(EXIT_CHECKS_FAILED)
        merge(t, HumanGrade(grader=name, at=now(), scores=given, rubric_sha256=rubric.sha256))
        store.save(t)
    graded = f"{len(given)} dimension" + ("s" if len(given) > 1 else "")
    out.print(Text(f"Saved {name}'s grades of session {t.id} ({graded}). Beside the judge's:"))
    out.print(Text(f"  interviewer show {t.id}"))


def now() -> datetime:
    return datetime.now(UTC)


def grader_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise UserError("--grader: a name is needed", hint="e.g. --grader 'Ana (mentor)'")
    if len(name) > 80:
        raise UserError("--grader: the name is over 80 characters", hint="give a shorter one")
    return name


@contextmanager
def locked(store: Store, transcript_id: str, then: str) -> Iterator[None]:
    """The session's lock around a read and a save. There is no --force here: taking a
    live interview over to grade it would stop it, so the hint says to wait instead."""
    lock = store.lock(transcript_id)
    try:
        lock.acquire()
    except SessionLockedError as exc:
        raise SessionLockedError(exc.message, hint=then) from None
    try:
        yield
    finally:
        lock.release()


def read_score(text: str) -> int | None:
    """A score as typed: 1 to 5, or ``n`` (None, not enough evidence); ValueError if not."""
    word = text.strip().lower()
    if word == NOT_ENOUGH:
        return None
    if word in {"1", "2", "3", "4", "5"}:
        return int(word)
    raise ValueError(word)


def from_flags(
    scores: str, notes: list[str], rubric: Rubric, round_id: str
) -> dict[str, HumanScore]:
    """``--scores`` and ``--note``, each problem in one line naming the option and the fix."""
    known = rubric.ids()
    example = ",".join(f"{d}=4" for d in known[:2])
    found: dict[str, int | None] = {}
    for part in filter(None, (p.strip() for p in scores.split(","))):
        dim, sep, value = (piece.strip() for piece in part.partition("="))
        if not sep or not dim:
            raise UserError(f"--scores: '{part}' is not DIMENSION=SCORE", hint=f"e.g. {example}")
        if dim not in known:
            raise UserError(
                f"--scores: no dimension '{dim}' in round {round_id}",
                hint=f"its dimensions: {', '.join(known)}",
            )
        if dim in found:
            raise UserError(f"--scores: {dim} is given twice", hint="give each dimension once")
        try:
            found[dim] = read_score(value)
        except ValueError:
            raise UserError(f"--scores: {dim}={value}: {SCORE_RULE}") from None
    if not found:
        raise UserError("--scores: no score given", hint=f"e.g. {example}")
    said: dict[str, str] = {}
    for item in notes:
        dim, sep, text = item.partition("=")
        dim = dim.strip()
        if not sep or not dim:
            raise UserError(f"--note: '{item}' is not DIMENSION=TEXT", hint="e.g. --note 'x=why'")
        if dim not in found:
            raise UserError(f"--note: {dim} has no score in --scores", hint="a note goes with one")
        said[dim] = text
    from interviewer.formats.human import HumanScore

    return {dim: HumanScore(score=score, note=said.get(dim)) for dim, score in found.items()}


def walk(t: Transcript, rubric: Rubric, catalog: Catalog) -> dict[str, HumanScore]:
    """Ask for each dimension's score and note, after showing the session. Input that
    ends (Ctrl-C, Ctrl-D, the end of a pipe) before the last dimension saves nothing."""
    from interviewer.formats.human import HumanScore
    from interviewer.review.human import dimension_card
    from interviewer.review.listing import duration
    from interviewer.review.scenario import scenario_of
    from interviewer.review.views import conversation, scenario_view, session_header

    say = out.print
    say(session_header(t, duration(t.duration().total_seconds())), soft_wrap=False)
    say()
    say(scenario_view(scenario_of(t, catalog)), soft_wrap=False)
    say()
    say(conversation(t, []), soft_wrap=False, crop=False)  # no quotes: the judge's are unseen
    given: dict[str, HumanScore] = {}
    total = len(rubric.dimensions)
    try:
        for number, dim in enumerate(rubric.dimensions, start=1):
            reached = not t.probed or dim.id in t.probed
            card = dimension_card(dim, number, total, t.level.value, reached=reached)
            say()
            say(card, soft_wrap=False)
            while True:
                answer = typer.prompt(ASK, default="", show_default=False).strip().lower()
                if answer == ANSWERS:
                    say(conversation(t, []), soft_wrap=False, crop=False)
                    say(card, soft_wrap=False)
                    continue
                if answer == SKIP:
                    break
                try:
                    score = read_score(answer)
                except ValueError:
                    say(Text(f"Type 1 to 5, {NOT_ENOUGH}, {SKIP} or {ANSWERS}.", style="yellow"))
                    continue
                text = typer.prompt("Note (Enter for none)", default="", show_default=False)
                given[dim.id] = HumanScore(score=score, note=text)
                break
    except typer.Abort:
        fail("grading stopped before the last dimension; nothing saved", EXIT_INTERRUPTED)
    return given


# ----------------------------------------------------------------- export, import


@grades.command("export")
def export_grades(
    session_ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[IDS]...",
            help="Sessions (ids or prefixes); by default every graded one.",
            show_default=False,
        ),
    ] = None,
    grader: Annotated[
        str | None, typer.Option("--grader", "-g", help="Only this grader's.", show_default=False)
    ] = None,
    transcripts_dir: DirOpt = None,
) -> None:
    """Write people's grades as JSON Lines on stdout, one line per session and grader.

    Each line is that grader's latest grading: the session, its round, the grader, when,
    and each dimension's score (null: not enough evidence) and note. A coach can add or
    change lines and give the file back to 'interviewer grades import'.
    """
    from interviewer.cli.grades_file import emit
    from interviewer.grading.human import records
    from interviewer.store.every import every_transcript
    from interviewer.store.transcripts import Store

    store = Store(folder_of(transcripts_dir))
    written = 0
    if session_ids:
        wanted = list(dict.fromkeys(store.resolve(i) for i in session_ids))  # all, before any
        for transcript_id in wanted:
            lines = records(store.read(transcript_id), grader)
            if not lines:
                by = f" by {grader}" if grader else ""
                warn(f"session {transcript_id} has no grades{by}")
            written += emit(lines)
    else:
        for t in every_transcript(store, warn):
            written += emit(records(t, grader))
        if not written:
            warn(f"no graded sessions in {store.folder}")


@grades.command("import")
def import_grades(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A grades file (JSON Lines).")],
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Read people's grades from a JSON Lines file into their sessions.

    Every line is checked first (its fields, its session, the round's dimensions), and a
    bad one is named by file and line with nothing imported. A grading already there is
    left as it is, so importing a file twice changes nothing; one whose scores or notes
    were edited since (same grader and time) replaces it.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.cli.grades_file import read_grades
    from interviewer.grading.human import merge
    from interviewer.store.transcripts import Store

    store = Store(folder_of(transcripts_dir))
    catalog = Catalog(user_dir_of(user_dir))
    incoming = read_grades(file, store, catalog)
    counts: dict[Change, int] = {"added": 0, "updated": 0, "unchanged": 0}
    for transcript_id, given in incoming.items():
        with locked(store, transcript_id, "import again once it has stopped there"):
            t = store.read(transcript_id)
            changes = [merge(t, grade) for grade in given]
            if any(change != "unchanged" for change in changes):
                store.save(t)
        for change in changes:
            counts[change] += 1
    sessions = f"{len(incoming)} session" + ("s" if len(incoming) != 1 else "")
    out.print(
        Text(
            f"Imported {file} into {sessions}: {counts['added']} added, "
            f"{counts['updated']} updated, {counts['unchanged']} already there."
        )
    )
