"""Commands that talk to a model about one round: practice, resume, score."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from interviewer.cli.app import fail, out, warn
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
    TrackOpt,
    UserDirOpt,
)
from interviewer.cli.voiceopts import voice_options
from interviewer.config.file import DEFAULT_PERSONA
from interviewer.errors import EXIT_USAGE

if TYPE_CHECKING:  # the interview machinery is imported by the commands: --help stays light
    from interviewer.config.settings import Settings
    from interviewer.formats.transcript import Drill, Scorecard, Transcript
    from interviewer.interview.runner import Outcome
    from interviewer.interview.start import Interview
    from interviewer.models import Choice
    from interviewer.store.transcripts import Store

IdArg = Annotated[str, typer.Argument(metavar="ID", help="Session id, or a unique prefix of it.")]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Take the session over even though another terminal has it open "
        "(that terminal stops at its next answer and keeps it in a file it names).",
    ),
]

commands = typer.Typer(rich_markup_mode="rich")


@commands.command()
@voice_options
def practice(
    ctx: typer.Context,
    round_name: Annotated[
        str, typer.Argument(metavar="ROUND", help="Round to practise; see 'interviewer rounds'.")
    ],
    persona: PersonaOpt = None,
    level: LevelOpt = None,
    track: TrackOpt = None,
    model: ModelOpt = None,
    judge_model: JudgeOpt = None,
    api_base: ApiBaseOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    paper: PaperOpt = None,
    job: JobOpt = None,
    cv: CvOpt = None,
    opening: Annotated[
        str | None,
        typer.Option(
            "--opening",
            help="Pick the scenario by id instead of at random (see 'interviewer rounds show ROUND').",
            show_default=False,
        ),
    ] = None,
    no_score: NoScoreOpt = False,
    judge_samples: JudgeSamplesOpt = 1,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Practise one interview round, then get a scorecard.

    The interviewer opens, asks, follows up on what you said, keeps time and leaves room for
    your questions. The transcript is saved after every turn; Ctrl-C saves it too.
    """
    from interviewer.cli.flow import tailoring
    from interviewer.cli.options import flag_settings

    settings = flag_settings(ctx.params)
    files = tailoring(paper, job, cv)
    play(settings, round_name, opening=opening, track=check_track(track), files=files,
         no_score=no_score, samples=judge_samples)  # fmt: skip


def play(
    settings: Settings,
    round_name: str,
    *,
    opening: str | None = None,
    track: str | None = None,
    files: dict[str, Path | None] | None = None,
    weakest: Sequence[str] = (),
    drill: Drill | None = None,
    no_score: bool = False,
    samples: int = 1,
) -> tuple[Interview, Scorecard | None]:
    """One round begun, run and scored: ``practice``, and ``next`` and ``drill`` with the
    scenario, the targeted dimensions or the drill they chose."""
    from interviewer.catalog.library import Catalog
    from interviewer.cli.flow import announce, check_voice, make_store, run_interview
    from interviewer.cli.serving import serving, start_preload
    from interviewer.interview.start import begin
    from interviewer.models import choose

    check_voice(settings)
    choice = choose(settings)
    start_preload(choice)
    interview = begin(
        Catalog(settings.user_dir),
        round_name=round_name,
        persona_name=settings.persona or DEFAULT_PERSONA,
        level=settings.level,
        interviewer=choice.interviewer.info(),
        judge=choice.judge.info(),
        files=files or {},
        opening_id=opening,
        track=track,
        weakest=weakest,
        drill=drill,
        warn=warn,
    )
    store = make_store(settings)
    with store.lock(interview.transcript.id), serving(choice) as live:
        announce(interview, live, store, resumed=False)
        outcome = run_interview(interview, live, store, interview.transcript.id, settings)
        card = finish(outcome, interview, live, store, no_score, samples)
    return interview, card


def check_track(track: str | None) -> str | None:
    """A track is any slug; a typo like 'ML Engineer' is caught before the interview."""
    if track is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", track):
        fail(
            f"--track '{track}' is not a track name: use lower-case words joined by hyphens, "
            "e.g. ml-engineer, research-scientist, applied-scientist",
            EXIT_USAGE,
        )
    return track


def finish(
    outcome: Outcome,
    interview: Interview,
    choice: Choice,
    store: Store,
    no_score: bool,
    samples: int = 1,
) -> Scorecard | None:
    """After one round: score it (unless asked not to) or exit with the stop's code."""
    from interviewer.cli.flow import exit_code, fail_if_unscored, score_round, scoring_command
    from interviewer.interview.runner import Outcome

    if outcome is not Outcome.complete:
        raise typer.Exit(exit_code(outcome))
    if no_score:
        out.print(f"Score it when you like: {scoring_command(interview.transcript)}")
        return None
    card = score_round(interview, choice.judge, store, samples)
    if card is not None:
        fail_if_unscored(card, interview.transcript.id)
        out.print(f"Re-drill the weak spot now: interviewer drill {interview.transcript.id}")
    return card


