"""Commands of the teaching loop: next, drill and plan.

Each command reads the history from the index, asks ``teaching`` what to do and why, says
so, then runs the round it chose through ``practice.play`` (``--dry-run`` stops at the
saying). Strong-answer material appears only after an attempt: a drill shows the area it
asks about, never what a strong answer to it covers, until the candidate has answered.
The feedback after a scripted round is drawn by ``teaching_view``, which ``flow`` calls.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from interviewer.cli.app import out, warn
from interviewer.cli.options import (
    ApiBaseOpt,
    CvOpt,
    DirOpt,
    JobOpt,
    JudgeApiBaseOpt,
    JudgeOpt,
    JudgeSamplesOpt,
    LevelOpt,
    ModelOpt,
    NoScoreOpt,
    PaperOpt,
    PersonaOpt,
    UserDirOpt,
)
from interviewer.cli.voiceopts import voice_options
from interviewer.errors import NotFoundError, UserError

if TYPE_CHECKING:  # annotations only: each command imports what it runs, so --help stays light
    from interviewer.catalog.library import Catalog
    from interviewer.config.settings import Settings
    from interviewer.formats.levels import Level
    from interviewer.formats.rounds import Loop, Round
    from interviewer.formats.transcript import Transcript
    from interviewer.teaching.history import Held

DEFAULT_LOOP = "ml-engineer"
"""The loop ``next`` follows when none is named or planned."""

commands = typer.Typer(rich_markup_mode="rich")

LoopArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[LOOP]",
        help="The loop you interview for (see 'interviewer rounds'); none: show your plan.",
        show_default=False,
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="DATE",
        help="The day of your interview, YYYY-MM-DD; the plan ends the day before.",
        show_default=False,
    ),
]
PerDayOpt = Annotated[
    int, typer.Option("--per-day", min=1, max=6, metavar="N", help="Sessions a day (1 to 6).")
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Say what would be practised and why; start nothing.")
]


def today() -> date:
    return date.today()


def loop_rounds(catalog: Catalog, loop: Loop) -> list[Round]:
    """The loop's rounds in its order, as its track runs them."""
    return [catalog.round(r.round).item.for_track(loop.track) for r in loop.rounds]


def keep_recorded(
    settings: Settings, *, persona: str | None, level: Level | None = None
) -> Settings:
    """The settings with the recorded persona and level where no flag named them (a drill
    keeps the level and persona of the session it drills; a loop's round its persona)."""
    if persona is not None and "persona" not in settings.flagged:
        settings = replace(settings, persona=persona)
    if level is not None and "level" not in settings.flagged:
        settings = replace(settings, level=level)
    return settings


# ----------------------------------------------------------------------------- next


