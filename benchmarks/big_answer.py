"""``show`` and ``export`` of a session with one huge answer, of every shape a paste takes.

A candidate can paste a whole log, file or essay into an answer; reviewing the session
must still take time in proportion to its size and memory well below it several times
over. For each shape (prose: short words on one line; one long line with no space; many
short lines; code; a log of word lines) and size, writes a session whose one answer is
that text, scored with evidence quotes from its start, middle and end, then runs as
subprocesses with a bytecode cache: ``show`` (to a 160-column terminal), ``export
--format md`` and ``export --format html`` (to a file), each with its wall time and peak
memory (the child's own, from ``wait4``). The shapes of a size are run interleaved, and
``--runs`` times over, medians printed. Goals: every shape at 50 MB under 1 s and
200 MB; time per MB at 50 MB within 1.3x of that at 10 MB (linear).

Usage: ``python benchmarks/big_answer.py [--sizes 10 50] [--runs 1] [--timeout 120]``
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from interviewer.formats.levels import Level
from interviewer.formats.transcript import (
    ModelInfo,
    Role,
    Scorecard,
    ScoredDimension,
    Status,
    Transcript,
    Turn,
)

LINE = "loss spiked at step 4,000 after the warmup ended; the gradient norm was clipped"
WORDS = LINE.split(" ")


def pasted(megabytes: float, seed: int = 3) -> str:
    rng = random.Random(seed)
    lines, size = [], 0
    while size < megabytes * 1_000_000:
        line = " ".join(rng.choices(WORDS, k=rng.randint(6, 18)))
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def session(answer: str) -> Transcript:
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    middle = len(answer) // 2
    quotes = [answer[:60], answer[middle : middle + 60], answer[-60:], "not in the answer at all"]
    turns = [
        Turn(role=Role.interviewer, text="Walk me through the incident.", started_at=start,
             ended_at=start + timedelta(seconds=5)),
        Turn(role=Role.candidate, text=answer, started_at=start + timedelta(seconds=5),
             ended_at=start + timedelta(minutes=3)),
    ]  # fmt: skip
    dims = [ScoredDimension(dimension="debugging", name="Debugging", score=4, evidence=quotes,
                            rationale="Read the log.")]  # fmt: skip
    card = Scorecard(status="scored", judge=ModelInfo(model="stub"), scored_at=start,
                     prompt_sha256="ab" * 32, attempts=1, dimensions=dims, overall=4.0)  # fmt: skip
    return Transcript(
        id="b1600000", created_at=start, updated_at=start, status=Status.complete,
        round="ml-debugging", round_title="ML debugging", persona="warm-scientist",
        level=Level.senior, opening="loss-spike", interviewer=ModelInfo(model="stub"),
        judge=ModelInfo(model="stub"), temperature=0.7, sources=[], turns=turns,
        scorecards=[card],
    )  # fmt: skip


SHAPES = ("prose", "one line", "short lines", "code", "log")
GOAL_S, GOAL_MB, GOAL_LINEAR = 1.0, 200, 1.3
CODE = (
    "def rank(items, model, *, k=10):\n"
    "    # Score each item and keep the best k: [a] * b_c ~ #d\n"
    "    scored = [(model.score(item), item) for item in items if item.enabled]\n"
    "    scored.sort(key=lambda pair: pair[0], reverse=True)\n"
    "    return [item for _, item in scored[:k]]  # top k, best first\n"
    "\n"
    "- a list item? 1. or a step\n"
)


def shaped(shape: str, megabytes: float) -> str:
    """About ``megabytes`` of text of one shape."""
    size = int(megabytes * 1_000_000)
    if shape == "prose":  # short words, one paragraph, no line break
        words = ("a", "to", "of", "the", "and", "is", "it", "we", "on", "by")
        rng = random.Random(5)
        return " ".join(rng.choices(words, k=size // 3))[:size]
    if shape == "one line":
        return "QUJD" * (size // 4)  # a base64 blob: no space, no newline
    if shape == "short lines":
        return "ok\n" * (size // 3)
    if shape == "code":
        return CODE * (size // len(CODE))
    return pasted(megabytes)


def timed(args: list[str], env: dict[str, str], limit: float) -> tuple[float, float]:
    """Wall seconds and the child's own peak memory in MB (inf if it ran past ``limit``)."""
    command = [sys.executable, "-m", "interviewer", *args]
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            break
        if time.perf_counter() - start > limit:
            child.kill()
            child.wait()
            return math.inf, math.inf
        time.sleep(0.005)
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed with status {child.returncode}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def measure(folder: Path, megabytes: float, env: dict[str, str], args: argparse.Namespace) -> dict:
    """Each shape's median seconds and peak MB per command, the shapes interleaved."""
    ids = {shape: f"b{SHAPES.index(shape)}{int(megabytes):06d}"[:8] for shape in SHAPES}
    for shape, sid in ids.items():  # written by a child: a big parent inflates each run's peak
        subprocess.run(
            [sys.executable, __file__, "--write", shape, str(megabytes), f"{folder}/{sid}.json"],
            check=True,
        )
    commands = {
        "show": lambda i: ["show", i],
        "md": lambda i: ["export", i, "-o", f"{folder}/x.md"],
        "html": lambda i: ["export", i, "-f", "html", "-o", f"{folder}/x.html"],
    }
    runs: dict = {(s, c): [] for s in SHAPES for c in commands}
    for _ in range(args.runs):
        for shape in SHAPES:
            for name, command in commands.items():
                runs[(shape, name)].append(timed(command(ids[shape]), env, args.timeout))
    for shape in SHAPES:
        Path(folder, f"{ids[shape]}.json").unlink()
    return {
        key: (statistics.median(t for t, _ in v), max(m for _, m in v)) for key, v in runs.items()
    }


