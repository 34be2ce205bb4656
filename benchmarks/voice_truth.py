"""Voice against ground truth: spoken ML answers with known words, fillers and pauses.

Each answer of ``data/voice_answers.json`` is spoken by espeak-ng at each speed (words a
minute, espeak's own measure), its pauses inserted as silence of known length, and fed
through the same path as ``--voice`` (``FileRecorder`` -> ``VoiceTerminal._record``: the
recording read at its pauses, normalised, measured). Printed against the truth:

- WER: word error rate of the final transcript, on ``formats.delivery.tokens`` (lower
  case, punctuation dropped; "A/B" is two tokens, so "A B" written apart is an error
  only if the words differ); also before ``terms.normalise``, to show what it does, and
  of the same file read at once by the transcriber (what the answer must never be worse
  than);
- ML-term recall: of the terms in the answers (p99, A/B, NDCG@10, XGBoost, ...), the
  share found written exactly so (case-insensitive) in the transcript;
- WPM error: |measured - true| / true, the true pace being the answer's words over the
  time from its first sound to its last;
- fillers and long pauses: counted against the script's (pauses over 2 s);
- structure: answers whose "time to structure" is set exactly when the script announces
  a structure.

Needs the voice extra and espeak-ng. Usage:
python benchmarks/voice_truth.py [--speeds 120 160 200] [--no-hotwords]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from interviewer.formats.delivery import count_fillers, tokens
from interviewer.formats.transcript import Transcript
from interviewer.voice import terms
from interviewer.voice.audio import RATE, level, read_wav, write_wav
from interviewer.voice.recorder import FileRecorder
from interviewer.voice.terminal import Voice, VoiceTerminal
from interviewer.voice.terms import normalise
from interviewer.voice.transcriber import LocalWhisper, Transcription, prompt_for

DATA = Path(__file__).resolve().parent / "data" / "voice_answers.json"
_MARK = re.compile(r"\{([^|}]*)\|([^}]*)\}|\[(\d+(?:\.\d+)?)\]")
PAUSE_LIMIT = 2.0


@dataclass(frozen=True)
class Answer:
    id: str
    truth: str  # as it should be written
    pieces: list[str | float]  # what espeak says, and the silences between
    terms: list[str]
    structure: bool

    @property
    def long_pauses(self) -> int:
        return sum(1 for p in self.pieces if isinstance(p, float) and p > PAUSE_LIMIT)


def parse(item: dict[str, object]) -> Answer:
    """``{TRUTH|SAID}`` and ``[N]`` marks into the truth, the speech and the pauses."""
    text = str(item["text"])
    truth, said, pieces, found = [], [], [], []
    last = 0
    for mark in _MARK.finditer(text):
        plain = text[last : mark.start()]
        truth.append(plain)
        said.append(plain)
        if mark.group(3):
            pieces.append(" ".join("".join(said).split()))
            pieces.append(float(mark.group(3)))
            said = []
        else:
            truth.append(mark.group(1))
            said.append(mark.group(2))
            found.append(mark.group(1))
        last = mark.end()
    truth.append(text[last:])
    said.append(text[last:])
    pieces.append(" ".join("".join(said).split()))
    clean = " ".join("".join(truth).split())
    return Answer(str(item["id"]), clean, pieces, found, bool(item["structure"]))


def speak(answer: Answer, wpm: int, out: Path) -> Path:
    """The answer as one WAV: each stretch by espeak-ng, the pauses as silence."""
    pcm = b""
    for piece in answer.pieces:
        if isinstance(piece, float):
            pcm += b"\0\0" * int(piece * RATE)
            continue
        part = out.with_suffix(".part.wav")
        subprocess.run(["espeak-ng", "-s", str(wpm), "-w", str(part), piece], check=True)
        audio, rate = read_wav(part)
        pcm += resample(audio, rate)
    write_wav(out, pcm)
    return out


def resample(pcm: bytes, rate: int) -> bytes:
    """espeak-ng writes 22,050 Hz: to 16 kHz, as a microphone recording is made."""
    import numpy as np

    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float32)
    times = np.arange(0, len(samples) / rate, 1 / RATE)
    out = np.interp(times, np.arange(len(samples)) / rate, samples)
    return bytes(out.astype(np.int16).tobytes())


def speech_span(path: Path) -> float:
    """Seconds from the first sound to the last (10 ms blocks above the speech level)."""
    pcm, rate = read_wav(path)
    step = rate // 100 * 2
    loud = [i for i in range(0, len(pcm), step) if level(pcm[i : i + step]) > 0.01]
    return (loud[-1] - loud[0] + step) / 2 / rate if loud else 0.0


def wer(truth: str, heard: str) -> tuple[int, int]:
    """(edits, words of the truth): word-level Levenshtein on ``tokens``."""
    ref, hyp = tokens(truth), tokens(heard)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1], len(ref)


class Raw:
    """The transcriber, keeping its last reading before ``normalise``."""

    in_process = True

    def __init__(self, inner: LocalWhisper) -> None:
        self.inner, self.name, self.last = inner, inner.name, ""

    def warm_up(self) -> None:
        self.inner.warm_up()

    def transcribe(self, audio: Path, prompt: str) -> Transcription:
        heard = self.inner.transcribe(audio, prompt)
        self.last = heard.text
        return heard


def run_one(answer: Answer, wav: Path, stt: Raw, folder: Path) -> dict[str, object]:
    transcript = Transcript.model_construct(turns=[])
    voice = Voice(transcript, folder, FileRecorder([wav]), stt, None,  # type: ignore[arg-type]
                  prompt_for("ML system design", ""), pause_limit=PAUSE_LIMIT)  # fmt: skip
    terminal = VoiceTerminal(Console(file=io.StringIO()), voice)
    heard = terminal._record()
    whole = normalise(stt.inner.transcribe(wav, voice.prompt).text)  # the file, read at once
    d = heard.delivery
    true_wpm = len(tokens(answer.truth)) / speech_span(wav) * 60
    return {
        "wer": wer(answer.truth, heard.text),
        "raw_wer": wer(answer.truth, stt.last),
        "whole_wer": wer(answer.truth, whole),
        "terms": sum(t.lower() in heard.text.lower() for t in answer.terms),
        "raw_terms": sum(t.lower() in stt.last.lower() for t in answer.terms),
        "wpm_error": abs((d.words_per_minute or 0) - true_wpm) / true_wpm,
        "fillers": (sum(d.fillers.values()), sum(count_fillers(answer.truth).values())),
        "pauses": (d.long_pauses or 0, answer.long_pauses),
        "structure": (d.first_structure_seconds is not None) == answer.structure,
        "unsure": len(d.unsure),
        "text": heard.text,
    }


def report(speed: int, results: list[dict[str, object]], answers: list[Answer]) -> None:
    def total(key: str, index: int) -> int:
        return sum(r[key][index] for r in results)  # type: ignore[index]

    edits, words = total("wer", 0), total("wer", 1)
    raw = total("raw_wer", 0) / total("raw_wer", 1)
    whole = total("whole_wer", 0) / total("whole_wer", 1)
    terms_all = sum(len(a.terms) for a in answers)
    got = sum(int(r["terms"]) for r in results)  # type: ignore[call-overload]
    raw_got = sum(int(r["raw_terms"]) for r in results)  # type: ignore[call-overload]
    wpm = sum(float(r["wpm_error"]) for r in results) / len(results)  # type: ignore[arg-type]
    print(
        f"{speed} wpm: WER {edits / words:.1%} ({edits}/{words}; {raw:.1%} before normalising;"
        f" the file read at once {whole:.1%})"
        f" · ML terms {got}/{terms_all} ({raw_got} before) · WPM error {wpm:.1%}"
        f" · fillers {total('fillers', 0)} heard of {total('fillers', 1)}"
        f" · long pauses {total('pauses', 0)} of {total('pauses', 1)}"
        f" · structure right in {sum(bool(r['structure']) for r in results)}/{len(results)}"
        f" · unsure words {sum(int(r['unsure']) for r in results)}"  # type: ignore[call-overload]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speeds", type=int, nargs="+", default=[120, 160, 200])
    parser.add_argument("--no-hotwords", action="store_true", help="bias no terms")
    parser.add_argument("--show", action="store_true", help="print each transcript")
    args = parser.parse_args()
    if args.no_hotwords:
        terms.HOTWORDS = ""
    answers = [parse(item) for item in json.loads(DATA.read_text())["answers"]]
    stt = Raw(LocalWhisper())
    stt.warm_up()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for speed in args.speeds:
            results = []
            for answer in answers:
                wav = speak(answer, speed, Path(tmp) / f"{answer.id}-{speed}.wav")
                results.append(run_one(answer, wav, stt, Path(tmp) / "audio"))
                if args.show:
                    print(f"  {answer.id}: {results[-1]['text']}")
            report(speed, results, answers)
    print(f"({len(answers)} answers a speed, {time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
