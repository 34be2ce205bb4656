"""Speech to text and text to speech over the network, with the chat models' rules.

Two wires, as for chat:

- an OpenAI-compatible server at ``--stt-api-base`` / ``--tts-api-base`` (speaches,
  Kokoro-FastAPI, whisper.cpp's server, vLLM): ``POST /audio/transcriptions`` (multipart,
  ``verbose_json`` with word timings) and ``POST /audio/speech`` (JSON in, WAV out), over
  httpx. The model name is sent as it is (``openai/`` dropped): such servers name models
  with slashes (``Systran/faster-whisper-small``), so a base always means this wire.
- a hosted provider through litellm's ``transcription()`` and ``speech()``.

Both run under ``RetryingModel``'s retry table, so a rate limit, a timeout or a dead
server is retried and worded exactly as for the interviewer. Keys follow the chat rules:
a server gets only the key configured for it (or a placeholder), a provider its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from interviewer.formats.delivery import Word
from interviewer.models.base import ModelSpec
from interviewer.models.litellm_client import LiteLLMModel, import_litellm
from interviewer.models.openai_compat import (
    APIConnectionError,
    APIResponseValidationError,
    OpenAICompatModel,
    Timeout,
    failure_for,
)
from interviewer.voice.transcriber import Transcription

DEFAULT_VOICE = "alloy"


def _words(raw: Any) -> list[Word]:
    """Word timings from a ``verbose_json`` reply (a dict, or litellm's object)."""
    items = raw.get("words") if isinstance(raw, dict) else getattr(raw, "words", None)
    words = []
    for item in items or []:
        data = item if isinstance(item, dict) else getattr(item, "__dict__", {})
        word, start, end = data.get("word"), data.get("start"), data.get("end")
        if word is not None and start is not None and end is not None:
            words.append(Word(str(word).strip(), float(start), float(end)))
    return words


class ServerAudio(OpenAICompatModel):
    """The OpenAI-compatible audio endpoints of one server."""

    def _call(self, path: str, **kwargs: Any) -> httpx.Response:
        client = self._http()
        try:
            response = client.post(path, **kwargs)
        except httpx.TimeoutException as exc:
            raise Timeout(f"no answer within {self.spec.timeout_s:g} s") from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            raise failure_for(response)
        return response

    def transcribe(self, audio: Path, prompt: str) -> Transcription:
        def attempt() -> Transcription:
            data = {
                "model": self.spec.wire_model(),
                "response_format": "verbose_json",
                "timestamp_granularities[]": "word",
                "language": "en",
                "prompt": prompt,
            }
            files = {"file": (audio.name, audio.read_bytes(), "audio/wav")}
            response = self._call("/audio/transcriptions", data=data, files=files)
            try:
                body = response.json()
                return Transcription(str(body["text"]).strip(), _words(body))
            except (ValueError, KeyError, TypeError) as exc:
                raise APIResponseValidationError(f"not a transcription: {exc}", response) from exc

        return self._run(attempt)

    def speak(self, text: str, voice: str | None) -> bytes:
        def attempt() -> bytes:
            body = {
                "model": self.spec.wire_model(),
                "input": text,
                "voice": voice or DEFAULT_VOICE,
                "response_format": "wav",
            }
            response = self._call("/audio/speech", json=body)
            if not response.content.startswith(b"RIFF"):
                start = response.content[:60].decode("utf-8", "replace")
                raise APIResponseValidationError(f"not WAV audio: {json.dumps(start)}", response)
            return response.content

        return self._run(attempt)


class HostedAudio(LiteLLMModel):
    """A provider's audio models through litellm (``whisper-1``, ``groq/whisper-large-v3``,
    ``tts-1``); the provider's key comes from its usual environment variable."""

    def transcribe(self, audio: Path, prompt: str) -> Transcription:
        def attempt() -> Transcription:
            with audio.open("rb") as handle:
                reply = import_litellm().transcription(
                    model=self.spec.model,
                    file=handle,
                    prompt=prompt,
                    language="en",
                    response_format="verbose_json",
                    timestamp_granularities=["word"],
                    api_key=self._api_key(),
                    timeout=self.spec.timeout_s,
                    max_retries=0,
                )
            return Transcription(str(getattr(reply, "text", "") or "").strip(), _words(reply))

        return self._run(attempt)

    def speak(self, text: str, voice: str | None) -> bytes:
        def attempt() -> bytes:
            reply = import_litellm().speech(
                model=self.spec.model,
                input=text,
                voice=voice or DEFAULT_VOICE,
                response_format="wav",
                api_key=self._api_key(),
                timeout=self.spec.timeout_s,
                max_retries=0,
            )
            return bytes(reply.content)

        return self._run(attempt)


def audio_client(spec: ModelSpec) -> ServerAudio | HostedAudio:
    return ServerAudio(spec) if spec.api_base else HostedAudio(spec)


class RemoteTranscriber:
    """A ``Transcriber`` over ``audio_client``."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self.client = audio_client(spec)

    @property
    def name(self) -> str:
        base = self.spec.info().api_base
        return f"{self.spec.model} at {base}" if base else self.spec.model

    def warm_up(self) -> None:
        if isinstance(self.client, HostedAudio):
            import_litellm()

    def transcribe(self, audio: Path, prompt: str) -> Transcription:
        return self.client.transcribe(audio, prompt)
