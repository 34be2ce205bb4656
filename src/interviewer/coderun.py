"""Running a candidate's code against the opening's own small tests, safely and briefly.

The coding round asks for one function; an opening with a ``check`` carries a few plain
``assert`` statements that call it. ``run_check`` runs them in a child Python and turns
everything the code can do wrong (not compile, raise, exit, loop forever, fork, eat
memory, flood its output) into a ``CheckResult``; it never raises for the candidate's
faults, so the interview goes on. ``format_result`` is the short block both the candidate
and the models see.

How the child is fenced in, and why (``sandbox`` decides between the bubblewrap sandbox
and the fallback, and says which):

- The result travels on a descriptor the parent opened to a file outside the scratch
  folder, each line signed with a per-run key given through a pipe closed before the code
  is read: printing, writing files or writing to descriptors cannot forge a result.

- ``python -I -S -B``: isolated mode ignores ``PYTHON*`` variables, the user's site folder
  and the current folder on ``sys.path``; ``-S`` also drops site-packages, so checks are
  standard-library only on every machine (a check that passes only where NumPy happens to
  be installed would be unfair) and no ``.pth`` file of the venv runs code in the child.
  The cost: ``exit()`` and ``quit()``, which ``site`` defines, are missing (``sys.exit``
  works).
- A fresh temporary folder as the working directory, removed afterwards.
- An environment of ``PATH`` and ``LANG`` only: no API key reaches the candidate's code.
- Its own session (process group), killed as a whole on timeout and after every run, so
  children the code forks die with it. Code that calls ``setsid`` itself can still escape
  the group; the CPU limit bounds what such a process can burn.
- Resource limits set by the harness before the code is read (see ``_coderun_harness``):
  CPU time just above the timeout, 1 GiB of address space, 1 MiB per written file, 32
  open files, no core files, and no new processes or threads (``RLIMIT_NPROC`` 0, which
  root ignores; there the process-group kill is what stops forked children).
- Output goes to files in the scratch folder, not pipes: a flood of prints cannot fill the
  interviewer's memory, and a forked child holding a pipe open cannot hang the read.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from interviewer import sandbox
from interviewer.formats import CodeCheck

CheckStatus = Literal["passed", "failed", "error", "timeout", "no-code"]

HARNESS = Path(__file__).with_name("_coderun_harness.py")
MAX_DETAIL = 1500  # characters of detail kept in a result
MAX_REPORT_BYTES = 1 << 20
PYTHON_FENCE_LANGUAGES = {"", "python", "py", "python3", "py3"}


@dataclass(frozen=True)
class CheckResult:
    """What happened when the candidate's code met the tests, in words for humans and models."""

    status: CheckStatus
    summary: str  # one line
    detail: str = ""  # the per-test outcomes or the error, at most MAX_DETAIL characters
    duration_s: float = 0.0
    tests_passed: int = 0
    tests_total: int = 0


# ------------------------------------------------------------------------------ code


