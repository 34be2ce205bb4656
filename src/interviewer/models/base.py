"""The base of the model seam: the retrying half of a ``ChatModel`` both clients share.

Everything above ``interviewer.models`` talks to the ``ChatModel`` protocol (``interface``,
with the spec and replies; re-exported here) and is tested with a fake. Two clients sit
behind it, each importing only this module, chosen by ``interviewer.models.make_model``:

- ``models.openai_compat.OpenAICompatModel`` speaks the OpenAI chat API over httpx, for servers
  named by ``api_base`` (Ollama, llama.cpp, vLLM, LM Studio, the local model we start).
  It exists for speed: ``import litellm`` costs 5-7 s, which a local server's user would
  otherwise wait through before the first word.
- ``models.litellm_client.LiteLLMModel`` for every hosted provider litellm knows. Only that
  module imports litellm (and, through it, openai), and only inside functions.

Both share ``RetryingModel``: the retry policy of ``retry_policy.ERROR_TABLE`` (tenacity,
exponential backoff with jitter, Retry-After honoured), the structured-reply ladder
(json_schema, then json_object, then the prompt alone), one retry without temperature
for models that refuse one, and one-line errors that never carry a key.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from interviewer.errors import ConfigError, ModelError, UserError
from interviewer.models import retry_policy
from interviewer.models.interface import (
    LOCAL,
    PLACEHOLDER_KEY,
    SCRIPTED,
    SERVER_KEY_ENV,
    ChatModel,
    Message,
    ModelSpec,
    Reply,
)
from interviewer.models.retry_policy import (
    DROPPED_RULE,
    MAX_BACKOFF_S,
    MAX_RETRY_AFTER_S,
    MISSING_KEY_RULE,
    asks_too_long,
    detail,
    format_rejected,
    retry_after_s,
    retryable,
    rule_for,
    scrub,
    should_retry,
    temperature_rejected,
    wait_s,
)

if TYPE_CHECKING:
    from tenacity import RetryCallState

    from interviewer.formats.transcript import ModelInfo, Usage
    from interviewer.models.retry_policy import ErrorRule

# The interface is re-exported: a client imports only this module (tests/test_layout.py).
__all__ = [
    "LOCAL",
    "PLACEHOLDER_KEY",
    "SCRIPTED",
    "SERVER_KEY_ENV",
    "ChatModel",
    "Delta",
    "DroppedMidReply",
    "IncompleteStream",
    "Message",
    "ModelSpec",
    "Reply",
    "RetryingModel",
    "Shown",
]

T = TypeVar("T")


# --------------------------------------------------------------- the shared client


@dataclass
class Delta:
    """One piece of a streamed reply, whatever the client: text, an end, or usage."""

    text: str = ""
    finish: str | None = None
    usage: tuple[int, int] | None = None  # prompt, completion tokens


class IncompleteStream(Exception):
    """A stream that ended without a finish reason (or ``[DONE]``): the connection was cut,
    so the text is not a whole reply and must not be recorded as one."""


class DroppedMidReply(Exception):
    """The stream failed after text reached the user: retrying would repeat it."""


@dataclass
class Shown:
    """Whether any streamed text has reached the user (then a retry would repeat it)."""

    text: bool = False


_MODES = ("json_schema", "json_object", "prompt")


def _never(exc: BaseException) -> bool:
    return False


class RetryingModel:
    """The half of a ``ChatModel`` both clients share. Subclasses send one request
    (``_request``, ``_request_stream``) and say how they price tokens and name keys."""

    def __init__(self, spec: ModelSpec, *, sleep: Callable[[float], None] | None = None) -> None:
        """``sleep`` takes the waits between attempts; by default ``retry_policy.sleep``."""
        self.spec = spec
        self._sleep = sleep
        self._mode_index = 0  # structured(): the first mode that may still work here
        self._temperature_ok = True  # False once the model refused a temperature
        self._strict_ok = True  # False once the server refused a strict json_schema
        self.notify: Callable[[str], None] | None = None  # told of each retry, as it waits

    @property
    def info(self) -> ModelInfo:
        return self.spec.info()

    # -- what subclasses provide

    def _request(self, messages: list[Message], params: dict[str, Any]) -> Reply:
        raise NotImplementedError

    def _request_stream(self, messages: list[Message], params: dict[str, Any]) -> Iterable[Delta]:
        raise NotImplementedError

    def _usage(self, prompt: int, completion: int) -> Usage:
        from interviewer.formats.transcript import Usage  # imported by then: one lookup

        return Usage(prompt_tokens=prompt, completion_tokens=completion)

    def _key_env(self) -> str:
        return f"{SERVER_KEY_ENV} or api_key in the config file"

    def _warm_up(self) -> None:
        """Work to do before the first attempt's clock starts (an import, say)."""

    # -- the ChatModel protocol

    def chat(
        self, messages: list[Message], *, temperature: float, max_tokens: int | None = None
    ) -> Reply:
        params = _params(temperature, max_tokens)
        return self._run(lambda: self._send(lambda p: self._request(messages, p), params))

    def stream(
        self,
        messages: list[Message],
        *,
        temperature: float,
        on_text: Callable[[str], bool | None],
        max_tokens: int | None = None,
    ) -> Reply:
        """Stream the reply into ``on_text``; retry only while nothing has been shown."""
        shown = Shown()
        params = {**_params(temperature, max_tokens), "stream": True}
        params["stream_options"] = {"include_usage": True}

        def attempt(sent: dict[str, Any]) -> Reply:
            started = time.perf_counter()
            return self._consume(self._request_stream(messages, sent), on_text, shown, started)

        return self._run(lambda: self._send(attempt, params))

    def structured(
        self,
        messages: list[Message],
        schema: dict[str, Any],
        *,
        name: str,
        temperature: float,
        strict: bool = False,
    ) -> Reply:
        """Ask for JSON, in the strictest mode the server accepts; the caller validates it.

        With ``strict`` (for schemas written to the strict subset: every property required,
        no extra properties), json_schema is first sent with ``strict: true`` (mode
        ``json_schema_strict``); a server that refuses it gets the same schema without.
        Then json_object, then none at all ("prompt": the caller's prompt already carries
        the schema). The mode that worked is remembered for later calls.
        """
        for index in range(self._mode_index, len(_MODES)):
            mode = _MODES[index]
            try:
                if mode == "json_schema" and strict and self._strict_ok:
                    try:
                        reply = self._structured_once(
                            messages, schema, name, temperature, "json_schema_strict"
                        )
                    except Exception as exc:
                        if not format_rejected(exc):
                            raise
                        self._strict_ok = False
                        reply = self._structured_once(messages, schema, name, temperature, mode)
                else:
                    reply = self._structured_once(messages, schema, name, temperature, mode)
            except Exception as exc:
                if index + 1 == len(_MODES) or not format_rejected(exc):
                    raise
                continue
            self._mode_index = index
            return reply
        raise AssertionError("unreachable: the last mode raises or returns")

    def _structured_once(
        self, messages: list[Message], schema: dict[str, Any], name: str, temperature: float,
        mode: str,
    ) -> Reply:  # fmt: skip
        params = _params(temperature, None)
        if mode.startswith("json_schema"):
            params["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": name,
                    "schema": schema,
                    "strict": mode == "json_schema_strict",
                },
            }
        elif mode == "json_object":
            params["response_format"] = {"type": "json_object"}

        def attempt(sent: dict[str, Any]) -> Reply:
            reply = self._request(messages, sent)
            reply.mode = mode
            return reply

        rejected = format_rejected if mode != "prompt" else _never
        return self._run(lambda: self._send(attempt, params), passthrough=rejected)

    # -- one attempt

    def _send(self, request: Callable[[dict[str, Any]], T], params: dict[str, Any]) -> T:
        """Send once; if the model refuses a temperature, send again at once without one,
        and leave it out from then on (gpt-5 and the o-series take only their default)."""
        if not self._temperature_ok:
            params = {k: v for k, v in params.items() if k != "temperature"}
        try:
            return request(params)
        except Exception as exc:
            if "temperature" not in params or not temperature_rejected(exc):
                raise
        self._temperature_ok = False
        return request({k: v for k, v in params.items() if k != "temperature"})

    def _consume(
        self,
        deltas: Iterable[Delta],
        on_text: Callable[[str], bool | None],
        shown: Shown,
        started: float,
    ) -> Reply:
        parts: list[str] = []
        usage: tuple[int, int] | None = None
        finish: str | None = None
        first: float | None = None
        iterator = iter(deltas)
        try:
            while True:
                try:
                    delta = next(iterator, None)
                except Exception as exc:
                    if shown.text:
                        raise DroppedMidReply(str(exc)) from exc
                    raise
                if delta is None:
                    break
                usage = delta.usage or usage
                finish = delta.finish or finish
                if delta.text:
                    first = first or time.perf_counter()
                    shown.text = True
                    parts.append(delta.text)
                    if on_text(delta.text):  # the caller has what it needs: stop generating
                        finish = "stopped"
                        break
        finally:
            close = getattr(iterator, "close", None)
            if callable(close):
                close()
        if finish is None:
            if shown.text:
                raise DroppedMidReply("the stream ended without a finish reason")
            raise IncompleteStream("the stream ended without a finish reason")
        latency = ((first or time.perf_counter()) - started) * 1000
        return Reply("".join(parts), self._usage(*(usage or (0, 0))), latency, finish)

    # -- retries and errors

    def _run(
        self, attempt: Callable[[], T], *, passthrough: Callable[[BaseException], bool] = _never
    ) -> T:
        """Run ``attempt`` under the retry table; failures become a ``UserError``, except
        those ``passthrough`` claims (raised as they are) and non-provider bugs."""
        from tenacity import Retrying, retry_if_exception, stop_after_attempt
        from tenacity import wait_exponential_jitter as jitter

        self._warm_up()
        tries = 0

        def counted() -> T:
            nonlocal tries
            tries += 1
            return attempt()

        limit = stop_after_attempt(self.spec.max_retries + 1)
        backoff = jitter(max=MAX_BACKOFF_S, jitter=1)
        retrying = Retrying(
            before_sleep=self._tell_retry,
            sleep=self._sleep or retry_policy.sleep,
            stop=lambda state: limit(state) or asks_too_long(state),
            wait=lambda state: wait_s(state, backoff),
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

    def _tell_retry(self, state: RetryCallState) -> None:
        """Say why we wait and for how long, so a slow or failing server is never silent."""
        if self.notify is None or state.outcome is None or not state.outcome.failed:
            return
        exc = state.outcome.exception()
        rule = rule_for(exc) if exc is not None else None
        if exc is None or rule is None:
            return
        reason = self._describe(rule, exc, state.attempt_number)[0]
        wait = state.next_action.sleep if state.next_action else 0.0
        total = self.spec.max_retries + 1
        self.notify(
            f"{reason}; retrying in {wait:.0f} s (attempt {state.attempt_number + 1} of {total})"
        )

    def _error(self, exc: BaseException, tries: int) -> UserError | None:
        rule = DROPPED_RULE if isinstance(exc, DroppedMidReply) else rule_for(exc)
        if rule is None:
            return None
        message, hint = self._describe(rule, exc, tries)
        if rule is MISSING_KEY_RULE:
            return ConfigError(message, hint=hint)
        return ModelError(message, hint=hint, retryable=retryable(rule, exc))

    def _describe(self, rule: ErrorRule, exc: BaseException, tries: int) -> tuple[str, str | None]:
        """The rule's message and hint, filled in and scrubbed of keys."""
        where = self.info.api_base or ("the local model" if self.spec.is_local() else None)
        fields = {
            "model": self.spec.model,
            "times": "once" if tries == 1 else f"{tries} times",
            "timeout": f"{self.spec.timeout_s:g}",
            "where": where or "the provider",
            "reach": self._reach(where),
            "key_env": self._key_env() if rule.hint and "{key_env}" in rule.hint else "",
            "detail": detail(exc, self.spec.api_key),
        }
        message = rule.message.format(**fields)
        wait = retry_after_s(exc)
        if wait is not None and wait > MAX_RETRY_AFTER_S:
            message += f"; it asked us to wait {wait:.0f} s"
        hint = rule.hint.format(**fields) if rule.hint else None
        key = self.spec.api_key
        return scrub(message, key), (scrub(hint, key) if hint else None)

    def _reach(self, where: str | None) -> str:
        """What to check when the model cannot be reached: it depends on who runs it."""
        if self.spec.is_local():
            return f"run 'interviewer doctor --model {self.spec.model}' to see that it starts"
        if where is not None:
            return f"check that the server at {where} is running"
        return "check your network connection"


def _params(temperature: float, max_tokens: int | None) -> dict[str, Any]:
    params: dict[str, Any] = {"temperature": temperature}
    if max_tokens is not None:
        params["max_tokens"] = max_tokens
    return params
