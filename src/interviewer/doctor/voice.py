"""``interviewer doctor --voice``: microphone, transcription and speech out, each with its fix.

The input devices are listed (their index is what ``--mic`` takes), then each check is
one small real use: open the chosen microphone and listen for a second, transcribe
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
from types import ModuleType

from interviewer.config.settings import Settings
from interviewer.doctor.check import Check
from interviewer.errors import UserError
from interviewer.voice import make_transcriber
from interviewer.voice.audio import RATE, import_sounddevice, level, write_wav
from interviewer.voice.devices import Device, chosen_mic, inputs, list_devices, mic_setting
from interviewer.voice.setup import audio_spec, speech_engine
from interviewer.voice.speaker import SystemEngine

LISTEN_S = 1.5
QUIET = 0.002  # RMS: below this the microphone is probably muted
MIC_HELP = (
    "plug in a microphone, and make it the default input or choose it with --mic (on Linux: "
    "arecord -l lists them); you can still type your answers with --voice"
)
SAMPLE = "Hello. I am ready to practise my interview out loud."


def microphone_checks(settings: Settings) -> list[Check]:
    """The input devices there are, then the chosen one (``--mic``, else the default)
    opened and heard over a second and a half."""
    try:
        sd = import_sounddevice()
    except UserError as exc:
        return [Check("microphone", "fail", exc.message, exc.hint)]
    devices = list_devices(sd)
    try:
        chosen = chosen_mic(settings, sd)
    except UserError as exc:
        return [device_list(devices, None, ""), Check("microphone", "fail", exc.message, exc.hint)]
    listing = device_list(devices, chosen, mic_setting(settings))
    default = next((device for device in devices if device.default), None)
    return [listing, listen_check(sd, chosen or default, chosen is not None)]


def device_list(devices: list[Device], chosen: Device | None, setting: str) -> Check:
    """One line per input device: its index (what ``--mic`` takes), its name, and which
    one is the default and which one was chosen."""
    lines = []
    for device in inputs(devices):
        marks = [m for m, on in (("default", device.default), (setting, device == chosen)) if on]
        lines.append(device.label() + (f" ({', '.join(marks)})" if marks else ""))
    if not lines:  # the microphone check below fails with the fix
        return Check("input devices", "warn", "none: PortAudio sees no device that records")
    return Check("input devices", "ok", "\n".join(lines))


def listen_check(sd: ModuleType, device: Device | None, chosen: bool) -> Check:
    """The device opens, and hears something over a second and a half. ``chosen``: it
    was named by ``--mic``; otherwise it is the default input (``None``: there is none,
    and PortAudio is left to say so)."""
    name = device.name if device is not None else "default input"
    try:
        audio = sd.rec(
            int(LISTEN_S * RATE),
            samplerate=RATE,
            channels=1,
            dtype="int16",
            device=device.index if chosen and device is not None else None,
        )
        sd.wait()
    except (sd.PortAudioError, ValueError) as exc:
        return Check("microphone", "fail", f"{name} could not be opened ({exc})", MIC_HELP)
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


SPEAKER_HELP = (
    "plug in speakers or headphones and make them the default output (on Linux: aplay -l "
    "lists them), or practise with --tts-model none and read the interviewer on screen"
)


def output_device(sd: ModuleType) -> str | None:
    """The default output device's name; None where PortAudio finds none."""
    try:
        info = sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError):
        return None
    return str(info["name"])


def speech_check(settings: Settings) -> Check:
    """The voice is spoken on the default output device, which must exist first: espeak-ng
    exits 0 when it has nowhere to play, so its success alone proves nothing was heard.
    The check fails (as the microphone's does) and leaves the interview usable: with
    ``--tts-model none`` the interviewer is read on screen."""
    try:
        engine = speech_engine(settings)
        if engine is None:
            return Check("speech out", "skip", "--tts-model none: the interviewer is silent")
        device = None
        if isinstance(engine, SystemEngine):  # a server's audio is played by PortAudio,
            device = output_device(import_sounddevice())  # which fails on its own
            if device is None:
                return Check("speech out", "fail", "no sound output device: nothing would be "
                             "heard", SPEAKER_HELP)  # fmt: skip
        started = time.perf_counter()
        engine.say(SAMPLE)
        took = time.perf_counter() - started
    except UserError as exc:
        return Check("speech out", "fail", exc.message, exc.hint)
    where = f" on {device}" if device else ""
    return Check("speech out", "ok", f"{engine.name}: said {SAMPLE!r}{where} in {took:.1f} s")


def voice_checks(settings: Settings) -> list[Check]:
    return [*microphone_checks(settings), transcription_check(settings), speech_check(settings)]
