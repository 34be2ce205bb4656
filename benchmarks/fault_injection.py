"""Many interviews through random faults and kills: answers typed versus answers kept.

Each interview runs the real CLI on a pseudo-terminal against a loopback OpenAI-compatible
server (``tests/loopback.py``) that, at random, cuts a stream short, sends a chunk that is
not a chunk, answers 500, or answers well. The script types answers as a candidate would
(Esc Enter sends) and, at random moments after sending, kills the CLI with SIGKILL,
SIGTERM or SIGHUP, or types half an answer first. Then it reads the transcript left on
disk and counts:

- sent: answers sent with Esc Enter (a kill can land before the CLI has even read them);
- on screen: sent answers the CLI had echoed, i.e. that reached the screen, which the
  README promises are never lost to SIGTERM, SIGHUP or Ctrl-C;
- asked about: sent answers the server then saw in a request for the next question, which
  the CLI promises are on disk first (the guarantee even SIGKILL cannot break);
- kept: answers found in the transcript afterwards;
- half-typed: answers on screen, not yet sent, when SIGTERM or SIGHUP arrived: kept too.

Then it takes sessions over: a second terminal runs ``resume --force`` while the first is
still answering, at a random moment, and both terminals go on typing. Every answer sent
in either must end in the transcript or in the side file the first terminal names when
it stops; the first must stop (a non-zero exit), and never say "Saved" after the takeover.

Last it kills the CLI with SIGKILL while the coding round's check runs the candidate's
code (an endless loop): no process of the check may outlive it, and no folder of it may
stay in the temp folder.

Usage: python benchmarks/fault_injection.py [INTERVIEWS] [SEED] [TAKEOVERS] [CHECK_KILLS]
(default 30 interviews, then 6 takeovers, then 4 kills mid-check)
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from interviewer.formats.transcript import Transcript
from interviewer.store.transcripts import Store
from loopback import QUESTION, Loopback
from pty_cli import SEND, Child

FAULTS = ["", "", "", "cut", "junk", "500"]
KILLS = [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP]
QUESTION_END = QUESTION.split()[-1]


@dataclass
class Tally:
    sent: int = 0
    shown: int = 0
    shown_kept: int = 0
    asked_about: int = 0
    kept: int = 0
    kept_of_asked: int = 0
    half_typed: int = 0
    half_kept: int = 0
    runs: int = 0
    lost: list[str] = field(default_factory=list)


@dataclass
class Takeovers:
    runs: int = 0
    sent: int = 0
    in_transcript: int = 0
    in_side_file: int = 0
    stopped: int = 0  # the first terminal exited non-zero, saying it was taken over
    lost: list[str] = field(default_factory=list)
    saved_after: int = 0  # the first terminal said "Saved" after the takeover (it must not)


@dataclass
class CheckKills:
    runs: int = 0
    started: int = 0  # the check was running when the kill came
    processes_left: int = 0  # processes of the check still running 10 s after the kill
    folders_left: int = 0  # check folders left in the temp folder


def check_processes() -> list[int]:
    """Live processes running either side of a code check (zombies do not count)."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            line = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        ours = any(b"harness.py" in part for part in line)
        if ours and state not in ("Z", "X") and (b"candidate" in line or b"verdict" in line):
            found.append(int(pid))
    return found


def session(folder: Path) -> Transcript | None:
    """The one session, as every command reads it (its file and its journal's turns)."""
    paths = [p for p in folder.glob("*.json") if p.name != "index.json"]
    return Store(folder).read(paths[0].stem) if paths else None


def candidate_turns(folder: Path) -> list[str]:
    found = session(folder)
    return [t.text for t in found.turns if t.role == "candidate"] if found else []


def draft(folder: Path) -> str:
    """The half-typed answer kept unsent (transcript v4's ``draft``), or ""."""
    found = session(folder)
    return (found.draft or "") if found else ""


def wait_prompt(child: Child, questions: int, timeout: float = 60) -> None:
    """Wait for the prompt after the ``questions``-th question has been shown in full (the
    editor redraws its own prompt as keys arrive, so prompts alone cannot be counted)."""
    deadline = time.monotonic() + timeout
    while True:
        text = child.text
        end = -1
        for _ in range(questions):
            end = text.find(QUESTION_END, end + 1)
            if end < 0:
                break
        if end >= 0 and "You ›" in text[end:]:
            break
        if time.monotonic() > deadline or child.exited():
            raise AssertionError("no prompt")
        child.pump()
    time.sleep(0.05)  # the editor is reading keys


