"""Voice on this machine: real-time factors, and the end of an answer to the first spoken word.

- Transcription: in-process Whisper tiny.en (faster-whisper, int8, CPU) on a spoken ML
  answer made with espeak-ng; real-time factor = transcription time / audio length.
- Speech: espeak-ng synthesising the interviewer's reply; real-time factor = synthesis
  time / audio length, and the time to its first audio bytes.
- Turn: a real interview turn through ``Runner`` and ``VoiceTerminal``: the answer comes
  from a WAV played in real time (``FileRecorder``, so the answer is transcribed while it
  is "spoken", as from a microphone), the interviewer is the loopback stub server
  (``stub_server.py``, answering at once, as a fast local server would), and speech goes
  to espeak-ng writing to a pipe. Measured from the moment the recording stops to the
  first audio bytes of the interviewer's first sentence. Goal: under 1.5 s.

How right the transcript and the figures are, against ground truth, is
``benchmarks/voice_truth.py``.

Needs the voice extra and espeak-ng. Usage: python benchmarks/voice.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stub_server import REPLY, Stub

from interviewer.catalog.library import Catalog
from interviewer.formats.levels import Level
from interviewer.formats.transcript import ModelInfo
from interviewer.interview.runner import Runner
from interviewer.interview.start import begin
from interviewer.models import ModelSpec, make_model
from interviewer.store.transcripts import Store
from interviewer.voice.audio import read_wav, seconds, write_wav
from interviewer.voice.recorder import FileRecorder, Listener, Recording
from interviewer.voice.speaker import Speaker
from interviewer.voice.terminal import Voice, VoiceTerminal
from interviewer.voice.transcriber import LocalWhisper, Transcription, prompt_for

ANSWER = (
    "First, I would frame the objective as dollar loss net of review cost. "
    "Um, then I would build a baseline with gradient boosted trees on transaction features, "
    "evaluate offline with precision at the review capacity, and, you know, "
    "run an A B test before rolling it out."
)


def espeak(text: str, out: Path) -> Path:
    subprocess.run(["espeak-ng", "-s", "160", "-w", str(out), text], check=True)
    return out


class PipeEngine:
    """espeak-ng writing WAV to a pipe: no sound card needed; notes each first audio byte."""

    name = "espeak-ng (to a pipe)"

    def __init__(self) -> None:
        self.audio_starts: list[float] = []

    def say(self, text: str) -> None:
        process = subprocess.Popen(
            ["espeak-ng", "-s", "170", "--stdout"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(text.encode())
        process.stdin.close()
        process.stdout.read(1)
        self.audio_starts.append(time.perf_counter())
        process.stdout.read()
        process.wait()

    def stop(self) -> None: ...


class Timed(FileRecorder):
    """A file recorder that notes when the recording stopped."""

    stopped_at = 0.0

    def record(self, path: Path, console: Console, listen: Listener | None = None) -> Recording:
        recording = super().record(path, console, listen)
        self.stopped_at = time.perf_counter()
        return recording


def transcription_rtf(whisper: LocalWhisper, wav: Path, runs: int) -> None:
    length = seconds(wav)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        heard = whisper.transcribe(wav, prompt_for("Fraud detection", "A/B tests, AUC, NDCG"))
        times.append(time.perf_counter() - started)
    best = min(times)
    print(f"transcription: {length:.1f} s of speech in {best:.2f} s (best of {runs}): "
          f"real-time factor {best / length:.2f}")  # fmt: skip
    print(f"  heard: {heard.text}")


def speech_rtf(folder: Path, runs: int) -> None:
    times, firsts = [], []
    out = folder / "reply.wav"
    for _ in range(runs):
        engine = PipeEngine()
        started = time.perf_counter()
        engine.say(REPLY)
        times.append(time.perf_counter() - started)
        firsts.append(engine.audio_starts[0] - started)
    espeak(REPLY, out)
    length = seconds(out)
    print(f"speech: {length:.1f} s of audio in {min(times):.2f} s: real-time factor "
          f"{min(times) / length:.3f}; first audio after {min(firsts) * 1000:.0f} ms")  # fmt: skip


class Clocked:
    """The transcriber, noting when each call ended (to split the turn's time)."""

    in_process = True  # read at every pause, as LocalWhisper is in --voice

    def __init__(self, inner: LocalWhisper) -> None:
        self.inner = inner
        self.name = inner.name
        self.ends: list[float] = []

    def warm_up(self) -> None:
        self.inner.warm_up()

    def transcribe(self, audio: Path, prompt: str) -> Transcription:
        heard = self.inner.transcribe(audio, prompt)
        self.ends.append(time.perf_counter())
        return heard


def one_turn(folder: Path, whisper: LocalWhisper, answer: Path, base: str) -> tuple[float, float]:
    """Seconds from the end of the recording to the interviewer's first audio after it, and
    to the end of transcription (the rest is the chat model and the voice)."""
    clocked = Clocked(whisper)
    interview = begin(Catalog(), round_name="ml-system-design", persona_name="warm-scientist",
                      level=Level.senior, interviewer=ModelInfo(model="stub", api_base=base),
                      judge=ModelInfo(model="stub", api_base=base), files={})  # fmt: skip
    engine, recorder = PipeEngine(), Timed([answer], pace=1.0)  # spoken in real time
    speaker = Speaker(engine)
    voice = Voice(interview.transcript, folder / "answer.audio", recorder, clocked, speaker,
                  prompt_for("ML system design", ""))  # fmt: skip
    lines = ["", "", "/pause"]  # record, send what was heard, then stop after the reply

    def read(_prompt: str) -> str:
        speaker.wait(30)  # the candidate listens to the question before answering
        return lines.pop(0)

    terminal = VoiceTerminal(Console(file=io.StringIO()), voice)
    terminal._read_line = read
    model = make_model(ModelSpec("stub", api_base=base))
    Runner(interview, model, terminal, Store(folder / "transcripts")).run()
    voice.close(finish=True)
    stop = recorder.stopped_at
    return next(t for t in engine.audio_starts if t > stop) - stop, max(clocked.ends) - stop


def long_answer(folder: Path) -> Path:
    """Four different answers of ``voice_truth``'s set at 160 words a minute, their own
    pauses kept and 1.2 s between them: about 85 s, read at every pause. (The same answer
    four times made Whisper fall back to slow sampling on the repeats: 45 s for 69 s.)"""
    from voice_truth import DATA, parse, speak

    answers = [parse(item) for item in json.loads(DATA.read_text())["answers"]][:4]
    pcm = b""
    for answer in answers:
        part, rate = read_wav(speak(answer, 160, folder / f"{answer.id}.wav"))
        pcm += part + b"\0\0" * int(1.2 * rate)
    write_wav(folder / "long.wav", pcm[: -2 * int(1.2 * rate)], rate)
    return folder / "long.wav"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wav = espeak(ANSWER, folder / "answer.wav")
        whisper = LocalWhisper()
        started = time.perf_counter()
        whisper.warm_up()
        print(f"model load (once per interview, in the background): "
              f"{time.perf_counter() - started:.2f} s")  # fmt: skip
        transcription_rtf(whisper, wav, args.runs)
        speech_rtf(folder, args.runs)
        stub = Stub()
        base = stub.start()
        paused = folder / "paused.wav"  # the same answer, then 2 s of quiet before the key
        pcm, rate = read_wav(wav)
        write_wav(paused, pcm + b"\0\0" * 2 * rate, rate)
        long = long_answer(folder)
        for label, answer in (("key pressed at the last word", wav),
                              ("key pressed after 2 s of quiet", paused),
                              ("a long answer, key pressed at the last word", long)):  # fmt: skip
            runs = [one_turn(folder / f"{answer.stem}{i}", whisper, answer, base)
                    for i in range(args.runs)]  # fmt: skip
            turns, tails = [r[0] for r in runs], [r[1] for r in runs]
            print(f"{label}: end of answer to the interviewer's first spoken word: median "
                  f"{statistics.median(turns):.2f} s, best {min(turns):.2f} s over {args.runs} "
                  f"turns ({seconds(answer):.0f} s answers; goal under 1.5 s)")  # fmt: skip
            print(f"  of which transcribing what was left when the answer ended: median "
                  f"{statistics.median(tails):.2f} s")  # fmt: skip
        stub.stop()


if __name__ == "__main__":
    main()
