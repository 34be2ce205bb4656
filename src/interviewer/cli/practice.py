"""Commands that talk to a model: practice, resume, score."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

from interviewer.catalog import DEFAULT_PERSONA, Catalog
from interviewer.cli.app import (
    ApiBaseOpt,
    DirOpt,
    JudgeApiBaseOpt,
    JudgeOpt,
    ModelOpt,
    UserDirOpt,
    app,
    err,
    fail,
    out,
)
from interviewer.config import Settings, load_settings
from interviewer.errors import ModelError
from interviewer.formats import Level, Status
from interviewer.model import ChatModel, LiteLLMModel, ModelSpec, preload
from interviewer.practice import Interview, Outcome, Runner, begin, reopen, score
from interviewer.render import scorecard_table, transcript_markdown
from interviewer.selection import Choice, choose
from interviewer.terminal import HOW_TO_ANSWER, Terminal
from interviewer.transcripts import Store

EXIT_INTERRUPTED = 130


def start_preload() -> None:
    """Import the provider library in the background while we load files and greet."""
    threading.Thread(target=preload, name="preload-litellm", daemon=True).start()


def make_store(settings: Settings) -> Store:
    return Store(settings.transcripts_dir, render_markdown=transcript_markdown)


def make_model(spec: ModelSpec) -> ChatModel:
    return LiteLLMModel(spec)


def announce(interview: Interview, choice: Choice, store: Store, resumed: bool) -> None:
    t = interview.transcript
    round_ = interview.round.item
    persona = interview.persona.item
    verb = "Resuming" if resumed else "Starting"
    out.print(
        f"[bold]{verb} {round_.title}[/] · {persona.name} ({persona.title}) · level {t.level.value} · "
        f"~{round_.budget.minutes} min"
    )
    base = f" at {choice.interviewer.api_base}" if choice.interviewer.api_base else ""
    out.print(f"[dim]Interviewer model: {choice.interviewer.model}{base} ({choice.reason})[/]")
    if (
        choice.judge.model != choice.interviewer.model
        or choice.judge.api_base != choice.interviewer.api_base
    ):
        out.print(f"[dim]Judge model: {choice.judge.model}[/]")
    out.print(f"[dim]Transcript: {store.path(t.id)} (saved after every turn)[/]")
    out.print(f"[dim]{HOW_TO_ANSWER}[/]")


def run_and_score(interview: Interview, choice: Choice, store: Store, no_score: bool) -> None:
    terminal = Terminal(out)
    runner = Runner(interview, make_model(choice.interviewer), terminal, store)
    try:
        outcome = runner.run()
    except ModelError as exc:
        resume_hint(interview, store)
        fail(str(exc), exc.exit_code)
    if outcome is not Outcome.complete:
        resume_hint(interview, store)
        raise typer.Exit(0 if outcome is Outcome.paused else EXIT_INTERRUPTED)
    out.print(f"\n[bold]Interview complete.[/] Saved to {store.path(interview.transcript.id)}")
    if no_score:
        out.print(f"Score it when you like: interviewer score {interview.transcript.id}")
        return
    judge_and_show(interview, choice.judge, store)


def judge_and_show(interview: Interview, spec: ModelSpec, store: Store) -> None:
    with err.status(f"Scoring with {spec.model}…") as status:
        card = score(
            interview,
            make_model(spec),
            store,
            on_attempt=lambda n: status.update(f"Scoring with {spec.model}… (attempt {n})"),
        )
    out.print(scorecard_table(card))
    out.print(f"[dim]Markdown: {store.path(interview.transcript.id).with_suffix('.md')}[/]")
    if card.status == "failed":
        fail(
            f"scoring failed: {card.failure_reason}; the transcript is saved, score it later "
            f"with: interviewer score {interview.transcript.id}",
            3,
        )


def resume_hint(interview: Interview, store: Store) -> None:
    t = interview.transcript
    out.print(
        f"\n[yellow]Saved as {t.status.value}[/] to {store.path(t.id)}\n"
        f"Continue with: [bold]interviewer resume {t.id}[/]"
    )


@app.command()
def practice(
    round_name: Annotated[
        str, typer.Argument(metavar="ROUND", help="Round to practise; see 'interviewer rounds'.")
    ],
    persona: Annotated[
        str | None,
        typer.Option(
            "--persona",
            "-p",
            help=f"Interviewer persona (default: {DEFAULT_PERSONA}).",
            show_default=False,
        ),
    ] = None,
    level: Annotated[
        Level | None,
        typer.Option("--level", "-l", help="Target level (default: senior).", show_default=False),
    ] = None,
    model: ModelOpt = None,
    judge_model: JudgeOpt = None,
    api_base: ApiBaseOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    paper: Annotated[
        Path | None,
        typer.Option(
            "--paper",
            help="The paper you will present (text, Markdown or PDF), for interviewer and judge.",
            show_default=False,
        ),
    ] = None,
    job: Annotated[
        Path | None,
        typer.Option(
            "--job",
            help="A job description (text, Markdown or PDF) to steer the scenarios.",
            show_default=False,
        ),
    ] = None,
    cv: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            "--cv",
            help="Your CV (text, Markdown or PDF) to steer the probes.",
            show_default=False,
        ),
    ] = None,
    opening: Annotated[
        str | None,
        typer.Option(
            "--opening", help="Pick the scenario by id instead of at random.", show_default=False
        ),
    ] = None,
    no_score: Annotated[
        bool,
        typer.Option(
            "--no-score", help="Skip the scorecard; score later with 'interviewer score'."
        ),
    ] = False,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Practise one interview round, then get a scorecard.

    The interviewer opens, asks, follows up on what you said, keeps time and leaves room for
    your questions. The transcript is saved after every turn; Ctrl-C saves it too.
    """
    start_preload()
    settings = load_settings(
        model=model,
        judge_model=judge_model,
        api_base=api_base,
        judge_api_base=judge_api_base,
        level=level,
        persona=persona,
        transcripts_dir=transcripts_dir,
        user_dir=user_dir,
    )
    choice = choose(settings)
    catalog = Catalog(settings.user_dir)
    interview = begin(
        catalog,
        round_name=round_name,
        persona_name=settings.persona or DEFAULT_PERSONA,
        level=settings.level,
        interviewer=choice.interviewer.info(),
        judge=choice.judge.info(),
        files={"paper": paper, "job": job, "resume": cv},
        opening_id=opening,
        warn=lambda m: err.print(f"[yellow]{m}[/]"),
    )
    store = make_store(settings)
    announce(interview, choice, store, resumed=False)
    run_and_score(interview, choice, store, no_score)