def fresh_env(home: str, folder: Path) -> dict[str, str]:
    """A candidate's environment with nothing of ours: its own home, config and transcripts."""
    env = {**os.environ, "INTERVIEWER_TRANSCRIPTS_DIR": str(folder), "HOME": home}
    env.pop("INTERVIEWER_CONFIG", None)
    env["XDG_CONFIG_HOME"] = home
    return env


def one_interview(number: int, rng: random.Random, server: Loopback, tally: Tally) -> None:
    with tempfile.TemporaryDirectory(prefix="fault-injection-") as tmp:
        folder = Path(tmp) / "transcripts"
        env = fresh_env(tmp, folder)
        server.faults = [rng.choice(FAULTS) for _ in range(8)]
        server.bodies.clear()
        args = ["practice", "behavioral", "--model", "stub", "--api-base", server.base]
        child = Child([*args, "--no-score"], env)
        sent: list[str] = []
        half = ""
        killer: signal.Signals | None = None
        try:
            for turn in range(rng.randint(1, 4)):
                wait_prompt(child, turn + 1)
                if rng.random() < 0.25:  # killed while typing
                    half = f"run {number} half-typed {turn}"
                    child.send(half.encode())
                    time.sleep(rng.uniform(0.05, 0.3))
                    killer = rng.choice(KILLS[1:])
                    child.kill(killer)
                    break
                answer = f"run {number} answer {turn}: " + "words " * rng.randint(1, 8)
                child.send(answer.encode() + SEND)
                sent.append(answer.strip())
                if rng.random() < 0.4:  # killed at a random moment after Enter
                    time.sleep(rng.uniform(0.0, 0.6))
                    killer = rng.choice(KILLS)
                    child.pump(0)
                    child.kill(killer)
                    break
            else:
                wait_prompt(child, len(sent) + 1)
                child.send(b"/pause\r")
        except AssertionError:
            pass  # the CLI stopped on an injected fault: what it saved is what counts
        child.wait(timeout=60)
        child.close()
        kept = candidate_turns(folder)
        asked = [a for a in sent if any(a in json.dumps(b) for b in server.streamed())]
        screen = child.text
        shown = [a for a in sent if a in screen]
        if killer is signal.SIGKILL and sent:  # SIGKILL promises only what was asked about
            shown = [a for a in shown if a != sent[-1] or a in asked]
        tally.runs += 1
        tally.sent += len(sent)
        tally.shown += len(shown)
        tally.shown_kept += sum(a in kept for a in shown)
        tally.lost += [a for a in shown if a not in kept]
        tally.asked_about += len(asked)
        tally.kept += sum(a in kept for a in sent)
        tally.kept_of_asked += sum(a in kept for a in asked)
        tally.lost += [a for a in asked if a not in kept and a not in tally.lost]
        if half and half in screen and not os.WIFSIGNALED(child.status or 0):
            tally.half_typed += 1
            tally.half_kept += half in kept or half in draft(folder)  # kept, to finish on resume


def one_takeover(number: int, rng: random.Random, server: Loopback, tally: Takeovers) -> None:
    """One session, answered in one terminal, taken over in another with ``--force``."""
    with tempfile.TemporaryDirectory(prefix="fault-injection-") as tmp:
        folder = Path(tmp) / "transcripts"
        env = fresh_env(tmp, folder)
        server.faults = []
        model = ["--model", "stub", "--api-base", server.base, "--no-score"]
        first = Child(["practice", "behavioral", *model], env)
        second: Child | None = None
        sent: list[str] = []
        late_sent: list[str] = []  # typed into the first terminal once the second started
        shown = 0
        try:
            for turn in range(rng.randint(1, 2)):
                wait_prompt(first, turn + 1)
                sent.append(f"takeover {number} first {turn}: " + "words " * rng.randint(1, 5))
                first.send(sent[-1].encode() + SEND)
            wait_prompt(first, len(sent) + 1)
            session = next(p.stem for p in folder.glob("*.json") if p.name != "index.json")
            second = Child(["resume", session, "--force", *model], env)
            time.sleep(rng.uniform(0.0, 1.5))  # before, during or after its start
            shown = len(first.text)
            for turn in range(3):  # the first terminal goes on answering until it stops
                late = f"takeover {number} first late {turn}: words"
                first.send(late.encode() + SEND)
                late_sent.append(late)
                try:
                    wait_prompt(first, len(sent) + len(late_sent) + 1, timeout=15)
                except AssertionError:
                    break  # it stopped (as it must), or it hangs: the tally says which
            wait_prompt(second, 1)
            answer = f"takeover {number} second: words"
            second.send(answer.encode() + SEND)
            sent.append(answer)
            wait_prompt(second, 2)
            second.send(b"/pause\r")
            second.wait(timeout=60)
        except AssertionError:
            pass
        if not first.exited():  # it never noticed: it saves its own copy over the second's
            first.send(b"/pause\r")
        code = first.wait(timeout=60)
        first.close()
        if second is not None:
            second.close()
        said = " ".join(first.text[shown:].split()) if second is not None else ""
        sent += [a for a in late_sent if a in first.text[shown:]]  # only what it read
        kept = candidate_turns(folder)
        side = "".join(p.read_text() for p in folder.glob("*.unsaved.txt"))
        tally.runs += 1
        tally.sent += len(sent)
        tally.in_transcript += sum(a.strip() in kept for a in sent)
        tally.in_side_file += sum(a.strip() in side and a.strip() not in kept for a in sent)
        tally.lost += [a for a in sent if a.strip() not in kept and a.strip() not in side]
        tally.stopped += code != 0 and "taken over in another terminal" in said
        tally.saved_after += "Saved as" in said


