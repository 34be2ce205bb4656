"""Our own time per interview turn, and the tokens a whole interview sends.

A 20-turn scripted interview runs in-process (the real ``Runner``, session, prompts,
each turn kept in the session's journal and synced, output to a throw-away console) against a
loopback stub server that answers at once (``stub_server.py``), its reply numbered so
no two are alike (the reply guard cuts a sentence an earlier message said, and would
time a cut reply and the scripted line in place of an ordinary turn). What is timed is
what the candidate waits for: from each answer's Enter to the next prompt, summed over
the turns. The same requests are then sent again as raw HTTP round trips with httpx,
interleaved with the interviews (so a busy machine slows both alike). The difference,
per turn, is what the interviewer itself costs on top of the network: the goal (issue
24) is under 3 ms, piped and paced alike. Beside it is the main thread's CPU time per
turn over the raw round trip's, which a noisy host inflates far less than the wall time:
a busy machine multiplies it. Two waits are printed apart, as they are paid once and follow no answer: the first question's (the context
window found, the client made, the first connection) and the time after ``/end`` (the
closing reply and the final save, which waits for the journal's last sync).
The stub counts the TCP connections the interview opened (goal: one). The same run
through litellm is timed too (its import excluded), to show that library's per-call cost.

From the requests the stub received it also reports the bytes sent over the interview
against the size of the conversation itself, and checks that the system prompt stayed
byte-identical on every turn (so provider prompt caching applies).

``--busy N`` keeps N CPU-bound processes running for the whole benchmark (a reproducible
"busy machine": on 2 CPUs, ``--busy 2`` leaves the interview a third of the machine),
and the interview is run twice over, the figures side by side: **piped**, the candidate
answering the instant the prompt appears (the worst case: the question's checkpoint is
still being written when the answer comes), and **paced**, taking ``--think MS``
milliseconds before each answer as a person does (not counted: only the wait after
Enter is). ``--delay MS`` has the server take that long over each reply, as a model does.

The cause of "10 ms a turn when piped": a server that sends a reply's headers and body in
two small writes with Nagle's algorithm on (Python's ``http.server`` does, unless told
not to). Answers back to back make Linux delay its ACKs (the connection looks
interactive), so the body waits up to 40 ms for the ACK of the headers: 96 ms a turn
against a 50 ms server instead of 54, paced 54. It is the server's, and the raw round
trips pay it alike; our own time stayed 2.4-3.6 ms either way (``--nagle`` shows it).

Usage: ``python benchmarks/turn_overhead.py [--turns 20] [--runs 5] [--busy N] [--think 200]
[--delay 50] [--nagle]``
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console

sys.path.insert(0, str(Path(__file__).parent))
from stub_server import NUMBERED, Stub

from interviewer.catalog.library import Catalog
from interviewer.config.file import DEFAULT_PERSONA
from interviewer.formats.levels import Level
from interviewer.formats.transcript import ModelInfo, Role, Turn
from interviewer.interview.runner import Runner
from interviewer.interview.start import Interview, begin
from interviewer.models import ChatModel, ModelSpec, make_model
from interviewer.review.markdown import transcript_markdown
from interviewer.store.transcripts import Store
from interviewer.terminal.console import Terminal

ANSWER = (
    "I would start from the business metric, pick an offline proxy that moves with it, "
    "split by time rather than at random, and watch calibration on the cold-start slice."
)
CHARS_PER_TOKEN = 4  # a rough English average; no tokenizer download needed


class Script:
    """Answers for ``turns - 1`` interviewer questions, then /end; it notes how long the
    candidate waited between giving a line and being asked for the next, and the main
    thread's CPU time over those waits (a figure a busy machine does not inflate)."""

    think_s = 0.0  # set from --think

    def __init__(self, turns: int, stub: Stub) -> None:
        lines: list[str] = []
        for _ in range(turns - 1):
            lines += [ANSWER, ""]
        self.lines = iter([*lines, "/end"])
        self.stub = stub
        self.first = 0.0  # to the first question: paid once, not after an answer
        self.waited = 0.0  # after each answer, to the next prompt
        self.cpu = 0.0  # the main thread's CPU time over ``waited``
        self.requests = 0  # requests sent before /end
        self.returned = time.perf_counter()
        self.returned_cpu = time.thread_time()
        self.calls = 0

    def __call__(self, _prompt: str) -> str:
        waited, cpu = time.perf_counter() - self.returned, time.thread_time() - self.returned_cpu
        self.calls += 1
        if self.calls == 1:
            self.first = waited
        else:
            self.waited += waited
            self.cpu += cpu
        line = next(self.lines)
        if line == "/end":
            self.requests = len(self.stub.bodies)
        if line and self.think_s:
            time.sleep(self.think_s)
        self.returned, self.returned_cpu = time.perf_counter(), time.thread_time()
        return line


