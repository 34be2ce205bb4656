"""The ``ChatModel`` for OpenAI-compatible servers at ``api_base``, spoken directly over httpx.

Why not litellm here too: importing litellm costs 5-7 s on our machines, and for a user
of a local server (Ollama, llama.cpp, vLLM, LM Studio, or ``--model local``) that was
the whole wait before the interviewer's first word. This client imports only httpx
(~0.1 s), speaks the one API those servers share (``POST /chat/completions``, streamed as
server-sent events), and keeps litellm's semantics where they matter: HTTP failures are
raised as exceptions named like litellm's, so ``retry_policy.ERROR_TABLE`` retries and
words them the same way for both clients.

A custom server is sent only the key configured for it (``api_key`` /
``INTERVIEWER_API_KEY``) or a placeholder, never a provider's key from the environment.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx

from interviewer.errors import ModelError
from interviewer.formats.text import scalar
from interviewer.models.base import (
    PLACEHOLDER_KEY,
    SERVER_KEY_ENV,
    Delta,
    Message,
    ModelSpec,
    Reply,
    RetryingModel,
)
from interviewer.models.retry_policy import without_credentials

# --------------------------------------------------------------- failures, by name


class WireError(Exception):
    """A failed call; subclasses carry litellm's class names, which the table knows."""

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.response = response  # its headers carry Retry-After
        self.status_code = response.status_code if response is not None else 0


class APIError(WireError): ...


class APIConnectionError(WireError): ...


class Timeout(WireError): ...


class APIResponseValidationError(WireError): ...


class BadRequestError(WireError): ...


class ContextWindowExceededError(BadRequestError): ...


class UnprocessableEntityError(WireError): ...


class AuthenticationError(WireError): ...


class PaymentRequiredError(WireError): ...


class PermissionDeniedError(WireError): ...


class NotFoundError(WireError): ...


class RateLimitError(WireError): ...


class InternalServerError(WireError): ...


class BadGatewayError(WireError): ...


class ServiceUnavailableError(WireError): ...


