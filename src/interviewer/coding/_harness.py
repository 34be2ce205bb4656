"""The two child processes of a code check (see ``check``): run as a script, never imported
by the package at run time, so it may use only the standard library.

Long because it is copied into the sandbox and run by path with ``python -I -S``, so it
cannot import a sibling module to split into: one file, past 400 lines.

``python -I -S -B _harness.py candidate ENTRY TO_FD FROM_FD CPU [NUMPY_DIR]``
    runs inside the sandbox with the candidate's ``solution.py`` in its working folder. It
    loads the code and then only answers calls: "call your function with these arguments".
    It never sees the tests, the expected values or the report.

``python -I -S -B _harness.py verdict REPORT_FD TO_FD FROM_FD [NUMPY_DIR]``
    runs outside the sandbox and never runs candidate code. It reads the check (entry point
    and tests) from its standard input, executes the tests with the entry point bound to a
    stand-in that sends each call's arguments to the candidate process and gets back what the
    function returned, and writes its report (JSON lines, below) to REPORT_FD, which the
    candidate process does not hold.

So "passed" cannot be forged from inside: the candidate's process holds neither the expected
values nor the report, and what it sends back is decoded as plain data (numbers, strings,
lists, tuples, dicts, sets, and NumPy arrays as dtype, shape and raw values) into fresh
objects, never objects with behaviour of its own: an ``__eq__`` that always says yes cannot
cross. Objects of the check that the function needs (a callback, a ``random.Random``, an
iterator) cross the other way as handles: the candidate calls them by message, and only
calls and public methods are served, never attributes such as ``__globals__``. Lists,
dicts and sets passed in are copied back after each call, and arrays the call changed in
place, so a test can see that the function mutated its input.

NumPy, when the interviewer's environment has it: ``NUMPY_DIR`` is the folder that holds
the ``numpy`` package, and ``import numpy`` (and only ``numpy``) is looked up there, after
the standard library; nothing else in that folder becomes importable and no ``.pth`` file
runs. The sandbox shows the candidate's process that package read-only and nothing else
of the folder. Without ``NUMPY_DIR``, ``import numpy`` fails as any other import does.

The report's events, in order:

- ``{"event": "plan", "tests": [source, ...]}``: the assert statements
- ``{"event": "load-error", "error": ...}``: the code did not compile, raised, exited, or
  lacks the entry point; nothing follows
- ``{"event": "loaded"}``
- ``{"event": "start", "index": i}`` then ``{"event": "result", "index": i, "passed": bool,
  "error": str | null, "returned": [repr, ...]}`` for each assert
- ``{"event": "lost", "index": i | null}``: the candidate's process ended mid-test
- ``{"event": "setup-error", "source": ..., "error": ...}``: a statement of the check itself
  failed (a fault in the rubric, not the candidate); nothing follows
- ``{"event": "done"}``
"""

from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import json
import math
import os
import re
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
MAX_MESSAGE = 64 << 20  # longest message between the two processes, in bytes
SERVED = ("__iter__", "__next__", "__len__", "__getitem__", "__contains__")
ARRAY_DTYPE = re.compile(r"[<>|=](?:[biuf](?:1|2|4|8|16)|U\d{1,6})")
"""The dtypes an array may cross with (``dtype.str``): booleans, integers, floats, text."""
MAX_DIMS = 32

_dumps = json.dumps  # bound now, so candidate code that patches json cannot garble a message
_loads = json.loads
_write = os.write
_exit = os._exit


class Lost(Exception):
    """The other process closed its end: it ended, or was killed."""


# ------------------------------------------------------------------------- messages


class Channel:
    """One JSON message per line over a pair of pipes, each side waiting for the other.

    ``request`` sends a message and serves the other side's requests (calls, callbacks)
    until the answer to its own comes back, so calls can nest both ways.
    """

    def __init__(self, out_fd: int, in_fd: int, codec: Codec) -> None:
        self._out = out_fd
        self._in = os.fdopen(in_fd, "rb")
        self.codec = codec
        self.serve: Any = None  # set by the side: serve(message) -> reply

    def send(self, message: dict[str, Any]) -> None:
        data = (_dumps(message, separators=(",", ":")) + "\n").encode("utf-8", "surrogatepass")
        view = memoryview(data)
        while view:
            try:
                view = view[_write(self._out, view) :]
            except BrokenPipeError as exc:
                raise Lost from exc

    def receive(self) -> dict[str, Any]:
        line = self._in.readline(MAX_MESSAGE)
        if not line.endswith(b"\n"):
            raise Lost("closed")  # or a message over the limit: nothing after it can be trusted
        try:
            message = _loads(line.decode("utf-8", "surrogatepass"))
        except ValueError as exc:
            raise Lost("garbled") from exc
        if not isinstance(message, dict) or not isinstance(message.get("op"), str):
            raise Lost("garbled")
        return message

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        self.send(message)
        while True:
            answer = self.receive()
            if answer.get("op") in ("return", "raise"):
                return answer
            self.send(self.serve(answer))


