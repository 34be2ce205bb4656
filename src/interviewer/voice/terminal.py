"""Spoken answers in the interview: record, transcribe, review, send; typing still works.

``VoiceTerminal`` is the text ``Terminal`` with two changes: streamed replies are also
fed to the ``Speaker``, and ``read_answer`` asks first whether to speak or type. An empty
line starts a recording; anything else is a typed answer (or a command) exactly as in
text mode. After a recording the candidate sees what was heard and sends it (Enter),
fixes it (``/edit``), records again (``/redo``), or types a replacement.

No recorded answer is lost: the audio is written beside the transcript
(``ID.audio/answer-N.wav``) before it is transcribed, and stays there until the answer's
text is saved; a stop in between (Ctrl-C, ``/pause``, a crash) leaves it for ``resume``,
which transcribes it and offers it again. ``--keep-audio`` keeps every recording.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.text import Text

from interviewer.errors import UserError
from interviewer.formats.delivery import describe, timeline
from interviewer.formats.transcript import Delivery, Transcript
from interviewer.terminal.console import Command, Input, Terminal
from interviewer.terminal.safe_text import clean
from interviewer.voice.analyse import analyse
from interviewer.voice.incremental import Incremental
from interviewer.voice.recorder import Recorder
from interviewer.voice.speaker import Speaker
from interviewer.voice.transcriber import Transcriber

DELIVERY = "/delivery"
REDO = "/redo"
VOICE_HELP = {
    "Enter": "on an empty line: record your answer (Enter or Space stops)",
    DELIVERY: "show how your last spoken answer was delivered",
    REDO: "after a recording: record it again",
}
SPEAK_OR_TYPE = "\nYou (Enter to speak, or type) › "
SAVED = "\nYou (Enter transcribes your saved recording · /redo records anew · or type) › "
TYPE_ON = "Type on; Alt-Enter (or Esc then Enter) sends your answer."
REVIEW = "Enter sends it · /edit fixes it · /redo records again · or type a replacement › "


def answer_audio(folder: Path, transcript: Transcript) -> Path:
    """Where the next answer is recorded: numbered by the answers already saved."""
    return folder / f"answer-{len(transcript.candidate_turns()) + 1}.wav"


@dataclass
class Heard:
    """A recorded answer waiting to be sent."""

    audio: Path
    text: str
    delivery: Delivery


@dataclass
class Voice:
    """What a spoken interview needs, and where its recordings live."""

    transcript: Transcript
    folder: Path
    recorder: Recorder
    transcriber: Transcriber
    speaker: Speaker | None
    prompt: str
    fillers: tuple[str, ...] = ()
    pause_limit: float = 2.0
    keep_audio: bool = False
    last: Delivery | None = None
    pending: Heard | None = field(default=None, repr=False)

    def start(self) -> None:
        """Load the transcriber in the background while the interviewer speaks."""
        threading.Thread(target=self._warm, name="stt-warm-up", daemon=True).start()

    def _warm(self) -> None:
        # A failure is reported by the first transcription, where the candidate sees it.
        with contextlib.suppress(UserError):
            self.transcriber.warm_up()

    def next_audio(self) -> Path:
        return answer_audio(self.folder, self.transcript)

    def hear(
        self, audio: Path, talk_seconds: float, console: Console, stream: Incremental | None = None
    ) -> Heard:
        """Transcribe a recording (what ``stream`` has not done already) and measure it."""
        with console.status(f"Transcribing {talk_seconds:.0f} s with {self.transcriber.name}…"):
            if stream is not None:
                heard = stream.finish()
            else:
                heard = self.transcriber.transcribe(audio, self.prompt)
        text, delivery = analyse(
            heard,
            talk_seconds=talk_seconds,
            transcriber=self.transcriber.name,
            fillers=self.fillers,
            pause_limit=self.pause_limit,
        )
        if self.keep_audio:
            delivery = delivery.model_copy(update={"audio": f"{self.folder.name}/{audio.name}"})
        return Heard(audio, text, delivery)

    def saved(self, unsaved: bool = False) -> None:
        """After the transcript was saved: drop the recordings whose text it now holds."""
        if self.keep_audio or unsaved or not self.folder.is_dir():
            return
        answered = len(self.transcript.candidate_turns())
        for path in self.folder.glob("answer-*.wav"):
            number = path.stem.removeprefix("answer-")
            if number.isdigit() and int(number) <= answered:
                path.unlink(missing_ok=True)
        if not any(self.folder.iterdir()):
            self.folder.rmdir()

    def close(self, *, finish: bool = False) -> None:
        """Stop the voice; with ``finish``, let the interviewer's last words be heard first
        (Ctrl-C cuts them short)."""
        if self.speaker is None:
            return
        if finish:
            with contextlib.suppress(KeyboardInterrupt):
                self.speaker.wait(timeout=120)
        self.speaker.close()


class VoiceTerminal(Terminal):
    """A ``Terminal`` that speaks the interviewer's replies and hears the candidate's."""

    def __init__(self, console: Console, voice: Voice) -> None:
        super().__init__(console)
        self.voice = voice
        self._typed: list[str] = []  # a line read by the voice prompt, handed to the typist

    def read_line(self, prompt: str) -> str:
        return self._typed.pop(0) if self._typed else super().read_line(prompt)

    def stream_text(self, chunk: str) -> None:
        super().stream_text(chunk)
        if self.voice.speaker is not None:
            self.voice.speaker.feed(chunk)

    def stream_end(self) -> None:
        super().stream_end()
        if self.voice.speaker is not None:
            self.voice.speaker.end()

    def show_help(self) -> None:
        super().show_help()
        for key, text in VOICE_HELP.items():
            self.console.print(f"  [bold]{key:<9}[/] {text}")

    def read_answer(self) -> Input:
        """Speak or type: an empty line records; anything else is read as in text mode."""
        self._report_speech_failure()
        if self.voice.pending is None and self.voice.next_audio().is_file():
            self.info("Found your recorded answer from before the stop; transcribing it.")
            self._try(self._transcribe_saved)
        while True:
            if self.voice.pending is not None:
                return self._review(self.voice.pending)
            saved = self.voice.next_audio().is_file()
            try:
                line = self._ask(SAVED if saved else SPEAK_OR_TYPE)
            except EOFError:
                return Input(eof=True)
            choice = line.strip().lower()
            if not choice:
                self._try(self._transcribe_saved if saved else self._record)
            elif choice == REDO:
                self._try(self._record)
            elif choice == DELIVERY:
                self._show_delivery()
            else:
                return self._typed_answer(line)

    def _ask(self, prompt: str) -> str:
        """A plain line read (Enter alone records or sends): with the terminal's echo back
        on, which the line editor leaves off between its own prompts."""
        self.settle()
        return super().read_line(prompt)

    def _typed_answer(self, line: str) -> Input:
        """A line typed at the voice prompt: a command runs; anything else is the answer's
        first line, read on as in text mode. The voice prompt is a plain line read, so on a
        terminal the line goes into the line editor as its draft (Alt-Enter sends it); the
        editor reads the terminal itself and would never see a line handed to the plain
        reader, which is how a typed answer or ``/end`` used to be lost."""
        word = line.strip().lower()
        if self._editor is None:
            self._typed.append(line)
            return super().read_answer()
        if word == Command.edit.value:
            try:
                return Input(text=self.edit(self.draft), command=Command.edit)
            except UserError as exc:
                self.warn(str(exc))
                return self.read_answer()
        if word in {c.value for c in Command}:
            return Input(command=Command(word))
        self.draft = f"{self.draft}\n{line}".strip()
        self.info(TYPE_ON)
        return super().read_answer()

    def _try(self, hear: Callable[[], Heard]) -> None:
        """Record and/or transcribe; a failure is a warning, and typing still works."""
        try:
            self.voice.pending = hear()
        except UserError as exc:
            kept = self.voice.next_audio()
            where = f" Your recording is kept ({kept})." if kept.is_file() else ""
            self.warn(f"{exc}.{where} Press Enter to try again, or type your answer.")

    def _record(self) -> Heard:
        if self.voice.speaker is not None:
            self.voice.speaker.cancel()  # the candidate speaks now; the interviewer stops
        audio = self.voice.next_audio()
        audio.unlink(missing_ok=True)
        stream = None  # a server or provider is asked once an answer, not at every pause
        if getattr(self.voice.transcriber, "in_process", False):
            stream = Incremental(self.voice.transcriber, self.voice.prompt, audio)
        try:
            recording = self.voice.recorder.record(
                audio, self.console, stream.feed if stream else None
            )
        except BaseException:  # Ctrl-C included: the audio is on disk; the stream is dropped
            if stream is not None:
                stream.abandon()
            raise
        return self.voice.hear(audio, recording.seconds, self.console, stream)

    def _transcribe_saved(self) -> Heard:
        """A recording left by a stop (or a failed transcription) before its text was saved."""
        from interviewer.voice.audio import seconds

        audio = self.voice.next_audio()
        return self.voice.hear(audio, seconds(audio), self.console)

    def _review(self, heard: Heard) -> Input:
        """Show what was heard; send, fix, redo, type over it, or run a command."""
        self._show_heard(heard)
        while True:
            try:
                line = self._ask(REVIEW)
            except EOFError:  # on the screen already: saved as the answer
                self.voice.pending = None
                return Input(text=heard.text, eof=True)
            choice = line.strip().lower()
            if not choice:
                if not heard.text:
                    self.info("Nothing was heard; record again with /redo, or type your answer.")
                    continue
                return self._send(heard)
            if choice == REDO:
                self.voice.pending = None
                self._try(self._record)
                if self.voice.pending is None:
                    return self.read_answer()
                heard = self.voice.pending
                self._show_heard(heard)
            elif choice == Command.edit.value:
                heard = self._edit(heard)
            elif choice == DELIVERY:
                self._describe(heard.delivery)
            elif choice == Command.end.value:
                # What was heard is on the screen, and the session is over after this:
                # it is sent, as the text typed before a Ctrl-C is. (/pause instead leaves
                # the recording on disk for ``resume`` to offer again.)
                self.voice.pending = None
                self.voice.last = heard.delivery
                return Input(text=heard.text, command=Command.end, delivery=heard.delivery)
            elif choice in {c.value for c in Command}:
                return Input(command=Command(choice))  # the recording waits, on disk
            else:
                self.voice.pending = None
                return self._typed_answer(line)

    def _show_heard(self, heard: Heard) -> None:
        """What was heard, the words the transcriber was unsure of underlined and named,
        so the candidate can fix them (``/edit``) before the answer is sent."""
        text = Text(clean(heard.text) or "(nothing)")
        unsure = heard.delivery.unsure
        text.highlight_words(unsure, style="underline yellow")
        self.console.print(Text("Heard: ", style="bold cyan") + text)
        if unsure:
            names = ", ".join(f'"{clean(word)}"' for word in unsure)
            self.warn(f"Not sure I heard {names} right: /edit fixes them before you send.")

    def _edit(self, heard: Heard) -> Heard:
        try:
            text = self.edit(heard.text)
        except UserError as exc:
            self.warn(str(exc))
            return heard
        if text:
            heard.text = text
            # The candidate has read it over: what they sent is theirs, not a guess.
            heard.delivery = heard.delivery.model_copy(update={"unsure": []})
            self.echo(text)
        return heard

    def _send(self, heard: Heard) -> Input:
        self.voice.pending = None
        self.voice.last = heard.delivery
        return Input(text=heard.text, delivery=heard.delivery)

    def _show_delivery(self) -> None:
        last = self.voice.last
        if last is None:
            self.info("No spoken answer yet in this session.")
        else:
            self._describe(last)

    def _describe(self, delivery: Delivery) -> None:
        """The figures, each with its aim, then when each filler and long pause happened."""
        self.info(describe(delivery))
        when = timeline(delivery)
        if when:
            self.info(f"When: {when}")

    def _report_speech_failure(self) -> None:
        speaker = self.voice.speaker
        if speaker is not None and speaker.failure:
            self.warn(f"The interviewer's voice failed ({speaker.failure}); read on screen.")
            speaker.failure = None
