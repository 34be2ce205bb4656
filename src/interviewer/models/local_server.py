"""The child process that serves a GGUF for ``interviewer.models.local``.

``python -m interviewer.models.local_server PATH MAX_TOKENS CONTEXT [THREADS]`` starts llama.cpp's
OpenAI-compatible server (xllamacpp) on a free 127.0.0.1 port, writes one JSON line to
stdout (``{"base": "http://127.0.0.1:PORT/v1"}``, or ``{"error": "..."}`` and a non-zero
exit), then serves until its stdin closes. The parent holds that pipe: when the parent
ends, however it ends (``kill -9`` included), the pipe closes and this process exits, so
the server can never outlive the interview.

It ignores Ctrl-C: the terminal sends SIGINT to its whole process group, and a Ctrl-C
is the parent's to handle (it saves the interview; it may not mean "stop").
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any


def params_for(xllamacpp: Any, path: Path, max_tokens: int, context: int, threads: int = 0) -> Any:
    """The server's settings: loopback only, one conversation, no web page, quiet;
    ``threads`` for generation and prompt reading (0: llama.cpp's own choice). With fewer
    threads than cores (a busy machine: ``local.threads_for``), waiting threads sleep
    instead of spinning, so they take no core from the process that keeps it busy."""
    params = xllamacpp.CommonParams()
    if threads > 0:
        for cpu in (params.cpuparams, params.cpuparams_batch):
            cpu.n_threads = threads
            if threads < (os.cpu_count() or threads):
                cpu.poll = 0
    params.model.path = str(path)
    params.hostnames = ["127.0.0.1"]  # loopback only, whatever the library's default
    params.port = 0  # the system picks a free port
    params.n_ctx = context
    params.n_predict = max_tokens
    params.n_parallel = 1  # one conversation at a time: all the context for it
    params.ui = False  # no web page
    params.verbosity = 0
    return params


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    path, max_tokens, context = Path(argv[0]), int(argv[1]), int(argv[2])
    threads = int(argv[3]) if len(argv) > 3 else 0

    def say(**fields: str) -> None:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()

    try:
        import xllamacpp
    except ImportError:
        say(error="missing-extra")
        return 3
    try:
        server = xllamacpp.Server(params_for(xllamacpp, path, max_tokens, context, threads))
    except RuntimeError as exc:
        say(error=str(exc))
        return 2
    say(base=f"{server.listening_address}/v1")
    sys.stdin.read()  # until the parent closes the pipe or is gone
    return 0  # the server is dropped by the process's exit, not by a tear-down


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # no interpreter tear-down racing llama.cpp's threads
