"""Building a spoken interview from the settings, with every problem found before it starts.

A missing PortAudio, a ``--mic`` that names no input device, a missing model package or
no speech engine is reported as one line with its fix before the interviewer's first
word, not in the middle of an answer.

Keys follow the chat models' rules: a speech server is sent the configured key
(``api_key`` / ``INTERVIEWER_API_KEY``) or a placeholder; a hosted provider gets its own
key from its usual variable.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from interviewer.config.settings import Settings
from interviewer.errors import ConfigError
from interviewer.formats.rounds import Round
from interviewer.formats.transcript import Transcript
from interviewer.models.base import ModelSpec
from interviewer.voice import make_transcriber
from interviewer.voice.recorder import MicRecorder, Recorder
from interviewer.voice.speaker import Engine, ServerEngine, Speaker, SystemEngine
from interviewer.voice.terminal import Voice, VoiceTerminal, answer_audio
from interviewer.voice.transcriber import LOCAL_STT, local_model_dir, prompt_for

SYSTEM_TTS = "system"
NO_TTS = "none"


def audio_spec(settings: Settings, model: str, api_base: str | None) -> ModelSpec:
    """A speech server gets the key configured for servers (``api_key`` /
    ``INTERVIEWER_API_KEY``) or a placeholder, never a provider's key from the environment;
    a hosted provider gets only its own variable's key (the configured one may be another
    provider's)."""
    key = settings.api_key.get_secret_value() if api_base and settings.api_key else None
    return ModelSpec(model=model, api_base=api_base, api_key=key, timeout_s=60.0)


def speech_engine(settings: Settings) -> Engine | None:
    """The interviewer's voice: the OS engine, a server or provider, or none at all."""
    if settings.tts_model == NO_TTS:
        return None
    if settings.tts_model == SYSTEM_TTS and settings.tts_api_base is None:
        return SystemEngine()
    from interviewer.voice.audio import import_sounddevice
    from interviewer.voice.remote import audio_client

    import_sounddevice()  # playback needs PortAudio: say so now
    spec = audio_spec(settings, settings.tts_model, settings.tts_api_base)
    return ServerEngine(audio_client(spec), settings.tts_voice)


def audio_folder(transcript_path: Path) -> Path:
    """``transcripts/ID.audio/``: the recordings sit beside the transcript they belong to."""
    return transcript_path.with_suffix(".audio")


def unsent_recording(transcript: Transcript, transcript_path: Path) -> Path | None:
    """A recorded answer whose text was never saved (a stop mid-answer), if there is one."""
    path = answer_audio(audio_folder(transcript_path), transcript)
    return path if path.is_file() else None


def check_pauses(settings: Settings) -> None:
    """A "long pause" must be shorter than the silence that ends the answer: a pause the
    recording stops at can never be counted, and the candidate who pauses to think that
    long loses the rest of the answer."""
    silence, pause = settings.silence_seconds, settings.pause_seconds
    if 0 < silence <= pause:
        raise ConfigError(
            f"pause_seconds {pause:g} must be under silence_seconds {silence:g}: a pause "
            "that long ends the recording, so it could never be counted as one",
            hint="raise --silence (silence_seconds), lower pause_seconds, or give --silence 0 "
            "to stop only on a key",
        )


def microphone(settings: Settings) -> int | None:
    """The index of the input device ``mic`` names (None: the system's default); raises
    ``ConfigError`` listing the input devices when it names none, several, or an output."""
    from interviewer.voice.audio import import_sounddevice
    from interviewer.voice.devices import chosen_mic

    mic = chosen_mic(settings, import_sounddevice())
    return mic.index if mic is not None else None


def open_voice(
    settings: Settings,
    round_: Round,
    transcript: Transcript,
    transcript_path: Path,
    recorder: Recorder | None = None,
) -> Voice:
    """Everything a spoken interview needs; raises ``ConfigError`` with the fix if not."""
    check_pauses(settings)
    if recorder is None:
        recorder = MicRecorder(silence=settings.silence_seconds, device=microphone(settings))
    if settings.stt_model == LOCAL_STT or settings.stt_model.startswith(f"{LOCAL_STT}:"):
        local_model_dir(settings.stt_model)  # installed? (fails fast with the command)
    transcriber = make_transcriber(audio_spec(settings, settings.stt_model, settings.stt_api_base))
    engine = speech_engine(settings)
    voice = Voice(
        transcript=transcript,
        folder=audio_folder(transcript_path),
        recorder=recorder,
        transcriber=transcriber,
        speaker=Speaker(engine) if engine is not None else None,
        prompt=prompt_for(round_.title, round_.model_dump_json()),
        fillers=settings.filler_words,
        pause_limit=settings.pause_seconds,
        keep_audio=settings.keep_audio,
    )
    voice.start()
    return voice


def voice_terminal(console: Console, voice: Voice) -> VoiceTerminal:
    return VoiceTerminal(console, voice)
