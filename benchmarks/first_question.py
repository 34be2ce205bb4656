"""Time from the command to the first question of a scripted round (no key, no server).

The README's first command ends in `interviewer practice ml-system-design`; on a machine
with nothing to talk to, that is a scripted round, and the newcomer's wait is the start-up
plus the first line. Goal: under 1 s. Runs the installed CLI a few times in a fresh
transcripts folder and prints the median, beside the floor of `python -c "import typer,
rich"` measured the same way, so a busy machine shows as a ratio.

    .venv/bin/python benchmarks/first_question.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROMPT = "You \u203a".encode()
BIN = Path(sys.executable).parent


def first_question(folder: str) -> float:
    env = {**os.environ, "INTERVIEWER_TRANSCRIPTS_DIR": folder}
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "INTERVIEWER_MODEL"):
        env.pop(name, None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "interviewer"), "practice", "ml-system-design"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=folder,
    )
    assert proc.stdout is not None and proc.stdin is not None
    seen = b""
    while PROMPT not in seen:
        chunk = proc.stdout.read1(4096)
        if not chunk:
            raise SystemExit(f"the round ended before its first question:\n{seen.decode()}")
        seen += chunk
    elapsed = time.perf_counter() - started
    proc.stdin.write(b"/pause\n")
    proc.stdin.close()
    proc.wait()
    return elapsed


def floor() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import typer, rich"], check=True)
    return time.perf_counter() - started


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        first_question(folder)  # warm the file cache once
        pairs = [(first_question(folder), floor()) for _ in range(runs)]
    scripted = statistics.median(p[0] for p in pairs)
    base = statistics.median(p[1] for p in pairs)
    print(f"first scripted question: {scripted:.2f} s median of {runs} (goal: under 1 s)")
    print(f"import typer, rich:      {base:.2f} s; ratio {scripted / base:.1f}x")


if __name__ == "__main__":
    main()
