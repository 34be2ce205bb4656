"""The doctor command: can the configured models do what an interview needs?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from interviewer.cli.app import err, fail, out, warn
from interviewer.cli.options import (
    ApiBaseOpt,
    CvOpt,
    JudgeApiBaseOpt,
    JudgeOpt,
    ModelOpt,
    PaperOpt,
)
from interviewer.cli.voiceopts import speech_options
from interviewer.doctor.check import Check
from interviewer.errors import EXIT_CHECKS_FAILED

if TYPE_CHECKING:  # the models and the flow are imported by the command: --help stays light
    from pathlib import Path

    from interviewer.catalog.documents import Reference
    from interviewer.config.settings import Settings
    from interviewer.models import Choice, ModelSpec

LOOKS = {
    "ok": "[green]ok[/]",
    "warn": "[yellow]warning[/]",
    "fail": "[red]FAILED[/]",
    "skip": "[dim]skipped[/]",
}

commands = typer.Typer(rich_markup_mode="rich")


@commands.command()
@speech_options
def doctor(
    ctx: typer.Context,
    model: ModelOpt = None,
    judge_model: JudgeOpt = None,
    api_base: ApiBaseOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    voice: Annotated[
        bool,
        typer.Option(
            "--voice",
            help="Check practising out loud instead: microphone, transcription, speech out.",
        ),
    ] = False,
    paper: PaperOpt = None,
    cv: CvOpt = None,
) -> None:
    """Check the interviewer and judge models: reachable, known, streaming, JSON replies.

    Also reports each model's context window, and whether the --paper or --resume you
    mean to practise with fits in it. With --voice, list the input devices and check the
    microphone (--mic picks one), transcription and the interviewer's voice instead. Each
    problem comes with its fix. Exits with 1 when something practice needs fails.
    """
    from interviewer.cli.options import flag_settings
    from interviewer.cli.serving import serving

    settings = flag_settings(ctx.params, voice=None)  # --voice here picks the checks
    if voice:
        voice_doctor(settings)
        return
    documents = _documents(paper, cv)
    choice = _chosen(settings)
    with serving(choice) as live:
        rows = [
            (label, check) for label, spec, checks in examine(live, documents) for check in checks
        ]
    rows.append(("coding round", sandbox_check()))
    out.print(report(rows))
    _print_fixes(rows)
    if not choice.judge.is_scripted():
        out.print(Text(judge_calibration(choice.judge)), soft_wrap=False)  # between words
    failed = [check for _, check in rows if check.failed]
    if failed:
        fail(
            f"{len(failed)} check(s) that practice needs failed; the fixes are above",
            EXIT_CHECKS_FAILED,
        )
    _say_how_ready(choice)


def _documents(paper: Path | None, cv: Path | None) -> list[Reference]:
    """The paper and résumé to fit in the model's context, read only when named."""
    if paper is None and cv is None:
        return []
    from interviewer.catalog.documents import read_document

    return [read_document(k, p)[0] for k, p in (("paper", paper), ("resume", cv)) if p]


def _chosen(settings: Settings) -> Choice:
    """The models the settings (or the machine) give, said before they are checked."""
    from interviewer.models import choose

    choice = choose(settings)
    out.print(Text(f"Interviewer model: {choice.interviewer.model} ({choice.reason})", style="dim"))
    if choice.notice:
        warn(choice.notice)
    return choice


def _print_fixes(rows: list[tuple[str, Check]]) -> None:
    """Each failing or warning check's fix, under the table, naming the model it is for."""
    for label, check in rows:
        if check.fix and check.result in ("fail", "warn"):
            out.print(
                Text.assemble((check.name, "bold"), f" ({label.splitlines()[-1]}): {check.fix}")
            )


def _say_how_ready(choice: Choice) -> None:
    """What practice can do with these models: scripted only, unscored, or scored by a
    judge whose calibration is missing, failed or passed."""
    if choice.interviewer.is_scripted() and choice.judge.is_scripted():
        out.print("[yellow]Ready for scripted rounds only:[/] a model, set up as above, "
                  "interviews you and scores the session.")  # fmt: skip
    elif choice.judge.is_scripted():
        out.print("[yellow]Ready to practise, unscored:[/] name a judge with --judge-model "
                  "to score the sessions.")  # fmt: skip
    elif (verdict := calibrated(choice.judge)) is None:
        out.print("[green]Ready to practise.[/] [yellow]The judge is not calibrated:[/] read its "
                  "scores as rough until a calibration run (above) has measured it.",
                  soft_wrap=False)  # fmt: skip
    elif verdict == "fail":
        out.print("[green]Ready to practise.[/] [yellow]The judge failed its calibration:[/] "
                  "read its scores as rough, or calibrate another judge (above).",
                  soft_wrap=False)  # fmt: skip
    else:
        out.print("[green]Ready to practise.[/]")