@app.command()
def resume(
    session_id: Annotated[
        str, typer.Argument(metavar="ID", help="Transcript id or a unique prefix of it.")
    ],
    model: ModelOpt = None,
    judge_model: JudgeOpt = None,
    api_base: ApiBaseOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    no_score: Annotated[bool, typer.Option("--no-score", help="Skip the scorecard.")] = False,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Continue an interrupted interview where it stopped.

    The same models are used unless you name others; the files it used (--paper, --job,
    --resume) are read again from where they were.
    """
    start_preload()
    settings = load_settings(transcripts_dir=transcripts_dir, user_dir=user_dir)
    store = make_store(settings)
    transcript = store.load(session_id)
    if transcript.status is Status.complete:
        fail(
            f"session {transcript.id} is already complete; score it again with "
            f"'interviewer score {transcript.id}'",
            2,
        )
    settings = load_settings(
        model=model or transcript.interviewer.model,
        judge_model=judge_model or transcript.judge.model,
        api_base=api_base or transcript.interviewer.api_base,
        judge_api_base=judge_api_base or transcript.judge.api_base,
        transcripts_dir=transcripts_dir,
        user_dir=user_dir,
    )
    choice = choose(settings)
    interview = reopen(
        Catalog(settings.user_dir), transcript, lambda m: err.print(f"[yellow]{m}[/]")
    )
    transcript.interviewer, transcript.judge = choice.interviewer.info(), choice.judge.info()
    announce(interview, choice, store, resumed=True)
    run_and_score(interview, choice, store, no_score)


@app.command("score")
def score_command(
    session_id: Annotated[
        str, typer.Argument(metavar="ID", help="Transcript id or a unique prefix of it.")
    ],
    judge_model: JudgeOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Score (or re-score) a saved interview; earlier scorecards are kept."""
    start_preload()
    settings = load_settings(transcripts_dir=transcripts_dir, user_dir=user_dir)
    store = make_store(settings)
    transcript = store.load(session_id)
    if not transcript.candidate_turns():
        fail(
            f"session {transcript.id} has no answers to score yet; continue it with 'interviewer resume {transcript.id}'",
            2,
        )
    settings = load_settings(
        model=transcript.interviewer.model,
        api_base=transcript.interviewer.api_base,
        judge_model=judge_model or transcript.judge.model,
        judge_api_base=judge_api_base or transcript.judge.api_base or "none",
        transcripts_dir=transcripts_dir,
        user_dir=user_dir,
    )
    choice = choose(settings)
    interview = reopen(
        Catalog(settings.user_dir), transcript, lambda m: err.print(f"[yellow]{m}[/]")
    )
    judge_and_show(interview, choice.judge, store)
