"""Running a candidate's code against the opening's own small tests, safely and briefly.

The coding round asks for one function; an opening with a ``check`` carries a few plain
``assert`` statements that call it. ``run_check`` runs them in a child Python and turns
everything the code can do wrong (not compile, raise, exit, loop forever, fork, eat
memory, flood its output) into a ``CheckResult`` (``outcome`` reads the report into one);
it never raises for the candidate's faults, so the interview goes on. ``extract`` finds
the code in an answer; ``outcome.format_result`` is the short block both the candidate
and the models see.

How the code is fenced in, and why (``sandbox`` decides whether there is a sandbox, and
says which; without one the code is not run at all unless the user opted in):

- Two processes, not one. The candidate's process (in the bubblewrap sandbox) loads the
  code and answers calls; a separate verdict process, outside the sandbox, runs the tests
  and writes the report. The tests, their expected values and the report never enter the
  candidate's process, and what it sends back is decoded as plain data, so neither a stack
  walk, a ``gc`` scan nor a write to every descriptor can turn a wrong function into
  "passed" (``_harness`` says how the two talk).
- ``python -I -S -B``: isolated mode ignores ``PYTHON*`` variables, the user's site folder
  and the current folder on ``sys.path``; ``-S`` also drops site-packages, so no ``.pth``
  file of the venv runs code in the child and no package the user happens to have
  installed is importable: the standard library, plus NumPy, a dependency of the
  interviewer itself (so every install has it, at the version the locks pin), which the
  harness finds by name in the one folder ``sandbox.numpy_folder`` names. A task written
  with NumPy says so (``CodeCheck.numpy``); where NumPy is missing after all, its check is
  not run rather than failed. The cost of ``-S``: ``exit()`` and ``quit()``, which
  ``site`` defines, are missing (``sys.exit`` works).
- A working folder that is a tmpfs inside the sandbox, and files without a name for the
  report and the output: a kill of the interviewer leaves nothing on disk. (Unconfined, a
  scratch folder named with our pid; a later check removes those of dead interviewers.)
- An environment of ``PATH`` and ``LANG`` only (and one BLAS thread, ``sandbox.ONE_THREAD``):
  no API key reaches the candidate's code.
- Its own session (process group), killed as a whole on timeout and after every run, and
  both children die with the interviewer, even on ``kill -9`` (bubblewrap's
  ``--die-with-parent``, ``PR_SET_PDEATHSIG`` for the verdict).
- Resource limits set by the harness before the code is read (see ``_harness``):
  CPU time just above the timeout, 1 GiB of address space, 1 MiB per written file, 32
  open files, no core files, and no new processes or threads (``RLIMIT_NPROC`` 0, which
  root ignores; there the sandbox's process namespace is what ends forked children).
- Output goes to files, not pipes: a flood of prints cannot fill the interviewer's memory,
  and a forked child holding a pipe open cannot hang the read.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from interviewer.coding import sandbox
from interviewer.coding.extract import extract_code
from interviewer.coding.outcome import CheckResult, Outcome, interpret
from interviewer.formats.levels import Level
from interviewer.formats.rounds import CodeCheck

HARNESS = Path(__file__).with_name("_harness.py")
MAX_REPORT_BYTES = 1 << 20


# ------------------------------------------------------------------------------- run


def check_answer(answer: str, check: CodeCheck, level: Level | None = None) -> CheckResult:
    """Extract the code from an answer and run it: the one call the interview loop needs."""
    code = extract_code(answer, check.entry_point)
    return run_check(code or "", check, level)


def run_check(code: str, check: CodeCheck, level: Level | None = None) -> CheckResult:
    """Run the check's tests at ``level`` (``CodeCheck.tests_for``) against ``code`` in a
    fenced-in child Python; never raises.

    Every fault of the candidate's code becomes a status: ``error`` (does not compile,
    raises or exits while loading, lacks the function, or kills its own process),
    ``failed`` (some assert failed or raised), ``timeout`` (still running after
    ``check.timeout_seconds`` of wall-clock time), ``passed``; ``no-code`` for blank code;
    ``not-run`` where no sandbox is available and the user has not opted in to running
    code unconfined (``sandbox.describe``), or where the task needs NumPy and it is missing.
    """
    name = check.entry_point
    if not code.strip():
        return CheckResult(
            "no-code",
            f"No code for {name} found in the answer; put it in a ```python block to run it.",
        )
    if check.numpy and sandbox.numpy_folder() is None:
        return CheckResult(
            "not-run",
            f"Your {name} was not executed: this task uses NumPy, which is not installed "
            "where the interviewer runs.",
            "NumPy is a dependency of interviewer: reinstall it (pip install -r "
            "requirements.lock, or pip install numpy) to run NumPy tasks.",
        )
    where = sandbox.describe()
    if not where.runs:
        return CheckResult(
            "not-run",
            f"Your {name} was not executed: there is no sandbox on this machine to run it in.",
            f"To run code in the coding round, {sandbox.install_hint()}.",
        )
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        report = stack.enter_context(tempfile.TemporaryFile())  # no name: a kill leaves nothing
        stderr = stack.enter_context(tempfile.TemporaryFile())
        try:
            outcome = _run_children(code, check, level, where.sandboxed, report, stderr, stack)
        except OSError as exc:  # could not start Python at all: ours to report, not to raise
            return CheckResult("error", f"Could not start Python to run {name}: {exc}")
        events = _read_events(report)
        stderr_tail = _tail(stderr, 600)
    return interpret(
        name, check.timeout_seconds, outcome, events, stderr_tail, time.monotonic() - started
    )


def _run_children(
    code: str,
    check: CodeCheck,
    level: Level | None,
    sandboxed: bool,
    report: IO[bytes],
    stderr: IO[bytes],
    stack: contextlib.ExitStack,
) -> Outcome:
    """Start the candidate's process (sandboxed) and the verdict's (outside), joined by two
    pipes, and wait for the verdict; kill both on the deadline, and always kill the
    candidate's whole process group afterwards."""
    cpu = math.ceil(check.timeout_seconds) + 1  # a backstop should we die before killing them
    to_candidate_r, to_candidate_w = os.pipe()
    to_verdict_r, to_verdict_w = os.pipe()
    candidate_args, verdict_args = _harness_args(
        check, cpu, report, (to_candidate_r, to_candidate_w, to_verdict_r, to_verdict_w)
    )
    posix = os.name == "posix"
    sandbox.protect_parent()
    # Output goes to a file, not a pipe: the size limit then stops a flood of prints.
    out = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (closed by the stack)
    with contextlib.ExitStack() as spawn:
        # Our copies of the pipe ends are closed once both have started: EOF then reaches
        # each side when the other ends.
        spawn.callback(_close, to_candidate_r, to_candidate_w, to_verdict_r, to_verdict_w)
        launch = _launch(code, sandboxed, candidate_args, spawn, stack)
        candidate = _start_candidate(launch, out, stderr, (to_verdict_w, to_candidate_r), posix)
        try:
            verdict = _start_verdict(
                verdict_args, stderr, (report.fileno(), to_candidate_w, to_verdict_r)
            )
        except OSError:
            _kill_group(candidate, posix)
            candidate.wait()
            raise
    settings = {
        "entry_point": check.entry_point,
        "tests": check.tests_for(level),
        "cpu_seconds": cpu,
    }
    try:
        timed_out = _await(verdict, settings, check.timeout_seconds)
    finally:
        _end_candidate(candidate, launch, posix)
    return Outcome(candidate.returncode, timed_out)


