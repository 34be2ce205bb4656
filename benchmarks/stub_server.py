"""A loopback OpenAI-compatible server that answers at once, for the benchmarks.

Standard library only. ``Stub().start()`` serves on 127.0.0.1 at a free port in a daemon
thread and returns the api_base. ``POST /v1/chat/completions`` answers a stream request
as server-sent events (a few words per event, a usage chunk, ``[DONE]``) and any other
request as one JSON completion; ``GET /v1/models`` lists one model. Every request body
is kept, so a benchmark can measure what the client sent; connections are counted.
A reply holding ``{n}`` has it replaced by the request's number (``NUMBERED``): an
interviewer's reply that repeats an earlier message's long sentence is cut by the reply
guard, so a benchmark of ordinary turns needs a reply that differs each time.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REPLY = (
    "Thanks, that is a clear start. You said the model won offline but lost online; "
    "what did you measure first to find out why, and what would you change next time?"
)
NUMBERED = (
    "Thanks, that is a clear start. You said model {n} won offline but lost online; "
    "what did you measure first to find out why, and what would you change next time?"
)


def sse_body(text: str) -> bytes:
    """The reply as a chat-completion event stream, three words per event."""
    words = text.split(" ")
    events: list[dict[str, Any]] = []
    for i in range(0, len(words), 3):
        piece = " ".join(words[i : i + 3]) + (" " if i + 3 < len(words) else "")
        events.append({"choices": [{"index": 0, "delta": {"content": piece}}]})
    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    events.append({"choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 1}})
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "stub"}
    lines = [f"data: {json.dumps({**base, **e})}\n\n" for e in events]
    return ("".join(lines) + "data: [DONE]\n\n").encode()


def completion_body(text: str) -> bytes:
    return json.dumps(
        {
            "id": "c1",
            "object": "chat.completion",
            "created": 1,
            "model": "stub",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    ).encode()


class _Server(ThreadingHTTPServer):
    """``http.server`` listens with a backlog of 5: at 16 requests at once, half of them
    would wait a whole reply to be accepted, and the benchmark would time the stub."""

    request_queue_size = 64
    daemon_threads = True


class Stub:
    """The server and what it was sent."""

    def __init__(self, reply: str = REPLY, delay_s: float = 0.0) -> None:
        """``delay_s``: how long each chat request waits before its answer (a slow model)."""
        self.reply = reply
        self.delay_s = delay_s
        self.bodies: list[bytes] = []
        self.connections = 0  # TCP connections accepted
        self._server: _Server | None = None

    def start(self) -> str:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on loopback
            wbufsize = 1 << 16  # headers and body leave in one write

            def setup(self) -> None:
                stub.connections += 1
                super().setup()

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                body = json.dumps({"object": "list", "data": [{"id": "stub"}]}).encode()
                self._send(body, "application/json")

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                stub.bodies.append(raw)
                reply = stub.reply.replace("{n}", str(len(stub.bodies)))
                if stub.delay_s:
                    time.sleep(stub.delay_s)
                if json.loads(raw).get("stream"):
                    self._send(sse_body(reply), "text/event-stream")
                else:
                    self._send(completion_body(reply), "application/json")

            def _send(self, body: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


if __name__ == "__main__":
    stub = Stub()
    print(stub.start(), flush=True)
    time.sleep(3600)
