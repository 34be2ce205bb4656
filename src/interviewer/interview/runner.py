"""One interview, run: the loop that joins the session, the model, the terminal and the store.

The session decides each step, the model writes the interviewer's words (streamed), the
terminal reads the answer, and the transcript is saved after every turn. Whatever stops
the loop (the end, ``/pause``, Ctrl-C, a model that fails for good, end of input) leaves a
saved transcript behind; a save that fails (a full disk) is retried after every turn and,
as a last resort, written to the temporary folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from interviewer.catalog.documents import name_the_paper, paper_title
from interviewer.catalog.library import read_steps, scenario_text
from interviewer.errors import DiskError, ModelError, SessionTakenOverError, UserError
from interviewer.formats.rounds import Opening, Persona, Round
from interviewer.formats.transcript import Role, Scorecard, Status, Turn
from interviewer.grading.judge import grade
from interviewer.interview.answer_kinds import classify
from interviewer.interview.conversation import (
    hidden_for,
    messages_for,
    new_nonce,
    system_prompt,
)
from interviewer.interview.leaks import Hidden
from interviewer.interview.session import Session, Speaker, Step
from interviewer.interview.start import Interview, Now, settle_heap, utcnow
from interviewer.interview.trim import fit
from interviewer.interview.writer import SCRIPTED_NOTICE, Written, write
from interviewer.models.base import ChatModel, Message
from interviewer.store.checkpoints import Checkpointer
from interviewer.store.transcript_file import to_json
from interviewer.store.transcripts import Store
from interviewer.terminal.console import Command, Input, Terminal
from interviewer.terminal.interrupts import release


class Outcome(StrEnum):
    complete = "complete"
    paused = "paused"
    interrupted = "interrupted"


class Runner:
    """Drives one interview to an ``Outcome``; saving is its duty at every step."""

    def __init__(
        self,
        interview: Interview,
        model: ChatModel | None,
        terminal: Terminal,
        store: Store,
        now: Now = utcnow,
    ) -> None:
        """``model`` None runs a scripted round: the interviewer says the round's own lines."""
        self.interview = interview
        self.transcript = interview.transcript
        self.model = model
        self.terminal = terminal
        self.store = store
        self.now = now
        round_, persona = interview.round.item, interview.persona.item
        self.opening = opening_of(round_, self.transcript.opening, interview.round.path)
        self.speaker = speaker_for(persona, self.opening)
        self.session = Session(round_, self.opening, self.transcript, read_steps(), self.speaker)
        if not self.transcript.plan:  # a session saved before plans were recorded
            self.transcript.plan = [t.id for t in self.session.topics]
        self.nonce = new_nonce()
        self.system = system_prompt(
            round_,
            persona,
            self.speaker,
            self.transcript.level,
            self.transcript.track,
            self.opening,
            interview.references,
            self.nonce,
        )
        self.unsaved: DiskError | None = None
        self.checkpoints = Checkpointer(store)
        self.durable = len(self.transcript.turns)  # turns surely kept: read from disk

    # ------------------------------------------------------------------ saving

    def save(self, *, checkpoint: bool = False) -> None:
        """Save after a turn (a checkpoint) or for good. A checkpoint puts the turn in the
        session's journal, so an answer is on disk before the next request whatever kills
        us after Enter (``Checkpointer.keep``); after a failed save, the whole transcript
        is written at once instead, so the retry's fate is known before going on."""
        self.transcript.updated_at = self.now()
        try:
            if checkpoint and self.unsaved is None:
                self.checkpoints.keep(self.transcript)
            elif checkpoint:
                self.checkpoints.write_now(self.transcript)
            else:
                self.checkpoints.flush()
                self.store.save(self.transcript)
        except SessionTakenOverError:
            raise self.displaced() from None
        except DiskError as exc:
            if self.unsaved is None:
                self.terminal.warn(
                    f"{exc}. Your answers are kept; the save is retried after every turn."
                )
            self.unsaved = exc
            self.rescue(quiet=True)
        else:
            self.unsaved = None
            self.durable = len(self.transcript.turns)

    def rescue(self, *, quiet: bool = False) -> Path | None:
        """Last resort when the transcripts folder cannot be written: the rescue folder,
        which ``resume``, ``show``, ``score`` and ``list`` also read."""
        if self.unsaved is None:
            return None
        try:
            path = self.store.save_rescue(self.transcript)
        except SessionTakenOverError:
            raise self.displaced() from None
        except DiskError:
            if quiet:
                return None
            self.terminal.console.print_json(to_json(self.transcript))
            self.terminal.warn("Could not save anywhere; the transcript is printed above.")
            return None
        if not quiet:
            self.terminal.warn(f"The transcript is saved at {path} instead.")
        return path

    def displaced(self) -> SessionTakenOverError:
        """The session was taken over in another terminal (``resume --force``): nothing
        more is written to it, and the command ends on one line that says so. An answer
        given here that it has not got (the last, as a rule, or a draft) is kept in a side
        file, and that line names it."""
        self.checkpoints.close()
        t = self.transcript
        kept = [x.text for x in t.turns[self.durable :] if x.role is Role.candidate]
        kept += [t.draft] if t.draft else []
        taken = f"session {t.id} was taken over in another terminal"
        if not kept:
            return SessionTakenOverError(taken, hint="every answer you gave here is saved there")
        path = self.store.keep_unsaved(t.id, kept)
        if path is None:
            for answer in kept:
                self.terminal.console.print(answer, markup=False, highlight=False)
        where = "printed above" if path is None else f"in {path}"
        return SessionTakenOverError(
            f"{taken}; your last answer was not saved in it: it is {where}",
            hint="paste it there to keep it",
        )

    def stop(self, status: Status) -> None:
        self.transcript.status = status
        self.save()
        self.rescue()
        self.checkpoints.close()

    # -------------------------------------------------------------------- loop

    def run(self) -> Outcome:
        settle_heap()
        self.transcript.status = Status.in_progress
        self.terminal.scenario(
            self.opening.title, scenario_text(self.opening, self.transcript.level)
        )
        self.terminal.draft = self.transcript.draft or ""
        self.recap()
        try:
            while not self.session.is_finished():
                release()  # a stop that came while an answer was being recorded
                if self._awaiting_interviewer():
                    self.ask()
                    continue
                answer = self.terminal.read_answer()
                # What a stop cut short is kept unsent, off the turns: no model reads it,
                # no judge scores it, and ``resume`` hands it back to be finished.
                self.transcript.draft = self.terminal.draft or None
                if answer.eof or answer.interrupted:
                    if answer.eof and answer.text:  # input ended: what was typed is sent
                        self.record_answer(answer)
                    self.terminal.info("End of input." if answer.eof else "Interrupted.")
                    self.stop(Status.interrupted)
                    return Outcome.interrupted
                if answer.command is Command.end:
                    if answer.text:  # a spoken answer under review when /end came
                        self.record_answer(answer)
                    break
                if answer.command is Command.pause:
                    self.stop(Status.interrupted)
                    return Outcome.paused
                if answer.command is Command.help:
                    self.terminal.show_help()
                    continue
                if answer.command is Command.time:
                    self.terminal.info(self.session.clock(self.now()).describe())
                    continue
                if answer.command is Command.edit:
                    if not answer.text:
                        self.terminal.info("Nothing was saved in the editor, so nothing was sent.")
                        continue
                    self.terminal.echo(answer.text)
                self.record_answer(answer)
                self.run_code_check(answer.text)
        except KeyboardInterrupt:  # Ctrl-C, and SIGTERM or SIGHUP (see ``interrupts``)
            self.stop(Status.interrupted)
            self.terminal.stream_end()
            return Outcome.interrupted
        except ModelError:
            self.stop(Status.interrupted)
            self.terminal.stream_end()  # the error line starts on a line of its own
            raise
        self.stop(Status.complete)
        return Outcome.complete

    def recap(self) -> None:
        """A resumed session: under the scenario, where it stopped (nothing when new)."""
        turns = self.transcript.turns
        asked = [i for i, t in enumerate(turns) if t.role is Role.interviewer]
        if not asked:
            return
        question = turns[asked[-1]]
        answer = next((t for t in turns[asked[-1] + 1 :] if t.role is Role.candidate), None)
        self.terminal.recap(self.speaker.name, question.text, answer.text if answer else None)

    def _awaiting_interviewer(self) -> bool:
        turns = self.transcript.turns
        return not turns or turns[-1].role is not Role.interviewer

    def record(self, role: Role, text: str, started: datetime, **extra: object) -> Turn:
        turn = Turn(role=role, text=text, started_at=started, ended_at=self.now(), **extra)
        self.transcript.turns.append(turn)
        self.save(checkpoint=True)
        return turn

    def record_answer(self, answer: Input) -> Turn:
        """A sent answer, with how it reads and, if spoken, how it was delivered."""
        return self.record(
            Role.candidate,
            answer.text,
            self.now(),
            kind=classify(answer.text).value,
            delivery=answer.delivery,
        )

    def run_code_check(self, answer: str) -> None:
        """In a round whose task has tests, run the candidate's code and show both sides.

        The result is recorded as a session turn, so the interviewer can probe it and the
        judge can weigh it; the candidate's code runs in a time- and memory-limited child
        process (see ``coding.check``), so a crash or an endless loop is just a result.
        """
        check = self.opening.check
        if check is None:
            return
        from interviewer.coding.check import check_answer
        from interviewer.coding.extract import extract_code
        from interviewer.coding.outcome import format_result

        if extract_code(answer, check.entry_point) is None:
            return
        started = self.now()
        with self.terminal.console.status("Running your code against the task's tests…"):
            result = check_answer(answer, check, self.transcript.level)
        summary = format_result(result)
        self.terminal.info(summary)
        self.record(Role.system, summary, started, kind=str(result.status))

    def ask(self) -> None:
        """One interviewer message: decide, write (model or script), record."""
        started = self.now()
        step = self._name_the_paper(self.session.next_step(started))
        # Fitted before the interviewer's name is shown: a notice that the conversation
        # outgrew the window is the software's, on a line of its own, not theirs.
        messages = None if self.model is None else self._request(step, started)
        self.terminal.stream_start(self.speaker.name)
        scripted = False
        if messages is None:
            self.terminal.stream_text(step.say)
            text, cut, latency, usage = step.say, None, None, None
        else:
            written = self._write(step, messages, self._hidden(step, started))
            text, cut, latency, usage = written.text, written.cut, written.latency_ms, written.usage
            scripted = written.scripted
        self.terminal.stream_end()
        if scripted:  # the software's words, not the model's: the candidate is told so
            self.terminal.info(SCRIPTED_NOTICE)
        self.record(
            Role.interviewer,
            text,
            started,
            phase=step.phase,
            topic=step.topic.id if step.topic else None,
            move=step.move,
            probes=list(step.probes),
            cut=cut,
            latency_ms=latency,
            usage=usage,
        )
        self.transcript.probed = self.session.probed_dimensions()

    def _name_the_paper(self, step: Step) -> Step:
        """In a round about the candidate's paper, the scripted line names the paper it
        was given (the model has its title in the system prompt's outline block)."""
        papers = [r for r in self.interview.references if r.kind == "paper"]
        title = paper_title(papers[0].text) if papers else None
        if title is None or self.interview.round.item.candidate_brings != "paper":
            return step
        return replace(step, say=name_the_paper(step.say, title))

    def _request(self, step: Step, started: datetime) -> list[Message]:
        """The interviewer's request for this step, fitted to the model's context window."""
        assert self.model is not None
        clock = self.session.clock(started).describe()
        return fit(
            messages_for(self.system, self.transcript.turns, step, self.nonce, clock),
            self.model,
            self.transcript.turns,
            self.terminal.aside,
        )

    def _hidden(self, step: Step, started: datetime) -> Hidden:
        """What this step's request shows the model that the candidate must not see; the
        scenario, the candidate's files and their own answers may be quoted."""
        answers = [t.text for t in self.transcript.turns if t.role is Role.candidate]
        allowed = (
            scenario_text(self.opening, self.transcript.level),
            *(ref.text for ref in self.interview.references),
            *answers,
        )
        clock = self.session.clock(started).describe()
        return hidden_for(self.system, step, self.nonce, clock, allowed)

    def _write(self, step: Step, messages: list[Message], hidden: Hidden) -> Written:
        """The model writes the step's words (see ``writer``); its usage is counted."""
        assert self.model is not None
        written = write(
            self.model,
            messages,
            hidden,
            names=(self.speaker.name, self.speaker.name.split()[0]),
            say=step.say,
            emit=self.terminal.stream_text,
            temperature=self.transcript.temperature,
            said=[t.text for t in self.transcript.turns if t.role is Role.interviewer],
        )
        self.transcript.usage = self.transcript.usage + written.usage
        return written


