"""The options for practising out loud, declared once for practice, resume, loop and doctor.

A command takes them with ``@voice_options`` (or ``@speech_options``, the six that name
a device or an engine): the decorator adds them to the command's signature, so Typer
offers them, and their values reach the settings through ``ctx.params``
(``options.flag_settings``), so the command's own body never names them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from interviewer.config.file import DEFAULT_SILENCE_SECONDS

PANEL = "Voice (see docs/voice.md)"

VoiceOpt = Annotated[
    bool | None,
    typer.Option(
        "--voice/--no-voice",
        help="Practise out loud: hear the interviewer, answer by voice (Enter to record). "
        "Needs the voice extra: pip install -r requirements-voice.lock.",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
SttModelOpt = Annotated[
    str | None,
    typer.Option(
        "--stt-model",
        help="Speech to text: 'local' (in-process Whisper tiny.en, the default), "
        "'local:FOLDER' (a CTranslate2 Whisper model), a server's model with --stt-api-base, "
        "or a provider's (whisper-1, groq/whisper-large-v3).",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
SttApiBaseOpt = Annotated[
    str | None,
    typer.Option(
        "--stt-api-base",
        help="OpenAI-compatible /audio/transcriptions server (speaches, "
        "faster-whisper-server): its address, usually ending in /v1.",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
TtsModelOpt = Annotated[
    str | None,
    typer.Option(
        "--tts-model",
        help="The interviewer's voice: 'system' (espeak-ng, say, or Windows SAPI; the "
        "default), 'none' (silent), a server's model with --tts-api-base, or a provider's (tts-1).",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
TtsApiBaseOpt = Annotated[
    str | None,
    typer.Option(
        "--tts-api-base",
        help="OpenAI-compatible /audio/speech server (Kokoro-FastAPI, speaches).",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
TtsVoiceOpt = Annotated[
    str | None,
    typer.Option(
        "--tts-voice",
        help="The voice a speech server or provider uses (e.g. af_heart, alloy).",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
MicOpt = Annotated[
    str | None,
    typer.Option(
        "--mic",
        metavar="DEVICE",
        help="The microphone: a device index or part of its name, any case "
        "(interviewer doctor --voice lists them; default: the system's default input).",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
SilenceOpt = Annotated[
    float | None,
    typer.Option(
        "--silence",
        help="Stop recording after this many seconds of silence once you have spoken, up "
        "to 60; 0 stops only on a key "
        f"(default: {DEFAULT_SILENCE_SECONDS:g}).",
        min=0,
        max=60,
        metavar="SECONDS",  # not <float range>: a wide metavar cut the panel's help short
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
KeepAudioOpt = Annotated[
    bool | None,
    typer.Option(
        "--keep-audio",
        help="Keep every recording for good, beside the transcript (ID.audio/).",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]

SPEECH: dict[str, Any] = {
    "stt_model": SttModelOpt,
    "stt_api_base": SttApiBaseOpt,
    "tts_model": TtsModelOpt,
    "tts_api_base": TtsApiBaseOpt,
    "tts_voice": TtsVoiceOpt,
    "mic": MicOpt,
}
"""The options that choose a device or an engine: every command that speaks or checks."""
VOICE: dict[str, Any] = {
    "voice": VoiceOpt,
    **SPEECH,
    "silence": SilenceOpt,
    "keep_audio": KeepAudioOpt,
}
"""Every voice option, for the commands that run an interview."""


def _adding(options: dict[str, Any]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(command)
        def run(*args: Any, **kwargs: Any) -> None:
            for name in options:  # read from ctx.params by flag_settings
                kwargs.pop(name, None)
            command(*args, **kwargs)

        own = inspect.signature(command, eval_str=True)  # Typer reads it as it stands
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=hint)
            for name, hint in options.items()
        ]
        run.__signature__ = own.replace(parameters=[*own.parameters.values(), *added])  # type: ignore[attr-defined]
        return run

    return decorate


voice_options = _adding(VOICE)
speech_options = _adding(SPEECH)
