"""The model seam at the HTTP wire: respx plays an OpenAI-compatible server, litellm is real.

Every test asserts what a user would see: the reply, the usage, how many requests were
made, how long we waited, and the one-line error with its hint. Sleeps are injected and
recorded, never taken; a socket guard makes any request that escapes respx fail.
"""

from __future__ import annotations

import inspect
import json
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from interviewer.errors import ConfigError, ModelError
from interviewer.models import ModelSpec, make_model
from interviewer.models.base import RetryingModel
from interviewer.models.litellm_client import LiteLLMModel, litellm_model
from interviewer.models.openai_compat import BY_STATUS, OpenAICompatModel
from interviewer.models.retry_policy import ERROR_TABLE, retry_after_s, scrub

BASE = "http://127.0.0.1:9/v1"
URL = f"{BASE}/chat/completions"
KEY = "sk-test-SECRET1234567890"
ENV_KEY = "sk-test-ENVSECRET0987654321"
HI = [{"role": "user", "content": "hello"}]
SCHEMA = {"type": "object", "properties": {"score": {"type": "integer"}}, "required": ["score"]}


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """respx answers httpx before any socket opens; anything else reaching out fails."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"test tried to reach the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def sleeps() -> list[float]:
    return []


CLIENTS: dict[str, type[RetryingModel]] = {
    "litellm": LiteLLMModel,
    "direct": OpenAICompatModel,
}


@pytest.fixture(params=sorted(CLIENTS))
def make(request: Any, sleeps: list[float]) -> Callable[..., RetryingModel]:
    """A model on the fake server, through each client in turn (both must behave alike);
    the sleeps it would take are recorded, not taken."""

    def build(model: str = "openai/test-model", **spec: Any) -> RetryingModel:
        spec.setdefault("api_base", BASE)
        spec.setdefault("api_key", KEY)
        return CLIENTS[request.param](ModelSpec(model, **spec), sleep=sleeps.append)

    return build


@pytest.fixture
def hosted(sleeps: list[float]) -> Callable[..., RetryingModel]:
    """A hosted model (no api_base), which only litellm serves."""

    def build(model: str, **spec: Any) -> RetryingModel:
        return make_model(ModelSpec(model, **spec), sleep=sleeps.append)  # type: ignore[return-value]

    return build


def completion(text: str, prompt_tokens: int = 12, completion_tokens: int = 3) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
    )


def chunk(delta: dict[str, str] | None, finish: str | None = None, **extra: Any) -> bytes:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    body = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "test-model"}
    return f"data: {json.dumps({**body, 'choices': choices, **extra})}\n\n".encode()


def sse(*pieces: str, usage: tuple[int, int] | None = (7, 3)) -> list[bytes]:
    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": piece}) for piece in pieces]
    events.append(chunk({}, "stop"))
    if usage:
        counts = {"prompt_tokens": usage[0], "completion_tokens": usage[1]}
        events.append(chunk(None, usage={**counts, "total_tokens": sum(usage)}))
    return [*events, b"data: [DONE]\n\n"]


def streamed(events: list[bytes] | Iterator[bytes]) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=events)


def error(status: int, message: str = "boom", **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, json={"error": {"message": message}})


def bodies(route: Any) -> list[dict[str, Any]]:
    return [json.loads(call.request.content) for call in route.calls]


# ----------------------------------------------------------------------- replies


def test_chat_returns_text_usage_and_sends_settings(respx_mock: Any, make: Any) -> None:
    route = respx_mock.post(URL).mock(return_value=completion("Hello there", 12, 3))

    reply = make().chat(HI, temperature=0.3, max_tokens=50)

    assert (reply.text, reply.finish_reason, reply.mode) == ("Hello there", "stop", None)
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (12, 3)
    assert reply.usage.cost_usd is None  # a custom server is not priced like OpenAI
    assert reply.latency_ms is not None and reply.latency_ms >= 0
    [sent] = bodies(route)
    assert sent == {"model": "test-model", "messages": HI, "temperature": 0.3, "max_tokens": 50}
    assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"


def test_stream_shows_each_delta_in_order_and_records_usage(respx_mock: Any, make: Any) -> None:
    route = respx_mock.post(URL).mock(return_value=streamed(sse("Hel", "lo, ", "world")))
    shown: list[str] = []

    reply = make().stream(HI, temperature=0.7, on_text=shown.append)

    assert shown == ["Hel", "lo, ", "world"]
    assert (reply.text, reply.finish_reason) == ("Hello, world", "stop")
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (7, 3)
    [sent] = bodies(route)
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}


def test_local_server_without_a_key_gets_a_placeholder(respx_mock: Any, make: Any) -> None:
    """llama.cpp and friends want no key, but the openai SDK will not send without one."""
    route = respx_mock.post(URL).mock(return_value=completion("ok"))

    assert make("llama3", api_key=None).chat(HI, temperature=0).text == "ok"
    assert route.calls.last.request.headers["authorization"] == "Bearer no-key-needed"
    assert bodies(route)[0]["model"] == "llama3"


def test_known_models_are_priced(respx_mock: Any, hosted: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    respx_mock.post("https://api.openai.com/v1/chat/completions").mock(
        return_value=completion("ok", 1000, 100)
    )

    reply = hosted("gpt-4o-mini").chat(HI, temperature=0)

    assert reply.usage.cost_usd is not None and reply.usage.cost_usd > 0


# ----------------------------------------------------------------------- retries


def test_rate_limit_waits_as_long_as_retry_after_says(
    respx_mock: Any, make: Any, sleeps: list[float]
) -> None:
    route = respx_mock.post(URL).mock(
        side_effect=[error(429, "slow down", **{"Retry-After": "2"}), completion("ok")]
    )

    assert make().chat(HI, temperature=0).text == "ok"
    assert route.call_count == 2
    assert sleeps == [pytest.approx(2.0)]


def test_server_errors_are_retried_with_bounded_backoff(
    respx_mock: Any, make: Any, sleeps: list[float]
) -> None:
    route = respx_mock.post(URL).mock(side_effect=[error(500), error(503), completion("ok")])

    assert make().chat(HI, temperature=0).text == "ok"
    assert route.call_count == 3
    assert len(sleeps) == 2 and all(0 < s <= 31 for s in sleeps)


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(httpx.ReadTimeout("slow"), id="read-timeout"),
        pytest.param(httpx.ConnectTimeout("slow"), id="connect-timeout"),
        pytest.param(httpx.ConnectError("refused"), id="connect-error"),
    ],
)
def test_transport_failures_are_retried(respx_mock: Any, make: Any, failure: Exception) -> None:
    route = respx_mock.post(URL).mock(side_effect=[failure, completion("ok")])

    assert make().chat(HI, temperature=0).text == "ok"
    assert route.call_count == 2


def test_stream_retries_when_nothing_was_shown_yet(respx_mock: Any, make: Any) -> None:
    route = respx_mock.post(URL).mock(side_effect=[error(503), streamed(sse("Hi", " there"))])
    shown: list[str] = []

    assert make().stream(HI, temperature=0.7, on_text=shown.append).text == "Hi there"
    assert shown == ["Hi", " there"] and route.call_count == 2


def test_rate_limited_forever_gives_up_after_max_retries(
    respx_mock: Any, make: Any, sleeps: list[float], capfd: Any
) -> None:
    route = respx_mock.post(URL).mock(return_value=error(429, "slow down"))

    with pytest.raises(ModelError) as caught:
        make(max_retries=4).chat(HI, temperature=0)

    assert route.call_count == 5 and len(sleeps) == 4
    assert caught.value.retryable
    assert str(caught.value) == (
        "model 'openai/test-model' was rate limited by the provider 5 times "
        "(wait a minute and try again, or use a model with a higher rate limit)"
    )
    assert capfd.readouterr() == ("", "")  # litellm printed no banners or log lines


def test_a_long_retry_after_stops_at_once(respx_mock: Any, make: Any, sleeps: list[float]) -> None:
    route = respx_mock.post(URL).mock(return_value=error(429, **{"Retry-After": "3600"}))

    with pytest.raises(ModelError, match="asked us to wait 3600 s"):
        make().chat(HI, temperature=0)
    assert route.call_count == 1 and sleeps == []


def test_unreachable_server_is_named(respx_mock: Any, make: Any) -> None:
    respx_mock.post(URL).mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(ModelError) as caught:
        make(max_retries=1).chat(HI, temperature=0)
    assert str(caught.value).startswith(
        f"could not reach {BASE} for model 'openai/test-model', 2 times"
    )
    assert caught.value.retryable
    assert caught.value.hint == f"check that the server at {BASE} is running"


def test_an_unreachable_local_model_names_the_check_that_starts_it(respx_mock: Any) -> None:
    """The local model's server is ours, not an api_base the user gave: the advice is
    the doctor, which starts it and says why it would not start."""
    respx_mock.post(URL).mock(side_effect=httpx.ConnectError("refused"))
    model = OpenAICompatModel(ModelSpec("local", api_base=BASE, max_retries=0))

    with pytest.raises(ModelError) as caught:
        model.chat(HI, temperature=0)
    assert str(caught.value).startswith("could not reach the local model for model 'local', once")
    assert caught.value.hint == "run 'interviewer doctor --model local' to see that it starts"


def test_connection_dropped_mid_reply_is_not_retried(respx_mock: Any, make: Any) -> None:
    def events() -> Iterator[bytes]:
        yield from sse("Hel", "lo")[:3]
        raise httpx.ReadError("peer closed")

    route = respx_mock.post(URL).mock(return_value=streamed(events()))
    shown: list[str] = []

    with pytest.raises(ModelError, match="dropped mid-reply") as caught:
        make().stream(HI, temperature=0.7, on_text=shown.append)
    assert caught.value.retryable
    assert shown == ["Hel", "lo"] and route.call_count == 1


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        pytest.param({"Retry-After": "2"}, 2.0, id="seconds"),
        pytest.param({"retry-after": "0.5"}, 0.5, id="fraction-lowercase"),
        pytest.param({"retry-after-ms": "1500", "retry-after": "9"}, 1.5, id="milliseconds-first"),
        pytest.param({"Retry-After": "DATE+5"}, 5.0, id="http-date"),
        pytest.param({"Retry-After": "DATE-5"}, 0.0, id="http-date-past"),
        pytest.param({"Retry-After": "soon"}, None, id="garbage"),
        pytest.param({}, None, id="absent"),
    ],
)
def test_retry_after_parsing(headers: dict[str, str], seconds: float | None) -> None:
    now = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)
    for name, value in headers.items():
        if value.startswith("DATE"):
            headers[name] = format_datetime(now + timedelta(seconds=int(value[4:])), usegmt=True)
    exc = Exception("rate limited")
    exc.litellm_response_headers = httpx.Headers(headers)  # type: ignore[attr-defined]

    assert retry_after_s(exc, now=now) == (None if seconds is None else pytest.approx(seconds))


# -------------------------------------------------------------------- not retried


@pytest.mark.parametrize(
    ("env_key", "api_key"),
    [
        pytest.param(ENV_KEY, None, id="key-from-environment"),
        pytest.param(ENV_KEY, KEY, id="key-from-config"),
    ],
)
def test_rejected_key_fails_at_once_and_never_shows_the_key(
    respx_mock: Any, make: Any, monkeypatch: Any, capfd: Any, env_key: str, api_key: str | None
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", env_key)
    echo = f"Incorrect API key provided: {api_key or env_key}"
    route = respx_mock.post(URL).mock(return_value=error(401, echo))

    with pytest.raises(ModelError) as caught:
        make(api_key=api_key).chat(HI, temperature=0)

    assert route.call_count == 1 and not caught.value.retryable
    text = f"{caught.value} {caught.value!r} {caught.value.hint}"
    # A custom server is never sent OPENAI_API_KEY, so the hint names the variable it is sent.
    assert "set INTERVIEWER_API_KEY or api_key in the config file" in text
    assert KEY not in text and env_key not in text and "SECRET" not in text
    assert capfd.readouterr() == ("", "")


def test_missing_key_is_a_config_error_before_any_request(respx_mock: Any, hosted: Any) -> None:
    with pytest.raises(ConfigError) as caught:
        hosted("gpt-4o-mini").chat(HI, temperature=0)

    assert str(caught.value) == ("no API key for model 'gpt-4o-mini' (set OPENAI_API_KEY)")
    assert respx_mock.calls.call_count == 0


def test_unknown_model_is_named_after_one_request(respx_mock: Any, make: Any) -> None:
    message = "The model `test-model` does not exist or you do not have access to it."
    route = respx_mock.post(URL).mock(return_value=error(404, message))

    with pytest.raises(ModelError) as caught:
        make("test-model").chat(HI, temperature=0)

    assert route.call_count == 1 and not caught.value.retryable
    assert (
        str(caught.value)
        == f"unknown model 'test-model': {message} (check --model, and api_base if set)"
    )


def test_context_window_exceeded_is_reported_at_once(respx_mock: Any, make: Any) -> None:
    message = "This model's maximum context length is 8192 tokens."
    route = respx_mock.post(URL).mock(return_value=error(400, message))

    with pytest.raises(ModelError, match="conversation too long for the context window"):
        make().chat(HI, temperature=0)
    assert route.call_count == 1


def test_provider_text_is_scrubbed_of_keys(respx_mock: Any, make: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk_NOTANSKKEY_abcdefgh")
    echo = f"bad request from {KEY} and gsk_NOTANSKKEY_abcdefgh"
    respx_mock.post(URL).mock(return_value=error(400, echo))

    with pytest.raises(ModelError) as caught:
        make().chat(HI, temperature=0)
    assert (
        str(caught.value)
        == "model 'openai/test-model' rejected the request: bad request from *** and ***"
    )
    assert scrub("x sk-abcdefgh123 y") == "x *** y"


def test_hosted_key_rejection_names_the_providers_variable(
    respx_mock: Any, hosted: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    respx_mock.post("https://api.openai.com/v1/chat/completions").mock(
        return_value=error(401, f"Incorrect API key provided: {ENV_KEY}")
    )

    with pytest.raises(ModelError) as caught:
        hosted("gpt-4o-mini").chat(HI, temperature=0)
    assert caught.value.hint == "set OPENAI_API_KEY"
    assert ENV_KEY not in str(caught.value)


# ------------------------------------------------------------------ temperature

REFUSED = (
    "Unsupported value: 'temperature' does not support 0.7 with this model. "
    "Only the default (1) value is supported."
)


def test_a_refused_temperature_is_dropped_once_and_for_good(
    respx_mock: Any, make: Any, sleeps: list[float]
) -> None:
    route = respx_mock.post(URL).mock(
        side_effect=[error(400, REFUSED), completion("ok"), streamed(sse("again"))]
    )
    model = make()

    assert model.chat(HI, temperature=0.7).text == "ok"
    assert model.stream(HI, temperature=0.7, on_text=lambda _t: None).text == "again"

    sent = bodies(route)
    assert [("temperature" in body) for body in sent] == [True, False, False]
    assert sleeps == []  # sent again at once: nothing transient about it


def test_a_refused_temperature_is_not_taken_for_a_refused_format(
    respx_mock: Any, make: Any
) -> None:
    route = respx_mock.post(URL).mock(side_effect=[error(400, REFUSED), completion('{"score": 1}')])

    reply = make().structured(HI, SCHEMA, name="scorecard", temperature=0.7)

    assert reply.mode == "json_schema"
    assert [body["response_format"]["type"] for body in bodies(route)] == ["json_schema"] * 2


def test_gpt5_refused_by_litellm_before_sending_is_sent_without_temperature(
    respx_mock: Any, hosted: Any, monkeypatch: Any
) -> None:
    """litellm refuses gpt-5's temperature itself (UnsupportedParamsError), before any request."""
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    route = respx_mock.post("https://api.openai.com/v1/chat/completions").mock(
        return_value=completion("ok")
    )

    assert hosted("gpt-5").chat(HI, temperature=0.7).text == "ok"
    [sent] = bodies(route)
    assert "temperature" not in sent


