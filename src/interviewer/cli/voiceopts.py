"""The options for practising out loud, declared once for practice, resume and loop."""

from __future__ import annotations

from typing import Annotated, Any

import typer

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
        help="OpenAI-compatible /audio/transcriptions server, e.g. http://127.0.0.1:8000/v1.",
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
SilenceOpt = Annotated[
    float | None,
    typer.Option(
        "--silence",
        help="Stop recording after this many seconds of silence once you have spoken; "
        "0 stops only on a key (default: 3).",
        min=0,
        max=60,
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

VOICE_KEYS = (
    "voice",
    "stt_model",
    "stt_api_base",
    "tts_model",
    "tts_api_base",
    "tts_voice",
    "silence_seconds",
    "keep_audio",
)


def voice_flags(flags: dict[str, Any]) -> dict[str, Any]:
    """The voice settings among ``flags``, for ``load_settings``."""
    return {key: flags.get(key) for key in VOICE_KEYS}
