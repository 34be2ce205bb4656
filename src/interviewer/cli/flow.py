"""The steps the model-calling commands share: greet, run an interview, score, report."""

from __future__ import annotations

import contextlib
import os
import shlex
from pathlib import Path

from rich.text import Text

from interviewer.cli.app import err, fail, one_line, out, warn
from interviewer.config.settings import Settings, load_settings
from interviewer.errors import EXIT_INTERRUPTED, EXIT_MODEL, EXIT_USAGE, ModelError
from interviewer.formats.transcript import Scorecard, Status, Transcript
from interviewer.grading.compact import rescore_advice
from interviewer.interview.runner import Outcome, Runner, score
from interviewer.interview.start import Interview
from interviewer.interview.trim import RESUME_ADVICE
from interviewer.models import Choice, ModelSpec, make_model
from interviewer.models.base import SCRIPTED, RetryingModel
from interviewer.models.window import overflowed
from interviewer.review.markdown import markdown_writer
from interviewer.review.views import delivery_text, scorecard_table
from interviewer.store.transcripts import Store
from interviewer.terminal.console import (
    HOW_TO_ANSWER,
    HOW_TO_ANSWER_PLAIN,
    Terminal,
    editing_terminal,
)
from interviewer.terminal.interrupts import as_interrupt
from interviewer.terminal.safe_text import clean


def make_store(settings: Settings) -> Store:
    """The transcripts folder, with the Markdown beside each transcript (scenario included)."""
    from interviewer.catalog.library import Catalog

    return Store(
        settings.transcripts_dir, render_markdown=markdown_writer(Catalog(settings.user_dir))
    )


def say(line: Text) -> None:
    """A line of the banner, wrapped between words at the terminal's width. The console
    soft-wraps (streamed replies need it), and a terminal then cuts a long line wherever
    the last column falls: "level s / enior" at 80 columns."""
    out.print(line, highlight=False, soft_wrap=False)


def announce(interview: Interview, choice: Choice, store: Store, resumed: bool) -> None:
    t = interview.transcript
    round_, persona = interview.round.item, interview.persona.item
    verb = "Resuming" if resumed else "Starting"
    say(
        Text.assemble(
            (f"{verb} {clean(round_.title)}", "bold"),
            f" · {clean(persona.name)} ({clean(persona.title)}) · "
            f"level {t.level.value} · ~{round_.budget.minutes} min",
        )
    )
    if choice.interviewer.is_scripted():
        say(Text.assemble(("Scripted round", "bold yellow"), (f" ({choice.reason})", "dim")))
    else:
        base = f" at {choice.interviewer.address()}" if choice.interviewer.api_base else ""
        said = f"Interviewer model: {choice.interviewer.model}{base} ({choice.reason})"
        say(Text(clean(said), style="dim"))
    if choice.notice:
        warn(choice.notice)
    if (choice.judge.model, choice.judge.api_base) != (
        choice.interviewer.model,
        choice.interviewer.api_base,
    ):
        judge_base = f" at {choice.judge.address()}" if choice.judge.api_base else ""
        say(Text(clean(f"Judge model: {choice.judge.model}{judge_base}"), style="dim"))
    if writable(store.folder):
        say(Text(f"Transcript: {store.path(t.id)} (saved after every turn)", style="dim"))
    else:
        rescue = store.rescue_folder() / f"{t.id}.json"
        warn(f"{store.folder} is not writable; the transcript is saved at {rescue} instead")
    opening = next((o for o in round_.openings if o.id == t.opening), None)
    if opening is not None and opening.check is not None:
        from interviewer.coding import sandbox

        where = sandbox.describe()
        if not where.runs:
            warn(f"Your code will not be run: {where.summary}. To run it, {where.missing}.")
        elif not where.sandboxed:
            warn(f"{where.summary}; {where.missing}")
        else:
            out.print(Text(f"Your code runs in a {where.summary}.", style="dim"))
    how = HOW_TO_ANSWER if editing_terminal() else HOW_TO_ANSWER_PLAIN
    say(Text(how, style="dim"))  # a resumed session's recap follows the scenario


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
    if isinstance(model, RetryingModel):
        model.notify = terminal.notice
    runner = Runner(interview, model, terminal, store)
    try:
        with as_interrupt():
            try:
                outcome = runner.run()
            finally:
                terminal.settle()  # echo back on, no notice pending, however it stopped
    except ModelError as exc:
        if not interview.transcript.turns:  # nothing happened: leave no empty session
            with contextlib.suppress(OSError):
                store.delete(interview.transcript.id)
            fail(str(exc), exc.exit_code)
        resume_hint(interview, store, resume_id, overflowed=overflowed(exc))
        fail(str(exc), exc.exit_code)
    finally:
        if voice is not None:
            voice.saved(unsaved=runner.unsaved is not None)
            voice.close(finish=runner.transcript.status is Status.complete)
    if outcome is not Outcome.complete:
        resume_hint(interview, store, resume_id)
    else:
        where = store.locate(interview.transcript.id)
        out.print(Text.assemble("\n", ("Interview complete.", "bold"), f" Saved to {where}"))
    return outcome