def cell(seconds: float, peak: float) -> str:
    ok = seconds < GOAL_S and peak < GOAL_MB
    return f"{seconds:5.2f} s {peak:4.0f} MB{'' if ok else ' !'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[10, 50])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--write", nargs=3, help=argparse.SUPPRESS)  # SHAPE MB PATH
    args = parser.parse_args()
    if args.write:
        shape, megabytes, path = args.write
        t = session(shaped(shape, float(megabytes)))
        t.id = Path(path).stem
        Path(path).write_text(t.model_dump_json(), encoding="utf-8")
        return
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f} (1 min) {os.getloadavg()[1]:.1f} (5 min)")  # fmt: skip
    print(f"{'answer':>6} {'shape':<12} {'show':>17} {'export md':>17} {'export html':>17}")
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "none.toml").write_text("")  # a named config file must exist
        env.update(INTERVIEWER_TRANSCRIPTS_DIR=tmp, INTERVIEWER_CONFIG=f"{tmp}/none.toml",
                   COLUMNS="160")  # fmt: skip
        for megabytes in args.sizes:
            figures[megabytes] = measure(Path(tmp), megabytes, env, args)
            for shape in SHAPES:
                row = [cell(*figures[megabytes][(shape, c)]) for c in ("show", "md", "html")]
                print(f"{megabytes:>4g}MB {shape:<12} " + " ".join(f"{c:>17}" for c in row),
                      flush=True)  # fmt: skip
    small, big = min(args.sizes), max(args.sizes)
    if big > small:
        worst = max(
            (figures[big][key][0] / big) / (figures[small][key][0] / small) for key in figures[big]
        )
        print(f"time per MB at {big:g} MB over that at {small:g} MB, worst: {worst:.2f}x "
              f"(goal <= {GOAL_LINEAR}x; start-up is paid once, so under 1 is linear)")  # fmt: skip
    print(f"goal: every shape at 50 MB under {GOAL_S:g} s and {GOAL_MB} MB ('!' marks a miss); "
          f"load now {os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