def begun() -> Interview:
    """The benchmark's session, begun as ``practice`` begins one."""
    info = ModelInfo(model="stub")
    return begin(Catalog(None), round_name="ml-system-design", persona_name=DEFAULT_PERSONA,
                 level=Level.senior, interviewer=info, judge=info, files={},
                 warn=lambda _m: None)  # fmt: skip


def interview(model: ChatModel, turns: int, folder: Path, stub: Stub) -> tuple[Script, float]:
    """One scripted interview: its script (waits, requests) and the seconds after /end."""
    started = begun()
    store = Store(folder, render_markdown=transcript_markdown)
    lines = Script(turns, stub)
    runner = Runner(started, model, Terminal(Console(file=io.StringIO()), read_line=lines), store)
    with store.lock(started.transcript.id):  # as the CLI holds it: each write proves it
        lines.returned, lines.returned_cpu = time.perf_counter(), time.thread_time()
        runner.run()
        return lines, time.perf_counter() - lines.returned


def raw_round_trips(base: str, bodies: list[bytes], pause_s: float = 0.0) -> tuple[float, float]:
    """The same requests as bare HTTP round trips, each stream read to its end: the
    seconds they took, and the main thread's CPU seconds. The client (and its
    connection) is made before the clock starts, as the seam's is by then. With a think
    time, each request waits as long first, untimed: a process that slept wakes to cold
    caches on a busy machine, and both sides must pay that alike."""
    spent = cpu = 0.0
    with httpx.Client(base_url=base) as client:
        client.get("/models")
        for body in bodies:
            if pause_s:
                time.sleep(pause_s)
            clock, cpu_clock = time.perf_counter(), time.thread_time()
            headers = {"content-type": "application/json"}
            with client.stream("POST", "/chat/completions", content=body, headers=headers) as r:
                for _ in r.iter_lines():
                    pass
            spent += time.perf_counter() - clock
            cpu += time.thread_time() - cpu_clock
    return spent, cpu


@dataclass
class Figures:
    """Medians over the runs, in ms: per turn after an answer unless named otherwise."""

    waited: float  # from Enter to the next prompt
    raw: float  # the same requests as bare round trips
    cpu: float  # the main thread's CPU time within ``waited``
    raw_cpu: float  # and within ``raw``
    first: float  # to the first question, once (no answer before it)
    after: float  # after /end, once
    connections: int  # TCP connections one interview opened
    answered: int  # requests that followed an answer, in one interview
    sent: list[bytes]  # the request bodies of one interview


def measure(spec: ModelSpec, make: Callable[[ModelSpec], ChatModel], stub: Stub, base: str,
            turns: int, runs: int) -> Figures:  # fmt: skip
    """Interviews interleaved with the same requests as raw round trips. Only the
    requests made after an answer are compared: the first question's wait (the context
    window found, the client made, the first connection) is paid once, and printed apart.
    """
    rows: list[tuple[float, ...]] = []
    connections, sent, answered = 0, [], []
    for _ in range(runs):
        stub.bodies.clear()
        before = stub.connections
        with tempfile.TemporaryDirectory() as folder:
            lines, tail = interview(make(spec), turns, Path(folder), stub)
        connections = stub.connections - before
        sent = list(stub.bodies)
        answered = sent[1 : lines.requests]  # each request that followed an answer
        raw_s, raw_cpu = raw_round_trips(base, answered, Script.think_s)
        per = 1000 / len(answered)
        rows.append((lines.waited * per, raw_s * per, lines.cpu * per, raw_cpu * per,
                     lines.first * 1000, tail * 1000))  # fmt: skip
    medians = [statistics.median(column) for column in zip(*rows, strict=True)]
    return Figures(*medians, connections=connections, answered=len(answered), sent=sent)