def voice_doctor(settings: Settings) -> None:
    """The voice checks, reported like the model checks."""
    from interviewer.doctor.voice import voice_checks

    out.print("[dim]Say something when the microphone check starts (1.5 s).[/]")
    with err.status("Checking the microphone, transcription and speech out…"):
        checks = voice_checks(settings)
    rows = [("voice", check) for check in checks]
    out.print(report(rows))
    for _, check in rows:
        if check.fix and check.result in ("fail", "warn"):
            out.print(Text.assemble((check.name, "bold"), f": {check.fix}"), highlight=False)
    failed = [check for check in checks if check.failed]
    if failed:
        fail(f"{len(failed)} voice check(s) failed; the fixes are above", 1)
    out.print("[green]Ready to practise out loud:[/] interviewer practice ROUND --voice")


def judge_calibration(spec: ModelSpec) -> str:
    """The judge's calibration, or why it has none (never run, or a run too small to
    count), with the command that measures it."""
    from interviewer.grading.calibration.record import standing

    return f"Judge {spec.model}: {standing(spec.info())}"


def calibrated(spec: ModelSpec) -> str | None:
    """The judge's verdict, "pass" or "fail", when it has one to cite (from a run of
    enough items); None when it has none."""
    from interviewer.grading.calibration.record import citable, load_last

    last = load_last(spec.info())
    return last.verdict if last is not None and citable(last) else None


def examine(
    choice: Choice, documents: list[Reference] | None = None
) -> list[tuple[str, ModelSpec, list[Check]]]:
    """The checks for each distinct model, with the roles it plays. The clients are
    imported only for a model to call: with none, ``doctor`` stays at the CLI's floor."""
    same = (choice.interviewer.model, choice.interviewer.api_base) == (
        choice.judge.model,
        choice.judge.api_base,
    )
    roles = (
        [("interviewer + judge", choice.interviewer, True, True)]
        if same
        else [
            ("interviewer", choice.interviewer, True, False),
            ("judge", choice.judge, False, True),
        ]
    )
    found = []
    for role, spec, streams, judges in roles:
        if spec.is_scripted():  # nothing to call: say so, and how to get a model
            found.append((f"{role}\n{spec.model}", spec, [nothing_found(judges)]))
            continue
        from interviewer.doctor.models import checked_spec, context_check, diagnose
        from interviewer.models import make_model
        from interviewer.models.openai_compat import list_models

        spec = checked_spec(spec)
        model = make_model(spec)
        checks = diagnose(spec, model, streams=streams, judges=judges, listed=list_models)
        if not any(check.failed and check.name == "server" for check in checks):
            checks.append(context_check(model, documents or []))  # a reachable server
        found.append((f"{role}\n{spec.model}", spec, checks))
    return found


NO_MODEL_FIX = (
    "set a provider's key (export OPENAI_API_KEY=...), start a local server on its usual "
    "port (Ollama 11434, llama.cpp 8080, LM Studio 1234, vLLM 8000; it is found by itself), "
    "or pass --model (with --api-base for a server elsewhere); the README's Models section "
    "lists each"
)


def nothing_found(judges: bool) -> Check:
    """No key, server or model was found: practice still runs, scripted, but cannot be
    scored, so the report says that (and how to get a model) instead of failing on it."""
    if not judges:  # a scripted interviewer beside a real judge was asked for
        return Check("model", "ok", "the round's own lines are said (--model scripted)")
    detail = "practice runs scripted rounds (the round's own lines); nothing can score them"
    return Check("model", "warn", detail, NO_MODEL_FIX, required=False)


def sandbox_check() -> Check:
    """Where the coding round's code runs, and what is not contained there."""
    from interviewer.coding import sandbox

    where = sandbox.describe()
    if where.sandboxed:
        return Check("code sandbox", "ok", where.summary, required=False)
    return Check("code sandbox", "warn", where.summary, where.missing, required=False)


def report(rows: list[tuple[str, Check]]) -> Table:
    table = Table(title="interviewer doctor", title_justify="left", show_lines=True)
    # A model's name, an address or a path is folded onto a next line, never cut with "…":
    # it is what one copies into the next command.
    table.add_column("model", overflow="fold")
    table.add_column("check")
    table.add_column("result")
    table.add_column("detail", overflow="fold")
    last = None
    for label, check in rows:
        result = LOOKS[check.result]
        if check.result == "fail" and not check.required:
            result += " [dim](not needed)[/]"
        shown = Text(label) if label != last else ""  # a model's name is data, not markup
        table.add_row(shown, check.name, result, Text(check.detail))  # the fix follows below
        last = label
    return table