BY_STATUS: dict[int, type[WireError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: Timeout,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    502: BadGatewayError,
    503: ServiceUnavailableError,
    504: Timeout,
}
"""The exception for each status code; others are ``APIError`` (retried when 5xx)."""

_CONTEXT_FULL = re.compile(
    r"context.?(length|window|size)|maximum context|too many tokens|exceeds? the .*context",
    re.IGNORECASE,
)


def failure_for(response: httpx.Response) -> WireError:
    """The exception for an error response, worded with the server's own message."""
    message = _error_message(response)
    kind = BY_STATUS.get(response.status_code, APIError)
    if kind is BadRequestError and _CONTEXT_FULL.search(message):
        kind = ContextWindowExceededError
    return kind(message or f"HTTP {response.status_code}", response)


def _error_message(response: httpx.Response) -> str:
    """``{"error": {"message": ...}}`` (OpenAI, vLLM, llama.cpp), ``{"error": "..."}``
    (Ollama), or the body's first line."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip().splitlines()[0] if response.text.strip() else ""
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict):
        return str(error.get("message") or error.get("detail") or json.dumps(error))
    return str(error)


# --------------------------------------------------------------------- the client


def http_client(spec: ModelSpec) -> httpx.Client:
    """A client for the server at ``spec.api_base``, sending only the key meant for it.

    Credentials written into the address (``http://user:pw@host/v1``) never replace the
    configured key: with a key they are dropped, and only without one are they sent, as
    the HTTP Basic auth they were written for. For a plain ``http://`` server no TLS is
    ever spoken (redirects are not followed), so the certificate store is not loaded:
    that alone took ~30 ms of the first word.
    """
    url = httpx.URL(str(spec.api_base))
    # A query in the address (``?key=...``, as some servers take their key) is sent with
    # every request; left in the base it would be cut into the path.
    params, url = url.params, url.copy_with(query=None, path=url.path.rstrip("/") or "/")
    auth: httpx.BasicAuth | None = None
    headers = {"authorization": f"Bearer {spec.api_key or PLACEHOLDER_KEY}"}
    if url.userinfo:
        if spec.api_key is None:
            auth = httpx.BasicAuth(url.username, url.password)
            headers = {}
        url = url.copy_with(username=None, password=None)
    return httpx.Client(
        base_url=url,
        params=params,
        headers=headers,
        auth=auth,
        timeout=httpx.Timeout(spec.timeout_s),
        verify=url.scheme != "http",
    )


def list_models(spec: ModelSpec, base_flag: str = "--api-base") -> list[str]:
    """The model ids the server lists at ``/models``; a failure as a one-line error whose
    hint names ``base_flag``, the option that set this server's address."""
    shown = without_credentials(spec.api_base)
    where = f"{shown}/models"
    try:
        with http_client(spec) as client:
            response = client.get("/models")
    except httpx.HTTPError as exc:
        raise ModelError(
            f"could not reach {shown} ({type(exc).__name__})",
            hint=f"start the server, or check {base_flag} (it usually ends in /v1)",
        ) from None
    if response.status_code in (401, 403):
        raise ModelError(f"{where} refused the key", hint=f"set {SERVER_KEY_ENV} to its key")
    ids = model_ids(response)
    if ids is None:
        raise ModelError(
            f"{where} answered HTTP {response.status_code}, not a model list",
            hint="api_base should name an OpenAI-compatible API, usually ending in /v1",
        )
    return ids


def model_ids(response: httpx.Response) -> list[str] | None:
    """The ids in an OpenAI-compatible ``/models`` answer; None when it is not one."""
    try:
        body: Any = response.json() if response.status_code == 200 else None
    except ValueError:
        return None
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        return None
    return [str(m["id"]) for m in data if isinstance(m, dict) and m.get("id")]


class OpenAICompatModel(RetryingModel):
    """``ChatModel`` over httpx for an OpenAI-compatible ``api_base``; one connection pool
    per model, so the turns of an interview reuse one kept-alive connection."""

    _client: httpx.Client | None = None
    _endpoint: httpx.URL
    _headers: httpx.Headers

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = http_client(self.spec)
            endpoint = self._client.base_url.join("chat/completions")
            self._endpoint = endpoint.copy_merge_params(self._client.params)
            self._headers = self._client.headers.copy()
        return self._client

    def pool(self) -> httpx.Client:
        """The model's kept-alive connection pool, for asking its server more than chat
        (``models.window`` asks for the context window) at no extra connection."""
        return self._http()

    def _chat_request(self, body: dict[str, Any]) -> httpx.Request:
        """A ``POST /chat/completions`` request, built straight from the parts that do not
        change over the model's life (its address and the client's headers): the
        client's ``build_request`` merges them afresh every time, which cost as much as
        encoding the whole conversation. The client's auth and timeout are still applied
        by ``send``."""
        self._http()
        return httpx.Request("POST", self._endpoint, headers=self._headers, json=body)

    def _post(self, messages: list[Message], params: dict[str, Any]) -> httpx.Response:
        """Send one request; return the open response, or raise a named failure.

        A request the server dropped unanswered is sent once more, at once, on a new
        connection: the cause is a kept-alive connection the server closed just as we
        reused it, not a failure to report or back off from. llama.cpp's server does
        that at times right after a streamed reply, its Keep-Alive header notwithstanding
        (the next request, sent within a millisecond, was dropped in 6 of 14 runs of
        the bundled model's tests), and servers close idle connections after a
        few seconds, the moment httpx's own pool gives up on one. Go's net/http retries
        the same case the same way. A second drop is a real failure.
        """
        client = self._http()
        request = self._chat_request(
            {"model": self.spec.wire_model(), "messages": messages, **params}
        )
        for attempt in (1, 2):
            try:
                response = client.send(request, stream=bool(params.get("stream")))
                break
            except httpx.TimeoutException as exc:
                raise Timeout(f"no answer within {self.spec.timeout_s:g} s") from exc
            except httpx.RemoteProtocolError as exc:
                if attempt == 1 and closed_unanswered(exc):
                    continue
                raise APIConnectionError(f"{type(exc).__name__}: {exc}") from exc
            except httpx.TransportError as exc:
                raise APIConnectionError(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            response.read()
            response.close()
            raise failure_for(response)
        return response

    def _request(self, messages: list[Message], params: dict[str, Any]) -> Reply:
        started = time.perf_counter()
        response = self._post(messages, params)
        latency = (time.perf_counter() - started) * 1000
        try:
            choice = response.json()["choices"][0]
            text = scalar(str(choice["message"].get("content") or ""))
            usage = _counts(response.json().get("usage"))
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise APIResponseValidationError(f"not a chat completion: {exc}", response) from exc
        reply = Reply(text, self._usage(*(usage or (0, 0))), latency, choice.get("finish_reason"))
        return reply

    def _request_stream(self, messages: list[Message], params: dict[str, Any]) -> Iterator[Delta]:
        response = self._post(messages, params)
        ended = False  # [DONE] or a finish_reason: a stream cut before either is a failure
        try:
            for data in _events(response):
                if data is DONE:
                    if not ended:  # some servers end with [DONE] alone: a whole reply
                        yield Delta(finish="stop")
                    ended = True
                    break
                for delta in _deltas(data, response):
                    ended = ended or delta.finish is not None
                    yield delta
        except httpx.TimeoutException as exc:
            raise Timeout(f"no answer within {self.spec.timeout_s:g} s") from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            response.close()
        if not ended:
            raise APIConnectionError("the reply stream was cut off before its end", response)


UNANSWERED = "without sending a response"
"""What httpcore says when the server closed the connection before any byte of a reply."""


def closed_unanswered(exc: httpx.RemoteProtocolError) -> bool:
    """Whether the server closed the connection before it began to answer."""
    return UNANSWERED in str(exc)


DONE = "[DONE]"


DRAIN_LINES = 16  # what may follow [DONE] before the body ends: blank lines, a comment


def _drain(lines: Iterator[str]) -> None:
    """Read what follows ``[DONE]`` (blank lines, a comment) so the connection is reused."""
    try:
        for count, _ in enumerate(lines, start=1):
            if count >= DRAIN_LINES:
                break  # a server that keeps talking: give the connection up
    except httpx.HTTPError:
        pass  # the connection is lost anyway; the reply was already whole


def _events(response: httpx.Response) -> Iterator[str]:
    """The ``data:`` payloads of a server-sent event stream, then ``DONE`` if it came.

    After ``DONE`` the body is read to its end, even when the caller stops there: a
    response closed with bytes unread closes its connection too, and every turn paid for
    a new one (20 connections for 20 turns).
    """
    lines = response.iter_lines()
    for line in lines:
        if not line.startswith("data:"):
            continue  # blank separators, comments (": ping"), event names
        data = line[5:].strip()
        if data == DONE:
            try:
                yield DONE
            finally:
                _drain(lines)
            return
        if data:
            yield data


def _deltas(data: str, response: httpx.Response) -> Iterator[Delta]:
    """The deltas one streamed chunk carries; an error sent mid-stream is raised, and so is
    a chunk that is not the shape a chat completion chunk has."""
    try:
        chunk = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise APIResponseValidationError(f"not JSON: {data[:80]}", response) from exc
    if not isinstance(chunk, dict):
        raise APIResponseValidationError(f"not a chat completion chunk: {data[:80]}", response)
    if chunk.get("error"):
        error = chunk["error"]
        message = error.get("message") if isinstance(error, dict) else error
        raise APIError(str(message), response)
    try:
        usage = _counts(chunk.get("usage"))
        choices = chunk.get("choices") or []
        found = [  # a "\ud800" escape decodes to a lone surrogate: no file or terminal takes it
            Delta(
                scalar(str(c.get("delta", {}).get("content") or "")), c.get("finish_reason"), usage
            )
            for c in choices
        ]
    except (AttributeError, TypeError, ValueError) as exc:
        raise APIResponseValidationError(
            f"not a chat completion chunk: {data[:80]}", response
        ) from exc
    if not choices and usage:
        yield Delta(usage=usage)
    yield from found


def _counts(raw: Any) -> tuple[int, int] | None:
    if not isinstance(raw, dict):
        return None
    return int(raw.get("prompt_tokens") or 0), int(raw.get("completion_tokens") or 0)