def seam_only(model: ChatModel, bodies: list[bytes]) -> float:
    """The same requests through the model seam alone: no session, no saving, no console."""
    clock = time.perf_counter()
    for body in bodies:
        sent = json.loads(body)
        model.stream(sent["messages"], temperature=sent["temperature"], on_text=lambda _t: None)
    return time.perf_counter() - clock


def recorded(folder: Path, bodies: list[bytes]) -> Runner:
    """A session that has recorded the last request's conversation, turn by turn, as an
    interview records it (the first turn written whole, each later one journaled)."""
    store = Store(folder, render_markdown=transcript_markdown)
    runner = Runner(begun(), make_model(ModelSpec("stub", api_base="http://127.0.0.1:9/v1")),
                    Terminal(Console(file=io.StringIO())), store)  # fmt: skip
    for message in json.loads(bodies[-1])["messages"][1:]:
        role = Role.interviewer if message["role"] == "assistant" else Role.candidate
        runner.record(role, message["content"], runner.now())
    return runner


def saving_ms(folder: Path, bodies: list[bytes]) -> float:
    """Milliseconds one whole transcript save takes (JSON, Markdown, index; atomic,
    fsync'd): what the session pays at its end, and once after each failed save."""
    runner = recorded(folder, bodies)
    clock = time.perf_counter()
    for _ in range(20):
        runner.save()
    return (time.perf_counter() - clock) / 20 * 1000


def keeping_ms(folder: Path, bodies: list[bytes]) -> float:
    """Milliseconds the interview waits to keep one turn of the final transcript (its
    journal line written; the sync follows on the checkpoint thread)."""
    runner = recorded(folder, bodies)
    clock = time.perf_counter()
    for _ in range(20):
        runner.checkpoints.keep(runner.transcript)
    spent = (time.perf_counter() - clock) / 20 * 1000
    runner.checkpoints.close()
    return spent


