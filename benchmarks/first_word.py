"""Time from running ``interviewer practice`` to the interviewer's first word on screen.

The interviewer is a loopback stub server that answers at once (``stub_server.py``), so
what is measured is ours: start-up, loading the round, choosing and reaching the model,
and the import of whatever client library the model needs. Each run is a subprocess,
the way a user starts it; the clock stops when the stub's first word reaches stdout.
Then end of input makes the interview save and exit.

Two paths are timed: a custom server (``--api-base``, the direct httpx client: no
litellm import) and the same server through litellm (``hosted_vllm/`` prefix), which
pays litellm's import before the first word. Goal: under one second on the first path.

Bytecode caching is on for the subprocesses, as for anyone who installed the package.

Usage: ``python benchmarks/first_word.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from stub_server import REPLY, Stub

FIRST_WORD = REPLY.split()[0].encode()


def first_word_s(base: str, model: str, folder: str) -> float:
    """Seconds from start to the first word of the stub's reply on stdout."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules load from bytecode
    Path(folder, "none.toml").write_text("")  # a named config file must exist
    env.update(INTERVIEWER_CONFIG=os.path.join(folder, "none.toml"),
               INTERVIEWER_TRANSCRIPTS_DIR=folder)  # fmt: skip
    command = [sys.executable, "-m", "interviewer", "practice", "behavioral",
               "--model", model, "--api-base", base, "--no-score"]  # fmt: skip
    seen = threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )

    def watch() -> None:
        assert process.stdout is not None
        window = b""
        while chunk := process.stdout.read1(4096):
            window = (window + chunk)[-4096:]
            if FIRST_WORD in window:
                seen.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    seen.wait(timeout=60)
    took = time.perf_counter() - started
    process.communicate(input=b"", timeout=60)  # end of input: save and exit
    watcher.join(timeout=5)
    if not seen.is_set():
        raise SystemExit(f"the first word never arrived (exit {process.returncode})")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stub = Stub()
    base = stub.start()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {args.runs} runs")
    for label, model in (
        ("custom server, direct client", "stub"),
        ("same server through litellm", "hosted_vllm/stub"),
    ):
        with tempfile.TemporaryDirectory() as folder:
            first_word_s(base, model, folder)  # warm the file cache
            took = statistics.median(first_word_s(base, model, folder) for _ in range(args.runs))
        print(f"{label:<30} first word after {took * 1000:6.0f} ms")
    stub.stop()


if __name__ == "__main__":
    main()