def judge_and_show(
    interview: Interview, spec: ModelSpec, store: Store, samples: int = 1
) -> Scorecard:
    """Score with a progress line, show the scorecard; a failed scoring is shown, not raised.

    With ``samples`` above one the judge grades that many times and the median is kept.
    Each retry of a request shows in the progress line with its reason; Ctrl-C (or SIGTERM,
    SIGHUP) while the judge works says so and how to score later."""
    from interviewer.grading.calibration.record import citation

    t = interview.transcript
    label = f"Scoring with {spec.model}…"
    sample = [1]

    def progress(attempt: int) -> None:
        of = f"sample {sample[0]} of {samples}, " if samples > 1 else ""
        again = "asking again for a valid scorecard, " if attempt > 1 else ""
        status.update(f"{label} ({of}{again}attempt {attempt})" if of or again else label)

    def next_sample(number: int) -> None:
        sample[0] = number

    try:
        with as_interrupt(), err.status(label) as status:
            judge = make_model(spec)
            if isinstance(judge, RetryingModel):  # each retry shows, with its reason
                judge.notify = lambda said: status.update(f"{label} {said}")
            card = score(
                interview,
                judge,
                store,
                on_attempt=progress,
                samples=samples,
                on_sample=next_sample,
                calibration=citation(spec.info()),
            )
    except KeyboardInterrupt:
        fail(
            f"scoring stopped before the judge replied; the interview is saved at "
            f"{store.locate(t.id)}; score it later with: interviewer score {t.id}",
            EXIT_INTERRUPTED,
        )
    out.print(scorecard_table(card))
    spoken = delivery_text(interview.transcript)
    if spoken is not None:
        out.print(spoken)
    out.print(Text(f"Markdown: {store.locate(t.id).with_suffix('.md')}", style="dim"))
    return card


JUDGE_EXAMPLE = (
    "e.g. gpt-4o-mini with OPENAI_API_KEY set, or a local server's model with --judge-api-base URL"
)


def scoring_command(transcript: Transcript) -> str:
    """The command that scores a session: a scripted one recorded no judge, so it must be
    named (the recorded judge is what ``score`` uses otherwise)."""
    named = " --judge-model MODEL" if transcript.judge.model == SCRIPTED else ""
    return f"interviewer score {transcript.id}{named}"


def score_later_hint(transcript: Transcript) -> None:
    """A scripted round has no judge: say how to score it once one is at hand."""
    out.print(
        "No judge model for a scripted round. Score it when one is at hand:\n"
        f"  [bold]{scoring_command(transcript)}[/]  ({JUDGE_EXAMPLE})",
        highlight=False,
        soft_wrap=one_line(out),
    )


def score_round(
    interview: Interview, judge: ModelSpec, store: Store, samples: int = 1
) -> Scorecard | None:
    """Score a round just played and show the card; with no judge model (a scripted
    round), show what a strong answer covered against their words, unscored, say how to
    score it later, and return None."""
    if judge.is_scripted():
        from interviewer.cli.teaching_view import scripted_feedback  # issue 19, item 5

        if (feedback := scripted_feedback(interview)) is not None:
            out.print(feedback, soft_wrap=False)
        score_later_hint(interview.transcript)
        return None
    return judge_and_show(interview, judge, store, samples)


def fail_if_no_judge(choice: Choice, transcript: Transcript) -> None:
    """Scoring needs a judge; a scripted session recorded none, and none was named."""
    if choice.judge.is_scripted():
        fail(
            f"no judge model to score session {transcript.id}: it ran as a scripted round, "
            f"with no model; name one: {scoring_command(transcript)} ({JUDGE_EXAMPLE})",
            EXIT_USAGE,
        )


def fail_if_unscored(card: Scorecard, transcript_id: str) -> None:
    if card.status == "failed":
        reason = card.failure_reason or "no reason recorded"
        fail(
            f"scoring failed: {reason}; the transcript is saved, "
            + rescore_advice(reason, transcript_id),
            EXIT_MODEL,
        )


def resume_hint(
    interview: Interview, store: Store, resume_id: str, *, overflowed: bool = False
) -> None:
    """Where the session was saved and how to continue it; after a context overflow, how
    to make the next attempt fit (a plain resume would overflow again)."""
    t = interview.transcript
    if overflowed:
        out.print(Text(f"\nSaved as {t.status.value} to {store.locate(t.id)}", style="yellow"))
        out.print(Text(RESUME_ADVICE.format(id=resume_id)))
        return
    command = f"interviewer resume {resume_id}"
    if store.folder != load_settings().transcripts_dir:  # given by --transcripts-dir
        command += f" --transcripts-dir {shlex.quote(str(store.folder))}"
    out.print(
        Text.assemble(
            "\n", (f"Saved as {t.status.value}", "yellow"), f" to {store.locate(t.id)}\n",
            "Continue with: ", (command, "bold"),
        )
    )  # fmt: skip


def writable(folder: Path) -> bool:
    """Whether transcripts can be written in ``folder`` (or in the folder that will hold it)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK)


def exit_code(outcome: Outcome) -> int:
    return 0 if outcome in (Outcome.complete, Outcome.paused) else EXIT_INTERRUPTED


def tailoring(paper: Path | None, job: Path | None, cv: Path | None) -> dict[str, Path | None]:
    return {"paper": paper, "job": job, "resume": cv}


def check_voice(settings: Settings) -> None:
    """A ``--mic`` that names no input device stops the command before anything is started
    or saved (``open_voice`` checks the rest, before the interviewer's first word)."""
    if settings.voice and settings.mic:
        from interviewer.voice.setup import microphone

        microphone(settings)