SPIN = "```python\ndef roc_auc(y_true, y_score):\n    while True:\n        pass\n```"


def one_check_kill(rng: random.Random, server: Loopback, tally: CheckKills) -> None:
    """The coding round, the CLI killed with SIGKILL while the candidate's code runs: no
    process of the check may outlive it, and no folder of it may stay behind."""
    with tempfile.TemporaryDirectory(prefix="fault-injection-") as tmp:
        folder, temp = Path(tmp) / "transcripts", Path(tmp) / "tmp"
        temp.mkdir()
        env = {**fresh_env(tmp, folder), "TMPDIR": str(temp)}
        server.faults = []
        args = ["practice", "coding", "--opening", "roc-auc", "--model", "stub"]
        child = Child([*args, "--api-base", server.base, "--no-score"], env)
        try:
            wait_prompt(child, 1)
            child.send(b"\x1b[200~" + SPIN.encode() + b"\x1b[201~" + SEND)  # a paste, sent
            deadline = time.monotonic() + 30
            while not check_processes() and time.monotonic() < deadline:
                child.pump()
            tally.started += bool(check_processes())
            time.sleep(rng.uniform(0.0, 1.0))  # somewhere inside the 5 s the check may take
        except AssertionError:
            pass
        child.kill(signal.SIGKILL)
        child.wait(timeout=60)
        child.close()
        deadline = time.monotonic() + 10
        while check_processes() and time.monotonic() < deadline:
            time.sleep(0.05)
        tally.runs += 1
        tally.processes_left += len(check_processes())
        tally.folders_left += len(list(temp.glob("interviewer-*")))


def main() -> None:
    interviews = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 10)
    server = Loopback(pause_s=0.01)
    server.start()
    takeovers = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    check_kills = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    tally, taken, checks = Tally(), Takeovers(), CheckKills()
    started = time.monotonic()
    try:
        for number in range(interviews):
            one_interview(number, rng, server, tally)
        for number in range(takeovers):
            one_takeover(number, rng, server, taken)
        for _ in range(check_kills):
            one_check_kill(rng, server, checks)
    finally:
        server.stop()
    print(f"{tally.runs} interviews in {time.monotonic() - started:.0f} s, random faults and kills")
    print(f"answers sent: {tally.sent}, kept: {tally.kept}")
    print(
        f"answers on screen (SIGKILL: only those asked about): {tally.shown}, kept: {tally.shown_kept}"
    )
    print(
        f"answers the next question was asked about: {tally.asked_about}, kept: {tally.kept_of_asked}"
    )
    print(f"half-typed answers at SIGTERM/SIGHUP: {tally.half_typed}, kept: {tally.half_kept}")
    print(
        f"resume --force takeovers: {taken.runs}; answers sent in either terminal: {taken.sent}, "
        f"in the transcript: {taken.in_transcript}, in the side file: {taken.in_side_file}; "
        f"first terminal stopped: {taken.stopped} of {taken.runs}, "
        f"said 'Saved' after it: {taken.saved_after}"
    )
    print(
        f"SIGKILL mid-check: {checks.runs} (check running: {checks.started}); processes of the "
        f"check left: {checks.processes_left}, folders left: {checks.folders_left}"
    )
    left = checks.processes_left or checks.folders_left or checks.started < checks.runs
    if tally.lost or taken.lost:
        print("LOST:", *tally.lost, *taken.lost, sep="\n  ")
    if tally.lost or taken.lost or taken.saved_after or taken.stopped < taken.runs or left:
        sys.exit(1)


if __name__ == "__main__":
    main()
