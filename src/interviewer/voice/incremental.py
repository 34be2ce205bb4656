"""Transcribing an answer while it is spoken, so little is left to do when it ends.

An answer's transcript is always one reading of the whole recording: transcribed piece by
piece (cut at pauses, each piece with the text before it as context), 8 spoken answers
came out with a word error rate of 25.5% against 17.6% read whole, words lost at the
cuts. To keep the wait after an answer short anyway, the recording so far is read whole
in the background at every pause that may be the end (``END_S`` of quiet after speech):
if nothing but quiet follows before the recording stops, that reading is the answer's and
nothing is left to do at the stop. If the candidate spoke again, the next pause starts a
new reading (an older one still waiting is skipped), and at the stop a recording that no
reading covers is read whole, once. The latest reading is also the live caption under
the recording meter.

Which reading is used depends only on the audio (what follows the last one), never on
timing. A failure in the background is never the answer's: ``finish`` then transcribes
the file as it is on disk.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from interviewer.voice.audio import write_wav
from interviewer.voice.recorder import SPEECH_LEVEL
from interviewer.voice.transcriber import Transcriber, Transcription

END_S = 1.0  # this much quiet after speech may be the end: read the recording so far
CAPTION_CHARS = 70


class Incremental:
    """Feeds on the recording's blocks; ``finish`` returns the whole answer's transcription."""

    def __init__(
        self, transcriber: Transcriber, prompt: str, audio: Path, *, end_s: float = END_S
    ) -> None:
        self.transcriber = transcriber
        self.prompt = prompt
        self.audio = audio
        self.end_s = end_s
        self.pcm = bytearray()
        self.rate = 16_000
        self.quiet = 0  # bytes of quiet at the end of what was heard
        self.spoken = False  # speech since the last reading was asked for
        self.sound_after = False  # anything above half the speech level since then
        self.asked = 0  # bytes of the recording the latest reading asked for covers
        self.done: Transcription | None = None  # the latest reading finished
        self.failed = False
        self._todo: queue.Queue[int | None] = queue.Queue()
        self._stale = threading.Event()  # set when a newer reading is asked for
        self._thread = threading.Thread(target=self._work, name="stt-stream", daemon=True)
        self._thread.start()

    def feed(self, block: bytes, loudness: float, rate: int) -> str:
        """One block of the recording, as the recorder hears it; returns the caption."""
        self.rate = rate
        self.pcm += block
        if loudness > SPEECH_LEVEL:
            self.quiet, self.spoken = 0, True
        else:
            self.quiet += len(block)
        if loudness > SPEECH_LEVEL / 2:
            self.sound_after = True
        if self.spoken and self.quiet / 2 / rate >= self.end_s:
            self._ask(len(self.pcm))
            self.spoken = self.sound_after = False
        return self.caption()

    def _ask(self, end: int) -> None:
        """Read the recording up to ``end``; a reading under way is stale from now on."""
        self.asked = end
        self._todo.put(end)
        self._stale.set()

    def caption(self) -> str:
        """The end of the latest reading: what the candidate sees was heard so far."""
        done = self.done
        text = done.text if done is not None else ""
        return text if len(text) <= CAPTION_CHARS else "…" + text[-CAPTION_CHARS:]

    def finish(self) -> Transcription:
        """The whole answer: the latest reading if only quiet followed it, else a new one."""
        if self.sound_after or not self.asked:
            self._ask(len(self.pcm))
        self._todo.put(None)
        self._thread.join()
        if self.failed or self.done is None:
            return self.transcriber.transcribe(self.audio, self.prompt)
        return self.done

    def abandon(self) -> None:
        """The recording was cut short (Ctrl-C): stop the background work."""
        self.failed = True
        self._todo.put(None)

    def _work(self) -> None:
        """Read the newest prefix asked for; the ones it overtook are never read."""
        index, stop = 0, False
        while not stop:
            items = [self._todo.get()]
            while not self._todo.empty():
                items.append(self._todo.get_nowait())
            stop = None in items
            ends = [item for item in items if item is not None]
            if not ends or self.failed:
                continue
            index += 1
            stale = self._stale = threading.Event()
            try:
                done = self._read(ends[-1], index, stale)
            except Exception:  # anything at all: finish() falls back to the whole file
                self.failed = True
                continue
            if not stale.is_set():
                self.done = done

    def _read(self, end: int, index: int, stale: threading.Event) -> Transcription:
        """One reading of the recording up to ``end``. An in-process transcriber is handed
        ``stale`` and stops at its next 30 s window once a newer reading is asked for, so
        at the stop a long answer waits for about one reading, not a stale one first."""
        part = self.audio.with_name(f"{self.audio.stem}.part{index}.wav")
        write_wav(part, bytes(self.pcm[:end]), self.rate)
        try:
            if getattr(self.transcriber, "in_process", False):
                return self.transcriber.transcribe(part, self.prompt, stop=stale)  # type: ignore[call-arg]
            return self.transcriber.transcribe(part, self.prompt)
        finally:
            part.unlink(missing_ok=True)
