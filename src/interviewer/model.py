"""The one seam between the interviewer and any LLM: messages in; text, a stream or JSON out.

Only this module imports litellm (and, through it, openai), and only inside functions:
``import litellm`` costs seconds, so commands that never call a model never pay for it,
and ``preload()`` lets the CLI start the import in a background thread while it reads
its files. Everything above this module talks to the ``ChatModel`` protocol and is
tested with a fake.

What a failure means is decided by one table, ``ERROR_TABLE``: per litellm exception
class, whether to retry and what the user is told. Retries are ours alone (tenacity,
exponential backoff with jitter, Retry-After honoured); the openai SDK's own retries are
switched off so every attempt is counted and every wait goes through the injected
``sleep``. No message we build ever carries an API key: provider text is scrubbed first.
"""

from __future__ import annotations

import email.utils
import functools
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from interviewer.errors import ConfigError, ModelError, UserError
from interviewer.formats import ModelInfo, Usage

if TYPE_CHECKING:
    from tenacity import RetryCallState
    from tenacity.wait import wait_base

Message = dict[str, str]
T = TypeVar("T")

MAX_BACKOFF_S = 30.0
"""The longest wait between attempts when the provider does not say how long to wait."""
MAX_RETRY_AFTER_S = 60.0
"""The longest Retry-After we honour. A provider asking for more makes us stop at once:
freezing an interview for minutes is worse than telling the user to come back later."""
_PLACEHOLDER_KEY = "no-key-needed"
"""Sent to an OpenAI-compatible ``api_base`` when no key is configured: local servers
ignore it, but the openai SDK refuses to send a request without one."""


# ------------------------------------------------------------------------- interface


@dataclass(frozen=True)
class ModelSpec:
    """Which model to call and how; the key is kept out of ``repr`` and ``info``."""

    model: str
    api_base: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 120.0
    max_retries: int = 4

    def info(self) -> ModelInfo:
        """What a transcript records about the model: never the key, nor credentials in a URL."""
        return ModelInfo(model=self.model, api_base=_without_credentials(self.api_base))

    def litellm_model(self) -> str:
        """The model string litellm routes on.

        With ``api_base`` set and no provider prefix (``llama3``, ``meta-llama/Llama-3-8B``)
        the server is taken to be OpenAI-compatible, so the model becomes ``openai/<model>``;
        litellm would otherwise refuse it as "LLM Provider NOT provided". Imports litellm.
        """
        if self.api_base is None:
            return self.model
        prefix = self.model.split("/", 1)[0] if "/" in self.model else ""
        providers = {str(getattr(p, "value", p)) for p in _litellm().provider_list}
        return self.model if prefix in providers else f"openai/{self.model}"


@dataclass
class Reply:
    text: str
    usage: Usage
    latency_ms: float | None
    finish_reason: str | None
    mode: str | None = None


class ChatModel(Protocol):
    @property
    def info(self) -> ModelInfo: ...

    def chat(
        self, messages: list[Message], *, temperature: float, max_tokens: int | None = None
    ) -> Reply: ...

    def stream(
        self, messages: list[Message], *, temperature: float, on_text: Callable[[str], None]
    ) -> Reply: ...

    def structured(
        self, messages: list[Message], schema: dict[str, Any], *, name: str, temperature: float
    ) -> Reply: ...


def preload() -> None:
    """Import litellm now, e.g. in a background thread while the CLI does other work."""
    _litellm()


@functools.cache
def _litellm() -> ModuleType:
    """Import and quieten litellm, once.

    The environment must be set before the import: without LITELLM_LOCAL_MODEL_COST_MAP
    litellm downloads its price list at import, and without DISABLE_AIOHTTP_TRANSPORT its
    async calls bypass httpx (and so respx). Running twice from two threads is harmless.
    """
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("DISABLE_AIOHTTP_TRANSPORT", "True")
    import litellm

    litellm.telemetry = False  # older versions report usage unless told not to
    litellm.suppress_debug_info = True  # else errors print "Give Feedback" banners to stdout
    if not os.environ.get("LITELLM_LOG"):  # the user asked for litellm's own logs
        for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
            logger = logging.getLogger(name)
            logger.handlers = [logging.NullHandler()]
            logger.propagate = False
    return litellm


# ----------------------------------------------------------------- the error table

Retry = Literal["yes", "no", "5xx"]


