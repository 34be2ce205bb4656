"""Room to think: a thinking pause does not end the answer, the time left is shown, and a
"long pause" is always shorter than the silence that ends a recording."""

from __future__ import annotations

import array
import io
import math

import pytest
from rich.console import Console
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.config.settings import Settings
from interviewer.voice.audio import RATE, write_wav
from interviewer.voice.recorder import FileRecorder, Silence, meter
from voicekit import needs_audio
from wire import BASE

DEFAULT_SILENCE = Settings.__dataclass_fields__["silence_seconds"].default


def tone(s: float) -> bytes:
    return array.array(
        "h", (int(8000 * math.sin(2 * math.pi * 220 * i / RATE)) for i in range(int(s * RATE)))
    ).tobytes()


def quiet(s: float) -> bytes:
    return b"\0\0" * int(s * RATE)


def test_a_four_second_thinking_pause_does_not_end_the_answer_by_default(tmp_path):
    source = tmp_path / "thinking.wav"
    write_wav(source, tone(2) + quiet(4) + tone(2) + quiet(10))
    recording = FileRecorder([source], silence=DEFAULT_SILENCE).record(
        tmp_path / "answer-1.wav", Console(file=io.StringIO())
    )
    assert recording.stopped == "silence"
    # both stretches of speech, kept whole; stopped once the default silence had passed
    assert recording.seconds == pytest.approx(8 + DEFAULT_SILENCE, abs=0.15)


def test_the_meter_counts_down_the_silence_that_will_end_the_answer():
    silence = Silence(6.0)
    assert "or 6 s of silence" in meter(1.0, 0.0, silence).plain  # nothing said yet
    silence.update(0.3, 0.5)  # speech
    for _ in range(25):
        silence.update(0.0, 0.1)  # 2.5 s of quiet
    line = meter(4.0, 0.0, silence, "I would start with the data").plain
    assert "quiet: stops in 4 s" in line
    assert line.endswith("\n  I would start with the data")  # what was heard so far
    assert "stops in" not in meter(4.0, 0.0, Silence(0)).plain  # 0: only a key stops it


@needs_audio
def test_a_long_pause_as_long_as_the_silence_that_ends_a_recording_is_refused(isolated):
    result = CliRunner().invoke(
        app,
        ["practice", "behavioral", "--voice", "--silence", "2", "--stt-model", "whisper",
         "--stt-api-base", BASE, "--tts-model", "none", "--model", "m", "--api-base", BASE],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: pause_seconds 2 must be under silence_seconds 2: a pause that long ends the "
        "recording"
    )
    assert "Traceback" not in result.output
