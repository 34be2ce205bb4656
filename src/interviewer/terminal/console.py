"""The candidate's side of the terminal: reading answers, slash commands, streamed replies.

On a terminal, answers are typed in a real line editor (``line_editor``: any length,
bracketed paste, Enter for a new line, Alt-Enter to send, history). From a pipe or a
script, the plain reader keeps working: an answer ends at an empty line, and blank lines
inside a ``` fence are kept, so pasted code survives whole. ``/edit`` opens ``$EDITOR``
for long answers and code. Any bytes are accepted (undecodable ones become U+FFFD). End of
input (Ctrl-D, or a script's input running out) and Ctrl-C are reported to the caller with
what was typed so far, which saves the transcript before it stops. What Ctrl-C cut short
is the ``draft``: not an answer until it is sent, and the next answer starts from it (in
the editor, prefilled; in the plain reader, the next lines continue it).

Streamed replies are written through ``safe_text.clean``: a model's escape sequences
never reach the terminal; they are wrapped between words at the console's width as they
stream (``stream_wrap``); keys typed while a reply streams are not echoed into it (they
wait, and appear at the next prompt).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from interviewer.errors import ConfigError
from interviewer.terminal.alarm import Alarm
from interviewer.terminal.interrupts import hold
from interviewer.terminal.safe_text import SafeConsole, StreamCleaner, clean, from_bytes
from interviewer.terminal.stream_wrap import StreamWrap

if TYPE_CHECKING:  # annotations only: formats would cost every start-up ~40 ms
    from interviewer.formats.transcript import Delivery
    from interviewer.terminal.line_editor import LineEditor


class Command(StrEnum):
    end = "/end"
    pause = "/pause"
    time = "/time"
    help = "/help"
    edit = "/edit"


COMMANDS: dict[Command, str] = {
    Command.end: "end the interview now and go to the scorecard",
    Command.pause: "save and stop; continue later with 'interviewer resume ID'",
    Command.time: "show the clock: time used, time left, answers given",
    Command.edit: "write this answer in $EDITOR (good for code and long answers)",
    Command.help: "show these commands",
}

WAIT_NOTICE_S = 8.0
"""Seconds without a word from the model before the candidate is told we are waiting."""

HOW_TO_ANSWER = (
    "Type your answer; Alt-Enter (or Esc then Enter) sends it, Enter starts a new line. "
    "/help lists commands."
)
HOW_TO_ANSWER_PLAIN = (
    "Type your answer; an empty line sends it. Blank lines inside ``` fences are kept. "
    "/help lists commands."
)
DRAFT_IN_EDITOR = (
    "Your answer from before the stop was not sent: it is back below. Finish it, then "
    "Alt-Enter sends it."
)
DRAFT_PLAIN = "Type on to finish it; an empty line sends it."


@dataclass(frozen=True)
class Input:
    """What the candidate sent: an answer, or a command."""

    text: str = ""
    command: Command | None = None
    eof: bool = False
    interrupted: bool = False  # Ctrl-C while typing: ``text`` is what was typed
    delivery: Delivery | None = None  # a spoken answer's figures (voice/)


def editing_terminal() -> bool:
    """Whether answers are typed at a terminal (the line editor) rather than piped."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class Terminal:
    def __init__(
        self,
        console: Console,
        read_line: Callable[[str], str] | None = None,
        *,
        editor: bool | None = None,
    ) -> None:
        self.console = console
        self._read_line = read_line
        use_editor = editor if editor is not None else read_line is None and editing_terminal()
        self._editor: LineEditor | None = None
        if use_editor:
            from interviewer.terminal.line_editor import LineEditor

            self._editor = LineEditor({c.value for c in Command})
        self._echo_off: list[Any] | None = None
        self._stream = StreamCleaner()
        self._wrap = StreamWrap(console.width)
        self._spoken = self._notified = False
        self._waiting = Alarm()
        self._headers: dict[str, str] = {}  # each speaker's name, rendered once
        self.draft = ""
        """An answer typed but not sent (Ctrl-C cut it short): the next answer starts from it."""
        _accept_any_bytes()

    @property
    def how_to_answer(self) -> str:
        return HOW_TO_ANSWER if self._editor is not None else HOW_TO_ANSWER_PLAIN

    def read_line(self, prompt: str) -> str:
        # Looked up at call time, so readline editing (and a test's scripted input) applies.
        return (self._read_line or input)(prompt)

    # ----------------------------------------------------------------- output

    def scenario(self, title: str, text: str) -> None:
        """The scenario, verbatim from the round file, whatever a model later makes of it."""
        from rich.panel import Panel

        self.console.print(
            Panel(Text(text), title=Text(title, style="bold"), title_align="left", expand=False),
            soft_wrap=False,  # the console soft-wraps streamed text; a panel must wrap inside
        )

    def stream_start(self, who: str) -> None:
        # Written straight to the stream, like the reply itself: rich's print re-checks the
        # terminal (environment, size) on every call, a cost paid on every turn.
        label = f"{clean(who)}: "
        if who not in self._headers:
            with self.console.capture() as header:
                self.console.print(Text.assemble("\n", (label[:-1], "bold magenta"), " "), end="")
            self._headers[who] = header.get()
        with contextlib.suppress(OSError):
            self.console.file.write(self._headers[who])
            self.console.file.flush()
        if self._echo_off is None:
            self._echo_off = _hide_typing()
        self._stream = StreamCleaner()
        # The width once a reply, not once a chunk; the reply goes on after the name.
        self._wrap = StreamWrap(self.console.width, cell_len(label))
        self._spoken = self._notified = False
        self._waiting.arm(WAIT_NOTICE_S, lambda: self.notice("waiting for the reply…"))

    def notice(self, message: str) -> None:
        """A line about the wait (a slow server, a retry), shown before any reply text."""
        if self._spoken:
            return
        self._notified = True
        hint = " · Ctrl-C saves and stops" if "Ctrl-C" not in message else ""
        line = Text(f"\n  ({clean(message)}{hint})", style="dim")
        with contextlib.suppress(OSError):  # a retry's reason can be long: between words
            self.console.print(line, end="", soft_wrap=False)

    def stream_text(self, chunk: str) -> None:
        # Straight to the stream: a reply arrives in dozens of chunks, and rich's render
        # pipeline (which plain streamed text does not need) was most of our time per turn.
        try:
            if not self._spoken:
                self._spoken = True
                self._waiting.cancel()
                if self._notified:  # the reply starts on its own line, after the notices
                    self.console.file.write("\n")
                    self._wrap.column = 0
            self.console.file.write(self._wrap.feed(self._stream.feed(chunk)))
            self.console.file.flush()
        except OSError:
            pass  # a terminal gone (hang-up): the reply is still recorded

    def settle(self) -> None:
        """However the interview stopped (an error mid-reply included): no waiting notice
        left to fire, and the terminal's echo back on."""
        self._waiting.cancel()
        _restore_typing(self._echo_off)
        self._echo_off = None

    def stream_end(self) -> None:
        self._waiting.cancel()
        if self._editor is None:  # the plain reader needs the echo back to show typing
            _restore_typing(self._echo_off)
            self._echo_off = None
        # The editor reads in raw mode and restores what it found: the echo stays off
        # between prompts (a message being shown, a code check running) until ``settle``.
        with contextlib.suppress(OSError):
            self.console.file.write(self._wrap.flush() + "\n")
            self.console.file.flush()

    def info(self, message: str) -> None:
        self.console.print(Text(clean(message), style="dim"), highlight=False, soft_wrap=False)

    def aside(self, message: str) -> None:
        """A note from the software between turns (the conversation outgrew the model's
        window), set apart on its own line so it never reads as the interviewer's words."""
        self.console.print()
        self.info(message)

    def warn(self, message: str) -> None:
        self.console.print(Text(clean(message), style="yellow"), highlight=False, soft_wrap=False)

    def recap(self, who: str, question: str, answer: str | None) -> None:
        """Where a resumed session stopped, right above where the candidate types: the
        last question, by whoever asked it, the answer given to it, and any unsent draft."""
        lines = [
            Text("\nWhere you stopped:", style="bold"),
            Text.assemble((f"{clean(who)}: ", "bold magenta"), clean(question)),
        ]
        if answer is not None:
            lines.append(Text.assemble(("You: ", "bold cyan"), clean(answer)))
        if self.draft and self._editor is not None:
            lines.append(Text(DRAFT_IN_EDITOR, style="yellow"))
        elif self.draft:
            lines.append(Text.assemble(("You (not sent yet): ", "bold yellow"), clean(self.draft)))
            lines.append(Text(DRAFT_PLAIN, style="yellow"))
        for line in lines:
            self.console.print(line, highlight=False, soft_wrap=False)

    def echo(self, text: str) -> None:
        """Show an answer written in the editor, so the candidate sees what was sent."""
        self.console.print(clean(text), markup=False, highlight=False)

    def show_help(self) -> None:
        self.console.print(self.how_to_answer, markup=False)
        for command, text in COMMANDS.items():
            self.console.print(f"  [bold]{command.value:<7}[/] {text}")

    # ------------------------------------------------------------------ input

    def read_answer(self) -> Input:
        """Read one answer or one command: in the line editor on a terminal, else plainly."""
        if self._editor is None:
            return self._read_plain()
        from interviewer.terminal.line_editor import Interrupted

        while True:
            try:
                text = from_bytes(self._editor.read("\nYou › ", self.draft))
            except EOFError:  # Ctrl-D works on an empty answer only: any draft was cleared
                self.draft = ""
                return Input(eof=True)
            except Interrupted as stop:
                self.draft = from_bytes(stop.text).strip()
                return Input(text=self.draft, interrupted=True)
            self.draft = ""  # it was in the editor: what came back is what is left of it
            word = text.strip().lower()
            if word == Command.edit.value:
                try:
                    return Input(text=self.edit(), command=Command.edit)
                except ConfigError as exc:
                    self.warn(str(exc))
                    continue
            if word in {c.value for c in Command}:
                return Input(command=Command(word))
            return Input(text=text.strip())

    def _read_plain(self) -> Input:
        """Read one answer (until an empty line outside a code fence) or one command.

        An unsent draft is the answer's first lines: the next lines continue it, and an
        empty line sends it. A command typed before anything new leaves the draft as it is.
        """
        lines: list[str] = self.draft.splitlines()
        fenced = sum(line.strip().startswith("```") for line in lines) % 2 == 1
        blank_before = False
        typed = False  # anything new, beyond the draft
        prompt = "... " if lines else "\nYou › "
        while True:
            try:
                line = from_bytes(self.read_line(prompt))
            except EOFError:  # what was typed before the end still counts
                if not typed:  # a draft no one went on with stays a draft
                    return Input(eof=True)
                self.draft = ""
                return Input(text="\n".join(lines).strip(), eof=True)
            except KeyboardInterrupt:  # what was typed before Ctrl-C is kept, unsent
                if not lines:
                    raise
                self.draft = "\n".join(lines).strip()
                return Input(text=self.draft, interrupted=True)
            prompt = "... "
            if not typed and line.strip().lower() in {c.value for c in Command}:
                said = self._command(Command(line.strip().lower()))
                if said is None:  # the editor could not start: the warning says why
                    continue
                return said
            typed = True
            if line.strip().startswith("```"):
                fenced = not fenced
            if not line.strip() and not fenced:
                if lines:
                    hold()  # sent: a SIGTERM or SIGHUP now waits until it is recorded
                    self.draft = ""
                    return Input(text="\n".join(lines).strip())
                if blank_before:  # Enter twice on nothing: the candidate sends silence
                    return Input(text="")
                blank_before = True
                prompt = "(press Enter again to send an empty answer) You › "
                continue
            blank_before = False
            lines.append(line)

    def _command(self, command: Command) -> Input | None:
        """A command typed before anything new; ``edit`` opens the editor on the draft (an
        answer saved there is sent, and the draft is gone), or is None when it cannot."""
        if command is not Command.edit:
            return Input(command=command)
        try:
            text = self.edit(self.draft)
        except ConfigError as exc:
            self.warn(str(exc))
            return None
        if text:
            self.draft = ""
        return Input(text=text, command=Command.edit)

    def edit(self, initial: str = "") -> str:
        """Let the candidate write the answer in their editor; returns what they saved."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            raise ConfigError("no editor configured", hint="set $EDITOR, e.g. export EDITOR=nano")
        with tempfile.NamedTemporaryFile("w+", suffix=".md", delete=False) as handle:
            handle.write(initial)
            path = handle.name
        try:
            subprocess.run([*shlex.split(editor), path], check=False)
            with open(path, encoding="utf-8", errors="replace") as saved:
                return saved.read().strip()
        finally:
            os.unlink(path)


def _accept_any_bytes() -> None:
    """Decode stdin with undecodable bytes as lone surrogates (``from_bytes`` turns them into
    U+FFFD), so pasted Latin-1 text is an answer, not a crash."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if callable(reconfigure):
        with contextlib.suppress(Exception):
            reconfigure(errors="surrogateescape")


def _hide_typing() -> list[Any] | None:
    """Turn off the terminal's echo while a reply streams, so keys typed meanwhile do not
    land inside the interviewer's message; they stay queued for the next prompt."""
    try:
        import termios

        fd = sys.stdin.fileno()
        if not os.isatty(fd):
            return None
        saved = termios.tcgetattr(fd)
        quiet = list(saved)
        quiet[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
        return saved
    except Exception:  # termios.error is its own class; a best effort either way
        return None


def _restore_typing(saved: list[Any] | None) -> None:
    if saved is None:
        return
    try:
        import termios

        termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, saved)
    except Exception:  # termios.error is its own class; a best effort either way
        pass


def make_console(stderr: bool = False) -> Console:
    """A console that looks up sys.stdout/sys.stderr at print time (so tests can capture it);
    soft_wrap keeps streamed text from being hard-wrapped mid-word."""
    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=True)