# ----------------------------------------------------------------- the direct client


def test_every_failure_the_direct_client_raises_is_in_the_table() -> None:
    from interviewer.models.openai_compat import WireError

    named = {name for rule in ERROR_TABLE for name in rule.names}
    raised = {cls.__name__ for cls in [*BY_STATUS.values(), *WireError.__subclasses__()]}
    assert sorted(raised - named) == []


def test_direct_client_reports_an_error_sent_mid_stream(respx_mock: Any) -> None:
    events = [chunk({"content": "Hi"}), b'data: {"error": {"message": "slot crashed"}}\n\n']
    respx_mock.post(URL).mock(return_value=streamed(events))
    model = OpenAICompatModel(ModelSpec("m", api_base=BASE), sleep=lambda _s: None)

    with pytest.raises(ModelError, match="dropped mid-reply"):
        model.stream(HI, temperature=0, on_text=lambda _t: None)


def test_direct_client_keeps_one_connection_pool(respx_mock: Any) -> None:
    respx_mock.post(URL).mock(side_effect=[completion("a"), completion("b")])
    model = OpenAICompatModel(ModelSpec("m", api_base=BASE), sleep=lambda _s: None)

    model.chat(HI, temperature=0)
    first = model._http()
    model.chat(HI, temperature=0)
    assert model._http() is first


