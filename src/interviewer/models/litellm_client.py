"""The ``ChatModel`` for hosted providers, over ``litellm.completion``.

The only module that imports litellm (and, through it, openai), and only inside
functions: ``import litellm`` costs seconds, so commands that never call a hosted model
never pay for it. Retries are ours alone (``RetryingModel``); the openai SDK's own
retries are switched off so every attempt is counted and every wait goes through the
injected ``sleep``.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from interviewer.formats.text import scalar
from interviewer.formats.transcript import Usage
from interviewer.models.base import PLACEHOLDER_KEY, Delta, Message, ModelSpec, Reply, RetryingModel


@functools.cache
def import_litellm() -> ModuleType:
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


def litellm_model(spec: ModelSpec) -> str:
    """The model string litellm routes on.

    With ``api_base`` set and no provider prefix (``llama3``, ``meta-llama/Llama-3-8B``)
    the server is taken to be OpenAI-compatible, so the model becomes ``openai/<model>``;
    litellm would otherwise refuse it as "LLM Provider NOT provided". Imports litellm.
    """
    if spec.api_base is None:
        return spec.model
    prefix = spec.model.split("/", 1)[0] if "/" in spec.model else ""
    providers = {str(getattr(p, "value", p)) for p in import_litellm().provider_list}
    return spec.model if prefix in providers else f"openai/{spec.model}"


class LiteLLMModel(RetryingModel):
    """``ChatModel`` over ``litellm.completion``, with the shared retry policy."""

    def _warm_up(self) -> None:
        import_litellm()  # before the clock starts: latency is the model's, not the import's

    def _complete(self, messages: list[Message], params: dict[str, Any]) -> Any:
        """One litellm call. ``max_retries=0`` turns off the openai SDK's own retries,
        which would sleep behind our back and hide attempts from the retry table."""
        return import_litellm().completion(
            model=litellm_model(self.spec),
            messages=messages,
            api_base=self.spec.address(),  # credentials in the URL never replace the key
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
            return self.spec.api_key or PLACEHOLDER_KEY
        return self.spec.api_key  # None: litellm reads the provider's variable

    def _custom_server(self) -> bool:
        """An OpenAI-compatible server at api_base: keyless, and not priced like OpenAI."""
        return self.spec.api_base is not None and litellm_model(self.spec).startswith("openai/")

    def _request(self, messages: list[Message], params: dict[str, Any]) -> Reply:
        started = time.perf_counter()
        response = self._complete(messages, params)
        latency = (time.perf_counter() - started) * 1000
        choice = response.choices[0]
        raw = getattr(response, "usage", None)
        return Reply(
            text=scalar(str(choice.message.content or "")),
            usage=self._usage(*_counts(raw)),
            latency_ms=latency,
            finish_reason=_str_or_none(choice.finish_reason),
        )

    def _request_stream(self, messages: list[Message], params: dict[str, Any]) -> Iterator[Delta]:
        chunks = self._complete(messages, params)
        try:
            for chunk in chunks:
                raw = getattr(chunk, "usage", None)
                usage = _counts(raw) if raw else None
                choices = getattr(chunk, "choices", None) or ()
                if not choices and usage:
                    yield Delta(usage=usage)
                for choice in choices:
                    text = getattr(choice.delta, "content", None)
                    yield Delta(scalar(str(text or "")), _str_or_none(choice.finish_reason), usage)
        finally:
            close = getattr(chunks, "close", None)
            if callable(close):
                close()

    def _usage(self, prompt: int, completion: int) -> Usage:
        return Usage(
            prompt_tokens=prompt, completion_tokens=completion,
            cost_usd=self._cost(prompt, completion),
        )  # fmt: skip

    def _cost(self, prompt: int, completion: int) -> float | None:
        """litellm's price for the tokens; None for unpriced models and custom servers."""
        if self._custom_server():
            return None
        try:
            costs = import_litellm().cost_per_token(
                model=litellm_model(self.spec), prompt_tokens=prompt, completion_tokens=completion
            )
            return float(sum(costs))
        except Exception:  # unknown models raise ModelNotMappedError, others worse
            return None

    def _key_env(self) -> str:
        """The environment variable(s) that hold this provider's key, per litellm."""
        if self._custom_server():
            return super()._key_env()
        litellm, model = import_litellm(), litellm_model(self.spec)
        try:
            env = litellm.validate_environment(model=model, api_base=self.spec.api_base)
            provider = litellm.get_llm_provider(model, api_base=self.spec.api_base)[1]
        except Exception:
            return "the provider's API key variable"
        names = [n for n in env.get("missing_keys", []) if n.endswith(("_KEY", "_TOKEN"))]
        return " or ".join(names) if names else f"{str(provider).upper()}_API_KEY"


def _counts(raw: Any) -> tuple[int, int]:
    prompt = int(getattr(raw, "prompt_tokens", 0) or 0)
    completion = int(getattr(raw, "completion_tokens", 0) or 0)
    return prompt, completion


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)
