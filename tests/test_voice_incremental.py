"""Transcribing while the candidate speaks: the answer is always one reading of the whole
recording, done at a pause when only quiet follows it, else once at the stop."""

from __future__ import annotations

import array
import io
import math
import threading
from pathlib import Path

from rich.console import Console

from interviewer.formats.delivery import Word
from interviewer.voice.audio import RATE, seconds, write_wav
from interviewer.voice.incremental import Incremental
from interviewer.voice.recorder import FileRecorder
from interviewer.voice.transcriber import Transcription


def tone(s: float) -> bytes:
    return array.array(
        "h", (int(8000 * math.sin(2 * math.pi * 220 * i / RATE)) for i in range(int(s * RATE)))
    ).tobytes()


def silence(s: float) -> bytes:
    return b"\0\0" * int(s * RATE)


class Readings:
    """Names each reading it is given and says how long it was."""

    name = "readings"

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, float, str]] = []
        self.fail = fail

    def warm_up(self) -> None: ...

    def transcribe(self, audio: Path, prompt: str) -> Transcription:
        self.calls.append((audio.name, round(seconds(audio), 2), prompt))
        if self.fail and ".part" in audio.name:
            raise RuntimeError("the server fell over")
        text = f"reading of {seconds(audio):.1f} s"
        return Transcription(text, [Word("reading", 0.1, 0.5)])


def record(tmp_path: Path, stt: Readings, pcm: bytes, **recorder: float) -> Transcription:
    source, audio = tmp_path / "source.wav", tmp_path / "answer-1.wav"
    write_wav(source, pcm)
    stream = Incremental(stt, "Terms: NDCG.", audio)
    FileRecorder([source], **recorder).record(audio, Console(file=io.StringIO()), stream.feed)
    return stream.finish()


def test_a_pause_followed_only_by_quiet_gives_the_answers_reading(tmp_path):
    """A second of quiet after speech may be the end: the recording so far is read then,
    while the recorder waits out the silence, and nothing is left to do at the stop."""
    stt = Readings()
    heard = record(tmp_path, stt, tone(2) + silence(5), silence=2.0)
    assert [(name, length) for name, length, _ in stt.calls] == [("answer-1.part1.wav", 3.0)]
    assert heard.text == "reading of 3.0 s"
    assert stt.calls[0][2] == "Terms: NDCG."  # the round's prompt, every time
    assert not list(tmp_path.glob("*.part*.wav"))  # readings are temporary


def test_speech_after_the_last_pause_means_the_whole_recording_is_read(tmp_path):
    """Never a stitch of pieces: the answer is the reading that covers all of it."""
    stt = Readings()
    pcm = tone(2) + silence(1.5) + tone(2) + silence(1.5) + tone(1.5)
    heard = record(tmp_path, stt, pcm)
    _, length, _ = stt.calls[-1]
    assert length == seconds(tmp_path / "answer-1.wav") == 8.5
    assert heard.text == "reading of 8.5 s"
    assert all(call[1] <= 8.5 for call in stt.calls)  # earlier readings, of what came first


def test_a_failure_in_the_background_falls_back_to_the_whole_recording(tmp_path):
    stt = Readings(fail=True)
    heard = record(tmp_path, stt, tone(2) + silence(3))
    assert stt.calls[-1][:2] == ("answer-1.wav", 5.0)
    assert heard.text == "reading of 5.0 s"


def test_no_speech_heard_means_one_reading_of_the_whole_recording(tmp_path):
    stt = Readings()
    record(tmp_path, stt, silence(6))
    assert [(name, length) for name, length, _ in stt.calls] == [("answer-1.part1.wav", 6.0)]


def test_the_latest_reading_is_the_caption_under_the_meter(tmp_path):
    stt = Readings()
    stream = Incremental(stt, "", tmp_path / "answer-1.wav")
    assert stream.feed(tone(0.1), 0.3, RATE) == ""  # nothing read yet
    stream.finish()
    assert stream.caption() == "reading of 0.1 s"


class Stoppable:
    """An in-process transcriber whose first reading runs until it is told it is stale."""

    name = "stoppable"
    in_process = True

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.started = threading.Event()
        self.told_stale = False

    def warm_up(self) -> None: ...

    def transcribe(self, audio: Path, prompt: str, *, stop: threading.Event) -> Transcription:
        self.calls.append(round(seconds(audio), 2))
        if len(self.calls) == 1:
            self.started.set()
            self.told_stale = stop.wait(10)  # a long reading, cut short at a window's end
            return Transcription("a partial reading")
        return Transcription(f"reading of {seconds(audio):.1f} s")


def test_a_reading_made_stale_by_more_speech_is_stopped_and_never_used(tmp_path):
    """A long answer waits at the stop for about one reading, not for a stale one first."""
    stt = Stoppable()
    stream = Incremental(stt, "", tmp_path / "answer-1.wav")
    stream.feed(tone(2), 0.3, RATE)
    for _ in range(10):
        stream.feed(silence(0.1), 0.0, RATE)  # a second of quiet: the reading of 3 s starts
    assert stt.started.wait(10)
    stream.feed(tone(1), 0.3, RATE)  # more speech: the answer needs another reading
    heard = stream.finish()
    assert stt.told_stale
    assert stt.calls == [3.0, 4.0]
    assert heard.text == "reading of 4.0 s"  # never the partial one