_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^`]*$")


def extract_code(answer: str, entry_point: str | None = None) -> str | None:
    """The Python code in a candidate's answer, or None when there is none to run.

    Fenced blocks tagged ``python`` (or ``py``) or untagged are joined in order; blocks in
    other languages (a shell session, sample output) are skipped, and a fence left open runs
    to the end. Without any fence, the text counts as code only when it clearly is: from its
    first ``def``/``import``/``class`` line to the end it parses as Python and defines a
    function (``entry_point`` itself, when given). Prose, and code followed by prose, give
    None rather than a guess.
    """
    blocks = _fenced_blocks(answer)
    if blocks is not None:
        joined = "\n\n".join(block for block in blocks if block.strip())
        return joined.strip("\n") + "\n" if joined.strip() else None
    lines = answer.splitlines()
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(r"(def|async def|class|import|from|@)\b", line)
        ),
        None,
    )
    if start is None:
        return None
    candidate = "\n".join(lines[start:]).strip("\n") + "\n"
    return candidate if _defines_function(candidate, entry_point) else None


def _fenced_blocks(answer: str) -> list[str] | None:
    """The Python fenced blocks, dedented; None when the answer has no fence at all."""
    blocks: list[str] = []
    seen_fence = False
    lines = answer.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE_OPEN.match(lines[i])
        if opening is None:
            i += 1
            continue
        seen_fence = True
        fence, language = opening.group(1), opening.group(2).lower()
        body: list[str] = []
        i += 1
        while i < len(lines) and not _closes(lines[i], fence):
            body.append(lines[i])
            i += 1
        i += 1  # past the closing fence
        if language in PYTHON_FENCE_LANGUAGES:
            blocks.append(textwrap.dedent("\n".join(body)))
    return blocks if seen_fence else None


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _defines_function(code: str, entry_point: str | None) -> bool:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (entry_point is None or node.name == entry_point)
        for node in ast.walk(tree)
    )


# ------------------------------------------------------------------------------- run


def check_answer(answer: str, check: CodeCheck) -> CheckResult:
    """Extract the code from an answer and run it: the one call the interview loop needs."""
    code = extract_code(answer, check.entry_point)
    return run_check(code or "", check)


def run_check(code: str, check: CodeCheck) -> CheckResult:
    """Run ``check.tests`` against ``code`` in a fenced-in child Python; never raises.

    Every fault of the candidate's code becomes a status: ``error`` (does not compile,
    raises or exits while loading, lacks the function, or kills its own process),
    ``failed`` (some assert failed or raised), ``timeout`` (still running after
    ``check.timeout_seconds`` of wall-clock time), ``passed``; ``no-code`` for blank code.
    """
    name = check.entry_point
    if not code.strip():
        return CheckResult(
            "no-code",
            f"No code for {name} found in the answer; put it in a ```python block to run it.",
        )
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="interviewer-check-", ignore_cleanup_errors=True) as tmp,
        tempfile.TemporaryDirectory(prefix="interviewer-report-") as private,
    ):
        folder, report = Path(tmp), Path(private) / "report.jsonl"
        key = secrets.token_bytes(32)  # signs the report; never on disk, never in the folder
        try:
            outcome = _run_child(folder, code, check, report, key)
        except OSError as exc:  # could not start Python at all: ours to report, not to raise
            return CheckResult("error", f"Could not start Python to run {name}: {exc}")
        events = _read_events(report, key)
        stderr = _tail(folder / "stderr.txt", 600)
    return _interpret(
        name, check.timeout_seconds, outcome, events, stderr, time.monotonic() - started
    )


@dataclass(frozen=True)
class _Outcome:
    returncode: int
    timed_out: bool


