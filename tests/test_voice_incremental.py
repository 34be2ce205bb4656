"""Transcribing while the candidate speaks: cut at pauses, offsets kept, never worse than whole."""

from __future__ import annotations

import array
import io
import math
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


class Chunks:
    """Names each stretch it is given and says how long it was."""

    name = "chunks"

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, float, str]] = []
        self.fail = fail

    def warm_up(self) -> None: ...

    def transcribe(self, audio: Path, prompt: str) -> Transcription:
        self.calls.append((audio.name, round(seconds(audio), 2), prompt))
        if self.fail and ".part" in audio.name:
            raise RuntimeError("the server fell over")
        text = f"part{len(self.calls)}"
        return Transcription(text, [Word(text, 0.1, 0.5)])


def answer(tmp_path: Path) -> Path:
    # speech 2 s, pause 1 s, speech 2 s, pause 1 s, speech 1 s, then 3 s of silence
    pcm = tone(2) + silence(1) + tone(2) + silence(1) + tone(1) + silence(3)
    path = tmp_path / "source.wav"
    write_wav(path, pcm)
    return path


def record(tmp_path: Path, stt: Chunks) -> Transcription:
    audio = tmp_path / "answer-1.wav"
    stream = Incremental(stt, "Terms: NDCG.", audio, min_s=1.5, gap_s=0.5)
    FileRecorder([answer(tmp_path)]).record(audio, Console(file=io.StringIO()), stream.feed)
    return stream.finish()


def test_stretches_are_cut_mid_pause_and_read_as_one_answer(tmp_path):
    stt = Chunks()
    heard = record(tmp_path, stt)
    # Cut mid-pause (the 0.5 s gap reached: at 2.5 s, cut at 2.25) once 1.5 s are pending;
    # with 3 s pending a 0.25 s gap will do (at 5.3 s, 0.3 s quiet in 0.1 s blocks: cut at
    # 5.15); then at 7.5 s, cut at 7.25. The silent tail is not sent.
    assert [(name, length) for name, length, _ in stt.calls] == [
        ("answer-1.part1.wav", 2.25),
        ("answer-1.part2.wav", 2.9),
        ("answer-1.part3.wav", 2.1),
    ]
    assert heard.text == "part1 part2 part3"
    assert [(w.start, round(w.end, 2)) for w in heard.words] == [
        (0.1, 0.5),
        (2.35, 2.75),
        (5.25, 5.65),
    ]
    assert stt.calls[1][2] == "Terms: NDCG. part1"  # the text so far is context
    assert not list(tmp_path.glob("*.part*.wav"))  # stretches are temporary


def test_a_failure_in_the_background_falls_back_to_the_whole_recording(tmp_path):
    stt = Chunks(fail=True)
    heard = record(tmp_path, stt)
    assert stt.calls[-1][:2] == ("answer-1.wav", 10.0)
    assert heard.text == f"part{len(stt.calls)}"


def test_no_speech_heard_means_one_stretch_of_the_whole_recording(tmp_path):
    stt = Chunks()
    audio = tmp_path / "answer-1.wav"
    source = tmp_path / "quiet.wav"
    write_wav(source, silence(6))
    stream = Incremental(stt, "", audio, min_s=1.5, gap_s=0.5)
    FileRecorder([source]).record(audio, Console(file=io.StringIO()), stream.feed)
    stream.finish()
    assert [name for name, _, _ in stt.calls] == ["answer-1.part1.wav"]
    assert stt.calls[0][1] == 6.0


def test_a_silence_stopped_answer_is_cut_at_its_last_pause_and_the_silence_is_not_sent(tmp_path):
    stt = Chunks()
    audio = tmp_path / "answer-1.wav"
    source = tmp_path / "short.wav"
    write_wav(source, tone(2) + silence(5))
    stream = Incremental(stt, "", audio)  # the defaults: four seconds before a usual cut
    recording = FileRecorder([source], silence=2.0).record(
        audio, Console(file=io.StringIO()), stream.feed
    )
    heard = stream.finish()
    assert recording.stopped == "silence" and recording.seconds == 4.0
    # A second of quiet may be the end: cut mid-way (2.5 s) and sent while the recorder
    # waits out the silence; what follows is silent, so nothing is left to do at the stop.
    assert [(name, length) for name, length, _ in stt.calls] == [("answer-1.part1.wav", 2.5)]
    assert heard.text == "part1"