def test_direct_client_waits_as_long_as_timeout_s_says(respx_mock: Any) -> None:
    """``timeout_s`` is the README's wait per attempt: every request carries it."""
    route = respx_mock.post(URL).mock(side_effect=[completion("a"), streamed(sse("b"))])
    model = OpenAICompatModel(ModelSpec("m", api_base=BASE, timeout_s=7.5), sleep=lambda _s: None)

    model.chat(HI, temperature=0)
    model.stream(HI, temperature=0, on_text=lambda _t: None)

    waits = [call.request.extensions["timeout"] for call in route.calls]
    assert waits == [dict.fromkeys(("connect", "read", "write", "pool"), 7.5)] * 2


@pytest.mark.parametrize(
    ("model", "api_base", "client", "wire"),
    [
        pytest.param("gpt-4o-mini", None, LiteLLMModel, None, id="hosted"),
        pytest.param("llama3.1", BASE, OpenAICompatModel, "llama3.1", id="bare-on-server"),
        pytest.param("openai/qwen", BASE, OpenAICompatModel, "qwen", id="openai-prefix"),
        pytest.param("ollama_chat/llama3.1", BASE, LiteLLMModel, None, id="provider-prefix"),
        pytest.param("meta-llama/Llama-3-8B", BASE, LiteLLMModel, None, id="hf-name"),
        pytest.param("local:/m.gguf", BASE, OpenAICompatModel, "local", id="local-started"),
    ],
)
def test_make_model_takes_the_fast_path_only_for_custom_servers(
    model: str, api_base: str | None, client: type, wire: str | None
) -> None:
    spec = ModelSpec(model, api_base=api_base)
    assert type(make_model(spec)) is client
    if wire is not None:
        assert spec.wire_model() == wire


