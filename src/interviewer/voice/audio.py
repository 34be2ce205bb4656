"""WAV files, levels and playback: the small audio facts the rest of voice/ shares.

Recordings are 16 kHz mono 16-bit WAV, what Whisper wants, written with the standard
library. sounddevice (PortAudio) is imported only to record or play, and a missing
PortAudio library becomes an error that names the package that provides it.
"""

from __future__ import annotations

import array
import io
import math
import sys
import wave
from pathlib import Path
from types import ModuleType

from interviewer.errors import ConfigError

RATE = 16_000
PORTAUDIO_FIX = {
    "linux": "install PortAudio: sudo apt-get install libportaudio2",
    "darwin": "install PortAudio: brew install portaudio",
}
VOICE_EXTRA = "pip install -r requirements-voice.lock (the voice extra, pinned by hash)"


def import_sounddevice() -> ModuleType:
    """sounddevice, or a one-line error saying what to install."""
    try:
        import sounddevice
    except ImportError:
        raise ConfigError("recording and playback need sounddevice", hint=VOICE_EXTRA) from None
    except OSError:  # sounddevice raises OSError when the PortAudio library is missing
        fix = PORTAUDIO_FIX.get(sys.platform, "reinstall sounddevice, which bundles PortAudio")
        raise ConfigError("the PortAudio library was not found", hint=fix) from None
    module: ModuleType = sounddevice
    return module


def write_wav(path: Path, pcm: bytes, rate: int = RATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)


def read_wav(path: Path) -> tuple[bytes, int]:
    """The 16-bit PCM and rate of a WAV file (the first channel if there are more)."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ConfigError(f"{path}: only 16-bit WAV files are supported")
        channels, rate = wav.getnchannels(), wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    if channels > 1:
        samples = array.array("h", frames)
        frames = samples[::channels].tobytes()
    return frames, rate


def seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


def level(pcm: bytes) -> float:
    """Loudness of a block of 16-bit samples, 0 to 1 (RMS over full scale)."""
    samples = array.array("h", pcm[: len(pcm) - len(pcm) % 2])
    if not samples:
        return 0.0
    return min(1.0, math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768)


def play_wav(data: bytes) -> None:
    """Play WAV bytes on the default output device, returning when done (or stopped)."""
    sd = import_sounddevice()
    import numpy as np

    with wave.open(io.BytesIO(data), "rb") as wav:
        channels, rate = wav.getnchannels(), wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    samples = np.frombuffer(frames, dtype=np.int16).reshape(-1, channels)
    try:
        sd.play(samples, rate)
        sd.wait()
    except (sd.PortAudioError, ValueError) as exc:
        raise ConfigError(
            f"no sound output device ({exc})", hint="plug in speakers or headphones"
        ) from None


def stop_playback() -> None:
    import_sounddevice().stop()
