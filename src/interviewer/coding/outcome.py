"""What a check's run came to: the verdict's report read into a ``CheckResult``, and its text.

``interpret`` turns the harness's events and the candidate process's end into one of the
``CheckStatus`` values with its summary and per-test detail; ``format_result`` is the
short block both the candidate and the models see.
"""

from __future__ import annotations

import signal
import textwrap
from dataclasses import dataclass, field
from typing import Any, Literal

from interviewer.coding import sandbox

CheckStatus = Literal["passed", "failed", "error", "timeout", "no-code", "not-run"]

MAX_DETAIL = 1500  # characters of detail kept in a result


@dataclass(frozen=True)
class CheckResult:
    """What happened when the candidate's code met the tests, in words for humans and models."""

    status: CheckStatus
    summary: str  # one line
    detail: str = ""  # the per-test outcomes or the error, at most MAX_DETAIL characters
    duration_s: float = 0.0
    tests_passed: int = 0
    tests_total: int = 0


@dataclass(frozen=True)
class Outcome:
    """How the candidate's process ended: its exit status, and whether the deadline ended it."""

    returncode: int
    timed_out: bool


@dataclass
class _Progress:
    """The harness's events folded into what happened to each test."""

    tests: list[str] = field(default_factory=list)
    results: dict[int, tuple[bool, str | None, list[str]]] = field(default_factory=dict)
    running: int | None = None
    loaded: bool = False
    done: bool = False
    load_error: str | None = None
    setup_error: str | None = None
    lost: str | None = None  # the verdict lost the candidate's process: "closed" or "garbled"

    @classmethod
    def from_events(cls, events: list[dict[str, Any]]) -> _Progress:
        progress = cls()
        for event in events:
            kind = event["event"]
            if kind == "plan":
                progress.tests = [str(t) for t in event.get("tests", [])]
            elif kind == "loaded":
                progress.loaded = True
            elif kind == "load-error":
                progress.load_error = str(event.get("error"))
            elif kind == "setup-error":
                progress.setup_error = f"{event.get('source')}: {event.get('error')}"
            elif kind == "start":
                progress.running = int(event.get("index", -1))
            elif kind == "result":
                index = int(event.get("index", -1))
                error = event.get("error")
                returned = [str(r) for r in event.get("returned", [])]
                progress.results[index] = (
                    event.get("passed") is True,
                    None if error is None else str(error),
                    returned,
                )
                progress.running = None
            elif kind == "lost":
                progress.lost = str(event.get("why") or "closed")
            elif kind == "done":
                progress.done = True
        return progress

    @property
    def passed(self) -> int:
        return sum(ok for ok, _, _ in self.results.values())


Said = tuple[CheckStatus, str, str]
"""A run's status, its summary line and its detail (the tests, stderr)."""


def interpret(
    name: str,
    timeout: float,
    outcome: Outcome,
    events: list[dict[str, Any]],
    stderr: str,
    duration: float,
) -> CheckResult:
    """What the candidate is told of a run, from the harness's events and how the process
    ended: the check broken or the code not loading, then all tests run, then the clock,
    then the code ending the process itself, in that order."""
    progress = _Progress.from_events(events)
    status, summary, detail = (
        _not_started(progress, name)
        or _finished(progress, name)
        or _timed_out(progress, name, timeout, outcome)
        or _ended_early(progress, name, outcome, stderr)
    )
    return CheckResult(
        status,
        summary,
        _clip(detail, MAX_DETAIL),
        round(duration, 3),
        progress.passed,
        len(progress.tests),
    )


def _not_started(progress: _Progress, name: str) -> Said | None:
    """The check's own set-up failed (not the candidate's fault), or the code did not load."""
    if progress.setup_error is not None:
        return (
            "error",
            f"The check for {name} is itself broken; this is not your fault.",
            progress.setup_error,
        )
    if progress.load_error is not None:
        libraries = "standard library and NumPy" if sandbox.numpy_folder() else "standard library"
        hint = (
            f" (checks run with the Python {libraries} only)"
            if "ModuleNotFoundError" in progress.load_error
            else ""
        )
        return ("error", f"Your code could not be loaded: {progress.load_error}{hint}", "")
    return None


def _finished(progress: _Progress, name: str) -> Said | None:
    """Every test ran: how many passed."""
    if not progress.done:
        return None
    total, passed = len(progress.tests), progress.passed
    detail = _test_lines(progress, name)
    if passed == total:
        return ("passed", f"Ran your {name} against {total} tests: all passed.", detail)
    return (
        "failed",
        f"Ran your {name} against {total} tests: {passed} passed, {total - passed} failed.",
        detail,
    )


def _timed_out(progress: _Progress, name: str, timeout: float, outcome: Outcome) -> Said | None:
    """Stopped on the clock: where the code was, loading or in which test."""
    if not outcome.timed_out:
        return None
    where = (
        f"still running test {progress.running + 1} of {len(progress.tests)}; "
        f"{progress.passed} passed before that"
        if progress.loaded and progress.running is not None
        else "still loading your code, before any test ran"
    )
    return (
        "timeout",
        f"Stopped your {name} after {timeout:g} s, {where}.",
        _test_lines(progress, name),
    )


def _ended_early(progress: _Progress, name: str, outcome: Outcome, stderr: str) -> Said:
    """The code wrote over the check's channel, or ended the process itself: os._exit, a
    signal, or the memory or CPU limit."""
    stage = (
        f"during test {progress.running + 1} of {len(progress.tests)}"
        if progress.running is not None
        else "while loading"
    )
    detail = _test_lines(progress, name) if progress.loaded else ""
    if progress.lost == "garbled":
        return (
            "error",
            f"Your code wrote over the check's own channel {stage}, so the check stopped.",
            detail,
        )
    how = _exit_reason(outcome.returncode)
    if stderr:
        detail = f"{detail}\nstderr: {stderr}".strip()
    return ("error", f"Your code ended the Python process {stage} ({how}).", detail)


def _test_lines(progress: _Progress, name: str) -> str:
    lines = []
    for index, source in enumerate(progress.tests):
        if index in progress.results:
            ok, error, returned = progress.results[index]
            if ok:
                lines.append(f"PASS {source}")
                continue
            why = error or "failed"
            if returned:
                why += f"; {name} returned {', '.join(returned)}"
            lines.append(f"FAIL {source}\n     {why}")
        elif index == progress.running:
            lines.append(f"STOPPED {source}")
        else:
            lines.append(f"NOT RUN {source}")
    return "\n".join(lines)


def _exit_reason(returncode: int) -> str:
    if returncode < 0:
        try:
            signame = signal.Signals(-returncode).name
        except ValueError:
            signame = f"signal {-returncode}"
        meaning = {"SIGXCPU": "CPU time limit", "SIGKILL": "killed", "SIGSEGV": "crashed"}.get(
            signame
        )
        return f"{signame}, {meaning}" if meaning else signame
    return f"exit status {returncode}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------- render


def format_result(result: CheckResult) -> str:
    """The block shown to the candidate and given to the interviewer and judge models.

    It quotes the candidate's own error messages and return values, so a caller that hands
    it to a model must treat it as the candidate's words (inside the data block).
    """
    head = f"Code check ({result.status}): {result.summary}"
    if not result.detail:
        return head
    return head + "\n" + textwrap.indent(result.detail, "  ")
