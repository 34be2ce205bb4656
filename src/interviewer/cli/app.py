"""The Typer app, its command table, and the one error boundary.

Commands parse their options, call the core and render what it returns. Known errors
(``UserError``) become one line on stderr and an exit code; set ``INTERVIEWER_DEBUG=1``
to see the traceback instead. Nothing here imports a provider library: commands that
talk to a model reach it through ``interviewer.models``, which imports it lazily.

Start-up is kept at the floor of a Typer CLI: ``COMMANDS`` names each command, its help
panel and its one line of help, and its module is imported only when that command runs
(``--help`` lists the table; a test checks the lines against the commands' own help).
So ``interviewer --help`` imports no pydantic model, catalog or command module, and
``interviewer list`` only the modules ``list`` needs.
"""

from __future__ import annotations

import importlib
import inspect
import os
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, NoReturn

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from interviewer.errors import UserError
from interviewer.terminal.console import make_console

out = make_console()
err = make_console(stderr=True)


@dataclass(frozen=True)
class Lazy:
    """A command known by name, panel and help line; its module loads when it runs."""

    name: str
    module: str  # under interviewer.cli; it defines a Typer ``commands`` holding ``name``
    panel: str
    help: str


COMMANDS: tuple[Lazy, ...] = (
    Lazy("practice", "practice", "Interview", "Practise one interview round, then get a scorecard."),
    Lazy("resume", "practice", "Interview", "Continue an interrupted interview, or a loop, where it stopped."),
    Lazy("score", "practice", "Interview", "Score (or re-score) a saved interview; earlier scorecards are kept."),
    Lazy("loop", "loop", "Interview", "Run a whole interview loop: its rounds in order, a break between rounds, then a debrief."),
    Lazy("next", "teaching", "Interview", "Start the session your history calls for, and say why."),
    Lazy("drill", "teaching", "Interview", "Re-drill a session's weak spot on a new variant, and see attempt and re-attempt side by side."),
    Lazy("plan", "teaching", "Interview", "Plan each day up to your interview: every round of the loop, the rest on weak dimensions."),
    Lazy("list", "review", "Review", "List saved sessions, newest first, with their scores and status."),
    Lazy("show", "review", "Review", "Show a session: the conversation and its latest scorecard."),
    Lazy("export", "review", "Review", "Export a session as Markdown, a self-contained HTML page, or JSON."),
    Lazy("progress", "review", "Review", "Your scores per dimension over time, the weakest three, and what to practise next."),
    Lazy("delete", "review", "Review", "Delete a session's transcript (.json and .md); asks first unless --yes."),
    Lazy("delivery", "delivery", "Review", "Transcribe a recorded answer (WAV) and show its delivery figures, offline."),
    Lazy("grade", "grades", "Review", "Grade a session yourself, dimension by dimension, beside the judge's scorecard."),
    Lazy("grades", "grades", "Review", "Export or import people's grades as JSON Lines, for a coach."),
    Lazy("personas", "browse", "Rounds and files", "List the interviewer personas."),
    Lazy("check", "browse", "Rounds and files", "Validate your own rounds, personas and loops; name every problem with its fix."),
    Lazy("rounds", "browse", "Rounds and files", "List rounds and loops, or show one round's rubric."),
    Lazy("doctor", "doctor", "Set-up", "Check the interviewer and judge models: reachable, known, streaming, JSON replies."),
    Lazy("rehearse", "rehearse", "Set-up", "Measure an interviewer with simulated candidates: does it listen, keep time and stay clean?"),
    Lazy("calibrate", "calibrate", "Set-up", "Measure how far a judge model can be trusted, against reference grades."),
)  # fmt: skip


def load_command(entry: Lazy) -> Any:  # a click.Command
    """The real command: import its module and build its click command from the Typer there."""
    module = importlib.import_module(f"interviewer.cli.{entry.module}")
    group = typer.main.get_group(module.commands)
    return reflowed(group.commands[entry.name])


def reflowed(command: Any) -> Any:
    """``command`` (and its subcommands) with each paragraph of its help on one line.

    Typer's rich help keeps a docstring's line breaks, and the terminal then wraps those
    source lines a second time: at 80 columns every long line left a ragged half-line
    behind. Joined, each paragraph wraps once, at the terminal's width.
    """
    if command.help:
        paragraphs = inspect.cleandoc(command.help).split("\n\n")
        command.help = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    for sub in getattr(command, "commands", {}).values():
        reflowed(sub)
    return command


class Placeholder(TyperCommand):
    """What ``--help`` lists for a command whose module is not imported yet."""

    def __init__(self, entry: Lazy) -> None:
        super().__init__(entry.name, help=entry.help, rich_help_panel=entry.panel)
        self.entry = entry


class Boundary(TyperGroup):
    """The root group: lazy commands, and every ``UserError`` turned into one line."""

    lazy: ClassVar[tuple[Lazy, ...]] = COMMANDS

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for entry in self.lazy:
            self.commands.setdefault(entry.name, Placeholder(entry))

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, Placeholder):
            entry = command.entry
            command = self.commands[entry.name] = load_command(entry)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except UserError as exc:
            if os.environ.get("INTERVIEWER_DEBUG"):
                raise
            fail(str(exc), exc.exit_code)


def one_line(console: Console | None = None) -> bool:
    """Whether a message is printed as one unbroken line (``soft_wrap``): yes into a pipe
    or a log (a script or a grep reads it whole), no at a terminal, where rich wraps it
    between words at the window's width; left to the terminal (the consoles soft-wrap, for
    the streamed replies), a long line was cut wherever the last column fell, mid-word."""
    return not (console or err).is_terminal


def warn(message: str) -> None:
    """A warning on stderr, as data: a file name or a model's words are never markup."""
    from interviewer.terminal.safe_text import clean

    line = Text(f"warning: {clean(message)}", style="yellow")
    err.print(line, highlight=False, soft_wrap=one_line())


def fail(message: str, code: int) -> NoReturn:
    """Print one error line and exit. The message is text, never markup: it may carry a
    provider's words, a path or a file name, where ``[/]`` or ``[link=...]`` are data."""
    from interviewer.terminal.safe_text import clean

    line = Text.assemble(("error:", "bold red"), " ", clean(message))
    err.print(line, highlight=False, soft_wrap=one_line())
    raise typer.Exit(code)


app = typer.Typer(
    cls=Boundary,
    help="Practise machine-learning interviews in the terminal, with any LLM as interviewer and judge.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,  # locals may hold API keys
    add_completion=False,
    epilog="Start with: interviewer practice ml-system-design · all rounds: interviewer rounds · "
    "check your set-up: interviewer doctor",
)


def _version(value: bool) -> None:
    if value:
        from interviewer import __version__  # package metadata, read only when asked

        out.print(f"interviewer {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Practise ML interview rounds against an LLM interviewer, then get an evidence-based scorecard.

    Start with: [bold]interviewer practice ml-system-design --model gpt-4o-mini[/]
    """
