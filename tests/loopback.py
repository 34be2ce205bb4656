"""A loopback OpenAI-compatible server for tests that run the real CLI in another process.

Standard library only, on 127.0.0.1 at a free port, in daemon threads. Streamed requests
are answered as server-sent events, a few words per event with a short pause between
events (so a kill can land mid-stream); other requests as one JSON completion. Every
request body is kept. ``faults`` is a queue of what to do to the next streamed requests
instead of answering well: ``"cut"`` (stop mid-stream without a finish or ``[DONE]``),
``"junk"`` (a chunk that is JSON but not a chunk), ``"500"``, ``"hang"`` (say nothing for
``hang_s``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from wire import completion

QUESTION = "Tell me about a model you shipped. What did you measure first, and why that?"


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "stub",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def completion_body(text: str) -> bytes:
    return json.dumps(completion(text, prompt_tokens=1, completion_tokens=1)).encode()


class Loopback:
    """The server, what it was sent, and the faults it will play."""

    def __init__(self, reply: str = QUESTION, *, pause_s: float = 0.01, hang_s: float = 30.0):
        self.reply = reply
        self.pause_s = pause_s
        self.hang_s = hang_s
        self.bodies: list[dict[str, Any]] = []
        self.faults: list[str] = []
        self.judge: Callable[[dict[str, Any]], str] | None = None  # writes a judge's reply
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def streamed(self) -> list[dict[str, Any]]:
        with self.lock:
            return [b for b in self.bodies if b.get("stream")]

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                body = json.dumps({"object": "list", "data": [{"id": "stub"}]}).encode()
                self._head(200, "application/json", len(body))
                self.wfile.write(body)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                body = json.loads(raw)
                with server.lock:
                    server.bodies.append(body)
                    fault = server.faults.pop(0) if body.get("stream") and server.faults else ""
                try:
                    if not body.get("stream"):
                        said = server.judge(body) if server.judge else server.reply
                        reply = completion_body(said)
                        self._head(200, "application/json", len(reply))
                        self.wfile.write(reply)
                        return
                    self._stream(fault)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client was killed mid-reply

            def _stream(self, fault: str) -> None:
                if fault == "500":
                    self._head(500, "application/json", 2)
                    self.wfile.write(b"{}")
                    return
                if fault == "hang":
                    time.sleep(server.hang_s)
                self._head(200, "text/event-stream", None)
                words = server.reply.split(" ")
                for i in range(0, len(words), 3):
                    piece = " ".join(words[i : i + 3]) + (" " if i + 3 < len(words) else "")
                    if fault == "junk" and i == 3:
                        self.wfile.write(b"data: [1, 2, 3]\n\n")
                        self.wfile.flush()
                        return
                    if fault == "cut" and i >= len(words) // 2:
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    self.wfile.write(_chunk({"content": piece}))
                    self.wfile.flush()
                    time.sleep(server.pause_s)
                self.wfile.write(_chunk({}, "stop") + b"data: [DONE]\n\n")
                self.wfile.flush()

            def _head(self, status: int, kind: str, length: int | None) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                if length is None:
                    self.send_header("connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("content-length", str(length))
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.base

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