def test_a_local_model_records_no_port() -> None:
    spec = ModelSpec("local:/models/q.gguf", api_base="http://127.0.0.1:41234/v1")
    assert spec.info().model_dump() == {"model": "local:/models/q.gguf", "api_base": None}
    with pytest.raises(ConfigError, match="not started"):
        make_model(ModelSpec("local"))


def test_the_seam_imports_no_provider_library() -> None:
    """Commands that never call a hosted model never pay for importing litellm or openai."""
    code = (
        "import sys, interviewer.cli, interviewer.models.openai_compat, interviewer.models.choice, "
        "interviewer.models.local, interviewer.models.retry_policy\n"
        "assert not {'litellm', 'openai', 'xllamacpp'} & set(sys.modules), sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------- structured


def test_structured_sends_the_schema_when_the_server_accepts_it(respx_mock: Any, make: Any) -> None:
    route = respx_mock.post(URL).mock(return_value=completion('{"score": 3}'))

    reply = make().structured(HI, SCHEMA, name="scorecard", temperature=0)

    assert (reply.text, reply.mode) == ('{"score": 3}', "json_schema")
    assert bodies(route)[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "scorecard", "schema": SCHEMA, "strict": False},
    }


def test_structured_falls_back_to_json_object_and_remembers(
    respx_mock: Any, make: Any, sleeps: list[float]
) -> None:
    rejected = error(400, "response_format json_schema not supported")
    route = respx_mock.post(URL).mock(side_effect=[rejected, completion("{}"), completion("{}")])
    model = make()

    first = model.structured(HI, SCHEMA, name="scorecard", temperature=0)
    second = model.structured(HI, SCHEMA, name="scorecard", temperature=0)

    assert (first.mode, second.mode) == ("json_object", "json_object")
    formats = [body["response_format"]["type"] for body in bodies(route)]
    assert formats == ["json_schema", "json_object", "json_object"]
    assert sleeps == []