@commands.command()
@voice_options
def resume(
    ctx: typer.Context,
    session_id: IdArg,
    model: ModelOpt = None,
    judge_model: JudgeOpt = None,
    api_base: ApiBaseOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    no_score: NoScoreOpt = False,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
    force: ForceOpt = False,
) -> None:
    """Continue an interrupted interview, or a loop, where it stopped.

    The same models are used unless you name others; the files it used (--paper, --job,
    --resume) are read again from where they were. A session open in another terminal is
    refused; --force takes it over.
    """
    from interviewer.cli.flow import check_voice, make_store
    from interviewer.cli.loop import continue_loop, find_loop
    from interviewer.cli.options import flag_settings

    settings = flag_settings(ctx.params)
    check_voice(settings)
    store = make_store(settings)
    loop_session = find_loop(settings, session_id, store)
    if loop_session is not None:
        continue_loop(loop_session, settings, no_score=no_score)
        return
    full_id = store.resolve(session_id)
    with store.lock(full_id, force=force):
        resume_session(store.read(full_id), store, settings, no_score)


def resume_session(
    transcript: Transcript, store: Store, settings: Settings, no_score: bool
) -> None:
    """Continue one saved session (this process holds its lock)."""
    from interviewer.catalog.library import Catalog
    from interviewer.cli.flow import announce, run_interview, scoring_command
    from interviewer.cli.serving import serving, start_preload
    from interviewer.formats.transcript import Status
    from interviewer.interview.start import reopen
    from interviewer.models import Recorded, choose
    from interviewer.voice.setup import unsent_recording

    if transcript.status is Status.complete:
        fail(
            f"session {transcript.id} is already complete; score it with "
            f"'{scoring_command(transcript)}'",
            EXIT_USAGE,
        )
    if "voice" not in settings.flagged and unsent_recording(
        transcript, store.locate(transcript.id)
    ):
        settings = replace(settings, voice=True)
        out.print(Text("An answer you recorded is waiting: resuming with --voice.", style="dim"))
    choice = choose(settings, Recorded(transcript.interviewer, transcript.judge))
    start_preload(choice)
    interview = reopen(Catalog(settings.user_dir), transcript, warn)
    transcript.interviewer, transcript.judge = choice.interviewer.info(), choice.judge.info()
    with serving(choice) as live:
        announce(interview, live, store, resumed=True)
        outcome = run_interview(interview, live, store, transcript.id, settings)
        finish(outcome, interview, live, store, no_score)


@commands.command("score")
def score_command(
    ctx: typer.Context,
    session_id: IdArg,
    judge_model: JudgeOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    judge_samples: JudgeSamplesOpt = 1,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
    force: ForceOpt = False,
) -> None:
    """Score (or re-score) a saved interview; earlier scorecards are kept."""
    from interviewer.cli.flow import make_store
    from interviewer.cli.options import flag_settings

    settings = flag_settings(ctx.params)
    store = make_store(settings)
    full_id = store.resolve(session_id)
    with store.lock(full_id, force=force):
        score_session(store.read(full_id), store, settings, judge_samples)


def score_session(
    transcript: Transcript, store: Store, settings: Settings, judge_samples: int
) -> None:
    """Score one saved session (this process holds its lock); the judge is the settings'
    (--judge-model and --judge-api-base among them), else the one the session recorded."""
    from interviewer.catalog.library import Catalog
    from interviewer.cli.flow import fail_if_no_judge, fail_if_unscored, judge_and_show
    from interviewer.cli.serving import serving, start_preload
    from interviewer.interview.start import reopen
    from interviewer.models import Recorded, choose, local
    from interviewer.models.base import LOCAL

    if not transcript.candidate_turns():
        fail(
            f"session {transcript.id} has no answers to score yet; continue it with "
            f"'interviewer resume {transcript.id}'",
            EXIT_USAGE,
        )
    choice = choose(settings, Recorded(transcript.interviewer, transcript.judge))
    fail_if_no_judge(choice, transcript)
    start_preload(choice)
    interview = reopen(Catalog(settings.user_dir), transcript, warn)
    with serving(choice, roles=("judge",)) as live:
        if live.judge.model == LOCAL:
            warn(local.BUNDLED_NOTICE)
        card = judge_and_show(interview, live.judge, store, judge_samples)
        fail_if_unscored(card, transcript.id)