def opening_of(round_: Round, opening_id: str, path: Path) -> Opening:
    opening = round_.opening(opening_id)
    if opening is None:
        raise UserError(
            f"{path}: the session's scenario '{opening_id}' is no longer in this round",
            hint="restore the opening in the round file, or start a new session",
        )
    return opening


def speaker_for(persona: Persona, opening: Opening) -> Speaker:
    """Who interviews: the persona, or the person an opening casts (candidate-led rounds)."""
    if opening.role is not None:
        return Speaker(opening.role.name, opening.role.title, "")
    return Speaker(persona.name, persona.title, persona.greeting)


def score(
    interview: Interview,
    judge: ChatModel,
    store: Store,
    on_attempt: Callable[[int], None] | None = None,
    *,
    samples: int = 1,
    on_sample: Callable[[int], None] | None = None,
    calibration: str | None = None,
) -> Scorecard:
    """Judge the transcript and keep the scorecard with it, whatever the outcome."""
    card = grade(
        judge,
        interview.round.item,
        interview.transcript,
        interview.references,
        samples=samples,
        on_attempt=on_attempt,
        on_sample=on_sample,
        calibration=calibration,
    )
    interview.transcript.scorecards.append(card)
    interview.transcript.updated_at = utcnow()
    store.save_anywhere(interview.transcript)  # a paid scorecard is kept, wherever it fits
    return card
