"""The one seam between the interviewer and any LLM, in the shape of pipx's ``backends/``.

- ``interface``: the ``ChatModel`` protocol, ``ModelSpec`` and ``Reply``.
- ``base``: ``Delta`` and the ``RetryingModel`` both clients share, with the interface's
  names re-exported for them. It imports no client.
- ``openai_compat`` and ``litellm_client``: one client each, importing only ``base``
  (and ``retry_policy`` through it); litellm and openai only inside functions.
- ``retry_policy``: the error table; ``local``: a GGUF's llama.cpp server, in a child process.
- ``choice``: which model and judge a command talks to, and why (``choose``).
- ``window``: each model's context window, found once.

This module is the factory: ``make_model`` is the only place that names a client.

May import: errors, formats, config.
"""

from __future__ import annotations

from collections.abc import Callable

from interviewer.errors import ConfigError
from interviewer.models.base import ChatModel, ModelSpec
from interviewer.models.choice import Choice, Recorded, choose

__all__ = ["ChatModel", "Choice", "ModelSpec", "Recorded", "choose", "make_model", "preload"]


def make_model(spec: ModelSpec, *, sleep: Callable[[float], None] | None = None) -> ChatModel:
    """The client for a spec: direct for custom servers, litellm for hosted providers.

    ``sleep`` takes the waits between attempts; by default ``retry_policy.sleep``."""
    if spec.is_scripted():
        raise ConfigError(
            "'scripted' is not a model: it runs the round's own lines and cannot judge",
            hint="name a judge with --judge-model (a hosted model, or a server's model with "
            "--judge-api-base)",
        )
    if spec.is_local() and spec.api_base is None:
        raise ConfigError(f"model '{spec.model}' is a local model that was not started")
    if spec.is_custom_server():
        from interviewer.models.openai_compat import OpenAICompatModel

        return OpenAICompatModel(spec, sleep=sleep)
    from interviewer.models.litellm_client import LiteLLMModel

    return LiteLLMModel(spec, sleep=sleep)


def preload(spec: ModelSpec | None = None) -> None:
    """Import what calling ``spec`` will need, e.g. in a background thread while the CLI
    reads its files. Custom servers need no litellm, so nothing slow is imported for them."""
    if spec is not None and spec.is_scripted():
        return
    if spec is not None and spec.is_custom_server():
        import interviewer.models.openai_compat  # noqa: F401
    else:
        from interviewer.models.litellm_client import import_litellm

        import_litellm()