class Codec:
    """Plain data as JSON, anything else as a handle the other side may call through.

    ``trusting`` is the candidate's side: handles it receives become callable proxies. The
    verdict's side decodes handles as inert stand-ins, so nothing the candidate sends can
    run code in the verdict.
    """

    def __init__(self, trusting: bool) -> None:
        self.trusting = trusting
        self.channel: Channel | None = None
        self.handles: dict[int, Any] = {}

    def encode(self, value: Any) -> Any:
        try:
            return self._encode(value)
        except RecursionError:
            return {"opaque": "a structure nested too deeply to send"}

    def _encode(self, value: Any) -> Any:
        kind = type(value)
        if value is None or kind in (bool, int, str):
            return value
        if kind is float:
            return value if math.isfinite(value) else {"float": repr(value)}
        if kind is list:
            return [self._encode(item) for item in value]
        if kind is tuple:
            return {"tuple": [self._encode(item) for item in value]}
        if kind is dict:
            return {"dict": [[self._encode(k), self._encode(v)] for k, v in value.items()]}
        if kind in (set, frozenset):
            return {kind.__name__: [self._encode(item) for item in value]}
        if kind is bytes:
            return {"bytes": value.hex()}
        if kind is range:
            return {"range": [value.start, value.stop, value.step]}
        if kind.__name__ in ("list_iterator", "tuple_iterator", "range_iterator"):
            return {"iter": [self._encode(item) for item in value]}  # plain data, sent whole
        if is_array(value):  # before the bases: numpy.float64 is a float, yet keeps its dtype
            return self._encode_array(value)
        for base in (bool, int, float, str, list, tuple, dict):  # subclasses, as their base
            if isinstance(value, base):
                plain: Any = base
                return self._encode(plain(value))
        if isinstance(value, Remote):
            return {"opaque": "a handle of the check"}
        handle = len(self.handles)
        self.handles[handle] = value
        return {"handle": handle, "type": kind.__name__}

    def _encode_array(self, value: Any) -> Any:
        """An array (or a NumPy scalar) as its dtype, shape and raw values in C order,
        base64: exact, NaN and infinities included, and cheap for large arrays (a float's
        decimal text costs a hundred times more to write and read)."""
        dtype = value.dtype
        if not ARRAY_DTYPE.fullmatch(dtype.str):
            return {"opaque": f"a NumPy array of dtype {dtype}"}
        data = base64.b64encode(value.tobytes(order="C")).decode("ascii")
        body = {"dtype": dtype.str, "shape": list(value.shape), "data": data}
        if not isinstance(value, sys.modules["numpy"].ndarray):
            body["scalar"] = True
        return {"ndarray": body}

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.decode(item) for item in value]
        if not isinstance(value, dict):
            return value
        (tag, body), *_ = value.items()
        if tag == "tuple":
            return tuple(self.decode(item) for item in body)
        if tag == "dict":
            return {self.decode(k): self.decode(v) for k, v in body}
        if tag == "set":
            return {self.decode(item) for item in body}
        if tag == "frozenset":
            return frozenset(self.decode(item) for item in body)
        if tag == "float":
            return float(body)
        if tag == "bytes":
            return bytes.fromhex(body)
        if tag == "range":
            return range(*body)
        if tag == "iter":
            return iter([self.decode(item) for item in body])
        if tag == "ndarray":
            return self._decode_array(body)
        if tag == "handle" and self.trusting and self.channel is not None:
            return Remote(self.channel, int(body), str(value.get("type")))
        return Opaque(str(value.get("type") or value.get("opaque") or tag))

    def _decode_array(self, body: Any) -> Any:
        """A fresh array from dtype, shape and bytes, each checked: only numbers or text,
        never an object of the sender's. Where NumPy is missing, or the parts do not agree,
        an inert stand-in."""
        numpy = load_numpy()
        if numpy is None:
            return Opaque("NumPy array, but NumPy is not installed for the check")
        try:
            dtype, shape, data = body["dtype"], body["shape"], body["data"]
            if not (isinstance(dtype, str) and ARRAY_DTYPE.fullmatch(dtype)):
                raise ValueError(dtype)
            if not (isinstance(shape, list) and len(shape) <= MAX_DIMS):
                raise ValueError(shape)
            if not all(type(n) is int and n >= 0 for n in shape):
                raise ValueError(shape)
            kind = numpy.dtype(dtype)
            raw = base64.b64decode(data, validate=True)
            if len(raw) != math.prod(shape) * kind.itemsize:
                raise ValueError("size")
            array = numpy.frombuffer(raw, dtype=kind).reshape(shape).copy()
        except (KeyError, TypeError, ValueError, OverflowError):
            return Opaque("NumPy array whose dtype, shape and data do not agree")
        if kind.kind == "b":  # a byte other than 0 or 1 is no boolean
            array = array.view(numpy.uint8) != 0
        return array[()] if body.get("scalar") is True and not shape else array