@dataclass(frozen=True)
class ErrorRule:
    """How one family of litellm exceptions is handled.

    ``names`` are exception class names, matched along the raised class's MRO, so a class
    litellm adds later is handled like its nearest named base until the completeness test
    makes someone name it. ``retry`` "5xx" retries only when the status code is 5xx.
    ``message`` and ``hint`` are ``str.format`` templates over: model, times, timeout,
    where, key_env and detail (the provider's own words, scrubbed of keys).
    """

    names: tuple[str, ...]
    retry: Retry
    message: str
    hint: str | None = None


ERROR_TABLE: tuple[ErrorRule, ...] = (
    ErrorRule(
        ("RateLimitError", "CallerCredentialRateLimitError", "RouterRateLimitError",
         "RouterRateLimitErrorBasic"),
        "yes", "model '{model}' was rate limited by the provider {times}",
        "wait a minute and try again, or use a model with a higher rate limit"),
    ErrorRule(("Timeout",), "yes", "model '{model}' did not answer within {timeout} s, {times}",
              "check that {where} is up, or raise timeout_s in the config file"),
    ErrorRule(("APIConnectionError",), "yes",
              "could not reach {where} for model '{model}', {times}",
              "check your network connection, or that the server at api_base is running"),
    ErrorRule(
        ("InternalServerError", "ServiceUnavailableError", "BadGatewayError",
         "MidStreamFallbackError"),
        "yes", "the provider's server failed {times} for model '{model}'",
        "the provider may be having an outage: try again later"),
    ErrorRule(("APIResponseValidationError", "JSONSchemaValidationError"), "yes",
              "model '{model}' sent a reply that could not be read, {times}"),
    ErrorRule(("APIError", "OpenAIError", "MockException"), "5xx",
              "model '{model}' failed: {detail}"),
    ErrorRule(("AuthenticationError", "CallerCredentialAuthenticationError"), "no",
              "the provider rejected the API key for model '{model}'",
              "set {key_env} or api_key in the config file"),
    ErrorRule(("PermissionDeniedError",), "no",
              "the provider refused access to model '{model}': {detail}",
              "check that your API key may use this model"),
    ErrorRule(("NotFoundError",), "no", "unknown model '{model}': {detail}",
              "check --model, and api_base if set"),
    ErrorRule(("ContextWindowExceededError",), "no",
              "conversation too long for the context window of model '{model}'",
              "start a new session, or use a model with a longer context"),
    ErrorRule(("ContentPolicyViolationError",), "no",
              "the provider's content filter blocked the request to model '{model}': {detail}"),
    ErrorRule(("PaymentRequiredError", "BudgetExceededError"), "no",
              "no credit left with the provider for model '{model}': {detail}",
              "check your billing with the provider"),
    ErrorRule(("UnsupportedParamsError", "UnsupportedEndpointError",
               "EndpointNotSupportedByModelError"), "no",
              "model '{model}' does not support this request: {detail}"),
    ErrorRule(("LiteLLMUnknownProvider",), "no", "no provider is known for model '{model}'",
              "prefix the model with its provider (openai/, anthropic/, ollama_chat/, ...) "
              "or set api_base"),
    ErrorRule(
        ("BadRequestError", "UnprocessableEntityError", "InvalidRequestError",
         "MalformedRequestFieldError", "RejectedRequestError", "ImageFetchError",
         "VectorStoreSearchError"),
        "no", "model '{model}' rejected the request: {detail}"),
    # Raised only by litellm features we never turn on (proxy guardrails, routing, tool
    # loops, cost maps); listed so the table stays complete, reported as they are.
    ErrorRule(
        ("GuardrailRaisedException", "BlockedPiiEntityError", "ModifyResponseException",
         "SensitiveDataRouteException", "ModelNotMappedError", "ToolLoopMaxRoundsExceeded"),
        "no", "litellm failed calling model '{model}': {detail}"),
)  # fmt: skip

_RULES_BY_NAME = {name: rule for rule in ERROR_TABLE for name in rule.names}

# litellm detects a missing key before any HTTP call but reports it under unhelpful
# classes (with openai 2.x as InternalServerError, which the table would retry).
_MISSING_KEY = re.compile(
    r"missing credentials|api_key client option must be set|no key is set|missing \w+ api key",
    re.IGNORECASE,
)
_MISSING_KEY_RULE = ErrorRule(
    (), "no", "no API key for model '{model}'", "set {key_env} or api_key in the config file"
)
_DROPPED_RULE = ErrorRule(
    (), "yes", "the connection to model '{model}' dropped mid-reply", "try again"
)


