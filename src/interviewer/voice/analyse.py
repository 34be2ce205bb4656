"""A recording to its transcript and delivery figures: what ``--voice`` does after each
answer, and what ``interviewer delivery FILE.wav`` does for a recording made anywhere.

The transcript's ML terms are written as an interviewer writes them (``terms.normalise``)
before anything is counted, so the figures and the judge read the same words.
"""

from __future__ import annotations

import wave
from collections.abc import Iterable
from pathlib import Path

from interviewer.errors import ConfigError
from interviewer.formats.delivery import PAUSE_LIMIT_S, measure
from interviewer.formats.transcript import Delivery
from interviewer.voice.terms import normalise
from interviewer.voice.transcriber import Transcriber, Transcription

CONVERT = "convert it to WAV first, e.g. ffmpeg -i {path} -ar 16000 -ac 1 answer.wav"


def analyse(
    heard: Transcription,
    *,
    talk_seconds: float,
    transcriber: str,
    fillers: Iterable[str] = (),
    pause_limit: float = PAUSE_LIMIT_S,
) -> tuple[str, Delivery]:
    """The answer's text, its terms written out, and its delivery figures."""
    text = normalise(heard.text)
    delivery = measure(
        text,
        heard.words,
        talk_seconds=talk_seconds,
        transcriber=transcriber,
        extra_fillers=fillers,
        pause_limit=pause_limit,
    )
    unsure = list(dict.fromkeys(normalise(word) for word in delivery.unsure))
    return text, delivery.model_copy(update={"unsure": unsure})


def wav_seconds(path: Path) -> float:
    """The length of a WAV file; a missing or unreadable one is a one-line error."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such file", hint="give the path of a WAV recording")
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / float(wav.getframerate())
    except (wave.Error, EOFError, OSError) as exc:
        detail = f" ({exc})" if str(exc) else ""
        raise ConfigError(
            f"{path}: not a WAV file this can read{detail}", hint=CONVERT.format(path=path)
        ) from None


def analyse_file(
    path: Path,
    transcriber: Transcriber,
    prompt: str,
    *,
    fillers: Iterable[str] = (),
    pause_limit: float = PAUSE_LIMIT_S,
) -> tuple[str, Delivery]:
    """A whole recording, read at once by ``transcriber``."""
    seconds = wav_seconds(path)
    heard = transcriber.transcribe(path, prompt)
    return analyse(
        heard,
        talk_seconds=seconds,
        transcriber=transcriber.name,
        fillers=fillers,
        pause_limit=pause_limit,
    )
