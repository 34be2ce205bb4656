"""What a failed model call means: retry or not, how long to wait, what the user is told.

One table, ``ERROR_TABLE``, decides per exception class name. The names are litellm's,
and the direct OpenAI-compatible client (``openai_compat``) raises classes of the same
names for the same HTTP failures, so both clients share one policy and one wording.
Waits honour Retry-After; every message is scrubbed of keys before anyone sees it.

Nothing here imports litellm or any HTTP library: it is data and small pure functions.
"""

from __future__ import annotations

import email.utils
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

if TYPE_CHECKING:
    from tenacity import RetryCallState
    from tenacity.wait import wait_base

MAX_BACKOFF_S = 30.0
"""The longest wait between attempts when the provider does not say how long to wait."""
MAX_RETRY_AFTER_S = 60.0
"""The longest Retry-After we honour. A provider asking for more makes us stop at once:
freezing an interview for minutes is worse than telling the user to come back later."""

Retry = Literal["yes", "no", "5xx"]

sleep: Callable[[float], None] = time.sleep
"""How a wait between attempts is taken, for every client not given its own ``sleep``.

Clients look it up at each wait, not when they are made: the command line builds its
clients deep inside each command (practice, loop, doctor, calibrate, voice), so this is
the one place where a program running the interviewer in-process, the test suite among
them, makes the waits instant. The wait is still computed and announced as it would be.
"""


@dataclass(frozen=True)
class ErrorRule:
    """How one family of exceptions is handled.

    ``names`` are exception class names, matched along the raised class's MRO, so a class
    litellm adds later is handled like its nearest named base until the completeness test
    makes someone name it. ``retry`` "5xx" retries only when the status code is 5xx.
    ``message`` and ``hint`` are ``str.format`` templates over: model, times, timeout,
    where, reach (what to check when it cannot be reached), key_env and detail (the
    provider's own words, scrubbed of keys).
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
              "check that {where} is up, or raise timeout_s in the config file "
              "(or INTERVIEWER_TIMEOUT_S)"),
    ErrorRule(("APIConnectionError",), "yes",
              "could not reach {where} for model '{model}', {times}", "{reach}"),
    ErrorRule(("IncompleteStream",), "yes",
              "the reply of model '{model}' was cut off before its end, {times}",
              "check that {where} is up and not restarting"),
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
              "set {key_env}"),
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
MISSING_KEY_RULE = ErrorRule((), "no", "no API key for model '{model}'", "set {key_env}")
DROPPED_RULE = ErrorRule(
    (), "yes", "the connection to model '{model}' dropped mid-reply", "try again"
)


def rule_for(exc: BaseException) -> ErrorRule | None:
    """The table's row for an exception, or None when it is not a provider error (a bug)."""
    names = [cls.__name__ for cls in type(exc).__mro__]
    rule = next((_RULES_BY_NAME[n] for n in names if n in _RULES_BY_NAME), None)
    if rule is None:
        return None
    if _MISSING_KEY.search(str(exc)):
        return MISSING_KEY_RULE
    # litellm reports a refused connection as InternalServerError; the cause tells.
    if names[0] == "InternalServerError" and caused_by(exc, "APIConnectionError"):
        return _RULES_BY_NAME["APIConnectionError"]
    return rule


def should_retry(exc: BaseException) -> bool:
    rule = rule_for(exc)
    return rule is not None and retryable(rule, exc)


def retryable(rule: ErrorRule, exc: BaseException) -> bool:
    return rule.retry == "yes" or (rule.retry == "5xx" and status_of(exc) >= 500)


def retry_after_s(exc: BaseException, now: datetime | None = None) -> float | None:
    """Seconds the provider asked us to wait (Retry-After-Ms, or Retry-After as seconds or
    an HTTP date), from the headers kept on the exception; None if it did not say."""
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


def caused_by(exc: BaseException, name: str) -> bool:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if type(cause).__name__ == name:
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def status_of(exc: BaseException) -> int:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else 0


def asks_too_long(state: RetryCallState) -> bool:
    exc = state.outcome.exception() if state.outcome else None
    wait = retry_after_s(exc) if exc else None
    return wait is not None and wait > MAX_RETRY_AFTER_S


def wait_s(state: RetryCallState, backoff: wait_base) -> float:
    """Retry-After when the provider gave one, else exponential backoff with jitter."""
    exc = state.outcome.exception() if state.outcome else None
    wait = retry_after_s(exc) if exc else None
    return min(wait, MAX_RETRY_AFTER_S) if wait is not None else backoff(state)


# ------------------------------------------------------- requests a model refuses

_FORMAT_COMPLAINT = re.compile(
    r"response.?format|json.?schema|json.?object|not supported|unsupported", re.IGNORECASE
)
_TEMPERATURE_COMPLAINT = re.compile(r"temperature", re.IGNORECASE)
_REFUSAL = re.compile(
    r"unsupported|not supported|(?:doesn't|don't|does not|do not) support|only the default",
    re.IGNORECASE,
)


def temperature_rejected(exc: BaseException) -> bool:
    """Whether the model refused our temperature (gpt-5 and the o-series take only the
    default): the request is worth sending once more without one."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    refused = "UnsupportedParamsError" in names or status_of(exc) in (400, 422)
    text = str(exc)
    return refused and bool(_TEMPERATURE_COMPLAINT.search(text) and _REFUSAL.search(text))


def format_rejected(exc: BaseException) -> bool:
    """Whether the server refused our response_format, so a simpler mode may work."""
    if temperature_rejected(exc):
        return False
    if any(cls.__name__ == "UnsupportedParamsError" for cls in type(exc).__mro__):
        return True
    return status_of(exc) in (400, 422, 500) and bool(_FORMAT_COMPLAINT.search(str(exc)))


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


def detail(exc: BaseException, key: str | None) -> str:
    """The provider's own words, first line only, without litellm's class-name prefixes."""
    text = str(getattr(exc, "message", None) or exc).strip()
    text = _ERROR_PREFIX.sub("", text.splitlines()[0] if text else "")
    return scrub(text, key)[:300] or type(exc).__name__


_SECRET_PARAM = re.compile(r"key|token|secret|pass|pwd|auth|sig|cred", re.IGNORECASE)
"""A query parameter named like a credential: ``api_key``, ``key``, ``token``,
``access_token``, ``signature``... Removing a harmless one costs nothing: the recorded
address is for reading, and requests use the address as given."""


def without_credentials(url: str | None) -> str | None:
    """A URL fit to record or print: ``user:password@`` removed, and so is every query
    parameter named like a credential (``?api_key=...``), the same way."""
    if url is None or ("@" not in url and "?" not in url):
        return url
    head, _, query = url.partition("?")
    query, hashed, fragment = query.partition("#")
    scheme, sep, rest = head.partition("://")
    host, slash, path = rest.partition("/")
    kept = "&".join(
        part
        for part in query.split("&")
        if part and not _SECRET_PARAM.search(unquote(part.partition("=")[0]))
    )
    tail = (f"?{kept}" if kept else "") + (f"#{fragment}" if hashed else "")
    return f"{scheme}{sep}{host.rpartition('@')[2]}{slash}{path}{tail}"
