"""How `interviewer rehearse` scales with --jobs against a slow interviewer model.

A loopback server (``stub_server``) answers every chat request after ``--delay`` seconds,
as a slow hosted or local model would; the same rehearsal (a fixed set of sessions) runs
with ``--jobs 1`` and with each larger count, each in a fresh config folder so nothing is
resumed, and the speed-up over one job is printed beside the ideal. The goal (issue 24):
at least 12x at 16 jobs. Run from the repository root:

    python benchmarks/rehearse_jobs.py [--delay 0.25] [--sessions 48] [--jobs 4 16]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stub_server import Stub

GOAL_AT_16 = 12.0


def makespan(times: list[float], workers: int) -> float:
    """When the last session would end if each took its one-job time and sessions were
    handed, in order, to whichever worker is free first (as ``rehearse`` hands them)."""
    free = [0.0] * workers
    for seconds in times:
        free.sort()
        free[0] += seconds
    return max(free)


def once(base: str, jobs: int, sessions: int) -> tuple[float, list[float]]:
    """Wall seconds of one rehearsal, and each session's own time, in the order run."""
    with tempfile.TemporaryDirectory() as home:
        config = Path(home) / "config.toml"
        config.write_text("")
        env = {**os.environ, "INTERVIEWER_CONFIG": str(config)}
        args = [sys.executable, "-m", "interviewer", "rehearse", "-m", "stub", "--api-base", base,
                "--limit", str(sessions), "--jobs", str(jobs),
                "--json", "--out", home]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode not in (0, 1):
            sys.exit(f"rehearse failed ({done.returncode}): {done.stderr[-500:]}")
        times = [
            json.loads(line)["seconds"]
            for path in Path(home).glob("calibration/rehearsals/*/results.jsonl")
            for line in path.read_text().splitlines()
        ]
        return seconds, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.25, help="seconds per model request")
    parser.add_argument("--sessions", type=int, default=48)
    parser.add_argument("--jobs", type=int, nargs="+", default=[4, 16])
    args = parser.parse_args()
    stub = Stub(delay_s=args.delay)
    base = stub.start()
    try:
        one, times = once(base, 1, args.sessions)
        print(
            f"{len(times)} sessions, {args.delay} s a request: --jobs 1 took {one:.1f} s; "
            f"the longest session took {max(times):.1f} s"
        )
        for jobs in args.jobs:
            seconds, _ = once(base, jobs, args.sessions)
            ideal = one / makespan(times, jobs)
            goal = f" (goal at 16: >= {GOAL_AT_16:.0f}x)" if jobs == 16 else ""
            print(
                f"--jobs {jobs}: {seconds:.1f} s, {one / seconds:.1f}x (ideal {ideal:.1f}x){goal}"
            )
    finally:
        stub.stop()


if __name__ == "__main__":
    main()
