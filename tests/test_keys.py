"""Which key each endpoint receives, asserted at the wire (respx plays every server).

A configured key (``INTERVIEWER_API_KEY`` / ``api_key``) belongs to the server the user
named; a hosted provider gets only its own variable; credentials in an address are never
shown and never replace the configured key.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.config.settings import Flags, load_settings
from interviewer.models import make_model
from interviewer.models.base import PLACEHOLDER_KEY
from interviewer.models.choice import choose
from wire import completion

BASE = "http://127.0.0.1:9/v1"
OPENAI = "https://api.openai.com/v1/chat/completions"
SERVER_KEY = "server-key-0123456789"
OPENAI_KEY = "sk-openai-ENVSECRET0123456789"
HI = [{"role": "user", "content": "hello"}]


def answering(respx_mock: Any, url: str) -> Any:
    return respx_mock.post(url).mock(return_value=httpx.Response(200, json=completion("ok")))


def sent_auth(route: Any) -> str:
    return str(route.calls.last.request.headers.get("authorization"))


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_API_KEY", SERVER_KEY)
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)


def test_a_hosted_judge_beside_a_custom_interviewer_gets_its_own_key(
    respx_mock: Any, keys: None
) -> None:
    server = answering(respx_mock, f"{BASE}/chat/completions")
    hosted = answering(respx_mock, OPENAI)
    choice = choose(
        load_settings(
            Flags(model="llama3", api_base=BASE, judge_model="gpt-4o-mini", judge_api_base="none")
        )
    )

    make_model(choice.interviewer).chat(HI, temperature=0)
    make_model(choice.judge).chat(HI, temperature=0)

    assert sent_auth(server) == f"Bearer {SERVER_KEY}"
    assert sent_auth(hosted) == f"Bearer {OPENAI_KEY}"


def test_a_hosted_interviewer_never_gets_the_custom_servers_key(
    respx_mock: Any, keys: None, tmp_path: Any
) -> None:
    (tmp_path / "config.toml").write_text('api_key = "config-key-0123456789"\n')
    hosted = answering(respx_mock, OPENAI)
    choice = choose(load_settings(Flags(model="gpt-4o-mini")))

    make_model(choice.interviewer).chat(HI, temperature=0)
    make_model(choice.judge).chat(HI, temperature=0)

    assert [str(c.request.headers["authorization"]) for c in hosted.calls] == [
        f"Bearer {OPENAI_KEY}"
    ] * 2


def test_a_judge_on_another_server_gets_only_its_own_key(
    respx_mock: Any, keys: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = "http://127.0.0.1:10/v1"
    judge = answering(respx_mock, f"{other}/chat/completions")
    choice = choose(load_settings(Flags(model="llama3", api_base=BASE, judge_api_base=other)))
    make_model(choice.judge).chat(HI, temperature=0)
    assert sent_auth(judge) == f"Bearer {PLACEHOLDER_KEY}"

    monkeypatch.setenv("INTERVIEWER_JUDGE_API_KEY", "judge-key-0123456789")
    choice = choose(load_settings(Flags(model="llama3", api_base=BASE, judge_api_base=other)))
    make_model(choice.judge).chat(HI, temperature=0)
    assert sent_auth(judge) == "Bearer judge-key-0123456789"


@pytest.mark.parametrize("model", ["llama3", "openai/llama3"])
def test_credentials_in_the_address_never_replace_the_configured_key(
    respx_mock: Any, keys: None, model: str
) -> None:
    route = answering(respx_mock, f"{BASE}/chat/completions")
    base = "http://user:hunter2pw@127.0.0.1:9/v1"
    choice = choose(load_settings(Flags(model=model, api_base=base)))
    make_model(choice.interviewer).chat(HI, temperature=0)

    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {SERVER_KEY}"
    assert "hunter2pw" not in str(request.url)
    assert choice.interviewer.address() == BASE


def test_credentials_in_the_address_are_basic_auth_only_without_a_key(respx_mock: Any) -> None:
    route = answering(respx_mock, f"{BASE}/chat/completions")
    choice = choose(
        load_settings(Flags(model="llama3", api_base="http://user:hunter2pw@127.0.0.1:9/v1"))
    )

    make_model(choice.interviewer).chat(HI, temperature=0)

    expected = base64.b64encode(b"user:hunter2pw").decode()
    assert sent_auth(route) == f"Basic {expected}"


def test_doctor_never_prints_credentials_from_the_address(respx_mock: Any) -> None:
    respx_mock.get(f"{BASE}/models").mock(
        return_value=httpx.Response(200, json={"data": [{"id": "llama3"}]})
    )
    respx_mock.post(f"{BASE}/chat/completions").mock(
        return_value=httpx.Response(200, json=completion("ready"))
    )

    result = CliRunner().invoke(
        app,
        ["doctor", "--model", "llama3", "--api-base", "http://me:hunter2pw@127.0.0.1:9/v1"],
        env={"COLUMNS": "250"},
    )

    assert "hunter2pw" not in result.output
    assert "127.0.0.1:9/v1" in result.output


@pytest.mark.parametrize("param", ["api_key", "key", "token", "access_token", "apiKey"])
def test_a_key_in_the_address_query_is_never_shown_nor_recorded(
    respx_mock: Any, isolated: Any, param: str
) -> None:
    """Redacted as a password in the address is: gone from the start line and from every
    address the transcript records, the rest of the query kept; and sent to the server."""
    from wire import Provider

    provider = Provider(respx_mock)
    provider.interviewer = ["First question?"]
    base = f"{BASE}?{param}=qs-SECRET-0123456789&deployment=blue"
    result = CliRunner().invoke(
        app,
        ["practice", "behavioral", "--model", "llama3", "--api-base", base, "--no-score"],
        input="/pause\n",
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    assert "qs-SECRET" not in result.output
    assert f"{BASE}?deployment=blue" in result.output
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    saved = path.read_text()
    assert "qs-SECRET" not in saved and saved.count(f"{BASE}?deployment=blue") == 2
    assert provider.route.calls.last.request.url.params[param] == "qs-SECRET-0123456789"
