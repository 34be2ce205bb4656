"""Speech servers and providers at the HTTP wire (respx): requests, replies, retries, keys."""

from __future__ import annotations

import io
import json
import wave

import httpx
import pytest

from interviewer.errors import ModelError
from interviewer.models.base import PLACEHOLDER_KEY, ModelSpec
from interviewer.voice import make_transcriber
from interviewer.voice.remote import HostedAudio, ServerAudio, audio_client
from interviewer.voice.speaker import ServerEngine, Speaker

BASE = "http://127.0.0.1:9/v1"
VERBOSE = {
    "text": " First, we rank by NDCG.",
    "duration": 2.1,
    "words": [
        {"word": "First,", "start": 0.0, "end": 0.4},
        {"word": "we", "start": 0.5, "end": 0.6},
        {"word": "rank", "start": 0.6, "end": 0.9},
        {"word": "by", "start": 0.9, "end": 1.0},
        {"word": "NDCG.", "start": 1.0, "end": 1.8},
    ],
}


def wav_bytes(seconds: float = 0.2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\0\0" * int(16_000 * seconds))
    return buffer.getvalue()


@pytest.fixture
def answer(tmp_path):
    path = tmp_path / "answer-1.wav"
    path.write_bytes(wav_bytes())
    return path


def test_server_transcription_sends_the_audio_and_prompt_and_reads_word_timings(
    respx_mock, answer, monkeypatch
):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-provider-secret")
    route = respx_mock.post(f"{BASE}/audio/transcriptions").mock(
        return_value=httpx.Response(200, json=VERBOSE)
    )
    stt = make_transcriber(ModelSpec("Systran/faster-whisper-small", api_base=BASE))
    heard = stt.transcribe(answer, "Terms: NDCG.")
    assert heard.text == "First, we rank by NDCG."
    assert [(w.text, w.start, w.end) for w in heard.words][-1] == ("NDCG.", 1.0, 1.8)
    request = route.calls.last.request
    body = request.content
    assert b'name="model"\r\n\r\nSystran/faster-whisper-small' in body  # slashes kept
    assert b'name="response_format"\r\n\r\nverbose_json' in body
    assert b'name="timestamp_granularities[]"\r\n\r\nword' in body
    assert b'name="prompt"\r\n\r\nTerms: NDCG.' in body
    assert b'filename="answer-1.wav"' in body and b"RIFF" in body
    # A server is never sent the provider's key from the environment.
    assert request.headers["authorization"] == f"Bearer {PLACEHOLDER_KEY}"
    assert stt.name == f"Systran/faster-whisper-small at {BASE}"


def test_a_busy_server_is_retried_like_a_chat_model(respx_mock, answer):
    route = respx_mock.post(f"{BASE}/audio/transcriptions").mock(
        side_effect=[
            httpx.Response(503, json={"error": {"message": "loading model"}}),
            httpx.Response(200, json={"text": "ok"}),
        ]
    )
    waits: list[float] = []
    client = ServerAudio(ModelSpec("whisper", api_base=BASE), sleep=waits.append)
    assert client.transcribe(answer, "").text == "ok"
    assert route.call_count == 2 and len(waits) == 1


def test_a_refused_key_is_one_line_with_the_fix_and_never_the_key(respx_mock, answer):
    respx_mock.post(f"{BASE}/audio/transcriptions").mock(
        return_value=httpx.Response(401, json={"error": {"message": "bad key sk-server-secret"}})
    )
    client = ServerAudio(ModelSpec("whisper", api_base=BASE, api_key="sk-server-secret"))
    with pytest.raises(ModelError) as caught:
        client.transcribe(answer, "")
    text = str(caught.value)
    assert "sk-server-secret" not in text
    assert "INTERVIEWER_API_KEY" in text and "\n" not in text


def test_server_speech_posts_the_text_and_plays_the_wav(respx_mock, monkeypatch):
    route = respx_mock.post(f"{BASE}/audio/speech").mock(
        return_value=httpx.Response(200, content=wav_bytes(), headers={"content-type": "audio/wav"})
    )
    played: list[bytes] = []
    monkeypatch.setattr("interviewer.voice.audio.play_wav", played.append)
    monkeypatch.setattr("interviewer.voice.audio.stop_playback", lambda: None)  # nothing plays
    speaker = Speaker(ServerEngine(audio_client(ModelSpec("kokoro", api_base=BASE)), "af_heart"))
    speaker.feed("Welcome to the round. ")
    speaker.feed("Tell me about **your** model.")
    speaker.end()
    assert speaker.wait(10)
    speaker.close()
    sent = [json.loads(call.request.content) for call in route.calls]
    assert sent == [
        {"model": "kokoro", "input": "Welcome to the round.", "voice": "af_heart",
         "response_format": "wav"},
        {"model": "kokoro", "input": "Tell me about your model.", "voice": "af_heart",
         "response_format": "wav"},
    ]  # fmt: skip
    assert len(played) == 2 and played[0].startswith(b"RIFF")
    assert speaker.failure is None


def test_a_speech_server_that_sends_no_audio_is_a_failure_not_noise(respx_mock):
    respx_mock.post(f"{BASE}/audio/speech").mock(
        return_value=httpx.Response(200, json={"detail": "voice not found"})
    )
    client = ServerAudio(ModelSpec("kokoro", api_base=BASE, max_retries=0))
    with pytest.raises(ModelError, match="sent a reply that could not be read"):
        client.speak("Hello.", "nobody")


def test_a_hosted_provider_goes_through_litellm_with_its_own_key(respx_mock, answer, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-test")
    route = respx_mock.post("https://api.openai.com/v1/audio/transcriptions").mock(
        return_value=httpx.Response(200, json=VERBOSE)
    )
    client = audio_client(ModelSpec("whisper-1"))
    assert isinstance(client, HostedAudio)
    heard = client.transcribe(answer, "Terms: NDCG.")
    assert heard.text == "First, we rank by NDCG."
    assert len(heard.words) == 5
    assert route.calls.last.request.headers["authorization"] == "Bearer sk-openai-test"