def _start_candidate(
    launch: _Launch, out: IO[bytes], stderr: IO[bytes], pipes: tuple[int, int], posix: bool
) -> subprocess.Popen[bytes]:
    """The candidate's side as ``_launch`` made it ready: a clean environment, no input, its
    output to a file, a process group of its own, and only its two pipe ends passed on."""
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        launch.command,
        cwd=launch.folder,
        env=_child_env(),
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=stderr,
        start_new_session=posix,
        pass_fds=(*pipes, *launch.fds),
        **launch.options,
    )


def _harness_args(
    check: CodeCheck, cpu: int, report: IO[bytes], pipes: tuple[int, int, int, int]
) -> tuple[list[str], list[str]]:
    """The two sides' arguments to the harness: each its ends of the two pipes (``pipes``:
    to the candidate, read and write; to the verdict, read and write), the candidate's CPU
    backstop, the verdict's report file, and where the harness may find ``numpy``."""
    to_candidate_r, to_candidate_w, to_verdict_r, to_verdict_w = pipes
    candidate = ["candidate", check.entry_point, str(to_verdict_w), str(to_candidate_r), str(cpu)]
    verdict = ["verdict", str(report.fileno()), str(to_candidate_w), str(to_verdict_r)]
    numpy = sandbox.numpy_folder()  # where the harness may find `numpy`, and only it
    candidate += [numpy] if numpy else []
    verdict += [numpy] if numpy else []
    return candidate, verdict


