"""The delivery command: a spoken answer recorded anywhere, transcribed and measured.

The same reading as ``--voice`` gives an answer (``voice.analyse``): the whole recording
transcribed at once, ML terms written out, then pace, fillers, pauses and structure, each
with its aim, and when each filler and long pause happened. With the default
``--stt-model local`` nothing leaves the machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from interviewer.cli.app import out
from interviewer.cli.voiceopts import SttApiBaseOpt, SttModelOpt

commands = typer.Typer(rich_markup_mode="rich")

AudioArg = Annotated[
    Path,
    typer.Argument(
        metavar="FILE.wav",
        help="A recording of one spoken answer (WAV; convert others with ffmpeg).",
        show_default=False,
    ),
]


@commands.command()
def delivery(
    ctx: typer.Context,
    audio: AudioArg,
    stt_model: SttModelOpt = None,
    stt_api_base: SttApiBaseOpt = None,
) -> None:
    """Transcribe a recorded answer (WAV) and show its delivery figures, offline.

    Shows the transcript (words the transcriber was unsure of named), then pace, fillers,
    long pauses, talk time and time to structure, each with its aim, and when each filler
    and long pause happened. Uses pause_seconds and filler_words from your settings.
    """
    from interviewer.cli.options import flag_settings  # the settings' models: not for --help
    from interviewer.formats.delivery import describe, timeline
    from interviewer.terminal.safe_text import clean
    from interviewer.voice import make_transcriber
    from interviewer.voice.analyse import analyse_file, wav_seconds
    from interviewer.voice.setup import audio_spec
    from interviewer.voice.transcriber import LOCAL_STT, local_model_dir, prompt_for

    settings = flag_settings(ctx.params)
    wav_seconds(audio)  # a missing or unreadable file is named before any model loads
    if settings.stt_model == LOCAL_STT or settings.stt_model.startswith(f"{LOCAL_STT}:"):
        local_model_dir(settings.stt_model)
    transcriber = make_transcriber(audio_spec(settings, settings.stt_model, settings.stt_api_base))
    with out.status(f"Transcribing {audio.name} with {transcriber.name}…"):
        text, figures = analyse_file(
            audio,
            transcriber,
            prompt_for("one answer", ""),
            fillers=settings.filler_words,
            pause_limit=settings.pause_seconds,
        )
    heard = Text(clean(text) or "(nothing heard)")
    heard.highlight_words(figures.unsure, style="underline yellow")
    out.print(Text(f"Transcript ({transcriber.name}):", style="bold"))
    out.print(heard, soft_wrap=False)
    if figures.unsure:
        names = ", ".join(f'"{clean(word)}"' for word in figures.unsure)
        out.print(Text(f"Unsure of: {names}", style="yellow"), soft_wrap=False)
    out.print(Text("Delivery: ", style="bold") + Text(describe(figures)), soft_wrap=False)
    when = timeline(figures)
    if when:
        out.print(Text("When: ", style="bold") + Text(when), soft_wrap=False)
