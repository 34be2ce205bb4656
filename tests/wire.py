"""A scripted OpenAI-compatible provider at the HTTP wire, for respx.

Streamed requests (the interviewer) are answered as server-sent events from one queue;
plain requests (the judge) as chat completions from another. Every request body is kept
so tests can assert on what the models were sent. An empty queue fails the test loudly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

BASE = "http://127.0.0.1:9/v1"


def completion(
    text: str, *, prompt_tokens: int = 120, completion_tokens: int = 40
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def sse(text: str, *, prompt_tokens: int = 100, completion_tokens: int = 20) -> bytes:
    """The reply streamed a few words per event, then a usage chunk, then [DONE]."""
    words = text.split(" ")
    pieces = [
        " ".join(words[i : i + 3]) + (" " if i + 3 < len(words) else "")
        for i in range(0, len(words), 3)
    ]
    events = []
    for i, piece in enumerate(pieces):
        delta: dict[str, Any] = {"content": piece}
        if i == 0:
            delta["role"] = "assistant"
        events.append(
            {
                "id": "c1",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": "test-model",
                "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
            }
        )
    events.append(
        {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "test-model",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
    )
    events.append(
        {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "test-model",
            "choices": [],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    return body.encode()


class Provider:
    """Scripted replies for the interviewer (streamed) and the judge (JSON)."""

    def __init__(self, respx_mock: Any, base: str = BASE) -> None:
        self.interviewer: list[str] = []
        self.judge: list[str | Callable[[dict[str, Any]], str]] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[httpx.Headers] = []
        self.route = respx_mock.post(f"{base}/chat/completions").mock(side_effect=self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        self.headers.append(request.headers)
        if body.get("stream"):
            assert self.interviewer, "the interviewer was asked for more messages than scripted"
            return httpx.Response(
                200,
                content=sse(self.interviewer.pop(0)),
                headers={"content-type": "text/event-stream"},
            )
        assert self.judge, "the judge was asked for more replies than scripted"
        reply = self.judge.pop(0)
        text = reply(body) if callable(reply) else reply  # a reply written from the request
        return httpx.Response(200, json=completion(text))

    @property
    def streamed(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r.get("stream")]

    @property
    def judged(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if not r.get("stream")]