def rule_for(exc: BaseException) -> ErrorRule | None:
    """The table's row for an exception, or None when it is not a provider error (a bug)."""
    names = [cls.__name__ for cls in type(exc).__mro__]
    rule = next((_RULES_BY_NAME[n] for n in names if n in _RULES_BY_NAME), None)
    if rule is None:
        return None
    if _MISSING_KEY.search(str(exc)):
        return _MISSING_KEY_RULE
    # litellm reports a refused connection as InternalServerError; the cause tells.
    if names[0] == "InternalServerError" and _caused_by(exc, "APIConnectionError"):
        return _RULES_BY_NAME["APIConnectionError"]
    return rule


def should_retry(exc: BaseException) -> bool:
    rule = rule_for(exc)
    return rule is not None and _retryable(rule, exc)


def _retryable(rule: ErrorRule, exc: BaseException) -> bool:
    return rule.retry == "yes" or (rule.retry == "5xx" and _status(exc) >= 500)


def retry_after_s(exc: BaseException, now: datetime | None = None) -> float | None:
    """Seconds the provider asked us to wait (Retry-After-Ms, or Retry-After as seconds or
    an HTTP date), from the headers litellm keeps on its exceptions; None if it did not say."""
    headers = getattr(exc, "litellm_response_headers", None) or getattr(
        getattr(exc, "response", None), "headers", None
    )
    if not isinstance(headers, Mapping):
        return None
    found = {str(k).lower(): str(v) for k, v in headers.items()}
    try:
        if "retry-after-ms" in found:
            return max(0.0, float(found["retry-after-ms"]) / 1000)
        if "retry-after" in found:
            return max(0.0, float(found["retry-after"]))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(found.get("retry-after", ""))
    except (TypeError, ValueError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _caused_by(exc: BaseException, name: str) -> bool:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if type(cause).__name__ == name:
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _status(exc: BaseException) -> int:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else 0


def _asks_too_long(state: RetryCallState) -> bool:
    exc = state.outcome.exception() if state.outcome else None
    wait = retry_after_s(exc) if exc else None
    return wait is not None and wait > MAX_RETRY_AFTER_S


def _wait_s(state: RetryCallState, backoff: wait_base) -> float:
    """Retry-After when the provider gave one, else exponential backoff with jitter."""
    exc = state.outcome.exception() if state.outcome else None
    wait = retry_after_s(exc) if exc else None
    return min(wait, MAX_RETRY_AFTER_S) if wait is not None else backoff(state)


# ------------------------------------------------------------------------ scrubbing

_SK_KEY = re.compile(r"sk-[A-Za-z0-9_-]{8,}")
_SECRET_ENV = re.compile(r"KEY|TOKEN|SECRET|PASSWORD", re.IGNORECASE)
_ERROR_PREFIX = re.compile(r"^(?:\s*(?:litellm\.)?\w+(?:Error|Exception)\s*(?::|-)\s*)+")


def scrub(text: str, key: str | None = None) -> str:
    """Replace the configured key, any secret-looking environment value and any
    ``sk-...`` token with ``***``: provider error text sometimes echoes the key."""
    secrets = {v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= 8}
    if key and len(key) >= 4:
        secrets.add(key)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return _SK_KEY.sub("***", text)


def _detail(exc: BaseException, key: str | None) -> str:
    """The provider's own words, first line only, without litellm's class-name prefixes."""
    text = str(getattr(exc, "message", None) or exc).strip()
    text = _ERROR_PREFIX.sub("", text.splitlines()[0] if text else "")
    return scrub(text, key)[:300] or type(exc).__name__


def _without_credentials(url: str | None) -> str | None:
    if url is None or "@" not in url:
        return url
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme}{sep}{host.rpartition('@')[2]}{slash}{path}"


# --------------------------------------------------------------------------- model

_MODES = ("json_schema", "json_object", "prompt")
_FORMAT_COMPLAINT = re.compile(
    r"response.?format|json.?schema|json.?object|not supported|unsupported", re.IGNORECASE
)


def _format_rejected(exc: BaseException) -> bool:
    """Whether the server refused our response_format, so a simpler mode may work."""
    if any(cls.__name__ == "UnsupportedParamsError" for cls in type(exc).__mro__):
        return True
    return _status(exc) in (400, 422, 500) and bool(_FORMAT_COMPLAINT.search(str(exc)))


def _never(exc: BaseException) -> bool:
    return False


class _DroppedMidReply(Exception):
    """The stream failed after text reached the user: retrying would repeat it."""


