"""The loop command: every round of a track's loop in order, with breaks, then a debrief."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interviewer.cli.app import out, warn
from interviewer.cli.options import (
    ApiBaseOpt,
    CvOpt,
    DirOpt,
    JobOpt,
    JudgeApiBaseOpt,
    JudgeOpt,
    LevelOpt,
    ModelOpt,
    NoScoreOpt,
    PaperOpt,
    PersonaOpt,
    UserDirOpt,
)
from interviewer.cli.voiceopts import voice_options
from interviewer.config.file import DEFAULT_PERSONA
from interviewer.errors import FileFormatError

if TYPE_CHECKING:  # the interview machinery is imported by the command: --help stays light
    from interviewer.catalog.library import Catalog
    from interviewer.config.settings import Settings
    from interviewer.formats.loops import Loop
    from interviewer.interview.loops import Debrief, LoopSession
    from interviewer.interview.runner import Outcome
    from interviewer.interview.start import Interview
    from interviewer.models import Choice
    from interviewer.store.transcripts import Store

commands = typer.Typer(rich_markup_mode="rich")


@commands.command()
@voice_options
def loop(
    ctx: typer.Context,
    track: Annotated[
        str,
        typer.Argument(
            metavar="LOOP",
            help="A track's loop: ml-engineer, research-scientist, applied-scientist (see 'interviewer rounds').",
        ),
    ],
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
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Run a whole interview loop: its rounds in order, a break between rounds, then a debrief.

    Stop at any break (or with /pause, or Ctrl-C) and continue another day with
    'interviewer resume LOOP-ID'.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.cli.flow import check_voice, tailoring
    from interviewer.cli.options import flag_settings
    from interviewer.interview.loops import LoopStore, new_session
    from interviewer.interview.start import utcnow

    settings = flag_settings(ctx.params)
    check_voice(settings)
    catalog = Catalog(settings.user_dir)
    entry = catalog.loop(track)
    spec = entry.item
    check_loop_rounds(catalog, entry.path)
    session = new_session(spec, settings.level, settings.persona or DEFAULT_PERSONA, utcnow())
    session.files = {k: str(v.resolve()) for k, v in tailoring(paper, job, cv).items() if v}
    LoopStore(settings.transcripts_dir).save(session)
    out.print(
        f"[bold]{spec.title}[/] · level {settings.level.value} · {len(spec.rounds)} rounds · loop id {session.id}"
    )
    out.print(f"[dim]{spec.summary}[/]")
    continue_loop(session, settings, no_score=no_score)


def check_loop_rounds(catalog: Catalog, path: Path) -> None:
    """Every round and failure-mode dimension the loop names must exist, before round one."""
    from interviewer.catalog.library import check_file

    problems = check_file(path, catalog).problems
    if problems:
        more = (
            f"; {len(problems) - 1} more: run 'interviewer check {path}'"
            if len(problems) > 1
            else ""
        )
        raise FileFormatError(problems[0] + more)


def find_loop(settings: Settings, prefix: str, store: Store) -> LoopSession | None:
    """The loop session an id names directly, or the loop a round's transcript belongs to."""
    from interviewer.interview import loop_runner
    from interviewer.interview.loops import LoopStore

    return loop_runner.find_loop(LoopStore(settings.transcripts_dir), prefix, store)


def continue_loop(session: LoopSession, settings: Settings, *, no_score: bool) -> None:
    """Run the loop's unfinished rounds in order, then the debrief."""
    from interviewer.cli.serving import serving, start_preload
    from interviewer.models import Recorded, choose

    settings = replace(settings, level=session.level)
    choice = choose(settings, Recorded(session.interviewer, session.judge))
    session.interviewer, session.judge = choice.interviewer.info(), choice.judge.info()
    start_preload(choice)
    with serving(choice) as live:
        run_rounds(session, settings, live, no_score=no_score)


@dataclass
class TerminalRounds:
    """The loop's rounds played on this terminal (``loop_runner.LoopHooks``)."""

    session: LoopSession
    choice: Choice
    store: Store
    settings: Settings
    no_score: bool

    def take_break(self, session: LoopSession, index: int) -> bool:
        return take_break(session, index)

    def play(self, interview: Interview, index: int, resumed: bool) -> Outcome:
        from interviewer.cli.flow import announce, run_interview

        out.print(f"\n[bold]Round {index + 1} of {len(self.session.rounds)}[/]")
        announce(interview, self.choice, self.store, resumed=resumed)
        return run_interview(interview, self.choice, self.store, self.session.id, self.settings)

    def score(self, interview: Interview) -> None:
        from interviewer.cli.flow import score_round

        if not self.no_score:  # a failed or scripted scoring leaves the round unscored
            score_round(interview, self.choice.judge, self.store)


def run_rounds(session: LoopSession, settings: Settings, choice: Choice, *, no_score: bool) -> None:
    """The loop's unfinished rounds, with the models already chosen (and started)."""
    from interviewer.catalog.library import Catalog
    from interviewer.cli.flow import exit_code, make_store
    from interviewer.interview import loop_runner
    from interviewer.interview.loops import LoopStore

    catalog = Catalog(settings.user_dir)
    store, loops = make_store(settings), LoopStore(settings.transcripts_dir)
    hooks = TerminalRounds(session, choice, store, settings, no_score)
    models = (choice.interviewer.info(), choice.judge.info())
    end = loop_runner.run_loop(session, catalog, (store, loops), models, hooks, warn)
    if end.stopped is not None:
        raise typer.Exit(exit_code(end.stopped))
    if end.debrief is None:
        out.print(f"Stopped at a break. Continue with: [bold]interviewer resume {session.id}[/]")
        return
    show_debrief(catalog.loop(session.loop).item, end.debrief)


def take_break(session: LoopSession, index: int) -> bool:
    """Between rounds: Enter continues; /pause or end of input stops here."""
    from interviewer.terminal.console import Terminal

    nxt = session.rounds[index].round
    out.print(f"\n[bold cyan]Break.[/] Next: {nxt} (round {index + 1} of {len(session.rounds)}).")
    try:
        answer = Terminal(out).read_line("Press Enter to start it, or type /pause to stop here: ")
    except (EOFError, KeyboardInterrupt):
        return False
    return answer.strip().lower() not in ("/pause", "/end", "q", "quit")


def show_debrief(spec: Loop, result: Debrief) -> None:
    from interviewer.review.views import debrief_view

    out.print(debrief_view(spec, result))
