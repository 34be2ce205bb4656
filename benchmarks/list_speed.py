"""How long ``interviewer list`` takes over 10,000 realistic transcripts.

Generates transcripts shaped like real ones (a dozen exchanges of paragraph-length
answers, a scorecard with the round's own dimensions, evidence quotes, the rendered
grading prompt and the judge's raw reply) into a temporary folder, then times
``python -m interviewer list`` as a subprocess, the way a user runs it:

- cold: no ``index.json``, so every file is parsed (the first run after an upgrade, or
  after the index was deleted);
- warm: with the index, the everyday case. The goal is under one second on a 2-core
  machine.

Runs use a bytecode cache of their own, as an installed package has; the last two lines
repeat the measurement without one (what a checkout run with PYTHONDONTWRITEBYTECODE=1
pays on every start: every module compiled again).

Usage: ``python benchmarks/list_speed.py [--count 10000] [--runs 7] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from interviewer.catalog.library import Catalog
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Round
from interviewer.formats.transcript import ModelInfo, Status, Transcript
from interviewer.grading.judge import grading_prompt
from interviewer.store.transcripts import parse

ANSWER_TEXT = (
    "we would start from the business objective and pick a metric that moves with it then "
    "look at label delay feature freshness and the serving budget before choosing a model "
    "a two tower retrieval stage keeps latency low while a ranker uses richer features the "
    "offline evaluation should mirror the online split by time not at random and we watch "
    "calibration drift and the cold start segment separately because averages hide them"
)
WORDS = ANSWER_TEXT.split()
PERSONAS = ("warm-scientist", "bar-raiser", "pragmatic-eng-manager")
MODELS = ("gpt-4o-mini", "anthropic/claude-3-5-haiku-latest", "ollama_chat/llama3.1")
START = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def turns(
    rng: random.Random, start: datetime, exchanges: tuple[int, int] = (8, 14)
) -> tuple[list[dict[str, Any]], list[str]]:
    out: list[dict[str, Any]] = []
    answers: list[str] = []
    clock = start
    for exchange in range(rng.randint(*exchanges)):
        for role, low, high in (("interviewer", 15, 45), ("candidate", 60, 160)):
            text = " ".join(sentence(rng, low // 3, high // 3) for _ in range(3))
            end = clock + timedelta(seconds=rng.randint(20, 240))
            out.append(
                {
                    "role": role,
                    "text": text,
                    "started_at": clock.isoformat(),
                    "ended_at": end.isoformat(),
                    "phase": "opening" if exchange == 0 else "question",
                    "topic": None,
                    "latency_ms": 640.0 if role == "interviewer" else None,
                    "usage": {"prompt_tokens": 900, "completion_tokens": 60, "cost_usd": 0.0004}
                    if role == "interviewer"
                    else None,
                }
            )
            if role == "candidate":
                answers.append(text)
            clock = end + timedelta(seconds=rng.randint(2, 20))
    return out, answers


def scorecard(
    rng: random.Random, round_: Any, prompt: str, answers: list[str], at: datetime, judge: str
) -> dict[str, Any]:
    dims = []
    for dim in round_.dimensions:
        score = rng.choice([None, 1, 2, 3, 3, 4, 4, 5])
        quote = " ".join(rng.choice(answers).split()[3:12])
        dims.append(
            {
                "dimension": dim.id,
                "name": dim.name,
                "score": score,
                "evidence": [quote] if score else [],
                "rationale": sentence(rng, 15, 30),
                "flags": [],
            }
        )
    scores = [d["score"] for d in dims if d["score"] is not None]
    reply = {
        "dimensions": [
            {k: d[k] for k in ("dimension", "score", "evidence", "rationale")} for d in dims
        ],
        "strengths": [sentence(rng, 6, 12)],
        "gaps": [sentence(rng, 6, 12)],
        "hire_signal": "lean-yes",
        "hire_rationale": "x",
        "practice": [sentence(rng, 6, 12) for _ in range(3)],
    }
    return {
        "status": "scored",
        "failure_reason": None,
        "judge": {"model": judge, "api_base": None},
        "scored_at": at.isoformat(),
        "prompt_sha256": "ab" * 32,
        "grading_prompt": prompt,
        "attempts": 1,
        "structured_mode": "json_schema",
        "dimensions": dims,
        "overall": round(sum(scores) / len(scores), 2) if scores else None,
        "strengths": reply["strengths"],
        "gaps": reply["gaps"],
        "hire_signal": "lean-yes",
        "hire_rationale": sentence(rng, 10, 20),
        "practice": reply["practice"],
        "raw_replies": [json.dumps(reply)],
        "usage": {"prompt_tokens": 6000, "completion_tokens": 700, "cost_usd": 0.002},
    }


def grading_prompt_for(round_: Round) -> str:
    """The grading prompt a senior session on the round's first scenario is scored with
    (the turns go in the judge's user message, not here)."""
    opening = round_.openings[0]
    shell = Transcript(
        id="00000000", created_at=START, updated_at=START, status=Status.complete,
        round=round_.id, round_title=round_.title, persona="warm-scientist",
        level=Level.senior, opening=opening.id, interviewer=ModelInfo(model="stub"),
        judge=ModelInfo(model="stub"), temperature=0.7, sources=[], turns=[],
    )  # fmt: skip
    return grading_prompt(round_, shell, opening, [], "n0nce")


def generate(
    folder: Path,
    count: int,
    seed: int = 7,
    *,
    all_scored: bool = False,
    exchanges: tuple[int, int] = (8, 14),
) -> None:
    """``count`` transcripts; ``all_scored``: every one complete with one or two scorecards."""
    rng = random.Random(seed)
    rounds = [entry.item for entry in Catalog().rounds()]
    prompts = {r.id: grading_prompt_for(r) for r in rounds}
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        round_ = rng.choice(rounds)
        created = START + timedelta(minutes=53 * n + rng.randint(0, 40))
        turn_list, answers = turns(rng, created, exchanges)
        model = rng.choice(MODELS)
        status = rng.choices(["complete", "interrupted", "in-progress"], [85, 12, 3])[0]
        status = "complete" if all_scored else status
        ended = datetime.fromisoformat(turn_list[-1]["ended_at"])
        how_many = rng.choice([1, 1, 1, 2] if all_scored else [0, 1, 1, 1, 2])
        cards = [
            scorecard(rng, round_, prompts[round_.id], answers, ended, model)
            for _ in range(how_many if status == "complete" else 0)
        ]
        data = {
            "version": 2,
            "id": secrets.token_hex(4),
            "created_at": created.isoformat(),
            "updated_at": ended.isoformat(),
            "status": status,
            "round": round_.id,
            "round_title": round_.title,
            "persona": rng.choice(PERSONAS),
            "level": rng.choice(["junior", "senior", "staff"]),
            "opening": round_.openings[0].id,
            "interviewer": {"model": model, "api_base": None},
            "judge": {"model": model, "api_base": None},
            "temperature": 0.7,
            "sources": [],
            "loop": None,
            "turns": turn_list,
            "usage": {"prompt_tokens": 20000, "completion_tokens": 1500, "cost_usd": 0.01},
            "scorecards": cards,
        }
        if n % 1000 == 0:
            parse(Path("generated.json"), json.dumps(data))  # what the tool reads (migrated)
        (folder / f"{data['id']}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


def child_env(folder: Path, pycache: Path, *, bytecode: bool) -> dict[str, str]:
    """The environment for the timed runs: no user config, a fixed width, and a bytecode
    cache of our own (an installed package has one; a checkout run with
    PYTHONDONTWRITEBYTECODE=1 recompiles every module on every start)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    config = folder.parent / "empty-config.toml"  # a named config file must exist
    config.write_text("")
    env.update(INTERVIEWER_CONFIG=str(config), COLUMNS="160")
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def timed(
    args: list[str], env: dict[str, str], runs: int, before: Callable[[], None]
) -> list[float]:
    command = [sys.executable, "-m", "interviewer", *args]
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> None:
    print(
        f"{label:<44} median {statistics.median(times):6.3f} s   "
        f"min {min(times):6.3f}   max {max(times):6.3f}   ({len(times)} runs)"
    )


def measure(folder: Path, tmp: Path, runs: int) -> None:
    env = child_env(folder, tmp / "pycache", bytecode=True)
    bare = child_env(folder, tmp / "no-pycache", bytecode=False)
    listing = ["list", "--transcripts-dir", str(folder)]
    index = folder / "index.json"

    def nothing() -> None:
        pass

    def drop_index() -> None:
        index.unlink(missing_ok=True)

    timed(["--version"], env, 1, nothing)  # fills the bytecode cache; not timed
    report("startup (interviewer --version)", timed(["--version"], env, runs, nothing))
    report("list, cold (no index)", timed(listing, env, max(1, runs // 3), drop_index))
    report("list, warm (index)", timed(listing, env, runs, nothing))
    report("list --json, warm", timed([*listing, "--json"], env, runs, nothing))
    filtered = [*listing, "--status", "scored", "--min-score", "4"]
    report("list --status scored --min-score 4, warm", timed(filtered, env, runs, nothing))
    report("startup, no bytecode cache", timed(["--version"], bare, runs, nothing))
    report("list, warm, no bytecode cache", timed(listing, bare, runs, nothing))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7, help="warm runs (cold runs: a third)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "transcripts"
        if not any(folder.glob("*.json")):
            start = time.perf_counter()
            generate(folder, args.count)
            size = sum(p.stat().st_size for p in folder.glob("*.json")) / 1e6
            print(
                f"generated {args.count} transcripts ({size:.0f} MB) in "
                f"{time.perf_counter() - start:.1f} s"
            )
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
        measure(folder, Path(tmp), args.runs)


if __name__ == "__main__":
    main()
