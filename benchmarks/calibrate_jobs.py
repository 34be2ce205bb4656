"""How ``interviewer calibrate`` scales with ``--jobs`` against a slow judge.

A loopback OpenAI-compatible server plays the ``reference`` scripted judge
(``calibrate_scripted.py``) and answers each request after ``--delay`` seconds, as a slow
hosted or local judge would. The same ``--limit`` items are graded, fresh each time, with
``--jobs 1`` and with each larger count, interleaved over ``--runs`` rounds. Timed is the
grading itself, as the server saw it: from the first chat request to the last reply.
Printed apart, as they are paid once whatever the jobs: the time before it (the first
request to the first chat request: the judge's context window asked of the server, each
probe as late as any request) and the whole command (start-up and report included). Each
speed-up over one job is printed beside the ideal (the items over the rounds of
``jobs`` requests they need). Goal (issue 24): at least 12x at 16 jobs.

What had looked like calibrate serialising (10.9x at 16 jobs) was this server: Python's
``http.server`` sent each reply's body in a second small packet, which Nagle's algorithm
held until the client's delayed ACK, 40 ms later, on every request (the handler now sends
with ``TCP_NODELAY`` and one write, as ``stub_server`` does); and its listen backlog of 5,
which held half of 16 simultaneous first requests back by one reply.

Usage: ``python benchmarks/calibrate_jobs.py [--delay 0.5] [--limit 64] [--jobs 4 16] [--runs 1]``
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from calibrate_scripted import ROOT, Handler

GOAL_AT_16 = 12.0


class Slow(Handler):
    """The reference judge, ``delay`` seconds late for every request (a slow server's
    latency: its other routes too), noting when the first request came, when grading
    (the first chat request) began, and when the last reply went."""

    delay = 0.5
    asked = first = math.inf
    last = 0.0
    requests = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        with Slow.lock:
            Slow.asked = min(Slow.asked, time.perf_counter())
            Slow.first = min(Slow.first, time.perf_counter())
            Slow.requests += 1
        time.sleep(Slow.delay)
        super().do_POST()
        with Slow.lock:
            Slow.last = max(Slow.last, time.perf_counter())

    def do_GET(self) -> None:  # the context window's routes: none here, as late as the rest
        with Slow.lock:
            Slow.asked = min(Slow.asked, time.perf_counter())
        time.sleep(Slow.delay)
        self.send_error(404)


class Server(ThreadingHTTPServer):
    """A server that takes 16 connections at once: with ``socketserver``'s listen backlog
    of 5, half of a burst of 16 waited for the first half's replies (11.0x, not 13.3x)."""

    request_queue_size = 64


def once(base: str, jobs: int, limit: int, folder: Path) -> tuple[float, float, float, int]:
    """Seconds of grading as the server saw it, before it (the first request to the first
    chat request: finding the context window), the command's wall seconds, requests."""
    Slow.asked, Slow.first, Slow.last, Slow.requests = math.inf, math.inf, 0.0, 0
    config = folder / "config.toml"
    config.write_text("", encoding="utf-8")
    env = {**os.environ, "INTERVIEWER_CONFIG": str(config), "HOME": str(folder),
           "XDG_DATA_HOME": str(folder / "data"), "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "interviewer", "calibrate", "--judge-model", "scripted-reference",
         "--judge-api-base", base, "--jobs", str(jobs), "--limit", str(limit), "--fresh",
         "--out", str(folder / f"out-{jobs}")],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: a verdict of fail (a limited run has none)
        sys.exit(f"calibrate --jobs {jobs} exited {done.returncode}: {done.stderr[-800:]}")
    return Slow.last - Slow.first, Slow.first - Slow.asked, wall, Slow.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--limit", type=int, default=64)
    parser.add_argument("--jobs", type=int, nargs="+", default=[4, 16])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    Slow.delay = args.delay
    server = Server(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    counts = [1, *args.jobs]
    grading: dict[int, list[float]] = {j: [] for j in counts}
    walls: dict[int, list[float]] = {j: [] for j in counts}
    before: dict[int, list[float]] = {j: [] for j in counts}
    requests = 0
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            for jobs in counts:  # interleaved, so a busy spell slows every count alike
                took, setup, wall, requests = once(base, jobs, args.limit, Path(tmp))
                grading[jobs].append(took)
                before[jobs].append(setup)
                walls[jobs].append(wall)
    server.shutdown()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}; a judge answering in {args.delay:g} s; {requests} "
          f"requests per run; medians of {args.runs} interleaved runs")  # fmt: skip
    one = statistics.median(grading[1])
    for jobs in counts:
        took = statistics.median(grading[jobs])
        ideal = requests / math.ceil(requests / jobs)
        goal = f"  (goal >= {GOAL_AT_16:g}x)" if jobs == 16 else ""
        print(f"--jobs {jobs:>2}: grading {took:6.2f} s, {one / took:5.1f}x (ideal {ideal:4.1f}x)"
              f"{goal}; before it {statistics.median(before[jobs]):4.2f} s; the whole command "
              f"{statistics.median(walls[jobs]):6.2f} s")  # fmt: skip
    print(f"load now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
