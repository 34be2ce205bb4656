"""``next --dry-run`` and ``plan`` over thousands of scored sessions: time and peak memory.

Both read the history from the index (as ``progress`` does), then decide in pure code.
Generates scored transcripts with ``list_speed.generate`` (every shipped round, the
round's own dimensions scored), builds the index once (cold), then times each command
warm, interleaved with ``interviewer --version`` as the floor of a busy machine
(``review_scale``'s harness), and beside ``progress`` over the same folder, which reads
the same index. Goal: warm, under 1 s and 200 MB at 10,000 sessions.

Usage: ``python benchmarks/teaching_scale.py [--sessions 10000] [--runs 5] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from review_scale import interleaved, make, report, run

import interviewer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate here once and reuse")
    args = parser.parse_args()
    src = Path(interviewer.__file__).parents[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(src), COLUMNS="160")
    print(f"interviewer from {src}; python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "none.toml").write_text("")
        env["INTERVIEWER_CONFIG"] = str(Path(tmp) / "none.toml")
        folder = (args.keep or Path(tmp)) / f"scored-{args.sessions}"
        make(folder, args.sessions, all_scored=True)
        where = ["--transcripts-dir", str(folder)]
        until = (date.today() + timedelta(days=14)).isoformat()
        cold = run(["next", "--dry-run", *where], env)  # builds the index
        print(f"{'next --dry-run, first run':<34} {cold[0]:6.3f} s  peak {cold[1]:.0f} MB")
        commands = {
            f"progress (reference), warm, {args.sessions:,}": ["progress", *where],
            f"next --dry-run, warm, {args.sessions:,}": ["next", "--dry-run", *where],
            f"plan (14 days), warm, {args.sessions:,}": [
                "plan",
                "ml-engineer",
                "--until",
                until,
                *where,
            ],
        }
        times, floor = interleaved(commands, env, args.runs)
        for label, runs in times.items():
            report(label, runs, floor, 1, 200)


if __name__ == "__main__":
    main()
