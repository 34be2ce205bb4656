"""The model's context window: how big it is, and requests fitted to it.

Every turn resends the whole conversation (right for prompt caching), so a long round, a
paper or a CV can outgrow a small model's context. Servers then fail the request, or,
like Ollama at its small default context, silently drop the start of the prompt: the
system prompt goes first. So we find out the window and fit what we send:

- the window comes from the server when it says (llama.cpp's ``/props``, vLLM's
  ``/v1/models``, Ollama's ``/api/show``), from litellm's model map for hosted models, and
  otherwise from the ``context_window`` setting; unknown, nothing is trimmed;
- the interviewer's request (``fit``) keeps the system prompt and the current area
  whole and leaves out the oldest turns, with a marker the model sees; the user is told
  once; the transcript keeps everything;
- the judge's transcript (``for_judge``) is compacted when it does not fit: the
  interviewer's words are shortened first, the candidate's never.

Token counts are estimated from characters, on the safe side; no tokenizer is loaded.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from interviewer.errors import ModelError

if TYPE_CHECKING:
    from interviewer.formats import Transcript, Turn
    from interviewer.models.base import ChatModel, ModelSpec

Message = dict[str, str]

CHARS_PER_TOKEN = 4.0  # English with llama.cpp's and OpenAI's tokenizers: 4 to 4.5
MESSAGE_OVERHEAD = 6  # role and separators each message costs in a chat template
REPLY_SHARE = 4  # at most a quarter of the window is kept free for the reply...
REPLY_RESERVE = 1024  # ...and at most this many tokens
KEEP_FREE = 0.8  # when trimming, fill to this share, so the cut moves only now and then
OLLAMA_DEFAULT_CONTEXT = 4096
OLLAMA_FIX = (
    "Ollama gives every model a small context by default and silently drops the start of "
    "longer prompts: raise it with OLLAMA_CONTEXT_LENGTH=16384 when starting 'ollama serve', "
    "or 'PARAMETER num_ctx 16384' in a Modelfile"
)
SETTING = "INTERVIEWER_CONTEXT_WINDOW"
ASK_TIMEOUT_S = 3.0
MARKER = (
    "[{count} earlier messages of this interview are left out here to fit the model's "
    "context window. Do not repeat questions already asked; carry on from what follows.]"
)
SHORTENED = " […shortened to fit the judge's context window]"
KEEP_OF_INTERVIEWER = 240  # characters of an interviewer turn the judge keeps when compacting


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


def configured() -> int | None:
    """``INTERVIEWER_CONTEXT_WINDOW``, else ``context_window`` in the config file."""
    from interviewer.config.file import config_path, read_toml

    raw: Any = os.environ.get(SETTING) or read_toml(config_path()).get("context_window")
    try:
        value = int(raw) if raw is not None else None
    except ValueError:
        value = None
    return value if value and value > 0 else None


def discover(spec: ModelSpec, client: Any = None) -> Window | None:
    """The window as the server, litellm's model map or the settings report it.

    ``client``: the model's own httpx client, so asking costs no extra connection.
    """
    found = _from_server(spec, client) if spec.api_base else _from_model_map(spec.model)
    if found is not None:
        return found
    setting = configured()
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
        own_client = getattr(model, "_http", None)  # the direct client's kept-alive pool
        _windows[key] = discover(spec, own_client() if callable(own_client) else None)
    return _windows[key]


# ------------------------------------------------------- the interviewer's request


@dataclass
class _Trim:
    left_out: int = 0  # messages left out last time: the cut only moves forward
    told: bool = False


_trims: dict[int, _Trim] = {}


def area_turns(turns: list[Turn]) -> int:
    """How many of the last turns belong to the current area (the newest topic asked)."""
    topic = next((t.topic for t in reversed(turns) if t.topic), None)
    count = 0
    for turn in reversed(turns):
        if turn.topic is not None and turn.topic != topic:
            break
        count += 1
    return count


def fit(
    messages: list[Message], model: ChatModel, turns: list[Turn], tell: Callable[[str], None]
) -> list[Message]:
    """The request, fitted to the model's window: the system prompt is never cut; the
    oldest turns are left out behind a marker the model reads, the current area last.

    The current area is kept whole unless it alone outgrows the window (a very small
    model, very long answers); then its oldest messages go too, never the question being
    answered nor the answer. The cut only moves forward, and to a fifth below the limit,
    so for several turns the prefix stays the same and prompt caching still applies.
    """
    window = window_for(model)
    if window is None or request_tokens(messages) <= window.budget:
        return messages
    trim = _trims.setdefault(id(model), _Trim())
    head, body = messages[:1], messages[1:]
    outside_area = len(body) - min(len(body), area_turns(turns) + 1)  # +1: the note
    last_cut = len(body) - min(len(body), 2)  # the newest question and answer stay
    left_out = min(trim.left_out, last_cut)
    if left_out == 0 or _tokens_with(head, body, left_out) > window.budget:
        left_out = max(left_out, 1)  # the last cut no longer fits: cut anew, further
        target = int(window.budget * KEEP_FREE)
    else:
        target = window.budget  # the last cut still fits: keep it, and the cache
    while left_out < outside_area and _tokens_with(head, body, left_out) > target:
        left_out += 1
    while left_out < last_cut and _tokens_with(head, body, left_out) > window.budget:
        left_out += 1
    if left_out == 0:
        return messages
    trim.left_out = left_out
    if not trim.told:
        trim.told = True
        tell(
            f"The conversation is now longer than the model's context window "
            f"({window.tokens:,} tokens, from {window.source}): the oldest turns are left "
            "out of what the interviewer sees. Your transcript keeps everything."
        )
    return head + _marked(body[left_out:], left_out)


def _tokens_with(head: list[Message], body: list[Message], left_out: int) -> int:
    marker = estimate(MARKER) + MESSAGE_OVERHEAD
    return request_tokens(head) + request_tokens(body[left_out:]) + marker


def _marked(kept: list[Message], left_out: int) -> list[Message]:
    """The kept messages behind the marker, still alternating user and assistant."""
    marker = MARKER.format(count=left_out)
    if kept and kept[0]["role"] == "user":
        return [{"role": "user", "content": f"{marker}\n\n{kept[0]['content']}"}, *kept[1:]]
    return [{"role": "user", "content": marker}, *kept]


# ------------------------------------------------------------------ the judge


def for_judge(transcript: Transcript, model: ChatModel, system: str) -> Transcript:
    """The transcript as the judge can read it whole: unchanged when it fits; otherwise a
    copy with the interviewer's turns shortened, oldest first (session notes next). The
    candidate's words are never cut: if even then the estimate exceeds the whole window,
    scoring stops here with advice that works, instead of a request the server would
    refuse; nearer the limit the request is sent and the server decides."""
    window = window_for(model)
    cost = estimate(system) + sum(estimate(t.text) + 12 for t in transcript.turns) + 40
    if window is None or cost <= window.budget:
        return transcript
    copy = transcript.model_copy(deep=True)
    for role in ("interviewer", "system"):
        for turn in copy.turns:
            if cost <= window.budget:
                return copy
            if turn.role.value == role and len(turn.text) > KEEP_OF_INTERVIEWER:
                short = turn.text[:KEEP_OF_INTERVIEWER].rstrip() + SHORTENED
                cost -= estimate(turn.text) - estimate(short)
                turn.text = short
    if cost <= window.tokens:  # over the budget only: the estimate is rough, let it try
        return copy
    raise ModelError(
        f"this transcript needs about {cost:,} tokens even with the interviewer's turns "
        f"shortened, more than the judge's context window ({window.tokens:,} tokens, from "
        f"{window.source})",
        hint="score it with a judge that has a larger context: "
        f"interviewer score {transcript.id} --judge-model MODEL",
    )


def cut_short(model: ChatModel) -> str:
    """Why a reply that stopped at the token cap (finish_reason ``length``) failed."""
    return (
        f"the judge's reply was cut off at its length limit ({model.info.model}); asking "
        "again would be cut off the same way"
    )


def overflowed(exc: BaseException) -> bool:
    """Whether a failed call failed because the request outgrew the context window."""
    cause: BaseException | None = exc
    while cause is not None:
        if type(cause).__name__ == "ContextWindowExceededError":
            return True
        cause = cause.__cause__ or cause.__context__
    return False


RESUME_ADVICE = (
    "The model's context window is not known to interviewer, so the conversation could not "
    f"be fitted to it: set {SETTING} (or context_window in the config file) to its size in "
    "tokens, then continue with: interviewer resume {id}"
)


def rescore_advice(reason: str, transcript_id: str) -> str:
    """How to score again after a failure: the same command, unless the failure was the
    context window or the reply limit, which a retry would meet again."""
    if "context window" in reason or "length limit" in reason:
        return (
            f"score it with a judge that has a larger context or reply limit: interviewer "
            f"score {transcript_id} --judge-model MODEL (or set {SETTING} if it is not known)"
        )
    return f"score it later with: interviewer score {transcript_id}"
