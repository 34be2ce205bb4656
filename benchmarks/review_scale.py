"""``progress`` over 10,000 scored sessions and ``list`` over 50,000: time and peak memory.

Generates realistic transcripts (``list_speed.generate``: paragraph answers, scorecards
with the round's own dimensions, evidence, the grading prompt and the judge's raw reply)
into a temporary folder: 10,000 sessions that were all scored, for ``progress`` and
``progress --html``; 50,000 shorter ones (two to four exchanges, most scored) for
``list``. Each command runs as a subprocess, the way a user runs it, with a bytecode
cache; the first run builds the index (cold), the timed runs find it (warm). Peak memory
is the child's maximum resident set size (``resource.getrusage``), the interpreter
included. Goals: warm ``progress`` under 0.5 s and ``progress --html`` under 1 s, both
under 200 MB, at 10,000; warm ``list`` under 1 s at 50,000. On a busy machine every process is slower, so
``interviewer --version`` (start-up alone) runs interleaved with them as the floor, and
each line also says how far above that floor the command was.

To measure another checkout (``before``), run this script with that checkout's ``src``
first on ``PYTHONPATH``: the children import whatever ``interviewer`` the parent does.

Usage: ``python benchmarks/review_scale.py [--scored 10000] [--listed 50000] [--runs 5]
[--keep DIR]`` (``--keep``: generate into DIR once and reuse it on later runs)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from list_speed import generate

import interviewer

# Runs the CLI in this process and reports its peak resident memory on the last line.
WRAPPER = (
    "import resource, runpy, sys\n"
    "sys.argv = ['interviewer', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('interviewer', run_name='__main__')\n"
    "except SystemExit as exc:\n"
    "    code = exc.code\n"
    "else:\n"
    "    code = 0\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak MB of one run of ``interviewer ARGS``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"interviewer {' '.join(args)} failed:\n{done.stderr}")
    return took, int(done.stderr.split()[-1]) / 1024


def report(
    label: str, runs: list[tuple[float, float]], floor: float, goal_s: float, goal_mb: float
) -> None:
    took = statistics.median(t for t, _ in runs)
    peak = max(m for _, m in runs)
    ok = "ok" if took < goal_s and peak < goal_mb else "MISSED"
    print(
        f"{label:<34} median {took:6.3f} s (start-up {floor:.3f} s + {took - floor:.3f} s)  "
        f"peak {peak:4.0f} MB   goal < {goal_s:g} s, < {goal_mb:g} MB: {ok}"
    )


def interleaved(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> tuple[
    dict[str, list[tuple[float, float]]], float
]:  # fmt: skip
    """Each command ``runs`` times, in turn with ``--version``; the floor is its median."""
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    floors = []
    for _ in range(runs):
        for label, args in commands.items():
            floors.append(run(["--version"], env)[0])
            times[label].append(run(args, env))
    return times, statistics.median(floors)


def make(folder: Path, count: int, **options: object) -> None:
    if any(folder.glob("*.json")):
        print(f"reusing the {count:,} transcripts in {folder}")
        return
    start = time.perf_counter()
    generate(folder, count, **options)  # type: ignore[arg-type]
    size = sum(p.stat().st_size for p in folder.glob("*.json")) / 1e6
    print(
        f"generated {count:,} transcripts ({size:,.0f} MB) in {time.perf_counter() - start:.0f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scored", type=int, default=10_000)
    parser.add_argument("--listed", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate here once and reuse")
    args = parser.parse_args()
    src = Path(interviewer.__file__).parents[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(src), COLUMNS="160")
    print(f"interviewer from {src}; python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "none.toml").write_text("")  # a named config file must exist
        env["INTERVIEWER_CONFIG"] = str(Path(tmp) / "none.toml")
        where = args.keep or Path(tmp)
        scored, listed = where / f"scored-{args.scored}", where / f"listed-{args.listed}"
        make(scored, args.scored, all_scored=True)
        html = str(Path(tmp, "progress.html"))
        progress = ["progress", "--transcripts-dir", str(scored)]
        cold = run(progress, env)  # builds the index, or finds it current
        print(f"{'progress, first run':<34} {cold[0]:6.3f} s  peak {cold[1]:.0f} MB")
        commands = {
            f"progress, warm, {args.scored:,} scored": progress,
            f"progress --html, warm, {args.scored:,}": [*progress, "--html", html],
        }
        if args.listed:
            make(listed, args.listed, exchanges=(2, 4))
            commands[f"list, warm, {args.listed:,}"] = ["list", "--transcripts-dir", str(listed)]
            cold = run(commands[f"list, warm, {args.listed:,}"], env)
            print(f"{'list, first run':<34} {cold[0]:6.3f} s  peak {cold[1]:.0f} MB")
        times, floor = interleaved(commands, env, args.runs)
        for label, runs in times.items():
            goal_s = 0.5 if label.startswith("progress, warm") else 1
            report(label, runs, floor, goal_s, 200 if label.startswith("progress") else 1000)


if __name__ == "__main__":
    main()