def watch_full_collections() -> list[float]:
    """The milliseconds each full (generation 2) garbage collection takes from now on: one
    over the whole heap in the middle of a turn once took 15 ms (``start.settle_heap``)."""
    import gc

    taken: list[float] = []
    began = [0.0]

    def note(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            taken.append((time.perf_counter() - began[0]) * 1000)

    gc.callbacks.append(note)
    return taken


def elapsed_us(bodies: list[bytes]) -> float:
    """Microseconds one ``session.elapsed`` takes over a transcript as long as the last
    request's conversation: is recomputing it every turn worth caching?"""
    from datetime import UTC, datetime, timedelta

    from interviewer.interview.session import elapsed

    start = datetime(2026, 1, 1, tzinfo=UTC)
    turns = [
        Turn(role=Role.candidate, text="", started_at=start + timedelta(minutes=n),
             ended_at=start + timedelta(minutes=n, seconds=30))
        for n in range(len(json.loads(bodies[-1])["messages"]))
    ]  # fmt: skip
    clock = time.perf_counter()
    for _ in range(1000):
        elapsed(turns)
    return (time.perf_counter() - clock) / 1000 * 1e6


def token_report(bodies: list[bytes]) -> None:
    requests = [json.loads(b) for b in bodies]
    sent = sum(len(b) for b in bodies)
    last = requests[-1]["messages"]
    conversation = sum(len(m["content"]) for m in last[1:])
    system = last[0]["content"]
    same = all(r["messages"][0]["content"] == system for r in requests)
    print(f"\nTokens over {len(requests)} turns (≈{CHARS_PER_TOKEN} characters per token):")
    print(f"  sent in all requests     {sent:>9,} bytes  ≈{sent // CHARS_PER_TOKEN:>8,} tokens")
    print(
        f"  system prompt, once      {len(system):>9,} chars  ≈{len(system) // CHARS_PER_TOKEN:>8,} tokens"
    )
    print(
        f"  the conversation itself  {conversation:>9,} chars  ≈{conversation // CHARS_PER_TOKEN:>8,} tokens"
    )
    print(f"  sent / (system + conversation): {sent / (len(system) + conversation):.1f}x")
    print(f"  system prompt byte-identical on every turn: {'yes' if same else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--busy", type=int, default=0, help="CPU-bound processes to run alongside")
    parser.add_argument("--think", type=float, default=200, help="ms before a paced answer")
    parser.add_argument("--delay", type=float, default=50, help="ms the server takes a reply")
    parser.add_argument("--nagle", action="store_true", help="the server without TCP_NODELAY")
    args = parser.parse_args()
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    try:
        run(args)
    finally:
        for hog in hogs:
            hog.kill()


def run(args: argparse.Namespace) -> None:
    stub = Stub(NUMBERED, delay_s=args.delay / 1000)
    base = stub.start()
    if args.nagle:  # headers and body in two writes, Nagle on: see the module's docstring
        handler = stub._server.RequestHandlerClass  # type: ignore[union-attr]
        handler.disable_nagle_algorithm, handler.wbufsize = False, 0
    spec = ModelSpec("stub", api_base=base)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}, {args.busy} busy processes alongside, a server taking "
          f"{args.delay:g} ms a reply{' (Nagle on)' if args.nagle else ''}, median of "
          f"{args.runs} runs")  # fmt: skip
    paced = {}
    full = watch_full_collections()
    for think in [0.0, args.think] * args.runs:  # piped and paced, in turn
        Script.think_s = think / 1000
        paced.setdefault(think, []).append(measure(spec, make_model, stub, base, args.turns, 1))
    for think, runs in paced.items():
        ours = statistics.median(g.waited - g.raw for g in runs)
        print(f"  {'piped' if not think else f'paced ({think:g} ms)':<16} waited "
              f"{statistics.median(g.waited for g in runs):6.2f} ms, raw HTTP "
              f"{statistics.median(g.raw for g in runs):6.2f} ms: our own {ours:.2f} ms per "
              f"turn (goal < 3 ms)")  # fmt: skip
    print(f"  full garbage collections during those interviews: {len(full)}"
          f"{f' ({sum(full):.1f} ms in all)' if full else ''}")  # fmt: skip
    Script.think_s = 0.0
    got = measure(spec, make_model, stub, base, args.turns, args.runs)
    sent = got.sent
    print(
        f"direct client, piped, {got.answered} requests after an answer: the candidate waited "
        f"{got.waited:.2f} ms per turn; raw HTTP {got.raw:.2f} ms; our own time "
        f"{got.waited - got.raw:.2f} ms per turn (goal < 3 ms)"
    )
    print(f"  main thread's CPU per turn: {got.cpu:.2f} ms, of which the raw round trip's "
          f"share {got.raw_cpu:.2f} ms: {got.cpu - got.raw_cpu:.2f} ms our own "
          f"(what a busy machine multiplies)")  # fmt: skip
    print(f"  connections opened for the interview: {got.connections} (goal: 1)")
    print(f"  to the first question (context window found, client made, connected): "
          f"{got.first:.0f} ms, once")  # fmt: skip
    print(
        f"  after /end (closing reply, the journal's last sync, final save): {got.after:.0f} ms, once"
    )
    print(f"  session.elapsed over the final transcript: {elapsed_us(sent):.1f} µs per call")
    model = make_model(spec)
    seam_only(model, sent)  # connect first, as an interview would have
    seam = statistics.median(seam_only(model, sent) for _ in range(args.runs))
    raw = statistics.median(raw_round_trips(base, sent)[0] for _ in range(args.runs))
    print(
        f"  of which the model seam: {(seam - raw) / len(sent) * 1000:.2f} ms per call over raw HTTP"
    )
    with tempfile.TemporaryDirectory() as folder:
        save = saving_ms(Path(folder), sent)
    with tempfile.TemporaryDirectory() as folder:
        keep = keeping_ms(Path(folder), sent)
    print(f"  one whole transcript save (JSON + Markdown + index, fsync'd): {save:.2f} ms, "
          f"at the end; {keep:.3f} ms to keep a turn (its journal line)")  # fmt: skip
    token_report(sent)

    from interviewer.models.litellm_client import LiteLLMModel, import_litellm

    import_litellm()  # its import (seconds) is not a per-turn cost
    openai_spec = ModelSpec("openai/stub", api_base=base)
    got = measure(openai_spec, LiteLLMModel, stub, base, args.turns, args.runs)
    print(
        f"\nlitellm client: waited {got.waited:.2f} ms per turn; raw HTTP {got.raw:.2f} ms; "
        f"{got.waited - got.raw:.2f} ms per turn on top of the network; "
        f"{got.connections} connection(s)"
    )
    stub.stop()


if __name__ == "__main__":
    main()
