"""The model seam's interface: the ``ChatModel`` protocol, ``ModelSpec``, ``Reply``, and the
names of the models that are not a provider's (``local``, ``scripted``).

Everything above ``interviewer.models`` talks to ``ChatModel`` and is tested with a fake;
``base.RetryingModel`` is the half of one both clients share, and ``base`` re-exports
these names for them (a client imports only ``base``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from interviewer.config.settings import DEFAULT_TIMEOUT_S
from interviewer.models.retry_policy import without_credentials

if TYPE_CHECKING:  # pydantic's models: imported when made, so `doctor` and `rounds` stay light
    from interviewer.formats.transcript import ModelInfo, Usage

Message = dict[str, str]

LOCAL = "local"
"""``--model local`` runs the bundled GGUF in a llama.cpp server we start; ``local:PATH`` runs PATH."""
SCRIPTED = "scripted"
"""``--model scripted``: no model at all; the interviewer says the round's own lines, and
there is no judge until one is named (``interviewer score ID --judge-model ...``)."""
PLACEHOLDER_KEY = "no-key-needed"
"""Sent to an OpenAI-compatible ``api_base`` when no key is configured: local servers
ignore it, and some clients and proxies refuse a request without one."""
SERVER_KEY_ENV = "INTERVIEWER_API_KEY"
"""The only variable whose key a custom server is sent (never OPENAI_API_KEY)."""


@dataclass(frozen=True)
class ModelSpec:
    """Which model to call and how; the key is kept out of ``repr`` and ``info``."""

    model: str
    api_base: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_retries: int = 4

    def info(self) -> ModelInfo:
        """What a transcript records: never the key, nor credentials in a URL, nor the
        port of the local model's server (it changes every run; ``resume`` restarts it)."""
        from interviewer.formats.transcript import ModelInfo

        base = None if self.is_local() else without_credentials(self.api_base)
        return ModelInfo(model=self.model, api_base=base)

    def address(self) -> str | None:
        """``api_base`` fit to print: credentials written into it are never shown."""
        return without_credentials(self.api_base)

    def is_scripted(self) -> bool:
        return self.model == SCRIPTED

    def is_local(self) -> bool:
        """``local`` or ``local:PATH``: a GGUF this process serves itself."""
        return self.model == LOCAL or self.model.startswith(f"{LOCAL}:")

    def is_custom_server(self) -> bool:
        """An OpenAI-compatible server at ``api_base`` that the direct client can speak to.

        Bare names (``llama3.1``) and ``openai/...`` names qualify. A name with another
        prefix (``ollama_chat/llama3.1``, ``meta-llama/Llama-3-8B``) goes through litellm,
        which knows which prefixes are providers; ``openai/meta-llama/Llama-3-8B`` takes
        the fast path to the same server.
        """
        if self.api_base is None:
            return False
        return self.is_local() or "/" not in self.model or self.model.startswith("openai/")

    def wire_model(self) -> str:
        """The model name sent to a custom server: ``openai/`` dropped, as litellm does."""
        if self.is_local():
            return LOCAL
        return self.model.removeprefix("openai/")


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
        self,
        messages: list[Message],
        *,
        temperature: float,
        on_text: Callable[[str], bool | None],
        max_tokens: int | None = None,
    ) -> Reply: ...

    def structured(
        self,
        messages: list[Message],
        schema: dict[str, Any],
        *,
        name: str,
        temperature: float,
        strict: bool = False,
    ) -> Reply: ...
