"""Many slow, model-bound jobs at once, each result handed over as it arrives and kept.

``calibrate`` (a gold set graded by a judge) and ``rehearse`` (sessions run by an
interviewer) both wait on a model far longer than they compute, so they run their jobs
on ``workers`` daemon threads and take the results in the main thread, in order of
arrival, to save and count. Daemon threads and short waits let Ctrl-C in the main thread
return at once: what arrived has been handed over, and a job still in flight is simply
run again by the next run. Each result is a line of a JSON Lines file, appended as it
arrives and read back on the next run (``read_lines``, ``append_line``); each worker
thread has its own model client (``PerThread``).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

J = TypeVar("J")
R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def read_lines(path: Path, model: type[M]) -> list[M]:
    """What an earlier run left; a torn last line (the run was killed mid-write) is skipped."""
    if not path.exists():
        return []
    results = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            results.append(model.model_validate_json(line))
        except ValidationError:
            continue
    return results


def append_line(path: Path, record: BaseModel, lock: threading.Lock) -> None:
    """One result on file, whole: lines from several threads never interleave."""
    with lock, path.open("a", encoding="utf-8") as handle:
        handle.write(record.model_dump_json() + "\n")


class PerThread(Generic[T]):
    """One ``make()`` per worker thread (a model client is not shared across threads)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._local = threading.local()

    def get(self) -> T:
        if not hasattr(self._local, "value"):
            self._local.value = self._make()
        value: T = self._local.value
        return value


def in_parallel(jobs: Sequence[J], work: Callable[[J], R], workers: int) -> Iterator[R]:
    """Each job's result, as it arrives. An exception in ``work`` is a bug, not a model
    error (those are results): it is raised here, in the caller's thread."""
    todo: queue.Queue[J] = queue.Queue()
    for job in jobs:
        todo.put(job)
    arrived: queue.Queue[R | BaseException] = queue.Queue()

    def worker() -> None:
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            try:
                arrived.put(work(job))
            except Exception as exc:
                arrived.put(exc)

    for n in range(min(max(1, workers), len(jobs))):
        threading.Thread(target=worker, name=f"pool-{n}", daemon=True).start()
    for _ in range(len(jobs)):
        result = _wait(arrived)
        if isinstance(result, BaseException):
            raise result
        yield result


def _wait(arrived: queue.Queue[R | BaseException]) -> R | BaseException:
    """The next result; short waits, so that Ctrl-C in the main thread is seen at once."""
    while True:
        with contextlib.suppress(queue.Empty):
            return arrived.get(timeout=0.2)
