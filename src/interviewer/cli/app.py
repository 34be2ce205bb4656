"""The Typer app, its shared options, and the one error boundary.

Commands parse their options, call the core and render what it returns. Known errors
(``UserError``) become one line on stderr and an exit code; set ``INTERVIEWER_DEBUG=1``
to see the traceback instead. Nothing here imports a provider library: commands that
talk to a model reach it through ``interviewer.models``, which imports it lazily.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.text import Text
from typer.core import TyperGroup

from interviewer import __version__
from interviewer.catalog import DEFAULT_PERSONA
from interviewer.config import (
    DEFAULT_LEVEL,
    DEFAULT_TRANSCRIPTS_DIR,
    FileConfig,
    Settings,
    load_settings,
)
from interviewer.errors import UserError
from interviewer.formats import Level
from interviewer.safe_text import clean
from interviewer.terminal import make_console

out = make_console()
err = make_console(stderr=True)


class Boundary(TyperGroup):
    """Turns every ``UserError`` raised by any command into one line and an exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except UserError as exc:
            if os.environ.get("INTERVIEWER_DEBUG"):
                raise
            fail(str(exc), exc.exit_code)


FLAG_SETTINGS = {"silence": "silence_seconds"}
"""Flags whose setting has another name."""


def flag_settings(params: dict[str, Any], **overrides: Any) -> Settings:
    """The settings for a command whose flags are ``params`` (its ``ctx.params``): each
    flag that names a setting is passed to ``load_settings``, so no command lists them."""
    flags = {FLAG_SETTINGS.get(key, key): value for key, value in params.items()}
    known = {key: value for key, value in flags.items() if key in FileConfig.model_fields}
    return load_settings(**{**known, **overrides})


def warn(message: str) -> None:
    """A warning on stderr, as data: a file name or a model's words are never markup."""
    err.print(Text(f"warning: {clean(message)}", style="yellow"), highlight=False)


def fail(message: str, code: int) -> NoReturn:
    """Print one error line and exit. The message is text, never markup: it may carry a
    provider's words, a path or a file name, where ``[/]`` or ``[link=...]`` are data."""
    from interviewer.safe_text import clean

    line = Text.assemble(("error:", "bold red"), " ", clean(message))
    err.print(line, highlight=False, soft_wrap=True)
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


# Shared options, declared once.
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Interviewer model: any litellm model string (e.g. gpt-4o-mini, "
        "anthropic/claude-3-5-haiku-latest, ollama_chat/llama3.1), 'local' or 'local:PATH.gguf' "
        "in-process, or 'scripted' for the round's own lines with no model.",
        show_default=False,
    ),
]
JudgeOpt = Annotated[
    str | None,
    typer.Option(
        "--judge-model", help="Judge model (default: the interviewer's).", show_default=False
    ),
]
ApiBaseOpt = Annotated[
    str | None,
    typer.Option(
        "--api-base",
        help="OpenAI-compatible server for the interviewer, e.g. http://127.0.0.1:11434/v1 (Ollama).",
        show_default=False,
    ),
]
JudgeApiBaseOpt = Annotated[
    str | None,
    typer.Option(
        "--judge-api-base", help="Server for the judge (default: --api-base).", show_default=False
    ),
]
DirOpt = Annotated[
    Path | None,
    typer.Option(
        "--transcripts-dir",
        help=f"Where transcripts are kept (default: ./{DEFAULT_TRANSCRIPTS_DIR}).",
        show_default=False,
    ),
]
UserDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--user-dir",
        help="Your own rounds, personas and loops (rubrics/, personas/, loops/).",
        show_default=False,
    ),
]
PersonaOpt = Annotated[
    str | None,
    typer.Option(
        "--persona",
        "-p",
        help=f"Interviewer persona; see 'interviewer personas' (default: {DEFAULT_PERSONA}).",
        show_default=False,
    ),
]
LevelOpt = Annotated[
    Level | None,
    typer.Option(
        "--level",
        "-l",
        help="Target level: the bar the interviewer and judge hold you to "
        f"(default: {DEFAULT_LEVEL.value}).",
        show_default=False,
    ),
]
TrackOpt = Annotated[
    str | None,
    typer.Option(
        "--track",
        "-t",
        help="Your track (ml-engineer, research-scientist, applied-scientist, or your own): "
        "the interviewer and judge read the round for it.",
        show_default=False,
    ),
]
PaperOpt = Annotated[
    Path | None,
    typer.Option(
        "--paper",
        help="The paper you will present (text, Markdown or PDF), for interviewer and judge.",
        show_default=False,
    ),
]
JobOpt = Annotated[
    Path | None,
    typer.Option(
        "--job",
        help="A job description (text, Markdown or PDF) to steer scenarios and probes.",
        show_default=False,
    ),
]
CvOpt = Annotated[
    Path | None,
    typer.Option(
        "--resume",
        "--cv",
        help="Your CV (text, Markdown or PDF) to steer the probes.",
        show_default=False,
    ),
]
JudgeSamplesOpt = Annotated[
    int,
    typer.Option(
        "--judge-samples",
        min=1,
        max=9,
        help="Grade this many times and keep the median per dimension; a dimension whose "
        "samples disagree by 2+ points is flagged unstable.",
    ),
]
NoScoreOpt = Annotated[
    bool,
    typer.Option("--no-score", help="Skip the scorecard; score later with 'interviewer score ID'."),
]
