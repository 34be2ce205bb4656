"""The options several commands share, declared once.

Kept apart from ``app``: only a command that is run imports this module, never ``--help``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interviewer.config.file import DEFAULT_PERSONA, DEFAULT_TRANSCRIPTS
from interviewer.formats.levels import DEFAULT_LEVEL, Level

if TYPE_CHECKING:
    from interviewer.config.settings import Settings

# Shared options, declared once.
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Interviewer model: any litellm model string (e.g. gpt-4o-mini, "
        "anthropic/claude-3-5-haiku-latest, ollama_chat/llama3.1), 'local' or 'local:PATH.gguf' "
        "run here, or 'scripted' for the round's own lines with no model.",
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
        help=f"Where transcripts are kept (default: ./{DEFAULT_TRANSCRIPTS}).",
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
DEFAULT_PERSONA_NAME = DEFAULT_PERSONA
PersonaOpt = Annotated[
    str | None,
    typer.Option(
        "--persona",
        "-p",
        help=f"Interviewer persona; see 'interviewer personas' (default: {DEFAULT_PERSONA_NAME}).",
        show_default=False,
    ),
]
LevelOpt = Annotated[
    Level | None,
    typer.Option(
        "--level",
        "-l",
        metavar="LEVEL",  # its choices are in the help: a wide metavar squeezed every help
        help=f"Target level: {', '.join(level.value for level in Level)}; the bar the "
        f"interviewer and judge hold you to (default: {DEFAULT_LEVEL.value}).",
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
        metavar="N",
        help="Grade N times (1 to 9) and keep the median per dimension; a dimension whose "
        "samples disagree by 2+ points is flagged unstable.",
    ),
]
NoScoreOpt = Annotated[
    bool,
    typer.Option("--no-score", help="Skip the scorecard; score later with 'interviewer score ID'."),
]


FLAG_SETTINGS = {"silence": "silence_seconds"}
"""Flags whose setting has another name."""


def flag_settings(params: dict[str, Any], **overrides: Any) -> Settings:
    """The settings for a command whose flags are ``params`` (its ``ctx.params``): each
    flag that names a setting becomes one of its ``Flags``, so no command lists them;
    ``overrides`` (named as settings) stand in for what the flags gave."""
    from interviewer.config.settings import Flags, load_settings

    return load_settings(Flags.of({**params, **overrides}, FLAG_SETTINGS))
