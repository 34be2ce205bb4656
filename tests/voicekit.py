"""Helpers for the voice tests: WAV answers made with espeak-ng, a scripted voice terminal."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rich.console import Console

from interviewer.formats.delivery import Word
from interviewer.formats.transcript import Transcript
from interviewer.voice.recorder import Recorder
from interviewer.voice.speaker import Speaker
from interviewer.voice.terminal import Voice, VoiceTerminal
from interviewer.voice.transcriber import Transcription


def needs(*modules: str) -> pytest.MarkDecorator:
    """Skip where one of ``modules`` of the voice extra is not installed: the README's test
    command installs it, and a run without it still passes, the rest of the voice tests with
    it (they use fakes of these libraries, or none)."""
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    return pytest.mark.skipif(
        bool(missing),
        reason=f"{', '.join(missing)} not installed: pip install -r requirements-voice.lock",
    )


needs_audio = needs("sounddevice", "numpy")
"""Recording and playback (PortAudio through sounddevice, samples as numpy arrays)."""


def spoken(path: Path, text: str, *, wpm: int = 150) -> Path:
    """A WAV of ``text`` read by espeak-ng (which .ci/run installs).

    Without it, the test is skipped on a developer's machine (the README's test command
    must pass with only Python) and fails in CI, where it must run for real."""
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if not espeak:
        message = "espeak-ng is needed to make test audio: sudo apt-get install espeak-ng"
        if os.environ.get("CI"):
            raise AssertionError(message)
        pytest.skip(message)
    subprocess.run([espeak, "-s", str(wpm), "-w", str(path), text], check=True)
    return path


class ScriptedTranscriber:
    """Hears the next scripted text for each recording, with evenly spaced word timings."""

    name = "scripted"

    def __init__(self, texts: list[str]) -> None:
        self.texts = list(texts)
        self.heard: list[Path] = []

    def warm_up(self) -> None: ...

    def transcribe(self, audio: Path, prompt: str) -> Transcription:
        assert audio.is_file(), "the recording must be on disk before it is transcribed"
        self.heard.append(audio)
        text = self.texts.pop(0)
        words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text.split())]
        return Transcription(text, words)


class SpokenLog:
    """A speech engine that writes down what it was asked to say."""

    name = "log"

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None: ...


def voice_terminal(
    transcript: Transcript,
    folder: Path,
    recorder: Recorder,
    transcriber: object,
    lines: list[str],
    *,
    speaker: Speaker | None = None,
    keep_audio: bool = False,
) -> VoiceTerminal:
    queue = list(lines)

    def read(_prompt: str) -> str:
        if not queue:
            raise EOFError
        if speaker is not None:  # a person hears the question out before answering
            speaker.wait(5)
        return queue.pop(0)

    voice = Voice(
        transcript=transcript,
        folder=folder,
        recorder=recorder,
        transcriber=transcriber,  # type: ignore[arg-type]
        speaker=speaker,
        prompt="test",
        keep_audio=keep_audio,
    )
    terminal = VoiceTerminal(Console(file=io.StringIO(), width=200), voice)
    terminal._read_line = read
    return terminal


def shown(terminal: VoiceTerminal) -> str:
    return " ".join(terminal.console.file.getvalue().split())  # type: ignore[attr-defined]
