"""How long the CLI takes to start, against the floor of importing typer and rich.

Times, as subprocesses the way a user runs them, the median of several runs of:
``python -c "import typer, rich"`` (the floor any typer + rich CLI pays),
``interviewer --help`` and ``interviewer list`` (over an empty transcripts folder), and
prints each with its ratio to the floor.

Bytecode caching is switched on for the subprocesses (``PYTHONDONTWRITEBYTECODE`` is
dropped and a warm-up run writes the caches), as it is for anyone who installed the
package: without it every run compiles every module from source, ~0.5 s here.

Usage: ``python benchmarks/startup.py [--runs 9]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def median_s(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "INTERVIEWER_TRANSCRIPTS_DIR": folder,
               "INTERVIEWER_CONFIG": os.path.join(folder, "none.toml")}  # fmt: skip
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module's docstring
        py = sys.executable
        median_s([py, "-m", "interviewer", "list"], 2, env)  # write bytecode, warm the cache
        floor = median_s([py, "-c", "import typer, rich"], args.runs, env)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {args.runs}")
        print(f"{'import typer, rich (floor)':<28} {floor * 1000:7.0f} ms   1.00x")
        for label, argv in (
            ("interviewer --help", ["--help"]),
            ("interviewer list", ["list"]),
        ):
            took = median_s([py, "-m", "interviewer", *argv], args.runs, env)
            print(f"{label:<28} {took * 1000:7.0f} ms   {took / floor:.2f}x")


if __name__ == "__main__":
    main()