def load_numpy() -> Any:
    """NumPy, when this process may import it (see ``allow_numpy``), else None."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def is_array(value: Any) -> bool:
    """A NumPy array or scalar. Only when NumPy is loaded can a value be one, so a process
    that never imported it pays nothing."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray | numpy.generic)


def allow_numpy(folder: str) -> None:
    """Let ``import numpy`` find the interviewer's NumPy in ``folder``, and nothing else
    there: a finder for that one name, after the standard library's, instead of the folder
    on ``sys.path`` (which, outside the sandbox, is the whole site-packages)."""
    if not folder:
        return
    from importlib.machinery import ModuleSpec, PathFinder

    class NumpyOnly:
        @staticmethod
        def find_spec(name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
            return PathFinder.find_spec(name, [folder]) if name == "numpy" else None

    sys.meta_path.append(NumpyOnly)


class Opaque:
    """Something the candidate's function returned that is not plain data."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"<{self.kind}: not plain data, so the check cannot read it>"


class Remote:
    """In the candidate's process: an object of the check, used through messages."""

    def __init__(self, channel: Channel, handle: int, kind: str) -> None:
        self._channel, self._handle, self._kind = channel, handle, kind

    def _invoke(self, name: str | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        codec = self._channel.codec
        answer = self._channel.request(
            {
                "op": "invoke",
                "handle": self._handle,
                "name": name,
                "args": codec.encode(list(args)),
                "kwargs": codec.encode(kwargs),
            }
        )
        if answer["op"] == "raise":
            raise rebuild(answer)
        return codec.decode(answer.get("value"))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._invoke(None, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self._invoke(name, args, kwargs)

    def __iter__(self) -> Any:
        return self._invoke("__iter__", (), {})

    def __next__(self) -> Any:
        return self._invoke("__next__", (), {})

    def __len__(self) -> int:
        return int(self._invoke("__len__", (), {}))

    def __getitem__(self, key: Any) -> Any:
        return self._invoke("__getitem__", (key,), {})

    def __contains__(self, item: Any) -> bool:
        return bool(self._invoke("__contains__", (item,), {}))

    def __repr__(self) -> str:
        return f"<{self._kind} of the check>"


def raised(exc: BaseException) -> dict[str, Any]:
    """An exception as a message: its builtin type's name and the text to show."""
    kind = type(exc)
    while kind.__name__ not in vars(builtins) and kind.__base__ is not None:
        kind = kind.__base__  # the candidate's own exception class, as its builtin base
    if isinstance(exc, SystemExit):
        return {
            "op": "raise",
            "type": "SystemExit",
            "text": f"your code called sys.exit({exc.code!r})",
        }
    return {"op": "raise", "type": kind.__name__, "text": describe(exc)}


def rebuild(answer: dict[str, Any]) -> BaseException:
    """The exception a message stands for, of a builtin type (never the sender's class)."""
    kind = getattr(builtins, str(answer.get("type")), None)
    text = str(answer.get("text"))
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        kind = RuntimeError  # SystemExit, KeyboardInterrupt: an error of the call, no more
    try:
        exc = kind(text)
    except Exception:
        exc = RuntimeError(text)
    exc.shown = text  # type: ignore[attr-defined]
    return exc


# --------------------------------------------------------------------- both processes


def set_limits(cpu_seconds: int, processes: bool) -> None:
    """Cap CPU, memory, file size and open files before any untrusted input is read.

    Set here rather than in a ``preexec_fn``: that hook is unsafe when the parent has
    threads (the interview streams model replies).
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
    # No new processes or threads for the candidate: the limit counts all of the user's
    # processes, so 0 makes fork fail at once. Root is exempt; there the sandbox's process
    # namespace, or the parent's kill of the group, is the guard.
    if processes and hasattr(resource, "RLIMIT_NPROC"):
        wanted[resource.RLIMIT_NPROC] = 0
    for which, value in wanted.items():
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        # The hard CPU limit one second later turns an ignored SIGXCPU into SIGKILL.
        new_hard = value + 1 if which == resource.RLIMIT_CPU else value
        if hard != resource.RLIM_INFINITY:
            new_hard = min(new_hard, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, new_hard))


def die_with_parent(verdict: bool) -> None:
    """Linux: be killed when our parent dies, even by SIGKILL, so no check outlives the
    interviewer. The verdict also becomes non-dumpable: a candidate process of the same
    user (the unconfined mode) can then neither trace it nor read its memory."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig, pr_set_dumpable = 1, 4
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if verdict:
            libc.prctl(pr_set_dumpable, 0, 0, 0, 0)
    # The interviewer died before the line above took effect. (Not for the candidate: in
    # the sandbox its parent is the namespace's init, pid 1.)
    if verdict and os.getppid() == 1:
        _exit(1)


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
    shown = getattr(exc, "shown", None)
    if isinstance(shown, str):
        return clip(shown)
    try:
        message = str(exc)
    except Exception:
        message = ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    line = line_in_solution(exc.__traceback__)
    if line is not None:
        text += f" (line {line} of your code)"
    return clip(text)


# ----------------------------------------------------------------- the candidate's side


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


def changed(before: Any, after: Any) -> bool:
    """An array argument the call changed in place (a copy of it taken before the call)."""
    if before is None:
        return False
    numpy = sys.modules["numpy"]
    try:
        return not numpy.array_equal(before, after, equal_nan=before.dtype.kind == "f")
    except Exception:
        return True


def candidate(
    entry_point: str, out_fd: int, in_fd: int, cpu_seconds: int, numpy_dir: str = ""
) -> None:
    die_with_parent(verdict=False)
    set_limits(cpu_seconds, processes=True)
    allow_numpy(numpy_dir)
    codec = Codec(trusting=True)
    channel = Channel(out_fd, in_fd, codec)
    codec.channel = channel
    function, error = load(entry_point)
    if error is not None:
        channel.send({"op": "load-error", "error": error})
        _exit(0)

    def serve(message: dict[str, Any]) -> dict[str, Any]:
        if message.get("op") != "call":
            _exit(0)  # "exit", or anything unexpected: the verdict is done with us
        args = codec.decode(message.get("args", []))
        kwargs = codec.decode(message.get("kwargs", {}))
        arrays = {i: a.copy() for i, a in enumerate(args) if is_array(a) and a.ndim}
        try:
            value = function(*args, **kwargs)
        except BaseException as exc:
            return raised(exc)
        after = [
            codec.encode(a) if type(a) in (list, dict, set) or changed(arrays.get(i), a) else None
            for i, a in enumerate(args)
        ]
        return {"op": "return", "value": codec.encode(value), "after": after}

    channel.serve = serve
    try:
        channel.send({"op": "loaded"})
        while True:
            channel.send(serve(channel.receive()))
    except Lost:
        _exit(0)  # the verdict is gone: nothing is left to answer


# ------------------------------------------------------------------- the verdict's side


class Report:
    """Writes one JSON event per line to the interviewer's descriptor, unbuffered."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def emit(self, event: str, **fields: Any) -> None:
        _write(self.fd, (_dumps({"event": event, **fields}) + "\n").encode("utf-8", "replace"))


class Entry:
    """The candidate's function as the tests see it: each call crosses to the other process."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.returned: list[str] = []
        self.short = reprlib.Repr()
        self.short.maxstring = self.short.maxother = 80
        self.short.maxlist = self.short.maxtuple = self.short.maxdict = 8

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        codec = self.channel.codec
        answer = self.channel.request(
            {"op": "call", "args": codec.encode(list(args)), "kwargs": codec.encode(kwargs)}
        )
        if answer["op"] == "raise":
            raise rebuild(answer)
        for original, after in zip(args, answer.get("after") or [], strict=False):
            if after is not None:
                copy_back(original, codec.decode(after))
        value = codec.decode(answer.get("value"))
        self.returned.append(self.short.repr(value))
        return value


def copy_back(original: Any, changed: Any) -> None:
    """Make an argument the function mutated look mutated here too."""
    if type(original) is list and type(changed) is list:
        original[:] = changed
    elif type(original) in (dict, set) and type(changed) is type(original):
        original.clear()
        original.update(changed)
    elif is_array(original) and is_array(changed) and original.shape == changed.shape:
        with contextlib.suppress(TypeError, ValueError):  # read-only, or values that do not fit
            sys.modules["numpy"].copyto(original, changed, casting="unsafe")


def served(handles: dict[int, Any], codec: Codec, message: dict[str, Any]) -> dict[str, Any]:
    """The candidate calls an object of the check: only calls, public methods and the
    iteration protocol, so no attribute leads back into the check's namespace."""
    try:
        target = handles[int(message["handle"])]
        name = message.get("name")
        public = isinstance(name, str) and name.isidentifier() and not name.startswith("_")
        if name is None:
            method = target
        elif name in SERVED or public:
            method = getattr(target, name)
        else:
            raise AttributeError(f"{name!r} is not served")
        if not callable(method):
            raise TypeError(f"{type(target).__name__} object is not callable")
        value = method(*codec.decode(message["args"]), **codec.decode(message["kwargs"]))
    except Lost:
        raise
    except BaseException as exc:
        return {
            "op": "raise",
            "type": type(exc).__name__,
            "text": clip(f"{type(exc).__name__}: {exc}"),
        }
    return {"op": "return", "value": codec.encode(value)}


def plan(tests: str) -> list[tuple[str, CodeType, bool]]:
    """Each top-level statement of the check: (source, compiled code, is it an assert)."""
    module = ast.parse(tests, filename="<check>")
    steps = []
    for statement in module.body:
        source = ast.get_source_segment(tests, statement) or ast.unparse(statement)
        code = compile(ast.Module(body=[statement], type_ignores=[]), "<check>", "exec")
        steps.append((" ".join(source.split()), code, isinstance(statement, ast.Assert)))
    return steps


def run_tests(
    steps: list[tuple[str, CodeType, bool]], entry: Entry, namespace: dict[str, Any], report: Report
) -> None:
    """Run each assert on its own, so one failure does not hide the results of the rest."""
    index = 0
    for source, code, is_test in steps:
        entry.returned.clear()
        if not is_test:
            try:
                exec(code, namespace)
            except Lost:
                raise
            except BaseException as exc:
                report.emit("setup-error", source=clip(source), error=describe(exc))
                return
            continue
        report.emit("start", index=index)
        error = None
        try:
            exec(code, namespace)
        except Lost:
            raise
        except AssertionError as exc:
            error = describe(exc) if exc.args else "AssertionError"
        except BaseException as exc:
            error = describe(exc)
        report.emit(
            "result",
            index=index,
            passed=error is None,
            error=error,
            returned=entry.returned[-MAX_RETURNED:],
        )
        index += 1


def verdict(report_fd: int, out_fd: int, in_fd: int, numpy_dir: str = "") -> None:
    die_with_parent(verdict=True)
    check = _loads(sys.stdin.read())
    set_limits(int(check["cpu_seconds"]), processes=False)
    allow_numpy(numpy_dir)
    report = Report(report_fd)
    entry_point = str(check["entry_point"])
    try:
        steps = plan(str(check["tests"]))
    except SyntaxError as exc:
        report.emit("setup-error", source="(the check's tests)", error=clip(f"SyntaxError: {exc}"))
        _exit(0)
    report.emit("plan", tests=[clip(source) for source, _, is_test in steps if is_test])
    codec = Codec(trusting=False)
    channel = Channel(out_fd, in_fd, codec)
    channel.serve = lambda message: served(codec.handles, codec, message)
    try:
        hello = channel.receive()
        if hello.get("op") != "loaded":
            report.emit("load-error", error=clip(str(hello.get("error"))))
            _exit(0)
        report.emit("loaded")
        entry = Entry(channel)
        namespace: dict[str, Any] = {
            "__name__": "check",
            "__builtins__": builtins,
            entry_point: entry,
        }
        run_tests(steps, entry, namespace, report)
    except Lost as exc:
        report.emit("lost", why=str(exc) or "closed")
        _exit(0)
    report.emit("done")
    with contextlib.suppress(Lost):
        channel.send({"op": "exit"})
    _exit(0)


def main() -> None:
    role, *args = sys.argv[1:]
    if role == "candidate":
        candidate(args[0], int(args[1]), int(args[2]), int(args[3]), *args[4:5])
    else:
        verdict(int(args[0]), int(args[1]), int(args[2]), *args[3:4])


if __name__ == "__main__":
    main()
