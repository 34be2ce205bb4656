"""``interviewer doctor --voice`` end to end: each check with its fix, the exit code."""

from __future__ import annotations

import io
import wave
from typing import ClassVar

import httpx
from typer.testing import CliRunner

from interviewer.cli import app
from voicekit import needs_audio

BASE = "http://127.0.0.1:9/v1"


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\0\0" * 1600)
    return buffer.getvalue()


@needs_audio  # the microphone check records through sounddevice
def test_doctor_voice_checks_servers_and_names_each_fix(respx_mock):
    respx_mock.post(f"{BASE}/audio/transcriptions").mock(
        return_value=httpx.Response(200, json={"text": "Hello, I am ready."})
    )
    respx_mock.post(f"{BASE}/audio/speech").mock(
        return_value=httpx.Response(401, json={"error": {"message": "invalid key"}})
    )
    result = CliRunner().invoke(
        app,
        ["doctor", "--voice", "--stt-model", "whisper", "--stt-api-base", BASE,
         "--tts-model", "kokoro", "--tts-api-base", BASE],
        env={"COLUMNS": "250"},
    )  # fmt: skip
    out = " ".join(result.output.split())
    assert "'Hello, I am ready.'" in out  # transcription reached the server and came back
    assert "│ transcription │ ok │ whisper at http://127.0.0.1:9/v1" in out
    assert "│ speech out │ FAILED │" in out
    assert "speech out: set INTERVIEWER_API_KEY" in out  # the fix for a refused key
    assert "│ microphone │" in out
    assert result.exit_code == 1
    assert "Traceback" not in result.output


class Heard:
    """The system voice, noting what it was asked to say instead of playing it."""

    name = "espeak-ng"
    said: ClassVar[list[str]] = []

    def __init__(self) -> None: ...

    def say(self, text: str) -> None:
        Heard.said.append(text)


@needs_audio
def test_speech_out_fails_with_the_fix_when_no_device_would_play_it(monkeypatch):
    """espeak-ng exits 0 with no sound device: its success is not taken for "heard"."""
    from interviewer.doctor import voice

    monkeypatch.setattr(voice, "SystemEngine", Heard)
    monkeypatch.setattr("interviewer.voice.setup.SystemEngine", Heard)
    monkeypatch.setattr(voice, "output_device", lambda sd: None)
    Heard.said = []
    check = voice.speech_check(_settings())
    assert (check.result, check.detail) == (
        "fail",
        "no sound output device: nothing would be heard",
    )
    assert check.fix is not None and "--tts-model none" in check.fix and "aplay -l" in check.fix
    assert Heard.said == []  # nothing was "said" into the void
    monkeypatch.setattr(voice, "output_device", lambda sd: "USB Headset")
    check = voice.speech_check(_settings())
    assert check.result == "ok" and "on USB Headset" in check.detail
    assert Heard.said == [voice.SAMPLE]


def _settings():
    from interviewer.config.settings import load_settings

    return load_settings()
