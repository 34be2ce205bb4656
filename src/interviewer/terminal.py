"""The candidate's side of the terminal: reading answers, slash commands, streamed replies.

An answer ends at an empty line, so multi-line answers need no special mode; blank lines
inside a ``` fence are kept, so pasted code survives whole. ``/edit`` opens ``$EDITOR``
for long answers and code. End of input (Ctrl-D, or a script's input running out) and
Ctrl-C are reported to the caller, which saves the transcript before it stops.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from interviewer.errors import ConfigError

if TYPE_CHECKING:  # an annotation only: importing formats would cost every start-up ~40 ms
    from interviewer.formats import Delivery


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

HOW_TO_ANSWER = (
    "Type your answer; an empty line sends it. Blank lines inside ``` fences are kept. "
    "/help lists commands."
)


@dataclass(frozen=True)
class Input:
    """What the candidate sent: an answer, or a command."""

    text: str = ""
    command: Command | None = None
    eof: bool = False
    delivery: Delivery | None = None  # a spoken answer's figures (voice/)


class Terminal:
    def __init__(self, console: Console, read_line: Callable[[str], str] | None = None) -> None:
        self.console = console
        self._read_line = read_line

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
        self.console.print(f"\n[bold magenta]{who}:[/] ", end="")

    def stream_text(self, chunk: str) -> None:
        # Straight to the stream: a reply arrives in dozens of chunks, and rich's render
        # pipeline (which plain streamed text does not need) was most of our time per turn.
        self.console.file.write(chunk)
        self.console.file.flush()

    def stream_end(self) -> None:
        self.console.print()

    def info(self, message: str) -> None:
        self.console.print(f"[dim]{message}[/]", highlight=False)

    def warn(self, message: str) -> None:
        self.console.print(Text(message, style="yellow"), highlight=False)

    def echo(self, text: str) -> None:
        """Show an answer written in the editor, so the candidate sees what was sent."""
        self.console.print(text, markup=False, highlight=False)

    def show_help(self) -> None:
        self.console.print(HOW_TO_ANSWER)
        for command, text in COMMANDS.items():
            self.console.print(f"  [bold]{command.value:<7}[/] {text}")

    # ------------------------------------------------------------------ input

    def read_answer(self) -> Input:
        """Read one answer (until an empty line outside a code fence) or one command."""
        lines: list[str] = []
        fenced = blank_before = False
        prompt = "\nYou › "
        while True:
            try:
                line = self.read_line(prompt)
            except EOFError:  # what was typed before the end still counts
                return Input(text="\n".join(lines).strip(), eof=True)
            prompt = "... "
            if not lines and line.strip().lower() in {c.value for c in Command}:
                command = Command(line.strip().lower())
                if command is Command.edit:
                    try:
                        return Input(text=self.edit(), command=Command.edit)
                    except ConfigError as exc:
                        self.warn(str(exc))
                        continue
                return Input(command=command)
            if line.strip().startswith("```"):
                fenced = not fenced
            if not line.strip() and not fenced:
                if lines:
                    return Input(text="\n".join(lines).strip())
                if blank_before:  # Enter twice on nothing: the candidate sends silence
                    return Input(text="")
                blank_before = True
                prompt = "(press Enter again to send an empty answer) You › "
                continue
            blank_before = False
            lines.append(line)

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
            with open(path, encoding="utf-8") as saved:
                return saved.read().strip()
        finally:
            os.unlink(path)


def make_console(stderr: bool = False) -> Console:
    """A console that looks up sys.stdout/sys.stderr at print time (so tests can capture it);
    soft_wrap keeps streamed text from being hard-wrapped mid-word."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True)
