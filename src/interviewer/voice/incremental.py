"""Transcribing an answer while it is spoken, so little is left to do when it ends.

The time from the end of an answer to the interviewer's first word was almost all
transcription of the whole recording after it stopped (about 4 s for a 16 s answer on a
2-core machine). Here the recording is cut at pauses into settled stretches (at least
``min_s`` long, cut in the middle of a quiet run of ``gap_s``, or half that once twice
``min_s`` is waiting: a long sentence is cut at a breath; and at any second of quiet,
which may be the end, so a silence-stopped answer is transcribed while the recorder
waits out the silence), and each stretch is
transcribed on a background thread as soon as it is cut, with the text before it as
context. When the candidate stops, only the last stretch is left.

Cuts depend only on the audio, never on timing, so the same recording is always cut the
same way. Word timings are shifted by each stretch's start, so delivery figures read the
answer as one. If anything goes wrong in the background, ``finish`` transcribes the whole
file instead: the worst case is the old behaviour, never a lost answer.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from interviewer.formats.delivery import Word
from interviewer.voice.audio import write_wav
from interviewer.voice.recorder import SPEECH_LEVEL
from interviewer.voice.transcriber import Transcriber, Transcription

MIN_S = 4.0
GAP_S = 0.3
END_S = 1.0  # this much quiet may be the end: cut now, so the wait for silence does the work
CONTEXT_CHARS = 200  # of the text before a stretch, given to the transcriber as context


@dataclass(frozen=True)
class Stretch:
    start: int  # byte offsets into the recording's PCM
    end: int


class Incremental:
    """Feeds on the recording's blocks; ``finish`` returns the whole answer's transcription."""

    def __init__(
        self,
        transcriber: Transcriber,
        prompt: str,
        audio: Path,
        *,
        min_s: float = MIN_S,
        gap_s: float = GAP_S,
    ) -> None:
        self.transcriber = transcriber
        self.prompt = prompt
        self.audio = audio
        self.min_s, self.gap_s = min_s, gap_s
        self.pcm = bytearray()
        self.rate = 16_000
        self.cut = 0  # where the next stretch starts
        self.quiet = 0  # bytes of quiet at the end of what was heard
        self.heard_speech = False  # since the last cut, above the speech level
        self.sound_since_cut = False  # anything above half of it: the tail may hold words
        self.parts: list[Transcription] = []
        self.failed = False
        self._todo: queue.Queue[Stretch | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="stt-stream", daemon=True)
        self._thread.start()

    def feed(self, block: bytes, loudness: float, rate: int) -> None:
        """One block of the recording, as the recorder hears it."""
        self.rate = rate
        self.pcm += block
        if loudness > SPEECH_LEVEL:
            self.quiet, self.heard_speech = 0, True
        else:
            self.quiet += len(block)
        if loudness > SPEECH_LEVEL / 2:
            self.sound_since_cut = True
        pending = (len(self.pcm) - self.cut) / 2 / rate
        gap = self.gap_s if pending < 2 * self.min_s else self.gap_s / 2  # a long run: any breath
        quiet = self.quiet / 2 / rate
        settled = pending >= self.min_s and quiet >= gap
        if self.heard_speech and (settled or quiet >= END_S):
            end = len(self.pcm) - (self.quiet // 4) * 2  # mid-pause, on a sample boundary
            self._todo.put(Stretch(self.cut, end))
            self.cut, self.heard_speech, self.sound_since_cut = end, False, False

    def finish(self) -> Transcription:
        """The whole answer: the stretches done in the background, then the rest."""
        if len(self.pcm) > self.cut and (self.sound_since_cut or not self.cut):
            self._todo.put(Stretch(self.cut, len(self.pcm)))  # a silent tail is skipped
        self._todo.put(None)
        self._thread.join()
        if self.failed or not self.parts:
            return self.transcriber.transcribe(self.audio, self.prompt)
        text = " ".join(p.text for p in self.parts if p.text)
        return Transcription(text, [w for p in self.parts for w in p.words])

    def abandon(self) -> None:
        """The recording was cut short (Ctrl-C): stop the background work."""
        self.failed = True
        self._todo.put(None)

    def _work(self) -> None:
        index = 0
        while (stretch := self._todo.get()) is not None:
            if self.failed:
                continue
            index += 1
            try:
                self.parts.append(self._transcribe(stretch, index))
            except Exception:  # anything at all: finish() falls back to the whole file
                self.failed = True

    def _transcribe(self, stretch: Stretch, index: int) -> Transcription:
        part = self.audio.with_name(f"{self.audio.stem}.part{index}.wav")
        write_wav(part, bytes(self.pcm[stretch.start : stretch.end]), self.rate)
        before = " ".join(p.text for p in self.parts)[-CONTEXT_CHARS:]
        try:
            heard = self.transcriber.transcribe(part, f"{self.prompt} {before}".strip())
        finally:
            part.unlink(missing_ok=True)
        offset = stretch.start / 2 / self.rate
        words = [Word(w.text, w.start + offset, w.end + offset) for w in heard.words]
        return Transcription(heard.text, words)
