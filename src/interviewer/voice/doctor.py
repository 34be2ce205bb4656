"""``interviewer doctor --voice``: microphone, transcription and speech out, each with its fix.

Each check is one small real use: open the microphone and listen for a second, transcribe
a short clip, speak one word. A missing system library is named with the command that
installs it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from interviewer.config import Settings
from interviewer.doctor import Check
from interviewer.errors import UserError
from interviewer.voice.audio import RATE, import_sounddevice, level, write_wav
from interviewer.voice.setup import audio_spec, speech_engine
from interviewer.voice.transcriber import make_transcriber

LISTEN_S = 1.5
QUIET = 0.002  # RMS: below this the microphone is probably muted
MIC_HELP = (
    "plug in a microphone and make it the default input (on Linux: arecord -l lists them); "
    "you can still type your answers with --voice"
)
SAMPLE = "Hello. I am ready to practise my interview out loud."


def microphone_check() -> Check:
    """The default input opens, and hears something over a second and a half."""
    try:
        sd = import_sounddevice()
    except UserError as exc:
        return Check("microphone", "fail", exc.message, exc.hint)
    try:
        device = sd.query_devices(kind="input")
        audio = sd.rec(int(LISTEN_S * RATE), samplerate=RATE, channels=1, dtype="int16")
        sd.wait()
    except (sd.PortAudioError, ValueError) as exc:
        return Check("microphone", "fail", f"no input device ({exc})", MIC_HELP)
    name = str(device.get("name", "default")) if isinstance(device, dict) else "default"
    loud = level(audio.tobytes())
    if loud < QUIET:
        fix = "unmute it or raise its input level (alsamixer, or your system's sound settings)"
        return Check("microphone", "warn", f"{name}: silent for {LISTEN_S:g} s", fix, False)
    return Check("microphone", "ok", f"{name}: level {loud:.3f}")


def sample_clip(folder: Path) -> Path:
    """A short clip to transcribe: spoken by espeak-ng where there is one, else silence."""
    path = folder / "doctor.wav"
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if espeak:
        done = subprocess.run([espeak, "-w", str(path), SAMPLE], capture_output=True, check=False)
        if done.returncode == 0 and path.is_file():
            return path
    write_wav(path, b"\0\0" * RATE)
    return path


def transcription_check(settings: Settings) -> Check:
    spec = audio_spec(settings, settings.stt_model, settings.stt_api_base)
    spec = replace(spec, max_retries=0)
    try:
        transcriber = make_transcriber(spec)
        with tempfile.TemporaryDirectory() as folder:
            clip = sample_clip(Path(folder))
            started = time.perf_counter()
            heard = transcriber.transcribe(clip, "")
            took = time.perf_counter() - started
    except UserError as exc:
        return Check("transcription", "fail", exc.message, exc.hint)
    said = heard.text.strip()[:40] or "(silence)"
    return Check("transcription", "ok", f"{transcriber.name}: {said!r} in {took:.1f} s")


def speech_check(settings: Settings) -> Check:
    try:
        engine = speech_engine(settings)
        if engine is None:
            return Check("speech out", "skip", "--tts-model none: the interviewer is silent")
        started = time.perf_counter()
        engine.say(SAMPLE)
        took = time.perf_counter() - started
    except UserError as exc:
        return Check("speech out", "fail", exc.message, exc.hint)
    return Check("speech out", "ok", f"{engine.name}: said {SAMPLE!r} in {took:.1f} s")


def voice_checks(settings: Settings) -> list[Check]:
    return [microphone_check(), transcription_check(settings), speech_check(settings)]
