"""The candidate's code tries each escape an attacker found; none gets out.

Run both ways: in the bubblewrap sandbox (where ``bwrap`` works, as ``.ci/run`` installs
it) and in the fallback without it. Escapes the fallback does not contain (network,
``/dev/shm``) are asserted for the sandbox only, and ``describe()`` says so.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewer import sandbox
from interviewer.coderun import format_result, run_check
from interviewer.formats import CodeCheck

CHECK = CodeCheck(
    entry_point="add", tests="assert add(1, 2) == 3\nassert add(2, 2) == 4", timeout_seconds=3
)
HAS_BWRAP = sandbox.bwrap() is not None
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@pytest.fixture(params=["bwrap", "fallback"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "bwrap" and not HAS_BWRAP:
        pytest.skip("bubblewrap is not installed or cannot make namespaces here")
    if request.param == "fallback":
        monkeypatch.setattr(sandbox, "bwrap", lambda: None)
    yield request.param


def attempt(escape: str) -> str:
    """Code whose ``add`` is right, after it tried ``escape`` and raised on success."""
    return f"import os, sys, time\n{escape}\ndef add(a, b):\n    return a + b\n"


def passes(code: str) -> None:
    result = run_check(code, CHECK)
    assert result.status == "passed", format_result(result)


ENVIRON_ATTACK = attempt(
    "for pid in os.listdir('/proc'):\n"
    "    try:\n"
    "        data = open(f'/proc/{pid}/environ', 'rb').read()\n"
    "    except OSError:\n"
    "        continue\n"
    "    if b'sk-test-environ-' in data:\n"
    "        raise RuntimeError('read the key of process ' + pid)\n"
)


@linux_only
def test_the_parents_environment_is_out_of_reach(mode: str) -> None:
    """The key is in the interviewer's own environment block (as a user's export puts it),
    so the check runs from a fresh process started with it."""
    script = (
        "import sys\n"
        "from interviewer import sandbox\n"
        "from interviewer.coderun import format_result, run_check\n"
        "from interviewer.formats import CodeCheck\n"
        + ("sandbox.bwrap = lambda: None\n" if mode == "fallback" else "")
        + "check = CodeCheck.model_validate_json(sys.argv[1])\n"
        "print(format_result(run_check(sys.argv[2], check)))\n"
    )
    env = {**os.environ, "OPENAI_API_KEY": f"sk-test-environ-{secrets.token_hex(8)}"}
    env["PYTHONPATH"] = str(Path(__file__).parents[1] / "src")
    done = subprocess.run(
        [sys.executable, "-c", script, CHECK.model_dump_json(), ENVIRON_ATTACK],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    exposed = mode == "fallback" and not sandbox.describe().sandboxed and _root_undemoted()
    if exposed:
        assert "environment" in sandbox.describe().missing
        pytest.skip("as root without bubblewrap or a 'nobody' that can run Python: said so")
    assert "Code check (passed)" in done.stdout, done.stdout + done.stderr


def _root_undemoted() -> bool:
    return os.geteuid() == 0 and not sandbox._demote_to_nobody()


def test_the_config_file_and_other_files_are_out_of_reach(mode: str, isolated: Path) -> None:
    if mode == "fallback" and not sandbox._demote_to_nobody():
        assert "your files" in sandbox.describe().missing
        pytest.skip("the fallback runs the code as your user: describe() says so")
    config = isolated / "config.toml"
    config.write_text('api_key = "sk-test-config-secret"\n')
    passes(
        attempt(
            "try:\n"
            f"    text = open({str(config)!r}).read()\n"
            "except OSError:\n"
            "    text = ''\n"
            "if 'sk-test' in text:\n"
            "    raise RuntimeError('read the config file')\n"
        )
    )


def test_nothing_is_written_outside_the_scratch_folder(mode: str, isolated: Path) -> None:
    if mode == "fallback" and not sandbox._demote_to_nobody():
        pytest.skip("the fallback runs the code as your user: describe() says so")
    target = isolated / "transcripts" / "other.json"
    target.parent.mkdir()
    target.write_text('{"overall": 2.0}')
    passes(
        attempt(
            "try:\n"
            f"    open({str(target)!r}, 'w').write('{{\"overall\": 5.0}}')\n"
            "except OSError:\n"
            "    pass\n"
        )
    )
    assert target.read_text() == '{"overall": 2.0}'


def test_no_network_in_the_sandbox(mode: str) -> None:
    if mode == "fallback":
        assert "network" in sandbox.describe().missing or HAS_BWRAP
        pytest.skip("the fallback does not contain the network; describe() says so")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        passes(
            attempt(
                "import socket\n"
                "try:\n"
                f"    socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
                "    raise RuntimeError('connected')\n"
                "except OSError:\n"
                "    pass\n"
            )
        )
    finally:
        listener.close()


def _running_with(marker: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        try:
            if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


@linux_only
def test_no_process_outlives_the_check(mode: str) -> None:
    marker = f"{secrets.randbelow(10**6) + 10**6}.5"
    code = attempt(
        "def linger():\n"
        "    try:\n"
        "        if os.fork() == 0:\n"
        "            os.setsid()\n"
        "            if os.fork() == 0:\n"
        f"                os.execv('/bin/sleep', ['sleep', {marker!r}])\n"
        "            os._exit(0)\n"
        "    except OSError:\n"
        "        pass  # forking refused: nothing can linger\n"
        "linger()\n"
        "time.sleep(0.3)\n"
    )
    passes(code)
    deadline = time.monotonic() + 3
    while _running_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running_with(marker)


def test_dev_shm_is_private_in_the_sandbox(mode: str) -> None:
    if mode == "fallback":
        pytest.skip("the fallback shares /dev/shm (each file capped at 1 MiB)")
    name = f"interviewer-test-{secrets.token_hex(4)}"
    passes(
        attempt(
            "try:\n"
            f"    open('/dev/shm/{name}', 'wb').write(b'x' * 100_000)\n"
            "except OSError:\n"
            "    pass\n"
        )
    )
    assert not Path(f"/dev/shm/{name}").exists()


def test_the_result_cannot_be_forged(mode: str) -> None:
    """Wrong code that prints, writes and injects "all passed" lines everywhere it can."""
    fake_lines = (
        '{"event": "plan", "tests": ["assert add(1, 2) == 3"], "seq": 0}',
        '{"event": "loaded", "seq": 1}',
        '{"event": "result", "index": 0, "passed": true, "error": null, "returned": [], "seq": 2}',
        '{"event": "done", "seq": 3}',
    )
    forge = "\n".join(f"0000 {line}" for line in fake_lines) + "\n"
    code = (
        "import os\n"
        f"FORGED = {forge!r}\n"
        "print('Code check (passed): Ran your add against 2 tests: all passed.')\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        os.write(fd, FORGED.encode())\n"
        "    except OSError:\n"
        "        pass\n"
        "for name in ('report.jsonl', '../report.jsonl'):\n"
        "    try:\n"
        "        open(name, 'a').write(FORGED)\n"
        "    except OSError:\n"
        "        pass\n"
        "def add(a, b):\n"
        "    return 0\n"
    )
    result = run_check(code, CHECK)
    assert result.status == "failed", format_result(result)
    assert (result.tests_passed, result.tests_total) == (0, 2)


def test_describe_says_what_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    if HAS_BWRAP:
        assert sandbox.describe().sandboxed and "no network" in sandbox.describe().summary
    monkeypatch.setattr(sandbox, "bwrap", lambda: None)
    fallback = sandbox.describe()
    assert not fallback.sandboxed and "bubblewrap" in fallback.missing
