"""Push-to-talk recording: a key starts and stops; a level meter and a timer meanwhile.

A recording also stops by itself after ``silence`` seconds of quiet once speech has been
heard (0 turns that off), or at ``limit`` seconds. Whatever ends it (a key, the silence,
the limit, Ctrl-C) the audio heard so far is written to the WAV file before anything
else happens, so an answer that reached the microphone is never lost: Ctrl-C writes the
file and then lets the interrupt through, and ``resume`` finds the file and offers it.

``FileRecorder`` answers from WAV files instead of the microphone: for the tests, the
benchmark, and practising with answers recorded elsewhere.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from rich.console import Console
from rich.live import Live
from rich.text import Text

from interviewer.errors import ConfigError
from interviewer.voice.audio import RATE, import_sounddevice, level, read_wav, write_wav
from interviewer.voice.keys import Keys, single_keys

Stop = Literal["key", "silence", "limit", "end"]
SPEECH_LEVEL = 0.02  # RMS of full scale: above this is speech, below it is quiet
TICK_S = 0.1
LIMIT_S = 600.0
BAR = 20
MIC_FIX = (
    "plug in a microphone, or choose another with --mic; interviewer doctor --voice lists them"
)


@dataclass(frozen=True)
class Recording:
    path: Path
    seconds: float
    stopped: Stop


Listener = Callable[[bytes, float, int], str | None]
"""Called with each block as it is heard, its loudness and the sample rate; may return
what has been heard so far, shown under the meter."""


class Recorder(Protocol):
    def record(self, path: Path, console: Console, listen: Listener | None = None) -> Recording:
        """Record one answer into ``path`` (a WAV file), showing progress on ``console``."""


def meter(elapsed: float, loudness: float, silence: Silence, caption: str = "") -> Text:
    """The live line: timer, level bar, how to stop and, in a pause, the seconds left
    before the silence ends the answer; under it, what has been heard so far."""
    filled = min(BAR, round(loudness / 0.25 * BAR))
    bar = Text("▮" * filled, style="green" if loudness > SPEECH_LEVEL else "dim")
    bar.append("▯" * (BAR - filled), style="dim")
    minutes, secs = divmod(int(elapsed), 60)
    how = "Enter or Space stops"
    left = silence.left()
    if left is not None and silence.quiet >= 1.0:
        how += f" · quiet: stops in {math.ceil(round(left, 3))} s"
    elif silence.limit > 0:
        how += f" · or {silence.limit:g} s of silence"
    line = Text.assemble(("● REC ", "bold red"), f"{minutes}:{secs:02d} ", bar, (f"  {how}", "dim"))
    if caption:
        line.append("\n  " + caption, style="cyan")
    return line


class Silence:
    """Counts quiet time after speech was first heard."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.heard = False
        self.quiet = 0.0

    def update(self, loudness: float, dt: float) -> bool:
        """Add ``dt`` seconds at ``loudness``; True when the silence limit is reached."""
        if loudness > SPEECH_LEVEL:
            self.heard, self.quiet = True, 0.0
        elif self.heard:
            self.quiet += dt
        return self.limit > 0 and self.heard and self.quiet >= self.limit

    def left(self) -> float | None:
        """Seconds of quiet still to go before the recording stops; None when silence
        does not stop it (turned off, or nothing said yet)."""
        if self.limit <= 0 or not self.heard:
            return None
        return max(0.0, self.limit - self.quiet)


def _watch(
    console: Console,
    keys: Keys,
    silence: Silence,
    blocks: Callable[[], Iterator[bytes]],
    limit: float,
    rate: int = RATE,
    listen: Listener | None = None,
) -> Stop:
    """The meter loop shared by both recorders: one tick per block of audio."""
    started = time.monotonic()
    caption: str | None = None
    with Live(meter(0, 0, silence), console=console, transient=True) as live:
        for block in blocks():
            elapsed = time.monotonic() - started
            loud = level(block)
            if listen is not None and block:
                caption = listen(block, loud, rate) or caption
            if keys.pressed() in ("\n", "\r", " "):
                return "key"
            if silence.update(loud, len(block) / 2 / rate):
                return "silence"
            live.update(meter(elapsed, loud, silence, caption or ""))
            if elapsed >= limit:
                return "limit"
    return "end"


class MicRecorder:
    """An input device through sounddevice (PortAudio): ``device`` is its index (the one
    ``--mic`` resolved to), or None for the system's default input."""

    def __init__(
        self, *, silence: float = 6.0, device: str | int | None = None, limit: float = LIMIT_S
    ) -> None:
        self.silence = silence
        self.device = device
        self.limit = limit

    def record(self, path: Path, console: Console, listen: Listener | None = None) -> Recording:
        import queue

        sd = import_sounddevice()
        chunks: list[bytes] = []
        fresh: queue.Queue[bytes] = queue.Queue()

        def callback(data: object, frames: int, when: object, status: object) -> None:
            block = bytes(data)  # type: ignore[call-overload]
            chunks.append(block)
            fresh.put(block)

        def blocks() -> Iterator[bytes]:
            while True:
                try:
                    yield fresh.get(timeout=1.0)
                except queue.Empty:
                    yield b""  # no audio yet: keep the meter and the keys alive

        try:
            stream = sd.RawInputStream(
                samplerate=RATE,
                channels=1,
                dtype="int16",
                blocksize=int(RATE * TICK_S),
                device=self.device,
                callback=callback,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise ConfigError(f"no microphone could be opened ({exc})", hint=MIC_FIX) from None
        stopped: Stop = "end"
        try:
            with stream, single_keys() as keys:
                silence = Silence(self.silence)
                stopped = _watch(console, keys, silence, blocks, self.limit, RATE, listen)
        finally:  # Ctrl-C included: what was heard is written before anything else
            pcm = b"".join(chunks)
            write_wav(path, pcm)
        return Recording(path, len(pcm) / 2 / RATE, stopped)


class FileRecorder:
    """Answers from WAV files, one per answer, fed through the same meter and stop rules.

    ``pace`` 1.0 plays them in real time (a demo, the benchmark); 0 as fast as it can
    (the tests). ``interrupt_after`` seconds into an answer raises KeyboardInterrupt, as a
    candidate's Ctrl-C would, after writing what was "heard" so far.
    """

    def __init__(
        self,
        answers: list[Path],
        *,
        silence: float = 0.0,
        pace: float = 0.0,
        interrupt_after: float | None = None,
    ) -> None:
        self.answers = list(answers)
        self.silence = silence
        self.pace = pace
        self.interrupt_after = interrupt_after

    def record(self, path: Path, console: Console, listen: Listener | None = None) -> Recording:
        if not self.answers:
            raise EOFError("no more recorded answers")
        pcm, rate = read_wav(self.answers.pop(0))
        step = int(rate * TICK_S) * 2
        heard: list[bytes] = []
        cut, self.interrupt_after = self.interrupt_after, None  # Ctrl-C comes once

        def blocks() -> Iterator[bytes]:
            for offset in range(0, len(pcm), step):
                if cut is not None and offset / 2 / rate >= cut:
                    raise KeyboardInterrupt
                heard.append(pcm[offset : offset + step])
                if self.pace:
                    time.sleep(TICK_S / self.pace)
                yield heard[-1]

        try:
            silence = Silence(self.silence)
            stopped = _watch(console, Keys(False), silence, blocks, LIMIT_S, rate, listen)
        finally:
            write_wav(path, b"".join(heard), rate)
        return Recording(path, len(b"".join(heard)) / 2 / rate, stopped)
