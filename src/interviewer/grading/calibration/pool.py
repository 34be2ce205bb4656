"""Many slow, model-bound jobs at once, each result handed over as it arrives.

``calibrate`` (a gold set graded by a judge) and ``rehearse`` (sessions run by an
interviewer) both wait on a model far longer than they compute, so they run their jobs
on ``workers`` daemon threads and take the results in the main thread, in order of
arrival, to save and count. Daemon threads and short waits let Ctrl-C in the main thread
return at once: what arrived has been handed over, and a job still in flight is simply
run again by the next run.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

J = TypeVar("J")
R = TypeVar("R")


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
