"""The script that runs inside the child Python to test a candidate's code (see ``coderun``).

It is started as ``python -I -S -B _coderun_harness.py`` in a scratch folder holding
``solution.py`` (the candidate's code) and ``check.json`` (the entry point and the tests),
so it may import only the standard library and nothing from this package.

It reports progress as JSON lines written to a file descriptor the parent opened (its
number is the first argument), one ``os.write`` per line, so the parent still knows which
tests passed, and which one was running, after it kills a run that loops forever. The
report is not a file in the scratch folder, and each line is signed: ``HMAC-SHA256 hex``,
a space, then the JSON, which carries a sequence number. The key is read from a pipe (the
second argument) and the pipe closed before the candidate's code is read, so printing or
writing files, or writing guessed lines to every descriptor, cannot forge a result: the
parent drops every line whose signature or sequence is wrong. The events, in order:

- ``{"event": "plan", "tests": [source, ...]}``: the assert statements, before any candidate code
- ``{"event": "load-error", "error": ...}``: the code did not compile, raised, exited, or
  lacks the entry point; nothing follows
- ``{"event": "loaded"}``
- ``{"event": "start", "index": i}`` then ``{"event": "result", "index": i, "passed": bool,
  "error": str | null, "returned": [repr, ...]}`` for each assert
- ``{"event": "setup-error", "source": ..., "error": ...}``: a statement of the check itself
  failed (a fault in the rubric, not the candidate); nothing follows
- ``{"event": "done"}``
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import hashlib
import hmac
import json
import os
import reprlib
import sys
from types import CodeType, TracebackType
from typing import Any

SOLUTION_FILE = "solution.py"
MEMORY_BYTES = 1 << 30  # address space; MemoryError in the candidate's code, not a dead machine
FILE_BYTES = 1 << 20  # largest file the code may write, its captured stdout and stderr included
OPEN_FILES = 32
MAX_TEXT = 300  # longest error message or test source sent back, in characters
MAX_RETURNED = 3  # return values recorded per test

_dumps = json.dumps  # bound now, so candidate code that patches json cannot garble the report
_write = os.write
_exit = os._exit
_sign = hmac.new
_sha256 = hashlib.sha256


def set_limits(cpu_seconds: int) -> None:
    """Cap CPU, memory, file size and open files before any candidate code runs.

    Set here rather than in a ``preexec_fn``: that hook is unsafe when the parent has
    threads (the interview streams model replies), and the limits bind all the same
    because this runs before the candidate's code is even read.
    """
    try:
        import resource
        import signal
    except ImportError:  # not POSIX: the parent's wall-clock timeout is the only guard
        return
    # A write past FILE_BYTES raises OSError in the code instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    wanted = {
        resource.RLIMIT_CPU: cpu_seconds,
        resource.RLIMIT_AS: MEMORY_BYTES,
        resource.RLIMIT_FSIZE: FILE_BYTES,
        resource.RLIMIT_NOFILE: OPEN_FILES,
        resource.RLIMIT_CORE: 0,
    }
    # No new processes or threads: the limit counts all of the user's processes, so 0 makes
    # fork fail at once and a fork bomb never starts. Root is exempt; for root the parent's
    # kill of the process group is the guard.
    if hasattr(resource, "RLIMIT_NPROC"):
        wanted[resource.RLIMIT_NPROC] = 0
    for which, value in wanted.items():
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        # The hard CPU limit one second later turns an ignored SIGXCPU into SIGKILL.
        new_hard = value + 1 if which == resource.RLIMIT_CPU else value
        if hard != resource.RLIM_INFINITY:
            new_hard = min(new_hard, hard)
        # Refused on some systems (RLIMIT_AS on macOS); the other limits still hold.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, new_hard))


class Report:
    """Writes one signed JSON event per line to the parent's descriptor, unbuffered."""

    def __init__(self, fd: int, key: bytes) -> None:
        self.fd = fd
        self._key = key
        self._seq = 0

    def emit(self, event: str, **fields: Any) -> None:
        line = _dumps({"event": event, **fields, "seq": self._seq})
        mac = _sign(self._key, line.encode("ascii"), _sha256).hexdigest()
        self._seq += 1
        _write(self.fd, f"{mac} {line}\n".encode("ascii"))


def read_key(fd: int) -> bytes:
    """The run's signing key, from a pipe that is closed before any candidate code runs."""
    key = b""
    while chunk := os.read(fd, 64):
        key += chunk
    os.close(fd)
    return key


def clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_in_solution(tb: TracebackType | None) -> int | None:
    """The deepest line of the candidate's own file in a traceback, to point them at it."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == SOLUTION_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def describe(exc: BaseException) -> str:
    """``Type: message (line N of your code)``, safe against a ``__str__`` that raises."""
    try:
        message = str(exc)
    except Exception:
        message = ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    line = line_in_solution(exc.__traceback__)
    if line is not None:
        text += f" (line {line} of your code)"
    return clip(text)


class RecordCalls(ast.NodeTransformer):
    """Wraps each call to the entry point so a failing test can say what the code returned."""

    def __init__(self, entry_point: str) -> None:
        self.entry_point = entry_point

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == self.entry_point:
            wrapped = ast.Call(func=ast.Name("__record__", ast.Load()), args=[node], keywords=[])
            return ast.copy_location(wrapped, node)
        return node


def plan(tests: str, entry_point: str) -> list[tuple[str, CodeType, bool]]:
    """Each top-level statement of the check: (source, compiled code, is it an assert)."""
    module = ast.parse(tests, filename="<check>")
    steps = []
    for statement in module.body:
        source = ast.get_source_segment(tests, statement) or ast.unparse(statement)
        tree = RecordCalls(entry_point).visit(ast.Module(body=[statement], type_ignores=[]))
        code = compile(ast.fix_missing_locations(tree), "<check>", "exec")
        steps.append((" ".join(source.split()), code, isinstance(statement, ast.Assert)))
    return steps


def load(entry_point: str) -> tuple[Any, str | None]:
    """Run the candidate's file and return its entry point, or why that failed."""
    with open(SOLUTION_FILE, encoding="utf-8") as handle:
        source = handle.read()
    try:
        code = compile(source, SOLUTION_FILE, "exec")
    except SyntaxError as exc:
        return None, clip(f"SyntaxError: {exc.msg} (line {exc.lineno} of your code)")
    except ValueError as exc:  # e.g. a null byte in the source
        return None, clip(f"{type(exc).__name__}: {exc}")
    # Not "__main__": the candidate's own `if __name__ == "__main__":` demo does not run.
    namespace: dict[str, Any] = {"__name__": "solution", "__builtins__": builtins}
    try:
        exec(code, namespace)
    except SystemExit as exc:
        return None, f"your code called sys.exit({exc.code!r}) while loading, before any test ran"
    except BaseException as exc:
        return None, describe(exc)
    function = namespace.get(entry_point)
    if not callable(function):
        return None, f"your code defines no function named {entry_point}"
    return function, None


def run_tests(
    steps: list[tuple[str, CodeType, bool]], entry_point: str, function: Any, report: Report
) -> None:
    """Run each assert on its own, so one failure does not hide the results of the rest."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = 80
    short.maxlist = short.maxtuple = short.maxdict = 8
    returned: list[str] = []

    def record(value: Any) -> Any:
        try:
            returned.append(short.repr(value))
        except Exception:
            returned.append("<unprintable>")
        return value

    # A namespace of the check's own, so the candidate's globals cannot shadow `math` et al.
    namespace: dict[str, Any] = {
        "__name__": "check",
        "__builtins__": builtins,
        entry_point: function,
        "__record__": record,
    }
    index = 0
    for source, code, is_test in steps:
        returned.clear()
        if not is_test:
            try:
                exec(code, namespace)
            except BaseException as exc:
                report.emit("setup-error", source=clip(source), error=describe(exc))
                return
            continue
        report.emit("start", index=index)
        error = None
        try:
            exec(code, namespace)
        except AssertionError as exc:
            error = describe(exc) if exc.args else "AssertionError"
        except SystemExit as exc:
            error = f"your code called sys.exit({exc.code!r})"
        except BaseException as exc:
            error = describe(exc)
        report.emit(
            "result",
            index=index,
            passed=error is None,
            error=error,
            returned=returned[-MAX_RETURNED:],
        )
        index += 1


def main() -> None:
    report = Report(int(sys.argv[1]), read_key(int(sys.argv[2])))
    with open("check.json", encoding="utf-8") as handle:
        check = json.load(handle)
    set_limits(int(check["cpu_seconds"]))
    entry_point = str(check["entry_point"])
    try:
        steps = plan(str(check["tests"]), entry_point)
    except SyntaxError as exc:
        report.emit("setup-error", source="(the check's tests)", error=clip(f"SyntaxError: {exc}"))
        _exit(0)
    report.emit("plan", tests=[clip(source) for source, _, is_test in steps if is_test])
    function, error = load(entry_point)
    if error is not None:
        report.emit("load-error", error=error)
        _exit(0)
    report.emit("loaded")
    run_tests(steps, entry_point, function, report)
    report.emit("done")
    # Skip interpreter shutdown: the candidate's atexit hooks and threads must not run on.
    _exit(0)


if __name__ == "__main__":
    main()
