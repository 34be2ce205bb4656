"""Choosing the model: flags and config first, then what the machine offers (respx plays
the local servers; nothing outside this process is reached)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.config.settings import Flags, load_settings
from interviewer.errors import ConfigError
from interviewer.formats.transcript import ModelInfo
from interviewer.models import choice as selection
from interviewer.models.choice import Recorded, choose
from wire import Provider

USUAL_PORTS = selection.LOCAL_SERVERS  # read before conftest's fixture empties it


@pytest.fixture
def probing(monkeypatch: pytest.MonkeyPatch, respx_mock: Any) -> Any:
    """Real probing of the usual ports; every port refuses unless a test says otherwise."""
    monkeypatch.setattr(selection, "LOCAL_SERVERS", USUAL_PORTS)
    # Something listens on every usual port; what answers there is decided at the wire.
    monkeypatch.setattr(selection, "listening", lambda _port: True)
    for _, port in USUAL_PORTS:
        respx_mock.get(f"http://127.0.0.1:{port}/v1/models").mock(
            side_effect=httpx.ConnectError("refused")
        )
    return respx_mock


def serves(respx_mock: Any, port: int, *models: str) -> None:
    data = [{"id": m, "object": "model"} for m in models]
    respx_mock.get(f"http://127.0.0.1:{port}/v1/models").mock(
        return_value=httpx.Response(200, json={"object": "list", "data": data})
    )


def test_a_configured_model_wins_over_everything(probing: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")
    serves(probing, 11434, "llama3.1:latest")

    choice = choose(load_settings(Flags(model="anthropic/claude-3-5-haiku-latest")))

    assert (choice.interviewer.model, choice.reason) == (
        "anthropic/claude-3-5-haiku-latest",
        "from --model",
    )
    assert not probing.calls  # nothing was probed


def test_the_reason_names_where_the_model_was_set(monkeypatch: Any, isolated: Path) -> None:
    """A model given by flag was said to be "as configured"; each source is named."""
    assert choose(load_settings(Flags(model="m", judge_model="j"))).reason == "from --model"
    assert choose(load_settings(Flags(judge_model="j"))).judge_reason == "from --judge-model"
    (isolated / "config.toml").write_text('model = "m"\njudge_model = "j"\n')
    choice = choose(load_settings())
    assert choice.reason == f"from model in {isolated / 'config.toml'}"
    assert choice.judge_reason == f"from judge_model in {isolated / 'config.toml'}"
    monkeypatch.setenv("INTERVIEWER_MODEL", "m")
    assert choose(load_settings()).reason == "from INTERVIEWER_MODEL"


def test_a_provider_key_comes_before_local_servers(probing: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-0123456789")
    serves(probing, 11434, "llama3.1:latest")

    choice = choose(load_settings())

    assert choice.interviewer.model == "anthropic/claude-3-5-haiku-latest"
    assert "ANTHROPIC_API_KEY is set" in choice.reason


@pytest.mark.parametrize(
    ("answering", "expected"),
    [
        pytest.param(
            {11434: ["llama3.1:latest", "qwen2.5:7b"]},
            ("Ollama", 11434, "llama3.1:latest"),
            id="ollama",
        ),
        pytest.param({8080: ["qwen.gguf"]}, ("llama.cpp", 8080, "qwen.gguf"), id="llama.cpp"),
        pytest.param(
            {1234: ["lmstudio-community/gemma"]},
            ("LM Studio", 1234, "lmstudio-community/gemma"),
            id="lm-studio",
        ),
        pytest.param(
            {8000: ["meta-llama/Llama-3.1-8B"]},
            ("vLLM", 8000, "meta-llama/Llama-3.1-8B"),
            id="vllm",
        ),
        pytest.param(
            {11434: [], 8000: ["m"]}, ("vLLM", 8000, "m"), id="ollama-with-no-model-is-skipped"
        ),
        pytest.param({8080: ["a"], 1234: ["b"]}, ("llama.cpp", 8080, "a"), id="first-in-order"),
    ],
)
def test_a_local_server_on_its_usual_port_is_found(
    probing: Any, answering: dict[int, list[str]], expected: tuple[str, int, str]
) -> None:
    for port, models in answering.items():
        serves(probing, port, *models)

    choice = choose(load_settings())

    name, port, model = expected
    base = f"http://127.0.0.1:{port}/v1"
    assert (choice.interviewer.model, choice.interviewer.api_base) == (model, base)
    assert choice.reason.startswith(f"{name} answers at {base}")
    assert choice.judge == choice.interviewer
    assert all(call.request.url.host == "127.0.0.1" for call in probing.calls)


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(httpx.ReadTimeout("slow"), id="hangs"),
        pytest.param(httpx.Response(404, text="not here"), id="not-found"),
        pytest.param(httpx.Response(200, text="<html>hello</html>"), id="html"),
        pytest.param(httpx.Response(200, json={"status": "ok"}), id="json-but-no-list"),
    ],
)
def test_something_else_on_a_usual_port_is_passed_over(probing: Any, reply: Any) -> None:
    route = probing.get("http://127.0.0.1:8080/v1/models")
    route.mock(side_effect=reply) if isinstance(reply, Exception) else route.mock(
        return_value=reply
    )
    serves(probing, 8000, "m")

    assert choose(load_settings()).interviewer.api_base == "http://127.0.0.1:8000/v1"


def test_probes_are_quick(probing: Any, monkeypatch: Any) -> None:
    seen: list[Any] = []
    real = httpx.Client

    def client(**kwargs: Any) -> httpx.Client:
        seen.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(httpx, "Client", client)
    choose(load_settings())
    assert seen and all(k["timeout"] <= 0.5 and k["trust_env"] is False for k in seen)


def test_an_api_base_without_a_model_uses_the_servers_first(
    respx_mock: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")  # named server wins over it
    base = "http://127.0.0.1:9/v1"
    respx_mock.get(f"{base}/models").mock(
        return_value=httpx.Response(200, json={"data": [{"id": "served-model"}]})
    )

    choice = choose(load_settings(Flags(api_base=base)))

    assert (choice.interviewer.model, choice.interviewer.api_base) == ("served-model", base)


def test_with_nothing_available_a_scripted_round_not_the_tiny_model(probing: Any) -> None:
    """A newcomer with no key, server or GGUF gets the round's own lines, told why and
    what to do for a real interviewer; the bundled 135M model only when asked for."""
    choice = choose(load_settings())

    assert choice.interviewer.model == "scripted" and choice.judge.model == "scripted"
    assert "the round's own lines" in choice.reason and "OPENAI_API_KEY" in choice.reason
    assert "scripted" not in choice.reason.lower()  # shown after "Scripted round": said once
    assert choice.notice is None


def test_the_bundled_model_runs_only_when_asked_for() -> None:
    choice = choose(load_settings(Flags(model="local")))
    assert choice.interviewer.model == "local" and choice.judge.model == "local"
    assert choice.notice and "cannot interview or judge you meaningfully" in choice.notice


def test_a_local_model_takes_no_api_base() -> None:
    with pytest.raises(ConfigError, match="takes no --api-base"):
        choose(load_settings(Flags(model="local:/m.gguf", api_base="http://127.0.0.1:8080/v1")))


def test_a_local_judge_beside_a_server(tmp_path: Path) -> None:
    choice = choose(
        load_settings(
            Flags(
                model="llama3.1", api_base="http://127.0.0.1:11434/v1", judge_model="local:/j.gguf"
            )
        )
    )
    assert (choice.judge.model, choice.judge.api_base) == ("local:/j.gguf", None)
    assert choice.notice is None


OLD = "http://10.0.0.5:8000/v1"
NEW = "http://10.0.0.9:8000/v1"


def on(base: str | None, model: str = "llama3.1") -> ModelInfo:
    return ModelInfo(model=model, api_base=base)


@pytest.mark.parametrize(
    ("flags", "recorded", "interviewer", "judge"),
    [
        pytest.param(
            {"api_base": NEW},
            Recorded(on(OLD), on(OLD, "qwen")),
            ("llama3.1", NEW),
            ("qwen", NEW),
            id="a judge on the interviewer's server moves with it",
        ),
        pytest.param(
            {"api_base": NEW},
            Recorded(on(OLD), on(None, "gpt-4o")),
            ("llama3.1", NEW),
            ("gpt-4o", None),
            id="a hosted judge stays hosted",
        ),
        pytest.param(
            {},
            Recorded(on(OLD), on(None, "gpt-4o")),
            ("llama3.1", OLD),
            ("gpt-4o", None),
            id="what the session recorded, as it was",
        ),
        pytest.param(
            {"model": "qwen2.5", "judge_api_base": NEW},
            Recorded(on(OLD), on(OLD)),
            ("qwen2.5", OLD),
            ("llama3.1", NEW),
            id="flags win, field by field",
        ),
        pytest.param(
            {},
            Recorded(None, None),
            ("gpt-4o-mini", None),
            ("gpt-4o-mini", None),
            id="a session that recorded nothing yet: as for a new one",
        ),
    ],
)
def test_a_saved_session_keeps_its_models_unless_flags_say_otherwise(
    monkeypatch: pytest.MonkeyPatch,
    flags: dict[str, str],
    recorded: Recorded,
    interviewer: tuple[str, str | None],
    judge: tuple[str, str | None],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")
    monkeypatch.setenv("INTERVIEWER_API_BASE", "http://127.0.0.1:9/v1")  # the session wins
    if recorded.interviewer is None:
        monkeypatch.delenv("INTERVIEWER_API_BASE")

    choice = choose(load_settings(Flags(**flags)), recorded)

    assert (choice.interviewer.model, choice.interviewer.api_base) == interviewer
    assert (choice.judge.model, choice.judge.api_base) == judge


def test_the_choice_says_why_for_each_role(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_JUDGE_MODEL", "gpt-4o")
    choice = choose(load_settings(Flags(judge_model=None)), Recorded(on(OLD), None))
    assert (choice.reason, choice.judge_reason) == (
        "as the session recorded",
        "from INTERVIEWER_JUDGE_MODEL",
    )


def test_practice_says_which_local_server_it_found(probing: Any, isolated: Path) -> None:
    base = "http://127.0.0.1:11434/v1"
    serves(probing, 11434, "llama3.1:latest")
    provider = Provider(probing, base)
    provider.interviewer = ["Hello, tell me about a project."]

    result = CliRunner().invoke(app, ["practice", "behavioral", "--no-score"], input="")

    shown = " ".join(result.stdout.split())  # the banner wraps between words at 80 columns
    assert "Interviewer model: llama3.1:latest at http://127.0.0.1:11434/v1 (Ollama answers" in (
        shown
    )
    assert provider.streamed[0]["model"] == "llama3.1:latest"


def test_a_closed_port_is_skipped_without_an_http_request(
    respx_mock: Any, monkeypatch: Any
) -> None:
    """Nothing listens on a free port: no HTTP probe is made (the start stays fast)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    monkeypatch.setattr(selection, "LOCAL_SERVERS", (("Nothing", free),))
    route = respx_mock.get(f"http://127.0.0.1:{free}/v1/models")
    assert selection.find_local_server() is None
    assert not route.called
