"""The steps the model-calling commands share: greet, run an interview, score, report."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from rich.text import Text

from interviewer import context, local
from interviewer.cli.app import err, fail, out
from interviewer.config import Settings
from interviewer.errors import ModelError
from interviewer.formats import ModelInfo, Scorecard, Status
from interviewer.model import ModelSpec, make_model, preload
from interviewer.practice import Interview, Outcome, Runner, score
from interviewer.render import delivery_text, scorecard_table, transcript_markdown
from interviewer.selection import Choice
from interviewer.terminal import HOW_TO_ANSWER, Terminal
from interviewer.transcripts import Store

EXIT_INTERRUPTED = 130
EXIT_SCORING_FAILED = 3


def start_preload(choice: Choice) -> None:
    """Import what the chosen models need in the background while we load files and greet.

    Only hosted models need litellm (5-7 s to import); a custom or local server needs
    only httpx, and importing litellm beside it would only steal a core from the start.
    """
    for spec in {choice.interviewer, choice.judge}:
        threading.Thread(target=preload, args=(spec,), name="preload", daemon=True).start()


@contextmanager
def serving(
    choice: Choice, *, roles: tuple[str, ...] = ("interviewer", "judge")
) -> Iterator[Choice]:
    """Start the in-process local models that ``roles`` of the choice name (one server per
    GGUF file), yield the choice with their api_base filled in, and stop them after."""
    with ExitStack() as stack:
        bases: dict[Path, str] = {}

        def live(spec: ModelSpec) -> ModelSpec:
            if not spec.is_local():
                return spec
            path, cap = local.gguf_path(spec.model), local.reply_cap(spec.model)
            if path not in bases:
                with err.status(f"Starting the local model {path.name} on 127.0.0.1…"):
                    bases[path] = stack.enter_context(local.serve(path, max_tokens=cap))
            return replace(spec, api_base=bases[path])

        interviewer, judge = choice.interviewer, choice.judge
        if "interviewer" in roles:
            interviewer = live(interviewer)
        if "judge" in roles:
            judge = live(judge)
        yield replace(choice, interviewer=interviewer, judge=judge)


def make_store(settings: Settings) -> Store:
    return Store(settings.transcripts_dir, render_markdown=transcript_markdown)


def warn(message: str) -> None:
    err.print(f"[yellow]{message}[/]", markup=True, highlight=False)


def announce(interview: Interview, choice: Choice, store: Store, resumed: bool) -> None:
    t = interview.transcript
    round_, persona = interview.round.item, interview.persona.item
    verb = "Resuming" if resumed else "Starting"
    out.print(
        f"[bold]{verb} {round_.title}[/] · {persona.name} ({persona.title}) · "
        f"level {t.level.value} · ~{round_.budget.minutes} min"
    )
    if choice.interviewer.is_scripted():
        out.print(f"[bold yellow]Scripted round[/] [dim]({choice.reason})[/]", highlight=False)
    else:
        base = f" at {choice.interviewer.api_base}" if choice.interviewer.api_base else ""
        out.print(f"[dim]Interviewer model: {choice.interviewer.model}{base} ({choice.reason})[/]")
    if choice.notice:
        warn(choice.notice)
    if (choice.judge.model, choice.judge.api_base) != (
        choice.interviewer.model,
        choice.interviewer.api_base,
    ):
        judge_base = f" at {choice.judge.api_base}" if choice.judge.api_base else ""
        out.print(f"[dim]Judge model: {choice.judge.model}{judge_base}[/]")
    out.print(f"[dim]Transcript: {store.path(t.id)} (saved after every turn)[/]")
    out.print(f"[dim]{HOW_TO_ANSWER}[/]")


def run_interview(
    interview: Interview,
    choice: Choice,
    store: Store,
    resume_id: str,
    settings: Settings | None = None,
) -> Outcome:
    """Run the conversation; on any stop short of the end, say how to resume it.

    With ``voice`` in the settings, the terminal speaks and listens (``voice/``)."""
    voice = None
    terminal = Terminal(out)
    if settings is not None and settings.voice:
        from interviewer.voice.setup import open_voice, voice_terminal

        path = store.path(interview.transcript.id)
        voice = open_voice(settings, interview.round.item, interview.transcript, path)
        terminal = voice_terminal(out, voice)
        out.print("[dim]Voice: press Enter on an empty line to answer aloud; typing works too.[/]")
    spec = choice.interviewer
    model = None if spec.is_scripted() else make_model(spec)
    runner = Runner(interview, model, terminal, store)
    try:
        outcome = runner.run()
    except ModelError as exc:
        resume_hint(interview, store, resume_id, overflowed=context.overflowed(exc))
        fail(str(exc), exc.exit_code)
    finally:
        if voice is not None:
            voice.saved(unsaved=runner.unsaved is not None)
            voice.close(finish=runner.transcript.status is Status.complete)
    if outcome is not Outcome.complete:
        resume_hint(interview, store, resume_id)
    else:
        out.print(f"\n[bold]Interview complete.[/] Saved to {store.path(interview.transcript.id)}")
    return outcome


def judge_and_show(
    interview: Interview, spec: ModelSpec, store: Store, samples: int = 1
) -> Scorecard:
    """Score with a progress line, show the scorecard; a failed scoring is shown, not raised.

    With ``samples`` above one the judge grades that many times and the median is kept."""
    from interviewer.calibration.record import citation

    label = f"Scoring with {spec.model}…"
    sample = [1]

    def progress(attempt: int) -> None:
        of = f"sample {sample[0]} of {samples}, " if samples > 1 else ""
        status.update(f"{label} ({of}attempt {attempt})")

    def next_sample(number: int) -> None:
        sample[0] = number

    with err.status(label) as status:
        card = score(
            interview,
            make_model(spec),
            store,
            on_attempt=progress,
            samples=samples,
            on_sample=next_sample,
            calibration=citation(spec.info()),
        )
    out.print(scorecard_table(card))
    spoken = delivery_text(interview.transcript)
    if spoken is not None:
        out.print(spoken)
    out.print(f"[dim]Markdown: {store.path(interview.transcript.id).with_suffix('.md')}[/]")
    return card


def score_later_hint(transcript_id: str) -> None:
    """A scripted round has no judge: say how to score it once one is at hand."""
    out.print(
        "No judge model for a scripted round. Score it when one is at hand:\n"
        f"  [bold]interviewer score {transcript_id} --judge-model MODEL[/]  "
        "(e.g. gpt-4o-mini with OPENAI_API_KEY set, or a local server's model with "
        "--judge-api-base URL)",
        highlight=False,
    )


def fail_if_unscored(card: Scorecard, transcript_id: str) -> None:
    if card.status == "failed":
        reason = card.failure_reason or "no reason recorded"
        fail(
            f"scoring failed: {reason}; the transcript is saved, "
            + context.rescore_advice(reason, transcript_id),
            EXIT_SCORING_FAILED,
        )


def resume_hint(
    interview: Interview, store: Store, resume_id: str, *, overflowed: bool = False
) -> None:
    """Where the session was saved and how to continue it; after a context overflow, how
    to make the next attempt fit (a plain resume would overflow again)."""
    t = interview.transcript
    out.print(f"\n[yellow]Saved as {t.status.value}[/] to {store.path(t.id)}")
    if overflowed:
        out.print(Text(context.RESUME_ADVICE.format(id=resume_id)))
    else:
        out.print(f"Continue with: [bold]interviewer resume {resume_id}[/]")


def exit_code(outcome: Outcome) -> int:
    return 0 if outcome in (Outcome.complete, Outcome.paused) else EXIT_INTERRUPTED


def tailoring(paper: Path | None, job: Path | None, cv: Path | None) -> dict[str, Path | None]:
    return {"paper": paper, "job": job, "resume": cv}


def recorded_models(
    interviewer: ModelInfo | None, judge: ModelInfo | None, **flags: str | None
) -> dict[str, str | None]:
    """Model settings for a saved session: flags win, else the models it was run with.

    A judge recorded without a server was a hosted one, so it stays hosted ("none")
    rather than inheriting the interviewer's server.
    """
    recorded = {
        "model": interviewer.model if interviewer else None,
        "api_base": interviewer.api_base if interviewer else None,
        "judge_model": judge.model if judge else None,
        "judge_api_base": (judge.api_base or "none") if judge else None,
    }
    return {key: flags.get(key) or value for key, value in recorded.items()}