def test_structured_strict_is_asked_per_call_and_dropped_once_refused(
    respx_mock: Any, make: Any, sleeps: list[float]
) -> None:
    """A strict schema goes out with strict: true; a server that refuses strict mode (OpenAI
    does, for keywords outside its subset) gets the same schema without it, from then on."""
    refused = error(400, "Invalid schema for response_format: maxLength is not supported")
    route = respx_mock.post(URL).mock(side_effect=[refused, completion("{}"), completion("{}")])
    model = make()

    first = model.structured(HI, SCHEMA, name="scorecard", temperature=0, strict=True)
    second = model.structured(HI, SCHEMA, name="scorecard", temperature=0, strict=True)

    sent = [body["response_format"]["json_schema"]["strict"] for body in bodies(route)]
    assert sent == [True, False, False]
    assert (first.mode, second.mode) == ("json_schema", "json_schema")
    assert sleeps == []


def test_structured_strict_mode_is_recorded(respx_mock: Any, make: Any) -> None:
    respx_mock.post(URL).mock(return_value=completion("{}"))
    reply = make().structured(HI, SCHEMA, name="scorecard", temperature=0, strict=True)
    assert reply.mode == "json_schema_strict"


def test_structured_falls_back_to_the_prompt_alone(respx_mock: Any, make: Any) -> None:
    route = respx_mock.post(URL).mock(
        side_effect=[
            error(400, "json_schema is not supported by this server"),
            error(500, "unsupported response_format type json_object"),  # rejected, not retried
            completion('{"score": 4}'),
        ]
    )

    reply = make().structured(HI, SCHEMA, name="scorecard", temperature=0)

    assert (reply.text, reply.mode) == ('{"score": 4}', "prompt")
    assert "response_format" not in bodies(route)[2]


