"""The "still waiting" notice: shown when a reply is slow, never once the reply has started,
and driven by one long-lived thread rather than a new one per turn."""

from __future__ import annotations

import io
import threading
import time

import pytest
from rich.console import Console

from interviewer.terminal import console as terminal
from interviewer.terminal.alarm import Alarm
from interviewer.terminal.console import Terminal


def test_an_armed_alarm_calls_once_and_a_cancelled_one_never() -> None:
    fired: list[str] = []
    done = threading.Event()
    alarm = Alarm()
    alarm.arm(0.01, lambda: (fired.append("first"), done.set()))
    assert done.wait(5)
    alarm.arm(0.05, lambda: fired.append("cancelled"))
    alarm.cancel()
    alarm.arm(0.02, lambda: fired.append("replaced"))
    alarm.arm(0.02, lambda: (fired.append("second"), done.set()))
    done.clear()
    assert done.wait(5)
    done.clear()
    alarm.arm(0.1, done.set)  # due after every deadline armed above, on the same thread
    assert done.wait(5)
    assert fired == ["first", "second"]


def test_turns_share_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    start = threading.Thread.start

    def counted(thread: threading.Thread) -> None:
        started.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counted)
    screen = Terminal(Console(file=io.StringIO()), read_line=lambda _p: "")
    for _ in range(20):
        screen.stream_start("Maya Chen")
        screen.stream_text("Next question.")
        screen.stream_end()
    assert started == ["alarm"]  # one thread for the notice, started by the first turn


def test_a_slow_reply_gets_a_notice_and_a_prompt_one_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(terminal, "WAIT_NOTICE_S", 0.01)
    out = io.StringIO()
    screen = Terminal(Console(file=out, width=200), read_line=lambda _p: "")
    screen.stream_start("Maya Chen")
    deadline = time.monotonic() + 5
    while "waiting for the reply" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    screen.stream_text("Tell me about the data.")
    screen.stream_end()
    assert "waiting for the reply" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Tell me about the data.")

    monkeypatch.setattr(terminal, "WAIT_NOTICE_S", 0.05)
    out.truncate(0)
    out.seek(0)
    screen.stream_start("Maya Chen")
    screen.stream_text("Quick one.")
    screen.stream_end()
    time.sleep(0.2)
    assert "waiting" not in out.getvalue()
