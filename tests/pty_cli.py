"""Run ``python -m interviewer`` in a real pseudo-terminal, as a candidate would.

The child gets a terminal on stdin and stdout, so the line editor, echo control and the
signals of a closing terminal are the real ones. Output is read as it comes and kept,
with escape sequences removed, so a test can wait for the prompt and assert on what was
shown.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>78M])")
SEND = b"\x1b\r"  # Esc then Enter: what sends an answer in the line editor
SRC = str(Path(__file__).resolve().parents[1] / "src")


class Child:
    """One CLI process on a pseudo-terminal."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        full = {**env, "PYTHONPATH": SRC, "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}
        full["PROMPT_TOOLKIT_NO_CPR"] = "1"  # no cursor-position queries to answer
        self.pid, self.fd = os.forkpty()
        if self.pid == 0:  # the child: become the CLI
            os.execve(sys.executable, [sys.executable, "-m", "interviewer", *args], full)
        self.raw = b""
        self.status: int | None = None

    @property
    def text(self) -> str:
        return ESCAPES.sub(b"", self.raw).decode("utf-8", "replace")

    def pump(self, timeout: float = 0.05) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            self.raw += data

    def wait_for(self, marker: str, timeout: float = 30.0, count: int = 1) -> None:
        self.pump_until(lambda: self.text.count(marker) >= count, timeout, f"{marker!r} (x{count})")

    def pump_until(
        self, condition: Callable[[], bool], timeout: float = 30.0, what: str = "the event"
    ) -> None:
        """Read output until ``condition`` holds (while the CLI runs, within ``timeout``)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline or self.exited():
                raise AssertionError(f"never saw {what}; output:\n{self.text}")
            self.pump()

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def exited(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def wait(self, timeout: float = 30.0) -> int:
        """The exit code (or minus the signal), reading output meanwhile."""
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > deadline:
                self.kill(signal.SIGKILL)
                raise AssertionError(f"the CLI did not exit; output:\n{self.text}")
            self.pump()
        self.pump(0)
        assert self.status is not None
        if os.WIFSIGNALED(self.status):
            return -os.WTERMSIG(self.status)
        return os.WEXITSTATUS(self.status)

    def kill(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def close(self) -> None:
        if not self.exited():
            self.kill(signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)