def _end_candidate(candidate: subprocess.Popen[bytes], launch: _Launch, posix: bool) -> None:
    """Also after a normal end (or Ctrl-C): nothing the candidate's code started outlives
    the run, its whole process group killed and, where it was adopted, its strays too."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        candidate.wait(timeout=0.5)  # it exits by itself once the verdict is done
    _kill_group(candidate, posix)
    candidate.wait()
    if launch.adopted:
        sandbox.end_strays(set(launch.before))
        sandbox.adopt_orphans(adopt=False)


def _start_verdict(
    args: list[str], stderr: IO[bytes], fds: tuple[int, ...]
) -> subprocess.Popen[bytes]:
    """The verdict's side: our own harness, outside the sandbox, reading the check from its
    standard input (never from a file the candidate's side could reach)."""
    return subprocess.Popen(
        sandbox.script_command(HARNESS, args),
        cwd=os.path.dirname(HARNESS),
        env=_child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        pass_fds=fds,
    )


@dataclass(frozen=True)
class _Launch:
    """How the candidate's side starts: its command, folder, descriptors and options."""

    command: list[str]
    folder: str
    fds: tuple[int, ...] = ()
    options: dict[str, object] = field(default_factory=dict)
    before: frozenset[int] = frozenset()  # our children before it, to find its strays
    adopted: bool = False  # we became the subreaper, and must stop being one after


def _launch(
    code: str,
    sandboxed: bool,
    args: list[str],
    spawn: contextlib.ExitStack,
    stack: contextlib.ExitStack,
) -> _Launch:
    """In the sandbox: the harness and the solution handed over by descriptor, nothing on
    disk. Unconfined (opted in): a scratch folder, and strays adopted to be ended."""
    if sandboxed:
        harness = spawn.enter_context(open(HARNESS, "rb"))  # noqa: SIM115 (closed by spawn)
        solution = spawn.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (likewise)
        solution.write(code.encode("utf-8", "replace"))
        solution.seek(0)
        command = sandbox.sandboxed_command(harness.fileno(), solution.fileno(), args)
        return _Launch(command, "/", (harness.fileno(), solution.fileno()))
    scratch = Path(stack.enter_context(_scratch_folder()))
    (scratch / "solution.py").write_text(code, encoding="utf-8", errors="replace")
    shutil.copyfile(HARNESS, scratch / "harness.py")
    command = sandbox.script_command(scratch / "harness.py", args)
    options = sandbox.popen_options(scratch)
    before = frozenset(sandbox.children())
    return _Launch(command, str(scratch), (), options, before, sandbox.adopt_orphans())


def _await(verdict: subprocess.Popen[bytes], settings: dict[str, object], timeout: float) -> bool:
    """Hand the verdict its check and wait for it; True if the deadline passed. The verdict
    is killed either way (a Ctrl-C here included)."""
    try:
        with contextlib.suppress(BrokenPipeError):
            assert verdict.stdin is not None
            verdict.stdin.write(json.dumps(settings).encode("utf-8"))
            verdict.stdin.close()
        verdict.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return True
    finally:
        verdict.kill()
        verdict.wait()
    return False


def _close(*fds: int) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


@contextlib.contextmanager
def _scratch_folder() -> Iterator[str]:
    """The unconfined mode's working folder, named with our pid; folders of interviewers
    that were killed before they could remove theirs are removed first."""
    root = Path(tempfile.gettempdir())
    for stale in root.glob("interviewer-check-*"):
        pid = stale.name.split("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    with tempfile.TemporaryDirectory(
        prefix=f"interviewer-check-{os.getpid()}-", ignore_cleanup_errors=True
    ) as folder:
        yield folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _child_env() -> dict[str, str]:
    """PATH and LANG only (and one BLAS thread), so the candidate's code sees no API key
    or other secret."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        **sandbox.ONE_THREAD,
    }
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


def _read_events(report: IO[bytes]) -> list[dict[str, Any]]:
    """The verdict's lines; one cut short by a kill is dropped. Only the verdict holds this
    file, and the verdict never runs the candidate's code, so no line needs a signature."""
    report.seek(0)
    raw = report.read(MAX_REPORT_BYTES)
    events: list[dict[str, Any]] = []
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and isinstance(event.get("event"), str):
            events.append(event)
    return events


def _tail(handle: IO[bytes], limit: int) -> str:
    try:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - limit))
        return handle.read().decode("utf-8", errors="replace").strip()
    except OSError:
        return ""
