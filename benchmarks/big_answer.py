"""``show``, ``export`` and the quote highlighter on a transcript with one huge answer.

A candidate can paste a whole log or file into an answer; reviewing the session must
still take time in proportion to its size. Writes a session whose one answer is SIZE MB
of pasted text (lines of words, like a log), scored with evidence quotes taken from its
start, middle and end, then times, as subprocesses with a bytecode cache: ``show`` (to a
160-column terminal), ``export --format md`` and ``export --format html``, and in
process the highlighter alone. Goals: a 10 MB answer shown in under 2 s; 50 MB finishes.

Usage: ``python benchmarks/big_answer.py [--sizes 1 5 10 50] [--timeout 300]``
"""

from __future__ import annotations

import argparse
import os
import random
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
from interviewer.grading.quotes import highlight_spans

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


def timed(args: list[str], env: dict[str, str], limit: float) -> str:
    command = [sys.executable, "-m", "interviewer", *args]
    start = time.perf_counter()
    try:
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, timeout=limit)
    except subprocess.TimeoutExpired:
        return f"> {limit:.0f} s (stopped)"
    return f"{time.perf_counter() - start:6.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 10, 50])
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'answer':>8}  {'highlight':>10}  {'show':>10}  {'export md':>10}  {'export html':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "none.toml").write_text("")  # a named config file must exist
        env.update(INTERVIEWER_TRANSCRIPTS_DIR=tmp, INTERVIEWER_CONFIG=f"{tmp}/none.toml",
                   COLUMNS="160")  # fmt: skip
        for megabytes in args.sizes:
            t = session(pasted(megabytes))
            Path(tmp, f"{t.id}.json").write_text(t.model_dump_json(), encoding="utf-8")
            card = t.scorecards[0]
            start = time.perf_counter()
            highlight_spans(card.dimensions[0].evidence, t.turns[1].text)
            marks = f"{time.perf_counter() - start:6.2f} s"
            show = timed(["show", t.id], env, args.timeout)
            md = timed(["export", t.id, "-o", f"{tmp}/x.md"], env, args.timeout)
            html = timed(["export", t.id, "-f", "html", "-o", f"{tmp}/x.html"], env, args.timeout)
            print(f"{megabytes:>6g}MB  {marks:>10}  {show:>10}  {md:>10}  {html:>11}", flush=True)
    print("goal: show of a 10 MB answer < 2 s; 50 MB finishes")


if __name__ == "__main__":
    main()
