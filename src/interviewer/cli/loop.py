"""The loop command: every round of a track's loop in order, with breaks, then a debrief."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from interviewer.catalog import DEFAULT_PERSONA, Catalog, check_file
from interviewer.cli.app import out
from interviewer.cli.flow import (
    announce,
    exit_code,
    judge_and_show,
    make_store,
    recorded_models,
    run_interview,
    serving,
    start_preload,
    tailoring,
    warn,
)
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
from interviewer.cli.voiceopts import (
    KeepAudioOpt,
    SilenceOpt,
    SttApiBaseOpt,
    SttModelOpt,
    TtsApiBaseOpt,
    TtsModelOpt,
    TtsVoiceOpt,
    VoiceOpt,
    voice_flags,
)
from interviewer.config import Settings, load_settings
from interviewer.errors import FileFormatError, NotFoundError
from interviewer.formats import Loop, Status, Transcript
from interviewer.loops import Debrief, LoopSession, LoopStore, debrief, new_session
from interviewer.practice import Outcome, begin, reopen, utcnow
from interviewer.render import SIGNAL_STYLE
from interviewer.selection import Choice, choose
from interviewer.terminal import Terminal
from interviewer.transcripts import Store

commands = typer.Typer(rich_markup_mode="rich")


@commands.command()
def loop(
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
    voice: VoiceOpt = None,
    stt_model: SttModelOpt = None,
    stt_api_base: SttApiBaseOpt = None,
    tts_model: TtsModelOpt = None,
    tts_api_base: TtsApiBaseOpt = None,
    tts_voice: TtsVoiceOpt = None,
    silence: SilenceOpt = None,
    keep_audio: KeepAudioOpt = None,
) -> None:
    """Run a whole interview loop: its rounds in order, a break between rounds, then a debrief.

    Stop at any break (or with /pause, or Ctrl-C) and continue another day with
    'interviewer resume LOOP-ID'.
    """
    settings = load_settings(
        level=level, persona=persona, transcripts_dir=transcripts_dir, user_dir=user_dir
    )
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
    overrides = dict(
        model=model,
        judge_model=judge_model,
        api_base=api_base,
        judge_api_base=judge_api_base,
        voice=voice,
        stt_model=stt_model,
        stt_api_base=stt_api_base,
        tts_model=tts_model,
        tts_api_base=tts_api_base,
        tts_voice=tts_voice,
        silence_seconds=silence,
        keep_audio=keep_audio,
    )
    continue_loop(session, settings, overrides, no_score=no_score)


def check_loop_rounds(catalog: Catalog, path: Path) -> None:
    """Every round and failure-mode dimension the loop names must exist, before round one."""
    problems = check_file(path, catalog)
    if problems:
        more = (
            f"; {len(problems) - 1} more: run 'interviewer check {path}'"
            if len(problems) > 1
            else ""
        )
        raise FileFormatError(problems[0] + more)


def find_loop(settings: Settings, prefix: str, store: Store) -> LoopSession | None:
    """The loop session an id names directly, or the loop a round's transcript belongs to."""
    loops = LoopStore(settings.transcripts_dir)
    found = loops.find(prefix)
    if found is not None:
        return found
    try:
        transcript = store.load(prefix)
    except (NotFoundError, FileFormatError):
        return None
    return loops.find(transcript.loop) if transcript.loop else None


def _transcripts(session: LoopSession, store: Store) -> dict[str, Transcript]:
    found = {}
    for state in session.rounds:
        if state.transcript and store.path(state.transcript).exists():
            found[state.transcript] = store.load(state.transcript)
    return found


def continue_loop(
    session: LoopSession, settings: Settings, overrides: dict[str, Any], *, no_score: bool
) -> None:
    """Run the loop's unfinished rounds in order, then the debrief."""
    chosen = recorded_models(session.interviewer, session.judge, **overrides)
    settings = load_settings(
        transcripts_dir=settings.transcripts_dir,
        user_dir=settings.user_dir,
        level=session.level,
        **chosen,
        **voice_flags(overrides),
    )
    choice = choose(settings)
    session.interviewer, session.judge = choice.interviewer.info(), choice.judge.info()
    start_preload(choice)
    with serving(choice) as live:
        run_rounds(session, settings, live, no_score=no_score)