@commands.command("next")
@voice_options
def next_session(
    ctx: typer.Context,
    loop_name: Annotated[
        str | None,
        typer.Option(
            "--loop",
            metavar="LOOP",
            help=f"The loop you are preparing for (default: your plan's, else {DEFAULT_LOOP}).",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    level: LevelOpt = None,
    persona: PersonaOpt = None,
    model: ModelOpt = None,
    judge_model: JudgeOpt = None,
    api_base: ApiBaseOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    paper: PaperOpt = None,
    job: JobOpt = None,
    cv: CvOpt = None,
    no_score: NoScoreOpt = False,
    judge_samples: JudgeSamplesOpt = 1,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Start the session your history calls for, and say why.

    It targets your weakest dimension (latest score under 3; not twice in one day), then a
    recovered one whose spaced review is due (1, 3, 7, then 14 days after good scores), then
    a round of the loop you have not practised; never a scenario you saw in the last 14
    days. Today's plan ('interviewer plan') comes first. With no history: the loop's first
    round.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.cli.flow import tailoring
    from interviewer.cli.options import flag_settings
    from interviewer.cli.practice import play
    from interviewer.cli.teaching_view import reasons
    from interviewer.teaching.choose import choose_next, dimension_name
    from interviewer.teaching.history import read_history
    from interviewer.teaching.planner import load_plan, planned_pick

    settings = flag_settings(ctx.params)
    catalog = Catalog(settings.user_dir)
    folder = settings.transcripts_dir
    plan = load_plan(folder)
    name = loop_name or (plan.loop if plan else None) or DEFAULT_LOOP
    loop = catalog.loop(name).item
    rounds = loop_rounds(catalog, loop)
    history = read_history(folder, warn)
    day = today()
    pick = planned_pick(plan, rounds, history, day) if plan and plan.loop == loop.id else None
    pick = pick or choose_next(history, rounds, day)
    round_ = next(r for r in rounds if r.id == pick.round)
    opening = next(o for o in round_.openings if o.id == pick.opening)
    focus = ", ".join(dimension_name(round_, d) for d in pick.focus) or "the whole round"
    title = f"Next: {round_.title} · '{opening.title}' · targets {focus} ({loop.title})"
    out.print(reasons(title, pick.reasons), soft_wrap=False)
    if dry_run:
        return
    persona = next((r.persona for r in loop.rounds if r.round == round_.id), None)
    play(keep_recorded(settings, persona=persona), round_.id, opening=opening.id,
         track=loop.track, files=tailoring(paper, job, cv), weakest=pick.focus,
         no_score=no_score, samples=judge_samples)  # fmt: skip


# ---------------------------------------------------------------------------- drill


@commands.command()
@voice_options
def drill(
    ctx: typer.Context,
    session_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="The session to re-drill (an id or a unique prefix; default: your latest).",
            show_default=False,
        ),
    ] = None,
    dimension: Annotated[
        str | None,
        typer.Option(
            "--dimension",
            "-d",
            metavar="DIMENSION",
            help="The dimension to drill (default: the session's lowest score); see "
            "'interviewer rounds show ROUND'.",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    model: ModelOpt = None,
    judge_model: JudgeOpt = None,
    api_base: ApiBaseOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    judge_samples: JudgeSamplesOpt = 1,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Re-drill a session's weak spot on a new variant, and see attempt and re-attempt side by side.

    One dimension (the session's lowest score, or --dimension), asked on one area of another
    scenario of the round, in a short exchange scored on that dimension. What a strong answer
    covers is shown only after you answer. With no judge, the feedback matches the strong
    answer's points to your own sentences, unscored.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.cli.flow import make_store
    from interviewer.cli.options import flag_settings
    from interviewer.cli.practice import play
    from interviewer.cli.teaching_view import reasons, side_by_side
    from interviewer.formats.transcript import Drill
    from interviewer.teaching.choose import choose_drill, dimension_name
    from interviewer.teaching.feedback import attempt
    from interviewer.teaching.history import read_history

    settings = flag_settings(ctx.params)
    store = make_store(settings)
    history = read_history(store.folder, warn)
    held = find_session(history, store.resolve(session_id) if session_id else None)
    original = store.read(held.session)
    catalog = Catalog(settings.user_dir)
    round_ = catalog.round(original.round).item.for_track(original.track)
    check_dimension(round_, dimension)
    pick = choose_drill(round_, held, history, today(), dimension)
    opening = next(o for o in round_.openings if o.id == pick.opening)
    name = dimension_name(round_, pick.dimension)
    title = f"Re-drill: {name} · '{opening.title}' · one area: {pick.area}"
    out.print(reasons(title, pick.reasons), soft_wrap=False)
    if dry_run:
        return
    mark = Drill(of=original.id, dimension=pick.dimension, area=pick.area)
    settings = keep_recorded(settings, level=original.level, persona=original.persona)
    interview, _card = play(settings, round_.id, opening=opening.id, track=original.track,
                            files=recorded_files(original), drill=mark,
                            samples=judge_samples)  # fmt: skip
    before = attempt(round_, original, pick.dimension)
    after = attempt(round_, interview.transcript, pick.dimension)
    out.print(side_by_side(round_, pick.dimension, before, after))


def recorded_files(transcript: Transcript) -> dict[str, Path | None]:
    """The paper, job or CV the drilled session used, where they still are: a drill of a
    paper round asks about the same paper."""
    return {
        source.kind: Path(source.path)
        for source in transcript.sources
        if source.path
        and source.kind not in ("round", "persona", "prompt")
        and Path(source.path).is_file()
    }


def find_session(history: list[Held], full_id: str | None) -> Held:
    """The session named, else the latest one."""
    if full_id is not None:
        found = next((h for h in history if h.session == full_id), None)
        if found is not None:
            return found
    elif history:
        return history[-1]
    raise NotFoundError(
        "no session to re-drill yet",
        hint="practise a round first: interviewer next, or interviewer practice ROUND",
    )


def check_dimension(round_: Round, dimension: str | None) -> None:
    from interviewer.catalog.library import known_names

    known = [d.id for d in round_.dimensions]
    if dimension is not None and dimension not in known:
        raise UserError(
            f"--dimension '{dimension}': round {round_.id} has no such dimension",
            hint=known_names(dimension, known),
        )


# ----------------------------------------------------------------------------- plan


@commands.command()
def plan(
    ctx: typer.Context,
    loop_name: LoopArg = None,
    until: UntilOpt = None,
    per_day: PerDayOpt = 1,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Plan each day up to your interview: every round of the loop, the rest on weak dimensions.

    The plan is saved in the transcripts folder; 'interviewer next' follows it and
    'interviewer progress' shows it against what you did. Without LOOP, shows the plan.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.cli.options import flag_settings
    from interviewer.teaching.history import read_history
    from interviewer.teaching.planner import make_plan, save_plan

    settings = flag_settings(ctx.params)
    folder = settings.transcripts_dir
    catalog = Catalog(settings.user_dir)
    if loop_name is None:
        show_plan(folder, catalog, today(), missing="No plan yet. Make one with: "
                  "interviewer plan LOOP --until YYYY-MM-DD")  # fmt: skip
        return
    loop = catalog.loop(loop_name).item
    day = today()
    end = interview_day(until, day)
    history = read_history(folder, warn)
    made = make_plan(loop.id, loop_rounds(catalog, loop), history, day, end, per_day)
    path = save_plan(folder, made)
    if made.per_day > per_day:
        warn(f"{made.per_day} sessions a day, so every round of the loop fits before {end}")
    show_plan(folder, catalog, day, history=history)
    out.print(Text(f"Saved to {path}. 'interviewer next' follows it; 'interviewer progress' "
                   "shows it against what you did.", style="dim"))  # fmt: skip


def interview_day(until: str | None, day: date) -> date:
    """``--until``, checked: a real date, after today."""
    if until is None:
        raise UserError(
            "--until DATE is needed with a loop: the day of your interview",
            hint=f"e.g. interviewer plan ml-engineer --until {day + timedelta(days=14)}",
        )
    try:
        end = date.fromisoformat(until.strip())
    except ValueError:
        raise UserError(
            f"--until '{until}' is not a date", hint="write it as YYYY-MM-DD, e.g. 2026-12-20"
        ) from None
    if end <= day:
        raise UserError(
            f"--until {end} is not after today ({day})",
            hint="give the day of your interview, which the plan leads up to",
        )
    return end


def show_plan(
    folder: Path,
    catalog: Catalog,
    day: date,
    missing: str | None = None,
    history: list[Held] | None = None,
) -> bool:
    """The stored plan beside what was done; ``missing`` said when there is none. Whether
    a plan was shown (``progress`` shows it when there is one)."""
    from interviewer.cli.teaching_view import plan_view
    from interviewer.teaching.history import read_history
    from interviewer.teaching.planner import against, load_plan

    stored = load_plan(folder)
    if stored is None:
        if missing:
            out.print(missing)
        return False
    try:
        loop = catalog.loop(stored.loop).item
        rounds = {r.id: r for r in loop_rounds(catalog, loop)}
    except NotFoundError:
        loop, rounds = None, {}
    rows = against(stored, read_history(folder, warn) if history is None else history, day)
    done = sum(1 for r in rows if r.state == "done")
    name = loop.title if loop else stored.loop
    title = f"Plan: {name} until {stored.until} · {done} of {len(rows)} sessions done"
    out.print(plan_view(rows, rounds, title))
    return True


def plan_in_progress(folder: Path) -> None:
    """For ``progress``: the plan against what was done (it has looked for one)."""
    from interviewer.catalog.library import Catalog
    from interviewer.config.file import user_dir

    show_plan(folder, Catalog(user_dir()), today())