def _run_child(folder: Path, code: str, check: CodeCheck, report: Path, key: bytes) -> _Outcome:
    (folder / "solution.py").write_text(code, encoding="utf-8", errors="replace")
    settings = {
        "entry_point": check.entry_point,
        "tests": check.tests,
        # Just above the wall-clock limit: a backstop should the parent die before killing it.
        "cpu_seconds": math.ceil(check.timeout_seconds) + 1,
    }
    (folder / "check.json").write_text(json.dumps(settings), encoding="utf-8")
    harness = folder / HARNESS.name
    shutil.copyfile(HARNESS, harness)
    sandbox.protect_parent()
    contained = sandbox.bwrap() is not None  # else strays are hunted down after the run
    before = set() if contained else sandbox.children()
    adopted = not contained and sandbox.adopt_orphans()
    posix = os.name == "posix"
    key_read, key_write = os.pipe()
    os.write(key_write, key)
    os.close(key_write)
    try:
        with (
            open(report, "wb") as sink,
            open(folder / "stdout.txt", "wb") as out,
            open(folder / "stderr.txt", "wb") as err,
        ):
            options = sandbox.popen_options(folder)
            child = subprocess.Popen(  # type: ignore[call-overload]
                sandbox.child_command(harness, folder, sink.fileno(), key_read),
                cwd=folder,
                env=_child_env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=posix,
                pass_fds=(sink.fileno(), key_read),
                **options,
            )
    finally:
        os.close(key_read)
    timed_out = False
    try:
        child.wait(timeout=check.timeout_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        # Also after a normal exit (or Ctrl-C here): no forked child outlives the run.
        _kill_group(child, posix)
        child.wait()
        if adopted:
            sandbox.end_strays(before)
    return _Outcome(child.returncode, timed_out)


def _child_env() -> dict[str, str]:
    """PATH and LANG only, so the candidate's code sees no API key or other secret."""
    env = {"PATH": os.environ.get("PATH", os.defpath), "LANG": os.environ.get("LANG", "C.UTF-8")}
    if os.name == "nt" and "SYSTEMROOT" in os.environ:  # Python cannot start without it there
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


def _kill_group(child: subprocess.Popen[bytes], posix: bool) -> None:
    if not posix:
        child.kill()
        return
    # ProcessLookupError: the whole group has already exited.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)


def _read_events(path: Path, key: bytes) -> list[dict[str, Any]]:
    """The harness's signed lines, in sequence; a line cut short by a kill, a line whose
    signature is wrong (written by the candidate's code) or out of sequence is dropped."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_REPORT_BYTES)
    except OSError:
        return []
    events: list[dict[str, Any]] = []
    for line in raw.decode("utf-8", errors="replace").splitlines():
        mac, _, body = line.partition(" ")
        expected = hmac.new(key, body.encode("utf-8", "replace"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, expected):
            continue
        try:
            event = json.loads(body)
        except ValueError:
            continue
        if not isinstance(event, dict) or event.get("seq") != len(events):
            continue
        if isinstance(event.get("event"), str):
            events.append(event)
    return events


def _tail(path: Path, limit: int) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - limit))
            return handle.read().decode("utf-8", errors="replace").strip()
    except OSError:
        return ""


# ------------------------------------------------------------------------ interpret


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
            elif kind == "done":
                progress.done = True
        return progress

    @property
    def passed(self) -> int:
        return sum(ok for ok, _, _ in self.results.values())


def _interpret(
    name: str,
    timeout: float,
    outcome: _Outcome,
    events: list[dict[str, Any]],
    stderr: str,
    duration: float,
) -> CheckResult:
    progress = _Progress.from_events(events)
    total, passed = len(progress.tests), progress.passed

    def result(status: CheckStatus, summary: str, detail: str = "") -> CheckResult:
        return CheckResult(
            status, summary, _clip(detail, MAX_DETAIL), round(duration, 3), passed, total
        )

    if progress.setup_error is not None:
        return result(
            "error",
            f"The check for {name} is itself broken; this is not your fault.",
            progress.setup_error,
        )
    if progress.load_error is not None:
        hint = (
            " (checks run with the Python standard library only)"
            if "ModuleNotFoundError" in progress.load_error
            else ""
        )
        return result("error", f"Your code could not be loaded: {progress.load_error}{hint}")
    if progress.done:
        detail = _test_lines(progress, name)
        if passed == total:
            return result("passed", f"Ran your {name} against {total} tests: all passed.", detail)
        return result(
            "failed",
            f"Ran your {name} against {total} tests: {passed} passed, {total - passed} failed.",
            detail,
        )
    if outcome.timed_out:
        where = (
            f"still running test {progress.running + 1} of {total}; {passed} passed before that"
            if progress.loaded and progress.running is not None
            else "still loading your code, before any test ran"
        )
        return result(
            "timeout",
            f"Stopped your {name} after {timeout:g} s, {where}.",
            _test_lines(progress, name),
        )
    # The process ended without finishing: os._exit, a signal, or the memory or CPU limit.
    how = _exit_reason(outcome.returncode)
    stage = (
        f"during test {progress.running + 1} of {total}"
        if progress.running is not None
        else "while loading"
    )
    detail = _test_lines(progress, name) if progress.loaded else ""
    if stderr:
        detail = f"{detail}\nstderr: {stderr}".strip()
    return result("error", f"Your code ended the Python process {stage} ({how}).", detail)


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