def run_rounds(session: LoopSession, settings: Settings, choice: Choice, *, no_score: bool) -> None:
    """The loop's unfinished rounds, with the models already chosen (and started)."""
    catalog = Catalog(settings.user_dir)
    spec = catalog.loop(session.loop).item
    store, loops = make_store(settings), LoopStore(settings.transcripts_dir)
    transcripts = _transcripts(session, store)
    first = True
    while (index := session.next_index(transcripts)) is not None:
        state = session.rounds[index]
        if not first and not take_break(session, index):
            out.print(
                f"Stopped at a break. Continue with: [bold]interviewer resume {session.id}[/]"
            )
            return
        first = False
        existing = transcripts.get(state.transcript or "")
        if existing is not None and existing.status is not Status.complete:
            interview = reopen(catalog, existing, warn)
        else:
            interview = begin(
                catalog,
                round_name=state.round,
                persona_name=spec.rounds[index].persona or session.persona,
                level=session.level,
                interviewer=choice.interviewer.info(),
                judge=choice.judge.info(),
                files={k: Path(v) for k, v in session.files.items()},
                loop=session.id,
                track=spec.track,
                avoid_domains=used_domains(catalog, transcripts.values()),
                warn=warn,
            )
            state.transcript = interview.transcript.id
            session.updated_at = utcnow()
            loops.save(session)
        out.print(f"\n[bold]Round {index + 1} of {len(session.rounds)}[/]")
        announce(interview, choice, store, resumed=existing is not None)
        outcome = run_interview(interview, choice, store, session.id, settings)
        if outcome is not Outcome.complete:
            raise typer.Exit(exit_code(outcome))
        if not no_score:
            judge_and_show(interview, choice.judge, store)
        transcripts[interview.transcript.id] = interview.transcript
    session.debrief = debrief(spec, session, transcripts)
    session.updated_at = utcnow()
    loops.save(session)
    show_debrief(spec, session.debrief)


def used_domains(catalog: Catalog, transcripts: Iterable[Transcript]) -> set[str]:
    """The product domains earlier rounds of this loop already used, so none repeats."""
    used = set()
    for t in transcripts:
        try:
            opening = catalog.round(t.round).item.opening(t.opening)
        except (NotFoundError, FileFormatError):
            continue
        if opening is not None and opening.domain:
            used.add(opening.domain)
    return used


def take_break(session: LoopSession, index: int) -> bool:
    """Between rounds: Enter continues; /pause or end of input stops here."""
    nxt = session.rounds[index].round
    out.print(f"\n[bold cyan]Break.[/] Next: {nxt} (round {index + 1} of {len(session.rounds)}).")
    try:
        answer = Terminal(out).read_line("Press Enter to start it, or type /pause to stop here: ")
    except (EOFError, KeyboardInterrupt):
        return False
    return answer.strip().lower() not in ("/pause", "/end", "q", "quit")


def show_debrief(spec: Loop, result: Debrief) -> None:
    table = Table(title=f"Debrief: {spec.title}", title_justify="left")
    table.add_column("round", style="bold")
    table.add_column("weight", justify="right")
    table.add_column("overall", justify="right")
    table.add_column("signal")
    for row in result.rounds:
        name = row.round + (" (signature)" if row.signature else "")
        signal = row.hire_signal.value if row.hire_signal else (row.note or "n/a")
        overall = f"{row.overall:.2f}" if row.overall is not None else "n/a"
        table.add_row(
            name,
            f"{row.weight:g}",
            overall,
            f"[{SIGNAL_STYLE.get(signal, '')}]{signal}[/]" if row.hire_signal else signal,
        )
    out.print(table)
    weighted = f"{result.weighted_overall:.2f}" if result.weighted_overall is not None else "n/a"
    out.print(f"Weighted overall: [bold]{weighted}[/]")
    flag = "[red]showed up[/]" if result.failure_mode_flagged else "[green]not seen[/]"
    out.print(f"Top failure mode for this track: {result.failure_mode}\n  → {flag}")
    for line in result.failure_evidence:
        out.print(f"    • {line}")
    for line in result.failure_not_measured:
        out.print(f"    • not measured: {line}", highlight=False)
    signal = result.hire_signal.value if result.hire_signal else "n/a"
    out.print(
        f"Loop hire signal: [{SIGNAL_STYLE.get(signal, 'bold')}]{signal}[/] ({result.rationale})"
    )
