"""Grading a gold set: concurrent, resumable, one result line per item and repeat.

Results are appended to a JSON Lines file as they arrive, so an interrupted run (Ctrl-C,
a dead server, a closed laptop) resumes where it stopped: a rerun with the same judge,
gold set, samples and judge prompt skips every item already scored or failed, and
retries only those that hit a model error. Each worker thread has its own client.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import Field

from interviewer.catalog.library import prompt_path, sha256_file
from interviewer.errors import UserError
from interviewer.formats.base import Record
from interviewer.formats.rounds import Round
from interviewer.formats.transcript import ModelInfo, Scorecard
from interviewer.grading.calibration.gold import GoldItem, GoldSet, as_transcript, check_against
from interviewer.grading.calibration.pool import PerThread, append_line, in_parallel, read_lines
from interviewer.grading.calibration.record import judge_key, results_dir
from interviewer.grading.judge import MODEL_FAILED, grade
from interviewer.models.base import ChatModel

DONE = ("scored", "failed")


class ItemResult(Record):
    """One grading of one gold item: what the judge gave, and how the reply went."""

    item: str
    repeat: int
    status: Literal["scored", "failed", "error"]
    overall: float | None = None
    grade: int | None = None
    dimensions: dict[str, int | None] = Field(default_factory=dict)
    quotes: int = 0
    verified_quotes: int = 0
    attempts: int = 0
    parse_failures: int = 0
    reason: str | None = None
    seconds: float = 0.0


def to_grade(overall: float | None) -> int | None:
    """The overall as a 1-5 grade, halves rounded up (3.5 -> 4)."""
    return None if overall is None else max(1, min(5, int(overall + 0.5)))


def result_of(item: GoldItem, repeat: int, card: Scorecard, seconds: float) -> ItemResult:
    dropped = sum(f.startswith("quote not found") for d in card.dimensions for f in d.flags)
    kept = sum(len(d.evidence) for d in card.dimensions)
    valid = card.samples if card.status == "scored" else 0
    errored = card.status == "failed" and (card.failure_reason or "").startswith(MODEL_FAILED)
    return ItemResult(
        item=item.id,
        repeat=repeat,
        status="error" if errored else card.status,
        overall=card.overall,
        grade=to_grade(card.overall),
        dimensions={d.dimension: d.score if d.verified else None for d in card.dimensions},
        quotes=kept + dropped,
        verified_quotes=kept,
        attempts=card.attempts,
        parse_failures=max(0, card.attempts - valid),
        reason=card.failure_reason,
        seconds=round(seconds, 3),
    )


def run_key(judge: ModelInfo, gold: GoldSet, samples: int) -> str:
    """Results are reused only for the same judge, gold set, samples and judge prompt."""
    prompt = sha256_file(prompt_path("judge.md"))
    raw = f"{judge.model}|{judge.api_base}|{gold.sha256}|{samples}|{prompt}"
    return hashlib.sha256(raw.encode()).hexdigest()[:10]


def results_path(judge: ModelInfo, gold: GoldSet, samples: int, folder: Path | None = None) -> Path:
    folder = folder or results_dir() / "runs"
    return folder / f"{judge_key(judge)}-{run_key(judge, gold, samples)}.jsonl"


def read_results(path: Path) -> list[ItemResult]:
    """What an earlier run left (a line torn by a kill is skipped)."""
    return read_lines(path, ItemResult)


class Calibration:
    """Grades every (item, repeat) not yet done, ``jobs`` at a time, appending each result."""

    def __init__(
        self,
        gold: GoldSet,
        rounds: dict[str, Round],
        make: Callable[[], ChatModel],
        path: Path,
        *,
        repeats: int = 1,
        samples: int = 1,
        jobs: int = 4,
    ) -> None:
        self.gold, self.rounds, self.make, self.path = gold, rounds, make, path
        self.repeats, self.samples, self.jobs = repeats, samples, max(1, jobs)
        self._lock = threading.Lock()
        self._models = PerThread(make)
        missing = sorted({i.round for i in gold.items} - set(rounds))
        if missing:
            raise UserError(
                f"{gold.name}: items name rounds that are not available: {', '.join(missing)}"
            )
        check_against(gold, rounds)  # an unknown opening would be graded without its reference

    def pending(self, done: list[ItemResult]) -> list[tuple[GoldItem, int]]:
        finished = {(r.item, r.repeat) for r in done if r.status in DONE}
        return [
            (item, repeat)
            for repeat in range(1, self.repeats + 1)
            for item in self.gold.items
            if (item.id, repeat) not in finished
        ]

    def _one(self, item: GoldItem, repeat: int) -> ItemResult:
        model = self._models.get()
        started = time.perf_counter()
        try:
            card = grade(
                model, self.rounds[item.round], as_transcript(item, model.info), [],
                samples=self.samples,
            )  # fmt: skip
        except UserError as exc:  # a model error that outlived its retries
            return ItemResult(item=item.id, repeat=repeat, status="error", reason=str(exc))
        return result_of(item, repeat, card, time.perf_counter() - started)

    def _append(self, result: ItemResult) -> None:
        append_line(self.path, result, self._lock)

    def run(self, on_result: Callable[[ItemResult], None] | None = None) -> list[ItemResult]:
        """Grade what is pending; return every result on file. Ctrl-C returns at once:
        what arrived is on file, and a request still in flight is asked again next run."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        pending = self.pending(read_results(self.path))
        for result in in_parallel(pending, lambda job: self._one(*job), self.jobs):
            self._append(result)
            if on_result:
                on_result(result)
        return latest(read_results(self.path))


def latest(results: list[ItemResult]) -> list[ItemResult]:
    """The last result for each (item, repeat): a retried error is replaced by its retry."""
    kept: dict[tuple[str, int], ItemResult] = {}
    for result in results:
        kept[(result.item, result.repeat)] = result
    return list(kept.values())


def judged_grade(results: list[ItemResult]) -> int | None:
    """An item's grade over its repeats: the lower median of the non-null grades, null when
    most repeats gave none."""
    grades = [r.grade for r in results if r.status == "scored"]
    known = [g for g in grades if g is not None]
    return statistics.median_low(known) if known and len(known) * 2 >= len(grades) else None


def judged_overall(results: list[ItemResult]) -> float | None:
    values = [r.overall for r in results if r.status == "scored" and r.overall is not None]
    return statistics.median(values) if values else None


def dump(results: list[ItemResult]) -> str:
    return json.dumps([r.model_dump() for r in results])