@dataclass
class _Shown:
    text: bool = False


class LiteLLMModel:
    """``ChatModel`` over ``litellm.completion``, with the retry policy of ``ERROR_TABLE``."""

    def __init__(self, spec: ModelSpec, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.spec = spec
        self._sleep = sleep
        self._mode_index = 0  # structured(): the first mode that may still work here

    @property
    def info(self) -> ModelInfo:
        return self.spec.info()

    def chat(
        self, messages: list[Message], *, temperature: float, max_tokens: int | None = None
    ) -> Reply:
        params: dict[str, Any] = {"temperature": temperature}
        if max_tokens is not None:
            params["max_tokens"] = max_tokens
        return self._run(lambda: self._reply(messages, params))

    def stream(
        self, messages: list[Message], *, temperature: float, on_text: Callable[[str], None]
    ) -> Reply:
        """Stream the reply into ``on_text``; retry only while nothing has been shown."""
        shown = _Shown()

        def attempt() -> Reply:
            started = time.perf_counter()
            chunks = self._complete(
                messages, temperature=temperature, stream=True,
                stream_options={"include_usage": True},
            )  # fmt: skip
            try:
                return self._consume(chunks, on_text, shown, started)
            finally:
                close = getattr(chunks, "close", None)
                if callable(close):
                    close()

        return self._run(attempt)

    def structured(
        self, messages: list[Message], schema: dict[str, Any], *, name: str, temperature: float
    ) -> Reply:
        """Ask for JSON, in the strictest mode the server accepts; the caller validates it.

        json_schema, then json_object, then none at all ("prompt": the caller's prompt
        already carries the schema). The mode that worked is remembered for later calls.
        """
        for index in range(self._mode_index, len(_MODES)):
            try:
                reply = self._structured_once(messages, schema, name, temperature, _MODES[index])
            except Exception as exc:
                if index + 1 == len(_MODES) or not _format_rejected(exc):
                    raise
                continue
            self._mode_index = index
            return reply
        raise AssertionError("unreachable: the last mode raises or returns")

    def _structured_once(
        self, messages: list[Message], schema: dict[str, Any], name: str, temperature: float,
        mode: str,
    ) -> Reply:  # fmt: skip
        params: dict[str, Any] = {"temperature": temperature}
        if mode == "json_schema":
            params["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": False},
            }
        elif mode == "json_object":
            params["response_format"] = {"type": "json_object"}
        rejected = _format_rejected if mode != "prompt" else _never
        return self._run(lambda: self._reply(messages, params, mode), passthrough=rejected)

    # -- one attempt

    def _complete(self, messages: list[Message], **params: Any) -> Any:
        """One litellm call. ``max_retries=0`` turns off the openai SDK's own retries,
        which would sleep behind our back and hide attempts from the retry table."""
        return _litellm().completion(
            model=self.spec.litellm_model(),
            messages=messages,
            api_base=self.spec.api_base,
            api_key=self._api_key(),
            timeout=self.spec.timeout_s,
            max_retries=0,
            **params,
        )

    def _api_key(self) -> str | None:
        """The key to send. A custom server never gets the provider's environment key:
        litellm would otherwise send OPENAI_API_KEY to whatever ``api_base`` names, handing
        a user's OpenAI key to a local or third-party server. Such a server gets only the
        key configured for it (``api_key`` / ``INTERVIEWER_API_KEY``), or a placeholder."""
        if self._custom_server():
            return self.spec.api_key or _PLACEHOLDER_KEY
        return self.spec.api_key  # None: litellm reads the provider's variable

    def _custom_server(self) -> bool:
        """An OpenAI-compatible server at api_base: keyless, and not priced like OpenAI."""
        return self.spec.api_base is not None and self.spec.litellm_model().startswith("openai/")

    def _reply(
        self, messages: list[Message], params: dict[str, Any], mode: str | None = None
    ) -> Reply:
        started = time.perf_counter()
        response = self._complete(messages, **params)
        latency = (time.perf_counter() - started) * 1000
        choice = response.choices[0]
        return Reply(
            text=str(choice.message.content or ""),
            usage=self._usage(getattr(response, "usage", None)),
            latency_ms=latency,
            finish_reason=_str_or_none(choice.finish_reason),
            mode=mode,
        )

    def _consume(
        self, chunks: Iterable[Any], on_text: Callable[[str], None], shown: _Shown, started: float
    ) -> Reply:
        parts: list[str] = []
        usage: Any = None
        finish: str | None = None
        first: float | None = None
        iterator = iter(chunks)
        while True:
            try:
                chunk = next(iterator, None)
            except Exception as exc:
                if shown.text:
                    raise _DroppedMidReply(str(exc)) from exc
                raise
            if chunk is None:
                break
            usage = getattr(chunk, "usage", None) or usage
            for choice in getattr(chunk, "choices", None) or ():
                finish = _str_or_none(choice.finish_reason) or finish
                text = getattr(choice.delta, "content", None)
                if text:
                    first = first or time.perf_counter()
                    shown.text = True
                    parts.append(str(text))
                    on_text(str(text))
        latency = ((first or time.perf_counter()) - started) * 1000
        return Reply("".join(parts), self._usage(usage), latency, finish)

    def _usage(self, raw: Any) -> Usage:
        prompt = int(getattr(raw, "prompt_tokens", 0) or 0)
        completion = int(getattr(raw, "completion_tokens", 0) or 0)
        return Usage(
            prompt_tokens=prompt, completion_tokens=completion,
            cost_usd=self._cost(prompt, completion),
        )  # fmt: skip

    def _cost(self, prompt: int, completion: int) -> float | None:
        """litellm's price for the tokens; None for unpriced models and custom servers."""
        if self._custom_server():
            return None
        try:
            costs = _litellm().cost_per_token(
                model=self.spec.litellm_model(), prompt_tokens=prompt, completion_tokens=completion
            )
            return float(sum(costs))
        except Exception:  # unknown models raise ModelNotMappedError, others worse
            return None

    # -- retries and errors

    def _run(
        self, attempt: Callable[[], T], *, passthrough: Callable[[BaseException], bool] = _never
    ) -> T:
        """Run ``attempt`` under the retry table; failures become a ``UserError``, except
        those ``passthrough`` claims (raised as they are) and non-provider bugs."""
        from tenacity import Retrying, retry_if_exception, stop_after_attempt
        from tenacity import wait_exponential_jitter as jitter

        _litellm()  # import before the clock starts: latency is the model's, not the import's
        tries = 0

        def counted() -> T:
            nonlocal tries
            tries += 1
            return attempt()

        limit = stop_after_attempt(self.spec.max_retries + 1)
        backoff = jitter(max=MAX_BACKOFF_S, jitter=1)
        retrying = Retrying(
            sleep=self._sleep,
            stop=lambda state: limit(state) or _asks_too_long(state),
            wait=lambda state: _wait_s(state, backoff),
            retry=retry_if_exception(lambda exc: not passthrough(exc) and should_retry(exc)),
            reraise=True,
        )
        try:
            return retrying(counted)
        except Exception as exc:
            error = None if passthrough(exc) else self._error(exc, tries)
            if error is None:
                raise
            raise error from None  # the cause's text is unscrubbed: keep it off tracebacks

    def _error(self, exc: BaseException, tries: int) -> UserError | None:
        rule = _DROPPED_RULE if isinstance(exc, _DroppedMidReply) else rule_for(exc)
        if rule is None:
            return None
        fields = {
            "model": self.spec.model,
            "times": "once" if tries == 1 else f"{tries} times",
            "timeout": f"{self.spec.timeout_s:g}",
            "where": self.info.api_base or "the provider",
            "key_env": self._key_env() if rule.hint and "{key_env}" in rule.hint else "",
            "detail": _detail(exc, self.spec.api_key),
        }
        message = rule.message.format(**fields)
        wait = retry_after_s(exc)
        if wait is not None and wait > MAX_RETRY_AFTER_S:
            message += f"; it asked us to wait {wait:.0f} s"
        hint = rule.hint.format(**fields) if rule.hint else None
        message, hint = scrub(message, self.spec.api_key), hint and scrub(hint, self.spec.api_key)
        if rule is _MISSING_KEY_RULE:
            return ConfigError(message, hint=hint)
        return ModelError(message, hint=hint, retryable=_retryable(rule, exc))

    def _key_env(self) -> str:
        """The environment variable(s) that hold this provider's key, per litellm."""
        litellm, model = _litellm(), self.spec.litellm_model()
        try:
            env = litellm.validate_environment(model=model, api_base=self.spec.api_base)
            provider = litellm.get_llm_provider(model, api_base=self.spec.api_base)[1]
        except Exception:
            return "the provider's API key variable"
        names = [n for n in env.get("missing_keys", []) if n.endswith(("_KEY", "_TOKEN"))]
        return " or ".join(names) if names else f"{str(provider).upper()}_API_KEY"


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)
