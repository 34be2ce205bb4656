"""An OpenAI-compatible server on 127.0.0.1 for tests that need a real socket.

respx sees requests, not connections; this server counts the TCP connections a client
opens, and can report a context window the way llama.cpp (``GET /props``) does, so tests
can check connection reuse and context budgeting at the wire. Standard library only.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[dict[str, Any]], str]


def sse(text: str, finish: str = "stop") -> bytes:
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "loop"}
    events = [
        {"choices": [{"index": 0, "delta": {"content": text}}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]},
        {"choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": 5}},
    ]
    lines = [f"data: {json.dumps({**base, **e})}\n\n" for e in events]
    return ("".join(lines) + "data: [DONE]\n\n").encode()


def completion(text: str, finish: str = "stop") -> bytes:
    choice = {
        "index": 0,
        "message": {"role": "assistant", "content": text},
        "finish_reason": finish,
    }
    usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    return json.dumps({"id": "c1", "object": "chat.completion", "created": 1, "model": "loop",
                       "choices": [choice], "usage": usage}).encode()  # fmt: skip


class Loopback:
    """The server, the requests it was sent, and how many connections it accepted."""

    def __init__(
        self, reply: Reply, n_ctx: int | None = None, finish: str = "stop", *, drops: int = 0
    ) -> None:
        self.reply = reply
        self.n_ctx = n_ctx
        self.finish = finish  # the finish_reason of every reply
        self.requests: list[dict[str, Any]] = []
        self.connections = 0
        # The next ``drops`` requests are read and their connection closed unanswered, as a
        # server does to a kept-alive connection it has just timed out; -1 drops them all.
        self.drops = drops
        self.dropped = 0
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> str:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

            def setup(self) -> None:
                owner.connections += 1
                super().setup()

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.endswith("/props") and owner.n_ctx is not None:
                    body = {"default_generation_settings": {"n_ctx": owner.n_ctx}}
                    self._send(json.dumps(body).encode(), "application/json", 200)
                elif self.path.endswith("/models"):
                    body = {"object": "list", "data": [{"id": "loop"}]}
                    self._send(json.dumps(body).encode(), "application/json", 200)
                else:
                    self._send(b'{"error": "not found"}', "application/json", 404)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                if owner.drops:
                    owner.drops -= owner.drops > 0
                    owner.dropped += 1
                    self.close_connection = True  # closed without a byte of reply
                    return
                request = json.loads(raw)
                owner.requests.append(request)
                text = owner.reply(request)
                if request.get("stream"):
                    self._send(sse(text, owner.finish), "text/event-stream", 200)
                else:
                    self._send(completion(text, owner.finish), "application/json", 200)

            def _send(self, body: bytes, kind: str, status: int) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
