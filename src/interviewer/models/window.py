"""A model's context window: how big it is, found out once per model.

Every turn resends the whole conversation (right for prompt caching), so a long round, a
paper or a CV can outgrow a small model's context. Servers then fail the request, or,
like Ollama at its small default context, silently drop the start of the prompt: the
system prompt goes first. So the window is found out, and what is sent is fitted to it
above the seam (``interview.trim`` for the interviewer's request, ``grading.compact`` for
the judge's transcript). The window comes from the server when it says (llama.cpp's
``/props``, vLLM's ``/v1/models``, Ollama's ``/api/show``), from litellm's model map for
hosted models, and otherwise from the ``context_window`` setting; unknown, nothing is
trimmed.

Token counts are estimated from characters, on the safe side; no tokenizer is loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from interviewer.config.file import env_name

if TYPE_CHECKING:
    from interviewer.models.base import ChatModel, ModelSpec

Message = dict[str, str]

CHARS_PER_TOKEN = 4.0  # English with llama.cpp's and OpenAI's tokenizers: 4 to 4.5
MESSAGE_OVERHEAD = 6  # role and separators each message costs in a chat template
REPLY_SHARE = 4  # at most a quarter of the window is kept free for the reply...
REPLY_RESERVE = 1024  # ...and at most this many tokens
OLLAMA_DEFAULT_CONTEXT = 4096
OLLAMA_FIX = (
    "Ollama gives every model a small context by default and silently drops the start of "
    "longer prompts: raise it with OLLAMA_CONTEXT_LENGTH=16384 when starting 'ollama serve', "
    "or 'PARAMETER num_ctx 16384' in a Modelfile"
)
SETTING = env_name("context_window")
ASK_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Window:
    """A model's context window in tokens, where that figure came from, and any warning."""

    tokens: int
    source: str
    warning: str | None = None

    @property
    def reply_reserve(self) -> int:
        return min(REPLY_RESERVE, self.tokens // REPLY_SHARE)

    @property
    def budget(self) -> int:
        """Tokens a request may use, with room kept for the reply."""
        return self.tokens - self.reply_reserve


def estimate(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def request_tokens(messages: list[Message]) -> int:
    return sum(estimate(m["content"]) + MESSAGE_OVERHEAD for m in messages)


# ------------------------------------------------------------------ the window


def discover(spec: ModelSpec, client: Any = None) -> Window | None:
    """The window as the server, litellm's model map or the settings report it.

    ``client``: the model's own httpx client, so asking costs no extra connection.
    """
    found = _from_server(spec, client) if spec.api_base else _from_model_map(spec.model)
    if found is not None:
        return found
    from interviewer.config.settings import load_settings

    setting = load_settings().context_window  # read only when nothing else says
    return Window(setting, "the context_window setting") if setting else None


def _from_server(spec: ModelSpec, client: Any) -> Window | None:
    """llama.cpp (``/props``), vLLM (``/v1/models``) or Ollama (``/api/show``).

    Best effort: whatever goes wrong (no such endpoint, a refusal, a test's mock that
    does not know the route) leaves the window unknown, never the interview stopped.
    """
    from interviewer.models.openai_compat import http_client

    root = str(spec.api_base).rstrip("/").removesuffix("/v1")
    own = client is None
    client = http_client(spec) if own else client
    try:
        for ask in (_llama_cpp, _vllm, _ollama):
            found = ask(client, root, spec.wire_model())
            if found is not None:
                return found
    except Exception:  # best effort: see the docstring
        return None
    finally:
        if own:
            client.close()
    return None


def _json(response: Any) -> Any:
    try:
        return response.json() if response.status_code == 200 else None
    except ValueError:
        return None


def _llama_cpp(client: Any, root: str, model: str) -> Window | None:
    body = _json(client.get(f"{root}/props", timeout=ASK_TIMEOUT_S))
    if not isinstance(body, dict):
        return None
    settings = body.get("default_generation_settings") or {}
    n_ctx = settings.get("n_ctx") or body.get("n_ctx")
    return Window(int(n_ctx), "the server (llama.cpp /props)") if n_ctx else None


def _ollama(client: Any, root: str, model: str) -> Window | None:
    """Only a server that says it is Ollama (``/api/version``) is sent the POST."""
    version = _json(client.get(f"{root}/api/version", timeout=ASK_TIMEOUT_S))
    if not isinstance(version, dict) or "version" not in version:
        return None
    body = _json(client.post(f"{root}/api/show", json={"model": model}, timeout=ASK_TIMEOUT_S))
    if not isinstance(body, dict) or "model_info" not in body:
        return None
    trained = next(
        (int(v) for k, v in (body.get("model_info") or {}).items() if k.endswith("context_length")),
        None,
    )
    for line in str(body.get("parameters") or "").splitlines():
        name, _, value = line.partition(" ")
        if name == "num_ctx" and value.strip().isdigit():
            return Window(int(value), "Ollama (num_ctx in the model's parameters)")
    tokens = min(OLLAMA_DEFAULT_CONTEXT, trained or OLLAMA_DEFAULT_CONTEXT)
    return Window(tokens, "Ollama's default context (no num_ctx set)", OLLAMA_FIX)


def _vllm(client: Any, root: str, model: str) -> Window | None:
    body = _json(client.get(f"{root}/v1/models", timeout=ASK_TIMEOUT_S))
    rows = body.get("data") if isinstance(body, dict) else None
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and row.get("max_model_len") and row.get("id") in (model, None):
            return Window(int(row["max_model_len"]), "the server (max_model_len)")
    return None


def _from_model_map(model: str) -> Window | None:
    from interviewer.models.litellm_client import import_litellm

    try:
        info = import_litellm().get_model_info(model)
    except Exception:  # litellm raises plain Exception for a model it does not map
        return None
    tokens = info.get("max_input_tokens") or info.get("max_tokens")
    return Window(int(tokens), "litellm's model map") if tokens else None


_windows: dict[tuple[str, str | None], Window | None] = {}


def window_for(model: ChatModel) -> Window | None:
    """The window of the model behind a client, found once per process."""
    spec: ModelSpec | None = getattr(model, "spec", None)
    if spec is None:
        return None
    key = (spec.model, spec.api_base)
    if key not in _windows:
        from interviewer.models.openai_compat import OpenAICompatModel

        pool = model.pool() if isinstance(model, OpenAICompatModel) else None
        _windows[key] = discover(spec, pool)
    return _windows[key]


def overflowed(exc: BaseException) -> bool:
    """Whether a failed call failed because the request outgrew the context window."""
    cause: BaseException | None = exc
    while cause is not None:
        if type(cause).__name__ == "ContextWindowExceededError":
            return True
        cause = cause.__cause__ or cause.__context__
    return False