def test_structured_does_not_hide_other_errors(respx_mock: Any, make: Any) -> None:
    route = respx_mock.post(URL).mock(return_value=error(400, "temperature must be at most 2"))

    with pytest.raises(ModelError, match="rejected the request: temperature must be at most 2"):
        make().structured(HI, SCHEMA, name="scorecard", temperature=9)
    assert route.call_count == 1


# ------------------------------------------------------------------------ the spec


@pytest.mark.parametrize(
    ("model", "api_base", "expected"),
    [
        pytest.param("gpt-4o-mini", None, "gpt-4o-mini", id="hosted"),
        pytest.param("test-model", BASE, "openai/test-model", id="bare-on-server"),
        pytest.param("meta-llama/Llama-3-8B", BASE, "openai/meta-llama/Llama-3-8B", id="hf-name"),
        pytest.param("ollama_chat/llama3", BASE, "ollama_chat/llama3", id="provider-kept"),
        pytest.param("openai/test-model", BASE, "openai/test-model", id="already-openai"),
    ],
)
def test_litellm_model_prefixes_bare_names_on_custom_servers(
    model: str, api_base: str | None, expected: str
) -> None:
    assert litellm_model(ModelSpec(model, api_base=api_base)) == expected


def test_spec_never_shows_the_key() -> None:
    spec = ModelSpec("test-model", api_base="http://user:pw@host:8080/v1", api_key=KEY)

    assert spec.info().model_dump() == {"model": "test-model", "api_base": "http://host:8080/v1"}
    assert KEY not in repr(spec)
    assert LiteLLMModel(spec).info == spec.info()


# ------------------------------------------------------------------- the error table


def litellm_exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class litellm defines: in litellm.exceptions and at its top level."""
    import litellm
    import litellm.exceptions

    found: dict[str, type[BaseException]] = {}
    for namespace in (vars(litellm.exceptions), vars(litellm)):
        for name, value in namespace.items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__.startswith("litellm")
            ):
                found[name] = value
    return found


def test_error_table_names_every_litellm_exception() -> None:
    """A class litellm adds must be placed in the table by hand: retry it or not, say what."""
    named = {name for rule in ERROR_TABLE for name in rule.names}
    classes = litellm_exception_classes()

    assert {"RateLimitError", "AuthenticationError", "ContextWindowExceededError"} <= set(classes)
    assert sorted(set(classes) - named) == []


def test_error_table_retries_exactly_the_transient_failures() -> None:
    retried = {name for rule in ERROR_TABLE if rule.retry == "yes" for name in rule.names}
    assert {
        "RateLimitError",
        "InternalServerError",
        "ServiceUnavailableError",
        "BadGatewayError",
        "APIConnectionError",
        "Timeout",
    } <= retried
    never = {
        "AuthenticationError",
        "NotFoundError",
        "ContextWindowExceededError",
        "BadRequestError",
    }
    assert not never & retried
